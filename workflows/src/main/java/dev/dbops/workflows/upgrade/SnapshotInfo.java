package dev.dbops.workflows.upgrade;

/** @param adopted true when the snapshot already existed (a retried or resumed run) */
public record SnapshotInfo(String snapshotId, String status, boolean adopted) {}
