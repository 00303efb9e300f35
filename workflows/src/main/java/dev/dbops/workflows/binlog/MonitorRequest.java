package dev.dbops.workflows.binlog;

import java.time.Duration;

/**
 * One slice of monitoring inside a heartbeating activity.
 *
 * @param lastJournalId journal entries up to this id are already known to the workflow
 * @param budgetRemaining skips the policy may still make
 * @param heartbeatTable schema.table of a pt-heartbeat style row written on the source; null
 *     falls back to Seconds_Behind_Master
 * @param caughtUpWindow lag 0 (and positions equal) for this long counts as caught up
 * @param pollInterval pause between SHOW SLAVE STATUS reads (never after a skip)
 * @param slice return SLICE_ENDED after this long
 */
public record MonitorRequest(
    DbTarget replica, DbTarget source, SkipPolicy policy, long lastJournalId, int budgetRemaining,
    String heartbeatTable, Duration caughtUpWindow, Duration pollInterval, Duration slice) {}
