package dev.dbops.workflows.upgrade;

import java.util.List;
import java.util.Map;

/**
 * What RDS says about a cluster, gathered by one activity so the workflow can judge it with pure
 * code ({@link UpgradeValidator}).
 *
 * @param validTargets DescribeDBEngineVersions ValidUpgradeTarget of the current engine/version
 * @param parameterGroupFamilies family of every parameter group named (current ones and the
 *     request's 5.7 ones); a missing name means the group does not exist
 * @param pendingMaintenance DescribePendingMaintenanceActions, one line each
 */
public record ClusterFacts(
    String clusterId,
    String clusterArn,
    String status,
    String engine,
    String engineVersion,
    String endpoint,
    int port,
    String clusterParameterGroup,
    List<InstanceFacts> instances,
    long backtrackWindowSeconds,
    Map<String, String> tags,
    List<UpgradeTarget> validTargets,
    Map<String, String> parameterGroupFamilies,
    List<String> pendingMaintenance) {

  /**
   * @param instanceClass DBInstanceClass (null in payloads written before it was read)
   */
  public record InstanceFacts(
      String instanceId,
      boolean writer,
      String status,
      String parameterGroup,
      String instanceClass) {
    public InstanceFacts(String instanceId, boolean writer, String status, String parameterGroup) {
      this(instanceId, writer, status, parameterGroup, null);
    }
  }

  public record UpgradeTarget(String engine, String engineVersion, boolean majorVersionUpgrade) {}

  /** Production is tag-driven: {@code environment} or {@code env} = production / prod. */
  public boolean production() {
    if (tags == null) return false;
    for (String k : List.of("environment", "env", "Environment", "Env")) {
      String v = tags.get(k);
      if (v != null && (v.equalsIgnoreCase("production") || v.equalsIgnoreCase("prod")))
        return true;
    }
    return false;
  }
}
