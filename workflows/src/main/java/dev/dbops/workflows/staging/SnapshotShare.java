package dev.dbops.workflows.staging;

/** ModifyDBClusterSnapshotAttribute {@code restore}: add (or remove) one account. */
public record SnapshotShare(AccountRef owner, String snapshotId, String withAccountId) {}
