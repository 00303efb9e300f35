package dev.dbops.activities.binlog;

/**
 * The monitor's heartbeat details: what a retried attempt (after a worker crash or a dropped
 * connection) resumes from. What was journaled and skipped is in the replica's journal table,
 * so the checkpoint only has to keep the slice's end where it was and say how far it got.
 *
 * @param sliceStartedAtMillis wall-clock start of the slice's first attempt (its end stays put)
 * @param lastJournalId newest journal id seen by this slice
 * @param skipped skips this slice made (by policy)
 * @param executed the replica's executed position at the last poll
 * @param lagSeconds the lag at the last poll, -1 unknown
 */
public record MonitorCheckpoint(
    long sliceStartedAtMillis, long lastJournalId, int skipped, String executed, long lagSeconds) {}
