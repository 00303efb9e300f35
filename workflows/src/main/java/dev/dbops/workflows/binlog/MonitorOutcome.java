package dev.dbops.workflows.binlog;

import java.util.List;

/**
 * What one monitor slice ended with.
 *
 * @param kind CAUGHT_UP (lag 0 for the window and executed position = source position),
 *     NEEDS_DECISION (an error the policy does not allow, the budget is spent, or the position
 *     stopped moving), SLICE_ENDED (time to report progress / continue as new)
 * @param newEntries journal entries with id greater than the request's lastJournalId: the newest
 *     {@link #MAX_ENTRIES} of them
 * @param newCounts all of them counted (null in outcomes recorded before it: the entries are all)
 * @param lagSeconds from the heartbeat row when configured, else Seconds_Behind_Master; -1 unknown
 * @param reason for NEEDS_DECISION: NOT_ALLOWED, BUDGET_SPENT, LOOP (stopped again at the same
 *     coordinates after a skip), FOREIGN_KEY, STOPPED (replication stopped by hand with no error; a
 *     RETRY restarts it), CANNOT_SPLIT (STATEMENT mode: the failing transaction cannot be applied
 *     again piece by piece safely — a multi-row statement or INSERT … SELECT in conflict, DDL, a
 *     table without primary key; nothing of it was applied), SOURCE_MOVED (draining to the source's
 *     final position at cut-over, the replica went past it: the source still takes writes)
 */
public record MonitorOutcome(
    String kind,
    List<JournalEntry> newEntries,
    ReplicaState replica,
    BinlogPosition sourcePosition,
    long lagSeconds,
    String lagSource,
    String reason,
    JournalCounts newCounts) {
  public static final String CAUGHT_UP = "CAUGHT_UP";

  /**
   * At most this many new entries come back (the newest): a slice that skipped thousands must not
   * outgrow Temporal's payload limit; {@code newCounts} counts them all, the replica's journal
   * table holds them all.
   */
  public static final int MAX_ENTRIES = 200;

  /** An outcome whose entries are all there is (outcomes recorded before {@code newCounts}). */
  public MonitorOutcome(
      String kind,
      List<JournalEntry> newEntries,
      ReplicaState replica,
      BinlogPosition sourcePosition,
      long lagSeconds,
      String lagSource,
      String reason) {
    this(kind, newEntries, replica, sourcePosition, lagSeconds, lagSource, reason, null);
  }

  /**
   * Counts of every new entry: {@code newCounts}, or, for outcomes recorded before it, the
   * entries'.
   */
  public JournalCounts countsOrOfEntries() {
    return newCounts != null
        ? newCounts
        : JournalCounts.of(newEntries == null ? List.of() : newEntries);
  }

  public static final String NEEDS_DECISION = "NEEDS_DECISION";
  public static final String SLICE_ENDED = "SLICE_ENDED";

  /**
   * NEEDS_DECISION reason: past the cut-over's final source position (see {@link
   * MonitorRequest#until}).
   */
  public static final String SOURCE_MOVED = "SOURCE_MOVED";
}
