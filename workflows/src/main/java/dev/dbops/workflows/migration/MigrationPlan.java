package dev.dbops.workflows.migration;

import dev.dbops.workflows.common.PlanStep;
import java.util.ArrayList;
import java.util.List;

/** The dry run's steps: every call the run would make, with the names it would use. Pure. */
final class MigrationPlan {
  private MigrationPlan() {}

  static List<PlanStep> of(
      MigrationRequest r,
      SourceInstanceFacts f,
      MigrationValidator.Judgement j,
      MigrationNames names,
      String previousCname) {
    String id = f.instanceId();
    String cluster = names.clusterId();
    List<PlanStep> s = new ArrayList<>();
    s.add(
        new PlanStep(
            "validate",
            "DescribeDBInstances, DescribeDBEngineVersions, DescribeDBParameterGroups,"
                + " DescribeDBClusterParameterGroups, DescribeOrderableDBInstanceOptions (aurora-mysql "
                + r.instanceClassOrDefault()
                + "), GetHostedZone, ListResourceRecordSets; SELECT VERSION(), log_bin,"
                + " CALL mysql.rds_show_configuration",
            id + ": mysql " + f.engineVersion() + ", " + f.instanceClass()));
    String approvers =
        r.approval().requiredOrDefault()
            + " of "
            + r.approval().approversOrEmpty()
            + " within "
            + r.approval().timeoutOrDefault();
    if (j.upgradeSource()) {
      s.add(new PlanStep("approve source upgrade", "wait for approve", approvers));
      s.add(
          new PlanStep(
              "upgrade source",
              "ModifyDBInstance DBInstanceIdentifier="
                  + id
                  + " EngineVersion="
                  + r.sourceUpgradeVersion()
                  + " AllowMajorVersionUpgrade=true ApplyImmediately=true"
                  + (j.sourceUpgradeGroup() == null
                      ? ""
                      : " DBParameterGroupName=" + j.sourceUpgradeGroup()),
              "wait available on "
                  + r.sourceUpgradeVersion()
                  + ", up to "
                  + r.upgradeMaxWaitOrDefault()));
    }
    s.add(
        new PlanStep(
            "create replica",
            "CreateDBCluster DBClusterIdentifier="
                + cluster
                + " Engine=aurora-mysql"
                + (r.engineVersion() == null ? "" : " EngineVersion=" + r.engineVersion())
                + " ReplicationSourceIdentifier="
                + f.instanceArn()
                + " DBClusterParameterGroupName="
                + j.clusterParameterGroup()
                + " Tags=dbops:owner",
            "adopted if it exists with this run's owner tag; "
                + r.instancesOrDefault()
                + " x CreateDBInstance "
                + names.instanceId(0)
                + "… "
                + r.instanceClassOrDefault()
                + " DBParameterGroupName="
                + j.instanceParameterGroup()));
    s.add(
        new PlanStep(
            "catch up",
            "SHOW SLAVE STATUS on the replica writer every " + r.pollIntervalOrDefault(),
            "until lag 0; notify after "
                + r.stallThresholdOrDefault()
                + ", give up after "
                + r.maxWaitOrDefault()));
    s.add(new PlanStep("approve cut-over", "wait for approve", approvers));
    s.add(
        new PlanStep(
            "cut over",
            "hooks before-cutover; "
                + (r.writesStoppedOrDefault() == dev.dbops.workflows.binlog.WritesStopped.READ_ONLY
                    ? "SHOW VARIABLES read_only (must be ON); "
                    : "")
                + "SHOW MASTER STATUS on the source; SHOW SLAVE STATUS on the replica",
            "the replica at the source's final position for " + r.cutoverWindowOrDefault()));
    s.add(
        new PlanStep(
            "promote",
            "PromoteReadReplicaDBCluster DBClusterIdentifier=" + cluster,
            "wait available; then a write to " + WriteProbe.TABLE + " on the new writer"));
    s.add(
        new PlanStep(
            "switch DNS",
            "ChangeResourceRecordSets UPSERT "
                + r.dns().normalizedName()
                + " CNAME TTL "
                + r.dns().ttlOrDefault()
                + " -> the cluster endpoint; GetChange until INSYNC; hooks after-cutover",
            "previous value " + previousCname + " kept for revert"));
    s.add(
        new PlanStep(
            "revert window",
            "abort within " + r.revertWindowOrDefault() + " puts the CNAME back",
            "the source instance " + id + " is kept (never deleted)"));
    return s;
  }
}
