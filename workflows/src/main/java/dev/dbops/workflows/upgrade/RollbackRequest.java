package dev.dbops.workflows.upgrade;

import dev.dbops.workflows.common.ApprovalPolicy;
import dev.dbops.workflows.common.Bounds;
import dev.dbops.workflows.common.DnsRules;
import dev.dbops.workflows.common.RdsIds;
import dev.dbops.workflows.common.TargetLocks;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Restore a pre-upgrade snapshot into a new cluster (the way back from an in-place upgrade:
 * backtrack cannot cross it). Creates resources only, nothing is deleted; repointing the CNAME
 * (optional) waits for an approval.
 *
 * @param snapshotId the pre-upgrade snapshot (named in the upgrade's result or failure)
 * @param newClusterId the cluster to create (must not be the upgraded one)
 * @param engine engine of the snapshot (default {@code aurora}: a 5.6 snapshot)
 * @param engineVersion null restores the snapshot's own version
 * @param instanceClass class of each instance (default db.r5.large)
 * @param instances how many instances (default 1; the first is the writer)
 * @param pollInterval pause between availability checks (default 1 min)
 * @param maxWait give up waiting after this long (default 6 h)
 * @param hostedZoneId with {@code recordName} (both or neither): the private zone of the CNAME that
 *     names the database; after an approval it is repointed to the restored cluster
 * @param recordName the CNAME, e.g. {@code db.orders.internal.}; must exist in the zone as a CNAME
 * @param approval who approves the repoint (M of N; the requester never may); required with DNS
 * @param dryRun plan only: validate with read-only calls and list the calls; change nothing
 */
public record RollbackRequest(
    String snapshotId,
    String newClusterId,
    String engine,
    String engineVersion,
    String clusterParameterGroup,
    String instanceClass,
    Integer instances,
    String requestedBy,
    Duration pollInterval,
    Duration maxWait,
    String hostedZoneId,
    String recordName,
    ApprovalPolicy approval,
    Boolean dryRun) {

  /** The CNAME repoint's TTL: clients follow the rollback at once. */
  public static final long CNAME_TTL = 0;

  /** Without DNS: restore only, as before the repoint existed. */
  public RollbackRequest(
      String snapshotId,
      String newClusterId,
      String engine,
      String engineVersion,
      String clusterParameterGroup,
      String instanceClass,
      Integer instances,
      String requestedBy,
      Duration pollInterval,
      Duration maxWait) {
    this(
        snapshotId,
        newClusterId,
        engine,
        engineVersion,
        clusterParameterGroup,
        instanceClass,
        instances,
        requestedBy,
        pollInterval,
        maxWait,
        null,
        null,
        null,
        null);
  }

  /** Both DNS fields given: the run repoints the CNAME after an approval. */
  public boolean repointsCname() {
    return hostedZoneId != null && recordName != null;
  }

  public boolean isDryRun() {
    return Boolean.TRUE.equals(dryRun);
  }

  public ApprovalPolicy approvalOrDefault() {
    return approval == null ? new ApprovalPolicy(List.of(), 1, null) : approval;
  }

  /** The same request, marked to plan only. */
  public RollbackRequest asDryRun() {
    return new RollbackRequest(
        snapshotId,
        newClusterId,
        engine,
        engineVersion,
        clusterParameterGroup,
        instanceClass,
        instances,
        requestedBy,
        pollInterval,
        maxWait,
        hostedZoneId,
        recordName,
        approval,
        Boolean.TRUE);
  }

  public String engineOrDefault() {
    return engine == null ? "aurora" : engine;
  }

  public String instanceClassOrDefault() {
    return instanceClass == null ? "db.r5.large" : instanceClass;
  }

  public int instancesOrDefault() {
    return instances == null ? 1 : instances;
  }

  public Duration pollIntervalOrDefault() {
    return pollInterval == null ? Duration.ofMinutes(1) : pollInterval;
  }

  public Duration maxWaitOrDefault() {
    return maxWait == null ? Duration.ofHours(6) : maxWait;
  }

  /** What one open run at a time may act on: the cluster it restores into, and the CNAME. */
  public List<String> targets() {
    if (isDryRun() || newClusterId == null) return List.of();
    List<String> t = new ArrayList<>(List.of(TargetLocks.cluster(newClusterId)));
    if (repointsCname()) t.add(TargetLocks.dnsRecord(hostedZoneId, recordName));
    return t;
  }

  public String defaultWorkflowId() {
    return "upgrade-rollback/" + newClusterId;
  }

  public List<String> problems() {
    List<String> out = new ArrayList<>();
    if (!RdsIds.valid(snapshotId)) {
      out.add("snapshotId: '" + snapshotId + "' is not a snapshot identifier");
    }
    if (!RdsIds.valid(newClusterId)) {
      out.add("newClusterId: '" + newClusterId + "' is not a valid RDS cluster identifier");
    }
    if (!List.of("aurora", "aurora-mysql").contains(engineOrDefault())) {
      out.add("engine: must be aurora (5.6) or aurora-mysql (5.7), was '" + engine + "'");
    }
    if (engineVersion != null && !UpgradeRequest.ENGINE_VERSION.matcher(engineVersion).matches()) {
      out.add("engineVersion: '" + engineVersion + "' is not an engine version");
    }
    if (clusterParameterGroup != null
        && !clusterParameterGroup.matches(UpgradeRequest.PARAMETER_GROUP)) {
      out.add(
          "clusterParameterGroup: '" + clusterParameterGroup + "' is not a parameter group name");
    }
    if (!instanceClassOrDefault().matches("^db\\.[a-z0-9]+\\.[a-z0-9]+$")) {
      out.add("instanceClass: '" + instanceClass + "' is not an instance class (db.r5.large)");
    }
    if (instancesOrDefault() < 1 || instancesOrDefault() > 15) {
      out.add("instances: must be 1..15, was " + instancesOrDefault());
    }
    if (requestedBy == null || requestedBy.isBlank()) out.add("requestedBy: required");
    if (pollIntervalOrDefault().compareTo(Duration.ofSeconds(1)) < 0)
      out.add("pollInterval: at least 1s");
    if (maxWaitOrDefault().compareTo(pollIntervalOrDefault()) < 0)
      out.add("maxWait: shorter than pollInterval");
    if (hostedZoneId != null && recordName == null) {
      out.add("recordName: required with hostedZoneId (both or neither)");
    } else if (hostedZoneId == null && recordName != null) {
      out.add("hostedZoneId: required with recordName (both or neither)");
    } else if (repointsCname()) {
      out.addAll(DnsRules.requestProblems("hostedZoneId", hostedZoneId, "recordName", recordName));
      out.addAll(approvalOrDefault().problems("approval", requestedBy));
    }
    out.addAll(Bounds.problems(this, out)); // every duration, number and text within its bounds
    return out;
  }
}
