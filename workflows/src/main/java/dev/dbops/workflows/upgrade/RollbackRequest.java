package dev.dbops.workflows.upgrade;

import dev.dbops.workflows.common.Bounds;
import dev.dbops.workflows.common.RdsIds;
import dev.dbops.workflows.common.TargetLocks;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Restore a pre-upgrade snapshot into a new cluster (the way back from an in-place upgrade:
 * backtrack cannot cross it). Creates resources only; nothing is deleted, so no approval.
 *
 * @param snapshotId the pre-upgrade snapshot (named in the upgrade's result or failure)
 * @param newClusterId the cluster to create (must not be the upgraded one)
 * @param engine engine of the snapshot (default {@code aurora}: a 5.6 snapshot)
 * @param engineVersion null restores the snapshot's own version
 * @param instanceClass class of each instance (default db.r5.large)
 * @param instances how many instances (default 1; the first is the writer)
 * @param pollInterval pause between availability checks (default 1 min)
 * @param maxWait give up waiting after this long (default 6 h)
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
    Duration maxWait) {

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

  /** What one open run at a time may act on: the cluster it restores into. */
  public List<String> targets() {
    return newClusterId == null ? List.of() : List.of(TargetLocks.cluster(newClusterId));
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
    out.addAll(Bounds.problems(this, out)); // every duration, number and text within its bounds
    return out;
  }
}
