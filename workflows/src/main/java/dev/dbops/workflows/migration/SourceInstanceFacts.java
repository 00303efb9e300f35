package dev.dbops.workflows.migration;

import dev.dbops.workflows.upgrade.ClusterFacts;
import java.util.List;
import java.util.Map;

/**
 * What RDS says about the source instance, gathered by one activity so the workflow judges it with
 * pure code (the workflow's validator).
 *
 * @param instanceArn the ReplicationSourceIdentifier of the replica cluster
 * @param engine {@code mysql} for RDS MySQL
 * @param backupRetentionDays 0 means automated backups (and with them the binary log) are off
 * @param parameterGroup the instance's DB parameter group (e.g. {@code default.mysql5.7})
 * @param validUpgradeTargets DescribeDBEngineVersions ValidUpgradeTarget of the current version
 * @param parameterGroupFamilies family of every parameter group named in the query and of the
 *     instance's own; a missing name means the group does not exist
 * @param replicaClusters ReadReplicaDBClusterIdentifiers: Aurora clusters replicating from it now
 */
public record SourceInstanceFacts(
    String instanceId,
    String instanceArn,
    String status,
    String engine,
    String engineVersion,
    String endpoint,
    int port,
    String instanceClass,
    int backupRetentionDays,
    String parameterGroup,
    String dbSubnetGroup,
    List<String> vpcSecurityGroupIds,
    Map<String, String> tags,
    List<ClusterFacts.UpgradeTarget> validUpgradeTargets,
    Map<String, String> parameterGroupFamilies,
    List<String> replicaClusters) {

  /** The major version, e.g. {@code 5.6} of {@code 5.6.51}; null when unknown. */
  public String majorVersion() {
    if (engineVersion == null) return null;
    String[] p = engineVersion.split("\\.");
    return p.length < 2 ? engineVersion : p[0] + "." + p[1];
  }

  /** Production is tag-driven: {@code environment} or {@code env} = production / prod. */
  public boolean production() {
    if (tags == null) return false;
    for (Map.Entry<String, String> e : tags.entrySet()) {
      if ((e.getKey().equalsIgnoreCase("environment") || e.getKey().equalsIgnoreCase("env"))
          && e.getValue() != null
          && (e.getValue().equalsIgnoreCase("production") || e.getValue().equalsIgnoreCase("prod")))
        return true;
    }
    return false;
  }
}
