package dev.dbops.workflows.upgrade;

import dev.dbops.workflows.common.CnameFacts;
import dev.dbops.workflows.common.DnsRules;
import dev.dbops.workflows.common.PlanStep;
import java.util.ArrayList;
import java.util.List;

/**
 * The dry run of {@code upgrade-rollback}: each step with the exact call it makes, and what the
 * read-only checks found (the snapshot, its engine, the instance class, the zone and CNAME).
 */
final class RollbackPlan {
  private RollbackPlan() {}

  /**
   * @param engine what the cluster is restored as (the snapshot's)
   * @param engineVersion the version it runs (the request's, else the snapshot's)
   * @param dns the zone and record as read (null without DNS)
   */
  static List<PlanStep> steps(
      RollbackRequest r, String engine, String engineVersion, CnameFacts dns) {
    String cluster = r.newClusterId();
    List<PlanStep> steps = new ArrayList<>();
    steps.add(
        new PlanStep(
            "validate",
            "DescribeDBClusterSnapshots DBClusterSnapshotIdentifier="
                + r.snapshotId()
                + "; DescribeOrderableDBInstanceOptions Engine="
                + engine
                + " EngineVersion="
                + engineVersion
                + " DBInstanceClass="
                + r.instanceClassOrDefault()
                + (dns == null
                    ? ""
                    : "; GetHostedZone Id="
                        + r.hostedZoneId()
                        + "; ListResourceRecordSets StartRecordName="
                        + DnsRules.absolute(r.recordName())),
            r.snapshotId()
                + " is available ("
                + engine
                + " "
                + engineVersion
                + "); "
                + r.instanceClassOrDefault()
                + " is offered for it"
                + (dns == null
                    ? ""
                    : "; "
                        + DnsRules.absolute(r.recordName())
                        + " is a CNAME in private zone "
                        + dns.zoneName()
                        + ", now "
                        + dns.value()
                        + " TTL "
                        + dns.ttl())));
    steps.add(
        new PlanStep(
            "restore",
            "RestoreDBClusterFromSnapshot DBClusterIdentifier="
                + cluster
                + " SnapshotIdentifier="
                + r.snapshotId()
                + " Engine="
                + engine
                + (r.engineVersion() == null ? "" : " EngineVersion=" + r.engineVersion())
                + (r.clusterParameterGroup() == null
                    ? ""
                    : " DBClusterParameterGroupName=" + r.clusterParameterGroup())
                + " Tags=dbops:workflow-id,dbops:restored-from",
            "adopted if it exists; DescribeDBClusters every "
                + r.pollIntervalOrDefault()
                + " until available (up to "
                + r.maxWaitOrDefault()
                + ")"));
    List<String> ids = new ArrayList<>();
    for (int i = 1; i <= r.instancesOrDefault(); i++) ids.add(cluster + "-" + i);
    steps.add(
        new PlanStep(
            "instances",
            "CreateDBInstance DBClusterIdentifier="
                + cluster
                + " DBInstanceClass="
                + r.instanceClassOrDefault()
                + " Engine="
                + engine
                + " DBInstanceIdentifier="
                + String.join(",", ids),
            "the first is the writer; wait until the cluster and every instance are available"));
    if (dns != null) {
      steps.add(
          new PlanStep(
              "approve",
              "approval by "
                  + r.approvalOrDefault().requiredOrDefault()
                  + " of "
                  + r.approvalOrDefault().approversOrEmpty(),
              "not "
                  + r.requestedBy()
                  + " (the requester); none within "
                  + r.approvalOrDefault().timeoutOrDefault()
                  + " fails the run with the CNAME untouched and the cluster kept"));
      steps.add(
          new PlanStep(
              "repoint",
              "ChangeResourceRecordSets HostedZoneId="
                  + r.hostedZoneId()
                  + " UPSERT "
                  + DnsRules.absolute(r.recordName())
                  + " CNAME <writer endpoint of "
                  + cluster
                  + "> TTL "
                  + RollbackRequest.CNAME_TTL
                  + "; GetChange until INSYNC",
              "previous value " + dns.value() + " kept in status and result to point it back"));
    }
    return steps;
  }
}
