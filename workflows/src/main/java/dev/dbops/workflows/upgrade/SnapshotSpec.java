package dev.dbops.workflows.upgrade;

import java.util.Map;

/** CreateDBClusterSnapshot, or adopt the snapshot with that id if it exists for this cluster. */
public record SnapshotSpec(String clusterId, String snapshotId, Map<String, String> tags) {}
