package dev.dbops.workflows.upgrade;

import dev.dbops.workflows.common.CnameFacts;
import dev.dbops.workflows.common.DnsRules;
import dev.dbops.workflows.common.Runbook;
import dev.dbops.workflows.common.Step;
import dev.dbops.workflows.upgrade.RollbackPhase.Phase;
import java.util.ArrayList;
import java.util.List;

/**
 * The steps of {@code upgrade-rollback}, declared once: {@link UpgradeRollbackWorkflowImpl} runs
 * them and the dry run renders them, each with the exact call it makes and what the read-only
 * checks found (the snapshot, its engine, the instance class, the zone and CNAME).
 */
final class RollbackSteps {
  private RollbackSteps() {}

  /**
   * What the plan is rendered from.
   *
   * @param engine what the cluster is restored as (the snapshot's)
   * @param engineVersion the version it runs (the request's, else the snapshot's)
   * @param dns the zone and record as read (null without DNS)
   */
  record Facts(RollbackRequest request, String engine, String engineVersion, CnameFacts dns) {
    boolean repoints() {
      return dns != null;
    }
  }

  static final Step<Phase, Facts> VALIDATE =
      Step.of(
          "validate",
          Phase.VALIDATING,
          f ->
              "DescribeDBClusterSnapshots DBClusterSnapshotIdentifier="
                  + f.request().snapshotId()
                  + "; DescribeOrderableDBInstanceOptions Engine="
                  + f.engine()
                  + " EngineVersion="
                  + f.engineVersion()
                  + " DBInstanceClass="
                  + f.request().instanceClassOrDefault()
                  + (f.repoints()
                      ? "; GetHostedZone Id="
                          + f.request().hostedZoneId()
                          + "; ListResourceRecordSets StartRecordName="
                          + record(f)
                      : ""),
          f ->
              f.request().snapshotId()
                  + " is available ("
                  + f.engine()
                  + " "
                  + f.engineVersion()
                  + "); "
                  + f.request().instanceClassOrDefault()
                  + " is offered for it"
                  + (f.repoints()
                      ? "; "
                          + record(f)
                          + " is a CNAME in private zone "
                          + f.dns().zoneName()
                          + ", now "
                          + f.dns().value()
                          + " TTL "
                          + f.dns().ttl()
                      : ""));

  static final Step<Phase, Facts> RESTORE =
      Step.of(
          "restore",
          Phase.RESTORING,
          f ->
              "RestoreDBClusterFromSnapshot DBClusterIdentifier="
                  + f.request().newClusterId()
                  + " SnapshotIdentifier="
                  + f.request().snapshotId()
                  + " Engine="
                  + f.engine()
                  + (f.request().engineVersion() == null
                      ? ""
                      : " EngineVersion=" + f.request().engineVersion())
                  + (f.request().clusterParameterGroup() == null
                      ? ""
                      : " DBClusterParameterGroupName=" + f.request().clusterParameterGroup())
                  + " Tags=dbops:workflow-id,dbops:restored-from",
          f ->
              "adopted if it exists; DescribeDBClusters every "
                  + f.request().pollIntervalOrDefault()
                  + " until available (up to "
                  + f.request().maxWaitOrDefault()
                  + ")");

  static final Step<Phase, Facts> INSTANCES =
      Step.of(
          "instances",
          Phase.CREATING_INSTANCES,
          f ->
              "CreateDBInstance DBClusterIdentifier="
                  + f.request().newClusterId()
                  + " DBInstanceClass="
                  + f.request().instanceClassOrDefault()
                  + " Engine="
                  + f.engine()
                  + " DBInstanceIdentifier="
                  + String.join(",", instanceIds(f.request())),
          f -> "the first is the writer; wait until the cluster and every instance are available");

  static final Step<Phase, Facts> APPROVE =
      Step.<Phase, Facts>of(
              "approve",
              Phase.AWAITING_APPROVAL,
              f ->
                  "approval by "
                      + f.request().approvalOrDefault().requiredOrDefault()
                      + " of "
                      + f.request().approvalOrDefault().approversOrEmpty(),
              f ->
                  "not "
                      + f.request().requestedBy()
                      + " (the requester); none within "
                      + f.request().approvalOrDefault().timeoutOrDefault()
                      + " fails the run with the CNAME untouched and the cluster kept")
          .when(Facts::repoints);

  static final Step<Phase, Facts> REPOINT =
      Step.<Phase, Facts>of(
              "repoint",
              Phase.REPOINTING,
              f ->
                  "ChangeResourceRecordSets HostedZoneId="
                      + f.request().hostedZoneId()
                      + " UPSERT "
                      + record(f)
                      + " CNAME <writer endpoint of "
                      + f.request().newClusterId()
                      + "> TTL "
                      + RollbackRequest.CNAME_TTL
                      + "; GetChange until INSYNC",
              f ->
                  "previous value "
                      + f.dns().value()
                      + " kept in status and result to point it back")
          .when(Facts::repoints);

  static final Runbook<Phase, Facts> STEPS =
      Runbook.of(VALIDATE, RESTORE, INSTANCES, APPROVE, REPOINT);

  /** The instances the run creates: the cluster id with -1, -2, … (the first is the writer). */
  static List<String> instanceIds(RollbackRequest r) {
    List<String> ids = new ArrayList<>();
    for (int i = 1; i <= r.instancesOrDefault(); i++) ids.add(r.newClusterId() + "-" + i);
    return ids;
  }

  private static String record(Facts f) {
    return DnsRules.absolute(f.request().recordName());
  }
}
