package dev.dbops.workflows.upgrade;

/**
 * What the upgrade check saw.
 *
 * @param state UPGRADING (phase changed), DONE (available on the target), FAILED (available on the
 *     old version with a failure event)
 * @param phase the latest upgrade phase from DescribeEvents ("Purging undo records", …)
 * @param recordsRemaining "Records remaining: N" of the latest purge event, or -1
 */
public record UpgradeProgress(
    String state,
    String phase,
    long recordsRemaining,
    String lastEvent,
    String clusterStatus,
    String engineVersion) {
  public static final String UPGRADING = "UPGRADING";
  public static final String DONE = "DONE";
  public static final String FAILED = "FAILED";
}
