package dev.dbops.workflows.binlog;

import io.temporal.activity.ActivityInterface;

/**
 * The SQL side of a binlog catch-up, through RDS's mysql.rds_* procedures only (no SUPER).
 * IO-thread error 1236 (binlog purged) fails non-retryably with REPLICATION_BROKEN.
 */
@ActivityInterface
public interface ReplicationActivities {
  SourceReport checkSource(SourceCheck check);

  /**
   * The start position RDS reports for a restored/cloned cluster ("Binlog position from crash
   * recovery is …").
   */
  BinlogPosition startFromRdsEvents(String replicaClusterId);

  ReplicaState setUpReplica(ReplicaSetup setup);

  /**
   * Heartbeating monitor: polls SHOW SLAVE STATUS; skips what the policy allows (journal row first,
   * then mysql.rds_skip_repl_error, then poll again at once); returns on caught up, an error
   * needing a person, or the end of the slice. Resumes from heartbeat details.
   */
  MonitorOutcome monitor(MonitorRequest request);

  /** Journal entry of a SKIP, or null for RETRY. */
  JournalEntry carryOut(DecisionRequest request);

  /**
   * mysql.rds_stop_replication, mysql.rds_reset_external_master — only with the replica at the
   * source's position read now; refused (replication left running) otherwise. Runs that started
   * before {@link #cutOverAt} call this.
   */
  CutoverReport cutOver(DbTarget replica, DbTarget source);

  /**
   * Writes stopped on the source (as {@code check} says; not yet: a retryable NOT_READY), then its
   * final position ({@code SHOW MASTER STATUS}).
   */
  BinlogPosition sourceFinalPosition(CutoverCheck check);

  /**
   * mysql.rds_stop_replication, mysql.rds_reset_external_master with the replica at exactly the
   * request's final position and the source still there; refused non-retryably (CUTOVER_REFUSED,
   * both positions named, replication left running) otherwise.
   */
  CutoverReport cutOverAt(CutoverRequest request);

  /**
   * Journal entries of a run after {@code afterId}, oldest first, with their conflicts: read only,
   * an empty page when the replica has no journal table.
   */
  JournalPage journalPage(JournalPageRequest request);
}
