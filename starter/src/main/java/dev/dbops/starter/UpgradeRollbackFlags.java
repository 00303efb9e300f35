package dev.dbops.starter;

import dev.dbops.workflows.catalog.Procedure;
import dev.dbops.workflows.catalog.Procedures;
import dev.dbops.workflows.upgrade.RollbackRequest;
import java.time.Duration;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code upgrade-rollback} as flags; every one maps to a {@link RollbackRequest} field. */
final class UpgradeRollbackFlags implements ProcedureFlags<RollbackRequest> {
  /** Who approves the CNAME repoint (asked only with --zone-id/--record-name). */
  @Mixin ApprovalFlags approval;

  @RequestField("snapshotId")
  @Option(
      names = "--snapshot",
      paramLabel = "ID",
      description = "the pre-upgrade snapshot (named in the upgrade's result or failure)")
  String snapshot;

  @RequestField("newClusterId")
  @Option(names = "--new-cluster", paramLabel = "ID", description = "the cluster to create from it")
  String newCluster;

  @RequestField("engine")
  @Option(
      names = "--engine",
      paramLabel = "ENGINE",
      description = "engine of the snapshot (default aurora)")
  String engine;

  @RequestField("engineVersion")
  @Option(
      names = "--engine-version",
      paramLabel = "VERSION",
      description = "restore as this version (default: the snapshot's own)")
  String engineVersion;

  @RequestField("clusterParameterGroup")
  @Option(
      names = "--cluster-parameter-group",
      paramLabel = "GROUP",
      description = "cluster parameter group of the new cluster (default: the engine's default)")
  String clusterParameterGroup;

  @RequestField("instanceClass")
  @Option(
      names = "--instance-class",
      paramLabel = "CLASS",
      description = "class of each instance (default db.r5.large)")
  String instanceClass;

  @RequestField("instances")
  @Option(
      names = "--instances",
      paramLabel = "N",
      description = "instances to create, the first is the writer (default 1)")
  Integer instances;

  @RequestField("pollInterval")
  @Option(
      names = "--poll-interval",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "pause between availability checks (default 1m)")
  Duration pollInterval;

  @RequestField("maxWait")
  @Option(
      names = "--max-wait",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "give up waiting after this (default 6h)")
  Duration maxWait;

  @RequestField("hostedZoneId")
  @Option(
      names = "--zone-id",
      paramLabel = "ZONE",
      description =
          "private Route53 hosted zone of the CNAME to repoint to the restored cluster after"
              + " approval (with --record-name)")
  String zoneId;

  @RequestField("recordName")
  @Option(
      names = "--record-name",
      paramLabel = "NAME",
      description =
          "the CNAME to repoint (TTL 0), e.g. db.orders.internal.; it must exist as a CNAME (with"
              + " --zone-id)")
  String recordName;

  @RequestField("requestedBy")
  @Option(
      names = "--requested-by",
      paramLabel = "NAME",
      defaultValue = "${env:USER:-${sys:user.name}}",
      description = "who asks for this run (default: $USER)")
  String requestedBy;

  @Override
  public Procedure<RollbackRequest> procedure() {
    return Procedures.UPGRADE_ROLLBACK;
  }

  @Override
  public RollbackRequest toRequest() {
    return new RollbackRequest(
        snapshot,
        newCluster,
        engine,
        engineVersion,
        clusterParameterGroup,
        instanceClass,
        instances,
        requestedBy,
        pollInterval,
        maxWait,
        zoneId,
        recordName,
        approval == null ? null : approval.policy(),
        null);
  }
}
