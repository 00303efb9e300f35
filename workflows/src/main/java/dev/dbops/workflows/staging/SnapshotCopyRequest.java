package dev.dbops.workflows.staging;

import java.util.Map;

/**
 * CopyDBClusterSnapshot re-encrypting with a customer-managed key; adopted when it exists and is
 * ours.
 */
public record SnapshotCopyRequest(
    AccountRef account,
    String sourceSnapshotId,
    String targetSnapshotId,
    String kmsKeyId,
    Map<String, String> tags) {}
