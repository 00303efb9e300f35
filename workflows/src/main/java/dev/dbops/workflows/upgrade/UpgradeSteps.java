package dev.dbops.workflows.upgrade;

import dev.dbops.workflows.common.Runbook;
import dev.dbops.workflows.common.Step;
import dev.dbops.workflows.upgrade.UpgradePhase.Phase;

/**
 * The steps of an in-place upgrade, declared once: {@link UpgradeWorkflowImpl} runs them and the
 * dry run renders them, each with the exact RDS calls and SQL it makes, from the read-only facts
 * (cluster, judgement, pre-check results).
 */
final class UpgradeSteps {
  private UpgradeSteps() {}

  /** What the plan is rendered from: the request and what the read-only steps found. */
  record Facts(
      UpgradeRequest request,
      ClusterFacts cluster,
      UpgradeValidator.Judgement judgement,
      String snapshotId,
      PrecheckReport precheck) {}

  static final Step<Phase, Facts> VALIDATE =
      Step.of(
          "validate",
          Phase.VALIDATING,
          f ->
              "DescribeDBClusters, DescribeDBInstances, DescribeDBEngineVersions, "
                  + "DescribeDBClusterParameterGroups, DescribeDBParameterGroups, "
                  + "DescribePendingMaintenanceActions, DescribeOrderableDBInstanceOptions "
                  + "(each instance's class on "
                  + f.request().targetEngineVersion()
                  + ")",
          f ->
              f.cluster().clusterId()
                  + ": "
                  + f.cluster().engine()
                  + " "
                  + f.cluster().engineVersion()
                  + ", "
                  + f.cluster().instances().size()
                  + " instance(s)");

  static final Step<Phase, Facts> PRECHECK =
      Step.of(
          "pre-check",
          Phase.PRECHECKING,
          f -> "XA RECOVER; information_schema.PROCESSLIST; INNODB_TRX; history list length",
          f -> "on " + f.cluster().endpoint() + ":" + f.cluster().port() + found(f.precheck()));

  static final Step<Phase, Facts> APPROVE =
      Step.<Phase, Facts>approval("approve", Phase.AWAITING_APPROVAL, f -> f.request().approval())
          .when(f -> !f.request().approvalWaived());

  static final Step<Phase, Facts> SNAPSHOT =
      Step.<Phase, Facts>of(
              "snapshot",
              Phase.SNAPSHOTTING,
              f ->
                  "CreateDBClusterSnapshot DBClusterIdentifier="
                      + f.cluster().clusterId()
                      + " DBClusterSnapshotIdentifier="
                      + f.snapshotId(),
              f -> "adopted if it exists; wait available")
          .hookBefore("before-snapshot")
          .changes();

  static final Step<Phase, Facts> MODIFY =
      Step.<Phase, Facts>of(
              "modify",
              Phase.UPGRADING,
              f ->
                  "ModifyDBCluster DBClusterIdentifier="
                      + f.cluster().clusterId()
                      + " EngineVersion="
                      + f.request().targetEngineVersion()
                      + " AllowMajorVersionUpgrade=true ApplyImmediately=true"
                      + " DBClusterParameterGroupName="
                      + f.judgement().clusterParameterGroup()
                      + (f.judgement().instanceParameterGroup() == null
                          ? ""
                          : " DBInstanceParameterGroupName="
                              + f.judgement().instanceParameterGroup()),
              f -> "engine aurora -> aurora-mysql")
          .hookBefore("before-modify");

  static final Step<Phase, Facts> WAIT =
      Step.of(
          "wait",
          Phase.UPGRADING,
          f ->
              "DescribeDBClusters + DescribeEvents SourceType=db-cluster every "
                  + f.request().pollIntervalOrDefault(),
          f ->
              "notify after "
                  + f.request().stallThresholdOrDefault()
                  + ", give up after "
                  + f.request().maxWaitOrDefault());

  static final Step<Phase, Facts> VERIFY =
      Step.<Phase, Facts>of(
              "verify",
              Phase.VERIFYING,
              f ->
                  "SELECT VERSION() (expect 5.7)"
                      + (f.request().smokeSqlOrEmpty().isEmpty()
                          ? ""
                          : "; " + String.join("; ", f.request().smokeSqlOrEmpty())),
              f -> "reconnecting while the endpoint recovers")
          .hookAfter("after-upgrade");

  static final Runbook<Phase, Facts> STEPS =
      Runbook.of(VALIDATE, PRECHECK, APPROVE, SNAPSHOT, MODIFY, WAIT, VERIFY);

  /** The read-only pre-check results, as the plan shows them. */
  private static String found(PrecheckReport p) {
    if (p == null) return "";
    return ": MySQL "
        + p.version()
        + ", "
        + (p.preparedXa() == null ? 0 : p.preparedXa().size())
        + " prepared XA, "
        + (p.runningDdl() == null ? 0 : p.runningDdl().size())
        + " running DDL, largest transaction "
        + p.largestTrxRowsModified()
        + " rows, history list length "
        + p.historyListLength();
  }
}
