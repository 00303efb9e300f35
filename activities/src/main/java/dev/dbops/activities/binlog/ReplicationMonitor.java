package dev.dbops.activities.binlog;

import dev.dbops.activities.mysql.SqlFailures;
import dev.dbops.activities.sql.ReplicationSql;
import dev.dbops.workflows.binlog.BinlogPosition;
import dev.dbops.workflows.binlog.ForeignKeyMode;
import dev.dbops.workflows.binlog.MonitorOutcome;
import dev.dbops.workflows.binlog.MonitorRequest;
import dev.dbops.workflows.binlog.SkipPolicy;
import dev.dbops.workflows.common.ErrorTypes;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.failure.ApplicationFailure;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One monitor slice (DESIGN 4.3 steps 4–6), inside one heartbeating activity: poll
 * {@code SHOW SLAVE STATUS}; skip what the policy allows — journal first, then
 * {@code mysql.rds_skip_repl_error}, then poll again at once; return on caught up, on an error a
 * person must decide, or when the slice ends. Every poll heartbeats a {@link MonitorCheckpoint}.
 *
 * <p>Caught up means: both threads running, lag 0, and the executed position at or past the
 * source's {@code SHOW MASTER STATUS} read just before — for {@code caughtUpWindow} without a
 * break. (MASTER_POS_WAIT alone is not proof: it can return while the SQL thread restarts.)
 */
final class ReplicationMonitor {
  private static final Logger log = LoggerFactory.getLogger(ReplicationMonitor.class);

  static final String NOT_ALLOWED = "NOT_ALLOWED";
  static final String BUDGET_SPENT = "BUDGET_SPENT";
  static final String LOOP = "LOOP";
  static final String FOREIGN_KEY = "FOREIGN_KEY";
  /** Replication was stopped without an error (by someone): a person says whether to start it again. */
  static final String STOPPED = "STOPPED";

  static final String LAG_HEARTBEAT = "heartbeat";
  static final String LAG_SECONDS_BEHIND = "Seconds_Behind_Master";

  /** After a skip the replica is applying again: look again after 2 ms, doubling up to pollInterval. */
  private static final long FIRST_QUICK_POLL_MILLIS = 2;
  /** Polls in a row that must see replication stopped without error before asking a person. */
  private static final int STOPPED_POLLS = 2;

  private record Lag(long seconds, String source) {}

  private final MonitorRequest r;
  private final SqlSession replica;
  private final SqlSession source;
  private final SkipJournal journal;
  private final Skipper skipper;
  private final ActivityExecutionContext ctx;
  private final SkipPolicy policy;
  private final String sourceAddress;
  private boolean heartbeatTableUsable;

  ReplicationMonitor(MonitorRequest r, SqlSession replica, SqlSession source, SkipJournal journal, Skipper skipper,
      ActivityExecutionContext ctx) {
    this.r = r;
    this.replica = replica;
    this.source = source;
    this.journal = journal;
    this.skipper = skipper;
    this.ctx = ctx;
    this.policy = r.policy() == null ? SkipPolicy.none() : r.policy();
    this.sourceAddress = r.source().address();
    this.heartbeatTableUsable = r.heartbeatTable() != null && !r.heartbeatTable().isBlank();
  }

  MonitorOutcome run() {
    Optional<MonitorCheckpoint> resumed = ctx.getHeartbeatDetails(MonitorCheckpoint.class);
    long sliceStarted = resumed.map(MonitorCheckpoint::sliceStartedAtMillis).orElse(System.currentTimeMillis());
    long sliceEnds = sliceStarted + r.slice().toMillis();
    resumed.ifPresent(c -> log.info("monitor of {} resumes its slice from heartbeat: {}", replica.where(), c));

    int used = journal.policySkipsAfter(r.lastJournalId());
    int skipped = 0;
    long polls = 0;
    long quickPoll = 0;
    int stoppedPolls = 0;
    Long caughtUpSince = null;
    while (true) {
      polls++;
      BinlogPosition sourceAt = sourcePosition();
      SlaveStatus s = ReplicaReads.status(replica, r.source());
      if (s.ioFatal()) throw broken(s);
      Lag lag = lag(s);

      if (s.sqlStoppedOnError()) {
        caughtUpSince = null;
        stoppedPolls = 0;
        Step step = onError(s, used);
        if (step.reason() != null) {
          return end(MonitorOutcome.NEEDS_DECISION, s, sourceAt, lag, step.reason(), polls, skipped);
        }
        if (step.counted()) used++;
        skipped++;
        heartbeat(sliceStarted, skipped, s, lag);
        quickPoll = FIRST_QUICK_POLL_MILLIS;
        continue; // no pause after a skip: 1,000 conflicts must not cost 1,000 poll intervals
      }

      boolean stopped = s.stoppedWithoutError();
      stoppedPolls = stopped ? stoppedPolls + 1 : 0;
      if (stoppedPolls >= STOPPED_POLLS) {
        return end(MonitorOutcome.NEEDS_DECISION, s, sourceAt, lag, STOPPED, polls, skipped);
      }

      boolean caughtUp = s.sqlThreadRunning() && s.ioThreadRunning() && lag.seconds() == 0
          && Coordinates.atOrPast(s.executed(), sourceAt);
      long now = System.nanoTime();
      if (!caughtUp) {
        caughtUpSince = null;
      } else if (caughtUpSince == null) {
        caughtUpSince = now;
      }
      if (caughtUpSince != null && now - caughtUpSince >= r.caughtUpWindow().toNanos()) {
        return end(MonitorOutcome.CAUGHT_UP, s, sourceAt, lag, null, polls, skipped);
      }
      heartbeat(sliceStarted, skipped, s, lag);
      if (System.currentTimeMillis() >= sliceEnds) {
        return end(MonitorOutcome.SLICE_ENDED, s, sourceAt, lag, null, polls, skipped);
      }

      long pause = r.pollInterval().toMillis();
      if (quickPoll > 0 && !stopped) {
        pause = Math.min(pause, quickPoll);
        quickPoll = quickPoll * 2 >= r.pollInterval().toMillis() ? 0 : quickPoll * 2;
      }
      if (caughtUpSince != null) {
        long windowLeft = (r.caughtUpWindow().toNanos() - (now - caughtUpSince)) / 1_000_000 + 1;
        pause = Math.min(pause, windowLeft);
      }
      pause = Math.min(pause, Math.max(1, sliceEnds - System.currentTimeMillis()));
      sleep(pause);
    }
  }

  /** null reason: skipped (counted: a new policy skip against the budget). */
  private record Step(String reason, boolean counted) {}

  private Step onError(SlaveStatus s, int used) {
    Optional<SkipJournal.Row> existing = journal.at(s.executed());
    if (existing.isPresent()) {
      long id = existing.get().entry().id();
      if (existing.get().skips() > 0) {
        // Skipped before, and stopped at the very same place again: the position is not moving.
        log.warn("{} stopped again at {} after journal entry {} was skipped: loop", replica.where(), s.executed(), id);
        return new Step(LOOP, false);
      }
      // Journaled by an attempt that ended before its skip: finish it; do not journal or count it again.
      log.info("{}: journal entry {} at {} was written but not skipped (resumed attempt); skipping it now",
          replica.where(), id, s.executed());
      skipper.skip(id);
      return new Step(null, false);
    }
    int errno = s.lastSqlErrno();
    boolean fk = ReplicaErrors.foreignKey(errno);
    if (fk && policy.foreignKeyModeOrDefault() == ForeignKeyMode.STOP_AND_ASK) return new Step(FOREIGN_KEY, false);
    if (!policy.allows(errno, s.lastSqlError())) return new Step(NOT_ALLOWED, false);
    if (used >= r.budgetRemaining()) return new Step(BUDGET_SPENT, false);
    Skipper.Journaled j = skipper.journal(s, SkipJournal.POLICY, fk);
    if (j.refusal() != null) {
      log.warn("{}: foreign-key error {} at {} needs a person: {}", replica.where(), errno, s.executed(), j.refusal());
      return new Step(FOREIGN_KEY, false);
    }
    skipper.skip(j.id());
    return new Step(null, j.written());
  }

  private BinlogPosition sourcePosition() {
    return ReplicaReads.masterStatus(source).orElseThrow(() -> ApplicationFailure.newNonRetryableFailure(
        "source " + source.where() + " has no binary log (SHOW MASTER STATUS is empty): nothing to catch up with",
        ErrorTypes.INVALID_STATE));
  }

  /**
   * pt-heartbeat style: the newest {@code ts} on the source minus the newest {@code ts} the
   * replica has applied. Both are the writer's own clock, so server clock skew and time zones do
   * not enter, and a writer that stopped reads as no lag rather than growing lag (the position
   * check still guards caught-up). Without the table (either side), Seconds_Behind_Master.
   */
  private Lag lag(SlaveStatus s) {
    if (heartbeatTableUsable) {
      String sql = ReplicationSql.heartbeatTimestamp(r.heartbeatTable());
      try {
        LocalDateTime onSource = source.queryRaw(sql, rs -> rs.next() ? rs.getObject(1, LocalDateTime.class) : null);
        LocalDateTime onReplica = replica.queryRaw(sql, rs -> rs.next() ? rs.getObject(1, LocalDateTime.class) : null);
        if (onSource != null && onReplica != null) {
          return new Lag(Math.max(0, Duration.between(onReplica, onSource).getSeconds()), LAG_HEARTBEAT);
        }
      } catch (SQLException e) {
        if (SqlFailures.retryable(e)) throw SqlFailures.failure(sql, e);
        heartbeatTableUsable = false;
        log.info("heartbeat table {} unreadable ({}); lag from Seconds_Behind_Master", r.heartbeatTable(),
            SqlFailures.describe(e));
      }
    }
    Long behind = s.secondsBehindMaster();
    return new Lag(behind == null ? -1 : behind, LAG_SECONDS_BEHIND);
  }

  private ApplicationFailure broken(SlaveStatus s) {
    String hint = s.lastIoErrno() == 1236 || s.lastIoErrno() == 13114
        ? " The source no longer has (or cannot send) binlog " + s.received() + " that the replica needs next"
            + " — typically purged because binlog retention hours were too short; start again from a newer"
            + " snapshot or position."
        : " The IO thread has stopped and will not retry by itself.";
    return ApplicationFailure.newNonRetryableFailure("replication on " + replica.where() + " from " + sourceAddress
        + " is broken: IO thread error " + s.lastIoErrno() + ": " + s.lastIoError() + "." + hint,
        ErrorTypes.REPLICATION_BROKEN);
  }

  private void heartbeat(long sliceStarted, int skipped, SlaveStatus s, Lag lag) {
    ctx.heartbeat(new MonitorCheckpoint(sliceStarted, r.lastJournalId(), skipped, s.executed().toString(),
        lag.seconds()));
  }

  private MonitorOutcome end(String kind, SlaveStatus s, BinlogPosition sourceAt, Lag lag, String reason, long polls,
      int skipped) {
    var entries = journal.after(r.lastJournalId());
    log.info("monitor of {} from {}: {}{} after {} polls, {} skipped; {}; lag {} ({}); {} new journal entries",
        replica.where(), sourceAddress, kind, reason == null ? "" : " (" + reason + ")", polls, skipped, s,
        lag.seconds(), lag.source(), entries.size());
    return new MonitorOutcome(kind, entries, s.state(), sourceAt, lag.seconds(), lag.source(), reason);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ApplicationFailure.newFailure("monitor interrupted (worker shutting down?)", SqlFailures.DB_UNAVAILABLE);
    }
  }
}
