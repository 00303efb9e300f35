package dev.dbops.starter;

import dev.dbops.workflows.catalog.Procedure;
import dev.dbops.workflows.catalog.Procedures;
import dev.dbops.workflows.common.DbLogin;
import dev.dbops.workflows.upgrade.UpgradeRequest;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code upgrade} as flags; every one maps to an {@link UpgradeRequest} field. */
final class UpgradeFlags implements ProcedureFlags<UpgradeRequest> {
  @Mixin ApprovalFlags approval;

  @RequestField("clusterId")
  @Option(
      names = "--cluster",
      paramLabel = "ID",
      description = "the Aurora MySQL 5.6 cluster (DBClusterIdentifier)")
  String cluster;

  @RequestField("targetEngineVersion")
  @Option(
      names = "--target-version",
      paramLabel = "VERSION",
      description =
          "engine version to upgrade to, e.g. 5.7.mysql_aurora.2.11.2 (a major-version"
              + " ValidUpgradeTarget of the cluster's version)")
  String targetVersion;

  @RequestField("clusterParameterGroup")
  @Option(
      names = "--cluster-parameter-group",
      paramLabel = "GROUP",
      description =
          "5.7 cluster parameter group (required when the cluster uses a custom 5.6 one;"
              + " default groups become default.aurora-mysql5.7)")
  String clusterParameterGroup;

  @RequestField("instanceParameterGroup")
  @Option(
      names = "--instance-parameter-group",
      paramLabel = "GROUP",
      description = "5.7 instance parameter group (required for custom 5.6 ones)")
  String instanceParameterGroup;

  @RequestField("login.user")
  @Option(
      names = "--db-user",
      paramLabel = "USER",
      description = "MySQL user for the pre-checks and the verification")
  String dbUser;

  @RequestField("login.passwordRef")
  @Option(
      names = "--db-password-ref",
      paramLabel = "REF",
      description =
          "where the worker reads that user's password: env:NAME, file:/path or"
              + " secretsmanager:ID — never the password itself")
  String dbPasswordRef;

  @RequestField("smokeSql")
  @Option(
      names = "--smoke-sql",
      paramLabel = "SQL",
      description =
          "a read-only statement (SELECT, SHOW, …) that must succeed after the upgrade; run in a"
              + " read-only transaction (repeatable)")
  List<String> smokeSql;

  @RequestField("confirmProduction")
  @Option(
      names = "--confirm-production",
      paramLabel = "ID",
      description = "the cluster id again, to upgrade a cluster tagged as production")
  String confirmProduction;

  @RequestField("waiveApproval")
  @Option(
      names = "--waive-approval",
      description = "skip the approval (refused for production clusters)")
  boolean waiveApproval;

  @RequestField("pollInterval")
  @Option(
      names = "--poll-interval",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "pause between RDS checks while waiting (default 12m)")
  Duration pollInterval;

  @RequestField("stallThreshold")
  @Option(
      names = "--stall-threshold",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "after upgrading this long, notify and keep waiting (default 2h)")
  Duration stallThreshold;

  @RequestField("progressEvery")
  @Option(
      names = "--progress-every",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "report a new RDS upgrade phase at most this often (default 1h)")
  Duration progressEvery;

  @RequestField("maxWait")
  @Option(
      names = "--max-wait",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "give up waiting for the upgrade after this (default 48h)")
  Duration maxWait;

  @RequestField("snapshotMaxWait")
  @Option(
      names = "--snapshot-max-wait",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "give up waiting for the pre-upgrade snapshot after this (default 12h)")
  Duration snapshotMaxWait;

  @RequestField("requestedBy")
  @Option(
      names = "--requested-by",
      paramLabel = "NAME",
      defaultValue = "${env:USER:-${sys:user.name}}",
      description = "who asks for this run; may not approve it (default: $USER)")
  String requestedBy;

  @Override
  public Procedure<UpgradeRequest> procedure() {
    return Procedures.UPGRADE;
  }

  @Override
  public UpgradeRequest toRequest() {
    if (waiveApproval && approval.given()) {
      throw CliException.invalid(
          "approval: give --waive-approval or --approver/--approvals-required/"
              + "--approval-timeout, not both");
    }
    SqlFlags.checks("--smoke-sql", smokeSql);
    DbLogin login =
        dbUser == null && dbPasswordRef == null ? null : new DbLogin(dbUser, dbPasswordRef);
    return new UpgradeRequest(
        cluster,
        targetVersion,
        clusterParameterGroup,
        instanceParameterGroup,
        login,
        smokeSql == null ? null : List.copyOf(smokeSql),
        confirmProduction,
        waiveApproval ? Boolean.TRUE : null,
        approval.policy(),
        requestedBy,
        pollInterval,
        stallThreshold,
        progressEvery,
        maxWait,
        snapshotMaxWait,
        null,
        null);
  }
}
