package dev.dbops.workflows.binlog;

import java.time.Duration;

/**
 * One slice of monitoring inside a heartbeating activity.
 *
 * @param lastJournalId journal entries up to this id are already known to the workflow
 * @param budgetRemaining skips the policy may still make
 * @param heartbeatTable schema.table of a pt-heartbeat style row written on the source; null falls
 *     back to Seconds_Behind_Master
 * @param caughtUpWindow lag 0 (and positions equal) for this long counts as caught up; zero: the
 *     first poll that confirms the source position
 * @param pollInterval pause between SHOW SLAVE STATUS reads (never after a skip)
 * @param slice return SLICE_ENDED after this long
 * @param watch true while the cut-over waits for approval: never CAUGHT_UP — skip, journal and
 *     report lag until the slice ends or a person must decide (null: false)
 * @param until the source's final position at cut-over: CAUGHT_UP only when the replica has
 *     executed exactly up to it, NEEDS_DECISION {@code SOURCE_MOVED} once past it (the source wrote
 *     after its writes were said to be stopped); the source is not read (null: the source's current
 *     position, as before)
 */
public record MonitorRequest(
    DbTarget replica,
    DbTarget source,
    SkipPolicy policy,
    long lastJournalId,
    int budgetRemaining,
    String heartbeatTable,
    Duration caughtUpWindow,
    Duration pollInterval,
    Duration slice,
    Boolean watch,
    BinlogPosition until) {

  /** A catch-up slice (neither watching nor draining to a final position). */
  public MonitorRequest(
      DbTarget replica,
      DbTarget source,
      SkipPolicy policy,
      long lastJournalId,
      int budgetRemaining,
      String heartbeatTable,
      Duration caughtUpWindow,
      Duration pollInterval,
      Duration slice) {
    this(
        replica,
        source,
        policy,
        lastJournalId,
        budgetRemaining,
        heartbeatTable,
        caughtUpWindow,
        pollInterval,
        slice,
        null,
        null);
  }

  public boolean watching() {
    return Boolean.TRUE.equals(watch);
  }
}
