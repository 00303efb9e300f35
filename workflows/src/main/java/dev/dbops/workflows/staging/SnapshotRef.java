package dev.dbops.workflows.staging;

/**
 * A cluster snapshot.
 *
 * @param adopted it existed already with this run's owner tag (a resumed run) and was reused
 */
public record SnapshotRef(
    String snapshotId, String arn, String status, String kmsKeyId, boolean adopted) {}
