package dev.dbops.activities.binlog;

/**
 * The monitor's heartbeat details: what a retried attempt (after a worker crash or a dropped
 * connection) resumes from. What was journaled and skipped is in the replica's journal table, so
 * the checkpoint only has to keep the slice's end where it was and say how far it got.
 *
 * @param sliceStartedAtMillis wall-clock start of the slice's first attempt (its end stays put)
 * @param lastJournalId newest journal id seen by this slice
 * @param skipped skips this slice made (by policy)
 * @param executed the replica's executed position at the last poll
 * @param lagSeconds the lag at the last poll, -1 unknown
 * @param caughtUpForMillis how long the replica had been seen caught up without a break at the last
 *     poll (0: not caught up), counted over this slice's attempts
 * @param atMillis wall-clock time of the last poll
 */
public record MonitorCheckpoint(
    long sliceStartedAtMillis,
    long lastJournalId,
    int skipped,
    String executed,
    long lagSeconds,
    long caughtUpForMillis,
    long atMillis) {

  /**
   * Details of an attempt that knew no caught-up window (heartbeats written before it was kept).
   */
  public MonitorCheckpoint(
      long sliceStartedAtMillis,
      long lastJournalId,
      int skipped,
      String executed,
      long lagSeconds) {
    this(sliceStartedAtMillis, lastJournalId, skipped, executed, lagSeconds, 0, 0);
  }
}
