package dev.dbops.workflows.staging;

import java.util.List;
import java.util.Map;

/**
 * RestoreDBClusterFromSnapshot by ARN in the target account, then its instances.
 *
 * @param instanceClass e.g. {@code db.r5.large}
 * @param instanceCount writer plus readers; at least 1 (a restored Aurora cluster has none)
 * @param masterPasswordRef the new master password's secret reference; set once with
 *     ModifyDBCluster when the cluster is first available, and marked done with the tag {@code
 *     dbops:master-password=reset} so a later look does not set it again
 */
public record RestoreRequest(
    AccountRef account,
    String snapshotArn,
    String clusterId,
    String engine,
    String engineVersion,
    String instanceClass,
    int instanceCount,
    String dbSubnetGroup,
    List<String> vpcSecurityGroupIds,
    String masterPasswordRef,
    Map<String, String> tags) {
  public static final String PASSWORD_TAG = "dbops:master-password";
}
