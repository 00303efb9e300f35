package dev.dbops.workflows.staging;

/** Unshare from every account, then delete; refused (NOT_OWNED) unless tagged with this owner. */
public record SnapshotDeletion(AccountRef account, String snapshotId, String requiredOwner) {}
