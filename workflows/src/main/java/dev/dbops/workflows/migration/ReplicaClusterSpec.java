package dev.dbops.workflows.migration;

import java.util.List;
import java.util.Map;

/**
 * CreateDBCluster, engine {@code aurora-mysql}, {@code ReplicationSourceIdentifier} = the source
 * instance's ARN: an Aurora read replica cluster of an RDS MySQL instance.
 *
 * @param engineVersion null lets RDS pick the version matching the source
 * @param dbSubnetGroup null: the source instance's
 * @param vpcSecurityGroupIds null: the source instance's
 * @param tags {@code dbops:owner} = the workflow id (adoption checks it)
 */
public record ReplicaClusterSpec(
    String clusterId,
    String sourceArn,
    String engineVersion,
    String clusterParameterGroup,
    String dbSubnetGroup,
    List<String> vpcSecurityGroupIds,
    Map<String, String> tags) {
  public static final String ENGINE = "aurora-mysql";
}
