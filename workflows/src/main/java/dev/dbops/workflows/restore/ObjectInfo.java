package dev.dbops.workflows.restore;

/**
 * One object as S3 describes it.
 *
 * @param restoreExpiry ISO-8601 expiry of the restored copy when {@code restore} is RESTORED
 */
public record ObjectInfo(
    String key,
    long size,
    String storageClass,
    RestoreState restore,
    String restoreExpiry,
    String etag) {

  /** Whether a RestoreObject is needed before the bytes can be read. */
  public boolean archived() {
    return "GLACIER".equals(storageClass) || "DEEP_ARCHIVE".equals(storageClass);
  }
}
