package dev.dbops.workflows.restore;

/**
 * Final per-object outcome.
 *
 * @param outcome DELIVERED, RESTORED (delivery NONE), NOT_NEEDED (not archived), FAILED
 * @param detail where it went (path or s3://…), checksum, expiry, or why it failed
 */
public record ObjectOutcome(
    String key, String storageClass, long size, String outcome, String detail) {
  public static final String DELIVERED = "DELIVERED";
  public static final String RESTORED = "RESTORED";
  public static final String NOT_NEEDED = "NOT_NEEDED";
  public static final String FAILED = "FAILED";

  public static ObjectOutcome of(ObjectInfo o, String outcome, String detail) {
    return new ObjectOutcome(o.key(), o.storageClass(), o.size(), outcome, detail);
  }

  public boolean failed() {
    return FAILED.equals(outcome);
  }
}
