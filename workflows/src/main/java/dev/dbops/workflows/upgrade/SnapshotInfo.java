package dev.dbops.workflows.upgrade;

/**
 * @param adopted true when the snapshot already existed (a retried or resumed run)
 * @param engine the snapshot's engine (null when not read, and in payloads written before it was)
 * @param engineVersion the snapshot's engine version (likewise)
 */
public record SnapshotInfo(
    String snapshotId, String status, boolean adopted, String engine, String engineVersion) {
  public SnapshotInfo(String snapshotId, String status, boolean adopted) {
    this(snapshotId, status, adopted, null, null);
  }
}
