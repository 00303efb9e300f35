package dev.dbops.workflows.staging;

import dev.dbops.workflows.common.Runbook;
import dev.dbops.workflows.common.Step;
import dev.dbops.workflows.staging.StagingPhase.Phase;

/**
 * The steps of a staging rebuild, declared once: the run executes them and the dry run renders
 * them, each with the exact calls it makes.
 */
final class StagingSteps {
  private StagingSteps() {}

  static final Step<Phase, Inspected> VALIDATE =
      Step.of(
          "validate",
          Phase.VALIDATING,
          i ->
              "DescribeDBClusters "
                  + i.source().clusterId()
                  + " ("
                  + i.sourceAccount()
                  + "); GetHostedZone "
                  + i.request().dns().hostedZoneId()
                  + ", ListResourceRecordSets, DescribeDBClusters,"
                  + " DescribeOrderableDBInstanceOptions "
                  + i.request().instanceClass()
                  + " ("
                  + i.targetAccount()
                  + ")",
          i -> i.request().dns().normalizedName() + " is now " + i.target().currentValue());

  static final Step<Phase, Inspected> SNAPSHOT =
      Step.<Phase, Inspected>of(
              "snapshot",
              Phase.SNAPSHOTTING,
              i ->
                  "CreateDBClusterSnapshot DBClusterIdentifier="
                      + i.source().clusterId()
                      + " DBClusterSnapshotIdentifier="
                      + i.names().snapshotId(),
              i -> "in " + i.sourceAccount() + "; adopted if it exists; wait available")
          .hookBefore("before-snapshot")
          .changes();

  static final Step<Phase, Inspected> COPY =
      Step.<Phase, Inspected>of(
              "copy",
              Phase.COPYING,
              i ->
                  "CopyDBClusterSnapshot SourceDBClusterSnapshotIdentifier="
                      + i.names().snapshotId()
                      + " TargetDBClusterSnapshotIdentifier="
                      + i.names().copySnapshotId()
                      + " KmsKeyId="
                      + i.request().kmsKeyId(),
              i -> "the default aws/rds key cannot be shared")
          .when(Inspected::copyNeeded)
          .changes();

  static final Step<Phase, Inspected> SHARE =
      Step.<Phase, Inspected>of(
              "share",
              Phase.SHARING,
              i ->
                  "ModifyDBClusterSnapshotAttribute DBClusterSnapshotIdentifier="
                      + i.restoredSnapshotId()
                      + " AttributeName=restore ValuesToAdd="
                      + i.targetAccount(),
              i -> "")
          .when(i -> i.request().isCrossAccount())
          .changes();

  static final Step<Phase, Inspected> RESTORE =
      Step.<Phase, Inspected>of(
              "restore",
              Phase.RESTORING,
              i ->
                  "RestoreDBClusterFromSnapshot DBClusterIdentifier="
                      + i.names().clusterId()
                      + " SnapshotIdentifier=<arn of "
                      + i.restoredSnapshotId()
                      + "> Engine="
                      + i.source().engine()
                      + "; CreateDBInstance x"
                      + i.request().instanceCountOrDefault()
                      + " "
                      + i.request().instanceClass()
                      + "; ModifyDBCluster MasterUserPassword=<"
                      + i.request().masterPasswordRef()
                      + ">",
              i ->
                  "in "
                      + i.targetAccount()
                      + (i.request().restoreAccount().roleArn() == null
                          ? ""
                          : " as " + i.request().restoreAccount().roleArn())
                      + "; tagged dbops:owner")
          .changes();

  static final Step<Phase, Inspected> MASK =
      Step.<Phase, Inspected>of(
              "mask",
              Phase.MASKING,
              i ->
                  i.masking().statements()
                      + " statement(s) from "
                      + i.masking().source()
                      + " (sha256 "
                      + i.masking().sha256()
                      + "); then "
                      + i.masking().verifyQueries()
                      + " verification query(ies) that must return 0",
              i -> "failing verification stops the run before any DNS change")
          .changes();

  static final Step<Phase, Inspected> DRIFT =
      Step.<Phase, Inspected>of(
              "drift",
              Phase.CHECKING_DRIFT,
              i ->
                  "information_schema TABLES, COLUMNS, STATISTICS of " + i.request().driftSchemas(),
              i -> i.request().driftCheckOrDefault())
          .when(Inspected::driftChecked);

  static final Step<Phase, Inspected> CUTOVER =
      Step.<Phase, Inspected>of(
              "cutover",
              Phase.CUTTING_OVER,
              i ->
                  "ChangeResourceRecordSets UPSERT "
                      + i.request().dns().normalizedName()
                      + " CNAME <endpoint of "
                      + i.names().clusterId()
                      + "> TTL "
                      + i.request().dns().ttlOrDefault()
                      + "; GetChange until INSYNC",
              i -> "previous value " + i.target().currentValue() + " kept for revert")
          .hookBefore("before-cutover")
          .hookAfter("after-cutover")
          .changes();

  /** Waits in GRACE or AWAITING_APPROVAL first; its hook runs inside (a failure leaves it). */
  static final Step<Phase, Inspected> RETIRE =
      Step.<Phase, Inspected>of(
              "retire",
              Phase.RETIRING,
              i ->
                  "DeleteDBInstance (each), DeleteDBCluster "
                      + i.oldClusterId()
                      + (i.request().retireOrDefault().finalSnapshotWanted()
                          ? " FinalDBSnapshotIdentifier=" + i.names().finalSnapshotPrefix()
                          : " SkipFinalSnapshot=true"),
              i -> {
                RetirePolicy r = i.request().retireOrDefault();
                return RetirePolicy.GRACE.equals(r.modeOrDefault())
                    ? "after " + r.graceOrDefault() + " (approve: now; reject: keep)"
                    : "after approval by "
                        + i.request().approvalOrDefault().requiredOrDefault()
                        + " of "
                        + i.request().approvalOrDefault().approversOrEmpty();
              })
          .when(Inspected::retires)
          .changes();

  static final Step<Phase, Inspected> CLEAN_UP =
      Step.<Phase, Inspected>of(
              "clean up",
              Phase.CLEANING_UP,
              i ->
                  "ModifyDBClusterSnapshotAttribute ValuesToRemove; DeleteDBClusterSnapshot "
                      + i.names().snapshotId()
                      + (i.copyNeeded() ? ", " + i.names().copySnapshotId() : ""),
              i -> "")
          .when(i -> !i.request().keepsSnapshots())
          .changes();

  static final Runbook<Phase, Inspected> RUNBOOK =
      Runbook.of(VALIDATE, SNAPSHOT, COPY, SHARE, RESTORE, MASK, DRIFT, CUTOVER, RETIRE, CLEAN_UP);
}
