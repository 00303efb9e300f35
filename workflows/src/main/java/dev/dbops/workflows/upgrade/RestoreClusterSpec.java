package dev.dbops.workflows.upgrade;

import java.util.Map;

/** RestoreDBClusterFromSnapshot (a restored Aurora cluster has no instances). */
public record RestoreClusterSpec(
    String newClusterId,
    String snapshotId,
    String engine,
    String engineVersion,
    String clusterParameterGroup,
    Map<String, String> tags) {}
