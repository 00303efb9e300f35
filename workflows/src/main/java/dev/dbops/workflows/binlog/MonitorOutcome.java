package dev.dbops.workflows.binlog;

import java.util.List;

/**
 * What one monitor slice ended with.
 *
 * @param kind CAUGHT_UP (lag 0 for the window and executed position = source position),
 *     NEEDS_DECISION (an error the policy does not allow, the budget is spent, or the position
 *     stopped moving), SLICE_ENDED (time to report progress / continue as new)
 * @param newEntries journal entries with id greater than the request's lastJournalId
 * @param lagSeconds from the heartbeat row when configured, else Seconds_Behind_Master; -1 unknown
 * @param reason for NEEDS_DECISION: NOT_ALLOWED, BUDGET_SPENT, LOOP (stopped again at the same
 *     coordinates after a skip), FOREIGN_KEY, STOPPED (replication stopped by hand with no error;
 *     a RETRY restarts it), CANNOT_SPLIT (STATEMENT mode: the failing transaction cannot be applied
 *     again piece by piece safely — a multi-row statement or INSERT … SELECT in conflict, DDL, a
 *     table without primary key; nothing of it was applied)
 */
public record MonitorOutcome(
    String kind, List<JournalEntry> newEntries, ReplicaState replica, BinlogPosition sourcePosition,
    long lagSeconds, String lagSource, String reason) {
  public static final String CAUGHT_UP = "CAUGHT_UP";
  public static final String NEEDS_DECISION = "NEEDS_DECISION";
  public static final String SLICE_ENDED = "SLICE_ENDED";
}
