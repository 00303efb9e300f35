package dev.dbops.activities.binlog;

import dev.dbops.activities.mysql.SqlFailures;
import dev.dbops.activities.sql.ReplicationSql;
import dev.dbops.workflows.binlog.BinlogPosition;
import dev.dbops.workflows.binlog.JournalEntry;
import dev.dbops.workflows.binlog.MonitorOutcome;
import dev.dbops.workflows.binlog.MonitorRequest;
import dev.dbops.workflows.binlog.SkipPolicy;
import dev.dbops.workflows.binlog.SkipRules;
import dev.dbops.workflows.common.ErrorTypes;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.failure.ApplicationFailure;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One monitor slice (docs/procedures.md, binlog steps 4–6), inside one heartbeating activity: poll
 * {@code SHOW SLAVE STATUS}; skip what the policy allows — journal first, then {@code
 * mysql.rds_skip_repl_error}, then poll again at once; return on caught up, on an error a person
 * must decide, or when the slice ends. Every poll heartbeats a {@link MonitorCheckpoint}.
 *
 * <p>Caught up means: both threads running, lag 0, and the executed position at or past the
 * source's {@code SHOW MASTER STATUS} — for {@code caughtUpWindow} without a break; with no window
 * (the default), at the first poll that confirms it, right after the position wait returns. A
 * watching slice ({@link MonitorRequest#watching}, while the cut-over waits for approval) never
 * returns caught up: it goes on skipping and reporting until its slice ends. A draining slice
 * ({@link MonitorRequest#until}) is caught up at exactly the cut-over's final source position and
 * needs a person ({@link MonitorOutcome#SOURCE_MOVED}) past it. The source's position only grows,
 * so one read is a lower bound for later polls: while the replica has not executed up to it, it
 * cannot be caught up and the source is not asked again; once it has, the source is read again
 * (after the replica, so the comparison errs towards "not yet").
 *
 * <p>Between polls, while the SQL thread runs behind that bound, the monitor waits in {@code
 * MASTER_POS_WAIT} on the replica instead of sleeping: it returns the moment the SQL thread reaches
 * the position or stops (on the next error, or by someone), so the next conflict of a stream is
 * answered when it happens, and {@code SHOW SLAVE STATUS} (which contends with the SQL thread for
 * its locks) is not read in a tight loop. It is only a wait: every decision comes from the poll
 * after it (MASTER_POS_WAIT alone is not proof: it can return while the SQL thread restarts). It
 * takes whole seconds, so such a wait lasts up to {@code pollInterval} rounded up to a second;
 * where it is refused the monitor sleeps {@code pollInterval}, with quick polls after a skip.
 */
final class ReplicationMonitor {
  private static final Logger log = LoggerFactory.getLogger(ReplicationMonitor.class);

  static final String LOOP = "LOOP";

  /**
   * STATEMENT mode: the failing transaction cannot be applied again piece by piece safely (the log
   * says why).
   */
  static final String CANNOT_SPLIT = "CANNOT_SPLIT";

  /**
   * Replication was stopped without an error (by someone): a person says whether to start it again.
   */
  static final String STOPPED = "STOPPED";

  static final String LAG_HEARTBEAT = "heartbeat";
  static final String LAG_SECONDS_BEHIND = "Seconds_Behind_Master";

  /**
   * After a skip the replica is applying again: look again after 2 ms, doubling up to pollInterval.
   */
  private static final long FIRST_QUICK_POLL_MILLIS = 2;

  /** The longest MASTER_POS_WAIT, well inside the JDBC read timeout and the heartbeat timeout. */
  private static final long MAX_POSITION_WAIT_SECONDS = 10;

  private static final Lag UNKNOWN_LAG = new Lag(-1, LAG_SECONDS_BEHIND);

  /** Polls in a row that must see replication stopped without error before asking a person. */
  private static final int STOPPED_POLLS = 2;

  /**
   * A retried attempt whose first poll sees the replica caught up goes on with the window the last
   * attempt had seen, if that attempt's last poll is at most this old: longer than the monitor's
   * longest retry backoff (30 s), so connections dropped every few seconds do not start the window
   * over and over (it could never end). Only seen time counts, not the gap.
   */
  static final long CONTINUE_WINDOW_WITHIN_MILLIS = 60_000;

  private record Lag(long seconds, String source) {}

  private final MonitorRequest r;
  private final SqlSession replica;
  private final SqlSession source;
  private final SkipJournal journal;
  private final Skipper skipper;
  private final ActivityExecutionContext ctx;
  private final SkipPolicy policy;
  private final SkipRules rules;
  private final ReplicationMetrics metrics;
  private final String sourceAddress;
  private final CaughtUpMemo caughtUpMemo;

  /** This slice's key in {@link #caughtUpMemo}: the same for every attempt of the activity. */
  private final String slice;

  private boolean heartbeatTableUsable;
  private boolean positionWaitUsable = true;

  ReplicationMonitor(
      MonitorRequest r,
      SqlSession replica,
      SqlSession source,
      SkipJournal journal,
      Skipper skipper,
      ReplicationMetrics metrics,
      ActivityExecutionContext ctx,
      CaughtUpMemo caughtUpMemo) {
    this.r = r;
    this.replica = replica;
    this.source = source;
    this.journal = journal;
    this.skipper = skipper;
    this.ctx = ctx;
    this.rules = SkipRules.of(r.policy());
    this.policy = rules.policy();
    this.metrics = metrics;
    this.caughtUpMemo = caughtUpMemo;
    this.slice =
        ctx.getInfo().getWorkflowId()
            + "/"
            + ctx.getInfo().getRunId()
            + "/"
            + ctx.getInfo().getActivityId();
    this.sourceAddress = r.source().address();
    this.heartbeatTableUsable = r.heartbeatTable() != null && !r.heartbeatTable().isBlank();
  }

  MonitorOutcome run() {
    Optional<MonitorCheckpoint> resumed = ctx.getHeartbeatDetails(MonitorCheckpoint.class);
    long sliceStarted =
        resumed.map(MonitorCheckpoint::sliceStartedAtMillis).orElse(System.currentTimeMillis());
    long sliceEnds = sliceStarted + r.slice().toMillis();
    resumed.ifPresent(
        c -> log.info("monitor of {} resumes its slice from heartbeat: {}", replica.where(), c));
    countSkipsMadeBeforeCrash();

    int used = journal.policySkipsAfter(r.lastJournalId());
    int skipped = 0;
    long polls = 0;
    long quickPoll = 0;
    int stoppedPolls = 0;
    Long caughtUpSince = null;
    // Caught-up time the last attempt had seen (its latest poll: this worker's memo, else the
    // heartbeat details), to go on with if the first poll is caught up too.
    CaughtUpMemo.Seen last =
        resumed
            .map(c -> new CaughtUpMemo.Seen(c.caughtUpForMillis(), c.atMillis()))
            .orElse(new CaughtUpMemo.Seen(0, 0));
    CaughtUpMemo.Seen memo = caughtUpMemo.get(slice).orElse(last);
    if (memo.atMillis() > last.atMillis()) last = memo;
    long carriedCaughtUpMillis =
        last.caughtUpForMillis() > 0
                && System.currentTimeMillis() - last.atMillis() <= CONTINUE_WINDOW_WITHIN_MILLIS
            ? last.caughtUpForMillis()
            : 0;
    BinlogPosition until = r.until();
    BinlogPosition sourceAt = until != null ? until : sourcePosition();
    Lag lag = UNKNOWN_LAG;
    boolean waitSawStop = false;
    boolean skippedJustNow = false;
    while (true) {
      if (skippedJustNow) {
        // Straight into the wait: it ends the moment the SQL thread stops on the next conflict (or
        // was already stopped), so the poll that sees it is the only one per conflict.
        skippedJustNow = false;
        long waitSeconds = positionWaitSeconds();
        if (positionWaitUsable && sliceEnds - System.currentTimeMillis() >= waitSeconds * 1000) {
          waitSawStop = awaitExecuted(sourceAt, waitSeconds);
        }
      }
      polls++;
      SlaveStatus s = ReplicaReads.status(replica, r.source());
      if (s.ioFatal()) throw broken(s);
      if (until != null && Coordinates.compare(s.executed(), until) > 0) {
        log.warn(
            "{}: executed {} is past the source's final position {}: the source still takes writes",
            replica.where(),
            s.executed(),
            until);
        return end(
            MonitorOutcome.NEEDS_DECISION,
            s,
            sourcePosition(),
            lag(s),
            MonitorOutcome.SOURCE_MOVED,
            polls,
            skipped);
      }

      if (s.sqlStoppedOnError()) {
        caughtUpSince = null;
        carriedCaughtUpMillis = 0;
        stoppedPolls = 0;
        waitSawStop = false;
        Step step = onError(s, used);
        if (step.reason() != null) {
          return end(
              MonitorOutcome.NEEDS_DECISION,
              s,
              sourcePosition(),
              lag(s),
              step.reason(),
              polls,
              skipped);
        }
        if (step.counted()) used++;
        skipped++;
        heartbeat(sliceStarted, skipped, s, lag, 0);
        skipper.countSkipsIfDue();
        quickPoll = FIRST_QUICK_POLL_MILLIS;
        skippedJustNow = true;
        continue; // no pause after a skip: 1,000 conflicts must not cost 1,000 poll intervals
      }

      boolean stopped = s.stoppedWithoutError();
      stoppedPolls = stopped ? stoppedPolls + 1 : 0;
      if (stoppedPolls >= STOPPED_POLLS) {
        return end(
            MonitorOutcome.NEEDS_DECISION, s, sourcePosition(), lag(s), STOPPED, polls, skipped);
      }

      boolean reachedSource = Coordinates.atOrPast(s.executed(), sourceAt);
      if (reachedSource && until == null) {
        sourceAt = sourcePosition();
        reachedSource = Coordinates.atOrPast(s.executed(), sourceAt);
      }
      lag = lag(s);
      // Draining to the cut-over's final position: exactly there (past it ended above), whatever
      // the lag says.
      // Without a window the source's own position is the proof: Seconds_Behind_Master can still
      // read 1–2 s for a moment after the SQL thread has executed everything, and a heartbeat lag
      // is 0 by construction once the positions meet. A window still wants lag 0 through it.
      boolean byPosition = until != null || r.caughtUpWindow().isZero();
      boolean caughtUp =
          until != null
              ? s.sqlThreadRunning() && reachedSource
              : s.sqlThreadRunning()
                  && s.ioThreadRunning()
                  && reachedSource
                  && (byPosition || lag.seconds() == 0);
      if (caughtUp && byPosition) lag = new Lag(0, lag.source());
      long now = System.nanoTime();
      if (!caughtUp) {
        caughtUpSince = null;
      } else if (caughtUpSince == null) {
        caughtUpSince = now - carriedCaughtUpMillis * 1_000_000;
        if (carriedCaughtUpMillis > 0) {
          log.info(
              "{}: caught up as the last attempt saw it; the window goes on from {} ms",
              replica.where(),
              carriedCaughtUpMillis);
        }
      }
      carriedCaughtUpMillis = 0;
      if (caughtUpSince != null
          && !r.watching()
          && (until != null || now - caughtUpSince >= r.caughtUpWindow().toNanos())) {
        return end(MonitorOutcome.CAUGHT_UP, s, sourceAt, lag, null, polls, skipped);
      }
      heartbeat(
          sliceStarted,
          skipped,
          s,
          lag,
          caughtUpSince == null ? 0 : (now - caughtUpSince) / 1_000_000);
      skipper.countSkipsIfDue();
      long sliceLeft = sliceEnds - System.currentTimeMillis();
      if (sliceLeft <= 0) {
        return end(MonitorOutcome.SLICE_ENDED, s, sourcePosition(), lag, null, polls, skipped);
      }

      long waitSeconds = positionWaitSeconds();
      // A wait that answered "not running" while this poll sees the SQL thread running (restarted
      // by
      // someone in between, or a server that answers so): sleep this once, so the two never spin.
      boolean waitAgain = !waitSawStop;
      waitSawStop = false;
      if (waitAgain
          && positionWaitUsable
          && s.sqlThreadRunning()
          && !reachedSource
          && sliceLeft >= waitSeconds * 1000) {
        waitSawStop = awaitExecuted(sourceAt, waitSeconds);
        continue;
      }
      long pause = r.pollInterval().toMillis();
      if (quickPoll > 0 && !stopped) {
        pause = Math.min(pause, quickPoll);
        quickPoll = quickPoll * 2 >= r.pollInterval().toMillis() ? 0 : quickPoll * 2;
      }
      if (caughtUpSince != null && !r.watching()) {
        long windowLeft = (r.caughtUpWindow().toNanos() - (now - caughtUpSince)) / 1_000_000 + 1;
        pause = Math.min(pause, windowLeft);
      }
      pause = Math.min(pause, Math.max(1, sliceLeft));
      sleep(pause);
    }
  }

  /**
   * MASTER_POS_WAIT takes whole seconds: pollInterval rounded up, at most {@link
   * #MAX_POSITION_WAIT_SECONDS}.
   */
  private long positionWaitSeconds() {
    return Math.min(
        MAX_POSITION_WAIT_SECONDS, Math.max(1, (r.pollInterval().toMillis() + 999) / 1000));
  }

  /**
   * Skips are counted on their journal rows after {@code rds_skip_repl_error}, in batches ({@link
   * Skipper#countSkips}): an attempt that ended in between (killed, or a dropped connection) leaves
   * rows at {@code skips = 0} though the SQL thread went past their groups, and no later poll stops
   * there again. Count such skips now, once (journal and metric). A row the SQL thread still stands
   * on (journaled, not skipped) is left to {@link #onError}.
   */
  private void countSkipsMadeBeforeCrash() {
    List<SkipJournal.Row> uncounted = journal.uncounted();
    if (uncounted.isEmpty()) return;
    BinlogPosition executed = ReplicaReads.status(replica, r.source()).executed();
    int counted = 0;
    for (SkipJournal.Row row : uncounted) {
      JournalEntry e = row.entry();
      if (Coordinates.compare(executed, e.source()) > 0 && journal.skippedBeforeCrash(e.id())) {
        metrics.skipped(journal.workflowId(), e.errno());
        counted++;
      }
    }
    if (counted > 0) {
      log.info(
          "{}: {} journal entries (ids {} to {}) were skipped by an attempt that ended before counting them"
              + " (executed now {}); counted",
          replica.where(),
          counted,
          uncounted.get(0).entry().id(),
          uncounted.get(uncounted.size() - 1).entry().id(),
          executed);
    }
  }

  /** null reason: skipped (counted: a new policy skip against the budget). */
  private record Step(String reason, boolean counted) {}

  private Step onError(SlaveStatus s, int used) {
    int errno = s.lastSqlErrno();
    boolean fk = SkipRules.foreignKey(errno);
    String refusal = rules.refusal(errno, s.lastSqlError(), used, r.budgetRemaining());
    if (refusal != null) {
      // A row written here by an earlier attempt is finished whatever the policy says now.
      Optional<SkipJournal.Row> existing = journal.at(s.executed());
      return existing.isPresent()
          ? journaledBefore(s, Skipper.Journaled.found(existing.get()))
          : new Step(refusal, false);
    }
    if (rules.action(errno) == SkipRules.Action.REAPPLY) {
      return reapply(s);
    }
    Skipper.Journaled j = skipper.journal(s, SkipJournal.POLICY, fk);
    if (j.refusal() != null) {
      log.warn(
          "{}: foreign-key error {} at {} needs a person: {}",
          replica.where(),
          errno,
          s.executed(),
          j.refusal());
      return new Step(SkipRules.FOREIGN_KEY, false);
    }
    if (!j.written()) return journaledBefore(s, j);
    skipper.skip(j.id(), errno, s, j.gtid());
    return new Step(null, true);
  }

  /**
   * STATEMENT mode: apply the transaction again minus its conflicts, then skip. A marker already
   * there for these coordinates (an earlier attempt applied it; the re-apply's INSERT IGNORE finds
   * it, so no look-up goes first) leaves only the skip.
   */
  private Step reapply(SlaveStatus s) {
    Skipper.Journaled j = skipper.reapply(s, policy, SkipJournal.POLICY);
    if (j.reason() != null) {
      log.warn(
          "{}: error {} at {} needs a person ({}): {}",
          replica.where(),
          s.lastSqlErrno(),
          s.executed(),
          j.reason(),
          j.refusal());
      return new Step(j.reason(), false);
    }
    if (!j.written()) return journaledBefore(s, j);
    skipper.skip(j.id(), s.lastSqlErrno(), s, j.gtid());
    return new Step(null, true);
  }

  /**
   * The group already has journal row {@code j} (with the skips counted on it): skip it once more
   * only if it never was.
   */
  private Step journaledBefore(SlaveStatus s, Skipper.Journaled j) {
    long id = j.id();
    if (skipper.skips(id, j.skips()) > 0) {
      // Skipped before, and stopped at the very same place again: the position is not moving.
      log.warn(
          "{} stopped again at {} after journal entry {} was skipped: loop",
          replica.where(),
          s.executed(),
          id);
      return new Step(LOOP, false);
    }
    // Journaled by an attempt that ended before its skip: finish it; do not journal or count it
    // again.
    log.info(
        "{}: journal entry {} at {} was written but not skipped (resumed attempt); skipping it now",
        replica.where(),
        id,
        s.executed());
    skipper.skip(id, s.lastSqlErrno(), s, j.gtid());
    return new Step(null, false);
  }

  private BinlogPosition sourcePosition() {
    return ReplicaReads.masterStatus(source)
        .orElseThrow(
            () ->
                ApplicationFailure.newNonRetryableFailure(
                    "source "
                        + source.where()
                        + " has no binary log (SHOW MASTER STATUS is empty): nothing to catch up with",
                    ErrorTypes.INVALID_STATE));
  }

  /**
   * pt-heartbeat style: the newest {@code ts} on the source minus the newest {@code ts} the replica
   * has applied. Both are the writer's own clock, so server clock skew and time zones do not enter,
   * and a writer that stopped reads as no lag rather than growing lag (the position check still
   * guards caught-up). Without the table (either side), Seconds_Behind_Master.
   */
  private Lag lag(SlaveStatus s) {
    if (heartbeatTableUsable) {
      String sql = ReplicationSql.heartbeatTimestamp(r.heartbeatTable());
      try {
        LocalDateTime onSource =
            source.queryRaw(sql, rs -> rs.next() ? rs.getObject(1, LocalDateTime.class) : null);
        LocalDateTime onReplica =
            replica.queryRaw(sql, rs -> rs.next() ? rs.getObject(1, LocalDateTime.class) : null);
        if (onSource != null && onReplica != null) {
          return new Lag(
              Math.max(0, Duration.between(onReplica, onSource).getSeconds()), LAG_HEARTBEAT);
        }
      } catch (SQLException e) {
        if (SqlFailures.retryable(e)) throw SqlFailures.failure(sql, e);
        heartbeatTableUsable = false;
        log.info(
            "heartbeat table {} unreadable ({}); lag from Seconds_Behind_Master",
            r.heartbeatTable(),
            SqlFailures.describe(e));
      }
    }
    Long behind = s.secondsBehindMaster();
    return new Lag(behind == null ? -1 : behind, LAG_SECONDS_BEHIND);
  }

  /**
   * Waits until the SQL thread has executed up to {@code target}, stops, or {@code seconds} pass
   * (see the class comment); true when the answer was NULL (the SQL thread was not running or
   * stopped). Where MASTER_POS_WAIT is refused, the monitor sleeps instead.
   */
  private boolean awaitExecuted(BinlogPosition target, long seconds) {
    try {
      return replica.queryRaw(
          ReplicationSql.MASTER_POS_WAIT,
          rs -> {
            if (!rs.next()) return true;
            rs.getLong(1);
            return rs.wasNull();
          },
          target.file(),
          target.position(),
          seconds);
    } catch (SQLException e) {
      if (SqlFailures.retryable(e))
        throw SqlFailures.failure("MASTER_POS_WAIT on " + replica.where(), e);
      positionWaitUsable = false;
      log.info(
          "{}: MASTER_POS_WAIT refused ({}); sleeping between polls instead",
          replica.where(),
          SqlFailures.describe(e));
      return false;
    }
  }

  private ApplicationFailure broken(SlaveStatus s) {
    String hint =
        ReplicaErrors.binlogGone(s.lastIoErrno())
            ? " The source no longer has (or cannot send) binlog "
                + s.received()
                + " that the replica needs next"
                + " — typically purged because binlog retention hours were too short; start again from a newer"
                + " snapshot or position."
            : " The IO thread has stopped and will not retry by itself.";
    return ApplicationFailure.newNonRetryableFailure(
        "replication on "
            + replica.where()
            + " from "
            + sourceAddress
            + " is broken: IO thread error "
            + s.lastIoErrno()
            + ": "
            + s.lastIoError()
            + "."
            + hint,
        ErrorTypes.REPLICATION_BROKEN);
  }

  private void heartbeat(
      long sliceStarted, int skipped, SlaveStatus s, Lag lag, long caughtUpForMillis) {
    metrics.lag(journal.workflowId(), lag.seconds());
    long now = System.currentTimeMillis();
    caughtUpMemo.put(slice, caughtUpForMillis, now);
    ctx.heartbeat(
        new MonitorCheckpoint(
            sliceStarted,
            r.lastJournalId(),
            skipped,
            s.executed().toString(),
            lag.seconds(),
            caughtUpForMillis,
            now));
  }

  private MonitorOutcome end(
      String kind,
      SlaveStatus s,
      BinlogPosition sourceAt,
      Lag lag,
      String reason,
      long polls,
      int skipped) {
    caughtUpMemo.forget(slice);
    skipper.countSkips();
    metrics.lag(journal.workflowId(), lag.seconds());
    var all = journal.after(r.lastJournalId());
    var entries = all.subList(Math.max(0, all.size() - MonitorOutcome.MAX_ENTRIES), all.size());
    log.info(
        "monitor of {} from {}: {}{} after {} polls, {} skipped; {}; lag {} ({}); {} new journal entries",
        replica.where(),
        sourceAddress,
        kind,
        reason == null ? "" : " (" + reason + ")",
        polls,
        skipped,
        s,
        lag.seconds(),
        lag.source(),
        all.size());
    return new MonitorOutcome(
        kind,
        List.copyOf(entries),
        s.state(),
        sourceAt,
        lag.seconds(),
        lag.source(),
        reason,
        dev.dbops.workflows.binlog.JournalCounts.of(all));
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ApplicationFailure.newFailure(
          "monitor interrupted (worker shutting down?)", SqlFailures.DB_UNAVAILABLE);
    }
  }
}
