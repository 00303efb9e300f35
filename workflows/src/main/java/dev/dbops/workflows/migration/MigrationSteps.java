package dev.dbops.workflows.migration;

import static dev.dbops.workflows.migration.MigrationPhase.*;

import dev.dbops.workflows.binlog.WritesStopped;
import dev.dbops.workflows.common.Runbook;
import dev.dbops.workflows.common.Step;

/**
 * The steps of a migration, declared once: {@link AuroraMigrationWorkflowImpl} runs them and the
 * dry run renders them, each with the exact calls it makes, from the read-only facts.
 */
final class MigrationSteps {
  private MigrationSteps() {}

  /** What the plan is rendered from: the request and what validation read. */
  record Facts(
      MigrationRequest request,
      SourceInstanceFacts source,
      MigrationValidator.Judgement judgement,
      MigrationNames names,
      String previousCname) {}

  static final Step<MigrationPhase, Facts> VALIDATE =
      Step.of(
          "validate",
          VALIDATING,
          f ->
              "DescribeDBInstances, DescribeDBEngineVersions, DescribeDBParameterGroups,"
                  + " DescribeDBClusterParameterGroups, DescribeOrderableDBInstanceOptions"
                  + " (aurora-mysql "
                  + f.request().instanceClassOrDefault()
                  + "), GetHostedZone, ListResourceRecordSets; SELECT VERSION(), log_bin,"
                  + " CALL mysql.rds_show_configuration",
          f ->
              f.source().instanceId()
                  + ": mysql "
                  + f.source().engineVersion()
                  + ", "
                  + f.source().instanceClass());

  static final Step<MigrationPhase, Facts> APPROVE_UPGRADE =
      Step.<MigrationPhase, Facts>approval(
              "approve source upgrade", AWAITING_UPGRADE_APPROVAL, f -> f.request().approval())
          .when(f -> f.judgement().upgradeSource());

  static final Step<MigrationPhase, Facts> UPGRADE_SOURCE =
      Step.<MigrationPhase, Facts>of(
              "upgrade source",
              UPGRADING_SOURCE,
              f ->
                  "ModifyDBInstance DBInstanceIdentifier="
                      + f.source().instanceId()
                      + " EngineVersion="
                      + f.request().sourceUpgradeVersion()
                      + " AllowMajorVersionUpgrade=true ApplyImmediately=true"
                      + (f.judgement().sourceUpgradeGroup() == null
                          ? ""
                          : " DBParameterGroupName=" + f.judgement().sourceUpgradeGroup()),
              f ->
                  "wait available on "
                      + f.request().sourceUpgradeVersion()
                      + ", up to "
                      + f.request().upgradeMaxWaitOrDefault())
          .changes()
          .when(f -> f.judgement().upgradeSource());

  static final Step<MigrationPhase, Facts> CREATE_REPLICA =
      Step.<MigrationPhase, Facts>of(
              "create replica",
              CREATING_REPLICA,
              f ->
                  "CreateDBCluster DBClusterIdentifier="
                      + f.names().clusterId()
                      + " Engine=aurora-mysql"
                      + (f.request().engineVersion() == null
                          ? ""
                          : " EngineVersion=" + f.request().engineVersion())
                      + " ReplicationSourceIdentifier="
                      + f.source().instanceArn()
                      + " DBClusterParameterGroupName="
                      + f.judgement().clusterParameterGroup()
                      + " Tags=dbops:owner; "
                      + f.request().instancesOrDefault()
                      + " x CreateDBInstance "
                      + f.names().instanceId(0)
                      + "… "
                      + f.request().instanceClassOrDefault()
                      + " DBParameterGroupName="
                      + f.judgement().instanceParameterGroup(),
              f -> "adopted if it exists with this run's owner tag; wait available")
          .changes();

  static final Step<MigrationPhase, Facts> CATCH_UP =
      Step.of(
          "catch up",
          CATCHING_UP,
          f ->
              "SHOW SLAVE STATUS on the replica's writer every "
                  + f.request().pollIntervalOrDefault(),
          f ->
              "until lag 0; notify after "
                  + f.request().stallThresholdOrDefault()
                  + ", give up after "
                  + f.request().maxWaitOrDefault());

  static final Step<MigrationPhase, Facts> APPROVE =
      Step.approval("approve cut-over", AWAITING_APPROVAL, f -> f.request().approval());

  static final Step<MigrationPhase, Facts> CUT_OVER =
      Step.<MigrationPhase, Facts>of(
              "cut over",
              CUTTING_OVER,
              f ->
                  (f.request().writesStoppedOrDefault() == WritesStopped.READ_ONLY
                          ? "SHOW VARIABLES read_only (must be ON); "
                          : "")
                      + "SHOW MASTER STATUS on the source; SHOW SLAVE STATUS on the replica",
              f ->
                  "after hooks before-cutover: the replica at the source's final position for "
                      + f.request().cutoverWindowOrDefault())
          .hookBefore("before-cutover")
          .changes();

  static final Step<MigrationPhase, Facts> PROMOTE =
      Step.of(
          "promote",
          PROMOTING,
          f -> "PromoteReadReplicaDBCluster DBClusterIdentifier=" + f.names().clusterId(),
          f -> "wait available");

  static final Step<MigrationPhase, Facts> VERIFY =
      Step.of(
          "verify",
          VERIFYING,
          f -> "REPLACE INTO " + WriteProbe.TABLE + " on the new writer, read back",
          f -> "as " + f.request().login().user());

  static final Step<MigrationPhase, Facts> SWITCH_DNS =
      Step.<MigrationPhase, Facts>of(
              "switch DNS",
              SWITCHING_DNS,
              f ->
                  "ChangeResourceRecordSets UPSERT "
                      + f.request().dns().normalizedName()
                      + " CNAME TTL "
                      + f.request().dns().ttlOrDefault()
                      + " -> the cluster endpoint; GetChange until INSYNC",
              f -> "then hooks after-cutover; previous value " + f.previousCname() + " kept")
          .hookAfter("after-cutover");

  static final Step<MigrationPhase, Facts> REVERT_WINDOW_STEP =
      Step.of(
          "revert window",
          REVERT_WINDOW,
          f -> "abort within " + f.request().revertWindowOrDefault() + " puts the CNAME back",
          f -> "the source instance " + f.source().instanceId() + " is kept (never deleted)");

  static final Runbook<MigrationPhase, Facts> STEPS =
      Runbook.of(
          VALIDATE,
          APPROVE_UPGRADE,
          UPGRADE_SOURCE,
          CREATE_REPLICA,
          CATCH_UP,
          APPROVE,
          CUT_OVER,
          PROMOTE,
          VERIFY,
          SWITCH_DNS,
          REVERT_WINDOW_STEP);
}
