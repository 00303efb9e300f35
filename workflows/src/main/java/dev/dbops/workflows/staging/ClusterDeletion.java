package dev.dbops.workflows.staging;

/**
 * Delete a cluster and its instances.
 *
 * @param requiredOwner the activity refuses (NOT_OWNED) unless the cluster's {@code dbops:owner}
 *     tag equals this, or, when {@code anyDbopsOwner}, carries any {@code dbops:owner} tag
 * @param finalSnapshotId take a final snapshot with this id; null to skip it
 */
public record ClusterDeletion(
    AccountRef account,
    String clusterId,
    String requiredOwner,
    boolean anyDbopsOwner,
    String finalSnapshotId) {}
