package dev.dbops.workflows.staging;

import java.util.Map;

/** CreateDBClusterSnapshot in the source account; adopted when it exists and is ours. */
public record SnapshotRequest(
    AccountRef account, String clusterId, String snapshotId, Map<String, String> tags) {}
