package dev.dbops.workflows.migration;

/**
 * @param action PROMOTED (PromoteReadReplicaDBCluster called), or ALREADY_PROMOTED when the cluster
 *     has no replication source any more (a resumed run: nothing called)
 */
public record PromoteOutcome(String clusterId, String action) {
  public static final String PROMOTED = "PROMOTED";
  public static final String ALREADY_PROMOTED = "ALREADY_PROMOTED";
}
