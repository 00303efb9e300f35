package dev.dbops.workflows.catalog;

import dev.dbops.workflows.binlog.BinlogCatchUpRequest;
import dev.dbops.workflows.binlog.BinlogCatchUpWorkflow;
import dev.dbops.workflows.binlog.BinlogPhase;
import dev.dbops.workflows.migration.AuroraMigrationWorkflow;
import dev.dbops.workflows.migration.MigrationPhase;
import dev.dbops.workflows.migration.MigrationRequest;
import dev.dbops.workflows.restore.GlacierRestoreRequest;
import dev.dbops.workflows.restore.GlacierRestoreWorkflow;
import dev.dbops.workflows.restore.RestorePhase;
import dev.dbops.workflows.staging.StagingPhase;
import dev.dbops.workflows.staging.StagingRebuildRequest;
import dev.dbops.workflows.staging.StagingRebuildWorkflow;
import dev.dbops.workflows.upgrade.RollbackPhase;
import dev.dbops.workflows.upgrade.RollbackRequest;
import dev.dbops.workflows.upgrade.UpgradePhase;
import dev.dbops.workflows.upgrade.UpgradeRequest;
import dev.dbops.workflows.upgrade.UpgradeRollbackWorkflow;
import dev.dbops.workflows.upgrade.UpgradeWorkflow;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The procedure catalog: what the CLI can start and the worker runs, as plain metadata — it names
 * workflow interfaces, never their implementations (the worker's registration does).
 */
public final class Procedures {
  private Procedures() {}

  public static final Procedure<GlacierRestoreRequest> GLACIER_RESTORE =
      new Procedure<>(
          RestorePhase.PROCEDURE,
          "Restore S3 objects from Glacier / Deep Archive, wait for them, deliver them",
          GlacierRestoreWorkflow.class,
          GlacierRestoreRequest.class,
          GlacierRestoreRequest::problems,
          GlacierRestoreRequest::defaultWorkflowId,
          r -> r.toBuilder().dryRun(true).build(),
          Set.of(RestorePhase.VALIDATING, RestorePhase.LISTING, RestorePhase.ESTIMATING),
          Set.of(),
          GlacierRestoreRequest::targets);

  public static final Procedure<UpgradeRequest> UPGRADE =
      new Procedure<>(
          UpgradePhase.PROCEDURE,
          "In-place Aurora MySQL 5.6 -> 5.7 upgrade: validate, pre-check, approve, snapshot, upgrade, verify",
          UpgradeWorkflow.class,
          UpgradeRequest.class,
          UpgradeRequest::problems,
          UpgradeRequest::defaultWorkflowId,
          Procedures::upgradeDryRun,
          // Pre-checks only read (XA RECOVER, processlist, INNODB_TRX): what they refuse is the
          // request's to fix, and nothing has been changed yet.
          Set.of(UpgradePhase.VALIDATING, UpgradePhase.PRECHECKING),
          // The run acts on abort at once while it waits for RDS to finish upgrading; one sent
          // earlier stops it only before its next change (snapshot, ModifyDBCluster), so the CLI
          // offers abort where it acts at once — before that, reject (at the approval) or cancel.
          Set.of(UpgradePhase.UPGRADING),
          UpgradeRequest::targets);

  /** Phase names of {@link UpgradeRollbackWorkflow#status()}. */
  public static final String ROLLBACK_VALIDATING = RollbackPhase.VALIDATING;

  public static final Procedure<RollbackRequest> UPGRADE_ROLLBACK =
      new Procedure<>(
          RollbackPhase.PROCEDURE,
          "Restore a pre-upgrade snapshot into a new cluster with instances, report its endpoints,"
              + " optionally repoint the private CNAME to it after approval",
          UpgradeRollbackWorkflow.class,
          RollbackRequest.class,
          RollbackRequest::problems,
          RollbackRequest::defaultWorkflowId,
          RollbackRequest::asDryRun,
          // VALIDATING reads the snapshot, the instance class offer, the zone and the record:
          // what it refuses is the request's to fix, and nothing has been created yet.
          Set.of(ROLLBACK_VALIDATING),
          Set.of(),
          RollbackRequest::targets);

  /** Phase names of {@link BinlogCatchUpWorkflow#status()} the CLI acts on. */
  public static final String BINLOG_AWAITING_DECISION = BinlogPhase.AWAITING_DECISION;

  public static final String BINLOG_AWAITING_CUTOVER = BinlogPhase.AWAITING_CUTOVER;

  public static final Procedure<BinlogCatchUpRequest> BINLOG_CATCH_UP =
      new Procedure<>(
          BinlogPhase.PROCEDURE,
          "Replicate a source into a replica, skipping allowed errors (journaled), then cut over on approval",
          BinlogCatchUpWorkflow.class,
          BinlogCatchUpRequest.class,
          BinlogCatchUpRequest::problems,
          BinlogCatchUpRequest::defaultWorkflowId,
          BinlogCatchUpRequest::asDryRun,
          // Source checks refuse what the request must fix before SETTING_UP.
          Set.of(BinlogPhase.VALIDATING, BinlogPhase.CHECKING_SOURCE),
          // Errors are stopped with decide --action abort, not abort.
          Set.of(),
          BinlogCatchUpRequest::targets);

  public static final Procedure<StagingRebuildRequest> STAGING_REBUILD =
      new Procedure<>(
          StagingPhase.PROCEDURE,
          "Snapshot production, share it, restore it in staging, mask it, repoint the staging CNAME, retire the old cluster",
          StagingRebuildWorkflow.class,
          StagingRebuildRequest.class,
          StagingRebuildRequest::problems,
          r -> stagingWorkflowId(r, Clock.systemUTC()),
          Procedures::stagingDryRun,
          // Everything before SNAPSHOTTING only reads (DescribeDBClusters, GetHostedZone,
          // ListResourceRecordSets, the masking script): what it refuses is the request's to fix.
          Set.of(StagingPhase.VALIDATING),
          // AWAITING_APPROVAL (retire mode APPROVAL) waits for a person; GRACE is a timer that
          // approve (retire now) or reject (keep) only shortens. Neither takes abort.
          Set.of(),
          StagingRebuildRequest::targets);

  /**
   * The phase of {@link AuroraMigrationWorkflow#status()} that waits for the source upgrade's
   * approval.
   */
  public static final String MIGRATION_AWAITING_UPGRADE_APPROVAL =
      MigrationPhase.AWAITING_UPGRADE_APPROVAL.name();

  /** The phase an Aurora migration ends in when the CNAME was put back on request. */
  public static final String MIGRATION_REVERTED = MigrationPhase.REVERTED.name();

  public static final Procedure<MigrationRequest> AURORA_MIGRATION =
      new Procedure<>(
          MigrationPhase.PROCEDURE,
          "RDS MySQL instance -> Aurora MySQL through an Aurora read replica: catch up, approve, promote, switch the CNAME",
          AuroraMigrationWorkflow.class,
          MigrationRequest.class,
          MigrationRequest::problems,
          MigrationRequest::defaultWorkflowId,
          MigrationRequest::asDryRun,
          // Everything before the first change only reads (DescribeDBInstances, the source's SQL
          // side, GetHostedZone, ListResourceRecordSets, orderable options).
          Set.of(MigrationPhase.VALIDATING.name()),
          // abort stops the catch-up at once, and in the revert window puts the CNAME back.
          Set.of(MigrationPhase.CATCHING_UP.name(), MigrationPhase.REVERT_WINDOW.name()),
          MigrationRequest::targets);

  public static final List<Procedure<?>> ALL =
      List.of(
          GLACIER_RESTORE,
          UPGRADE,
          UPGRADE_ROLLBACK,
          BINLOG_CATCH_UP,
          STAGING_REBUILD,
          AURORA_MIGRATION);

  /**
   * Workflow type → the targets its request names: one open run per target (TargetLockInterceptor).
   */
  public static java.util.Map<String, java.util.function.Function<Object, List<String>>>
      targetsByWorkflowType() {
    java.util.Map<String, java.util.function.Function<Object, List<String>>> out =
        new java.util.LinkedHashMap<>();
    for (Procedure<?> p : ALL) out.put(p.workflowType(), p::targetsOf);
    return out;
  }

  /** Workflow type → procedure name, for notices that speak the CLI's language. */
  public static java.util.Map<String, String> namesByWorkflowType() {
    java.util.Map<String, String> out = new java.util.LinkedHashMap<>();
    for (Procedure<?> p : ALL) out.put(p.workflowType(), p.name());
    return out;
  }

  public static Optional<Procedure<?>> byName(String name) {
    return ALL.stream().filter(p -> p.name().equals(name)).findFirst();
  }

  /** The procedure a workflow type belongs to, for listings. */
  public static Optional<Procedure<?>> byWorkflowType(String workflowType) {
    return ALL.stream().filter(p -> p.workflowType().equals(workflowType)).findFirst();
  }

  public static List<String> names() {
    return ALL.stream().map(Procedure::name).toList();
  }

  public static final DateTimeFormatter STAGING_RUN_STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmm").withZone(ZoneOffset.UTC);

  /**
   * {@code staging-rebuild/<record without the trailing dot>/<UTC yyyyMMdd-HHmm>}: a staging
   * rebuild runs every week on the same record, and the run derives the names of everything it
   * creates (snapshots, the new cluster) from its id, so each run needs an id of its own. Two
   * starts within the same minute get the same id, and Temporal refuses the second while the first
   * is open.
   */
  public static String stagingWorkflowId(StagingRebuildRequest r, Clock clock) {
    String name =
        r.dns() == null || r.dns().normalizedName() == null ? "?" : r.dns().normalizedName();
    if (name.endsWith(".")) name = name.substring(0, name.length() - 1);
    return StagingPhase.PROCEDURE + "/" + name + "/" + STAGING_RUN_STAMP.format(clock.instant());
  }

  private static StagingRebuildRequest stagingDryRun(StagingRebuildRequest r) {
    return new StagingRebuildRequest(
        r.source(),
        r.sourceClusterId(),
        r.target(),
        r.crossAccount(),
        r.kmsKeyId(),
        r.instanceClass(),
        r.instanceCount(),
        r.dbSubnetGroup(),
        r.vpcSecurityGroupIds(),
        r.masterPasswordRef(),
        r.masking(),
        r.schemaDriftCheck(),
        r.sourceLogin(),
        r.driftSchemas(),
        r.dns(),
        r.retire(),
        r.keepSnapshots(),
        r.confirmProduction(),
        r.approval(),
        r.requestedBy(),
        r.pollInterval(),
        r.snapshotMaxWait(),
        r.restoreMaxWait(),
        r.dnsMaxWait(),
        Boolean.TRUE);
  }

  private static UpgradeRequest upgradeDryRun(UpgradeRequest r) {
    return new UpgradeRequest(
        r.clusterId(),
        r.targetEngineVersion(),
        r.clusterParameterGroup(),
        r.instanceParameterGroup(),
        r.login(),
        r.smokeSql(),
        r.confirmProduction(),
        r.waiveApproval(),
        r.approval(),
        r.requestedBy(),
        r.pollInterval(),
        r.stallThreshold(),
        r.progressEvery(),
        r.maxWait(),
        r.snapshotMaxWait(),
        r.limits(),
        Boolean.TRUE);
  }
}
