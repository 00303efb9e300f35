package dev.dbops.activities.binlog;

import dev.dbops.activities.mysql.SqlFailures;
import dev.dbops.activities.sql.ReplicationSql;
import dev.dbops.workflows.binlog.Conflict;
import dev.dbops.workflows.common.ErrorTypes;
import io.temporal.failure.ApplicationFailure;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Journal first, then skip: the one way dbops gets past a replication error, for the policy
 * (monitor) and for a person's SKIP (carryOut) alike. The journal row is written before {@code
 * mysql.rds_skip_repl_error}, so a crash in between leaves a row the next attempt finishes without
 * journaling again.
 *
 * <p>Skips are counted on their journal rows ({@code skips}) in batches ({@link #countSkips}), not
 * one UPDATE after each: on the way of every conflict that UPDATE was a commit (a redo-log flush)
 * as dear as the journal row itself. Until written, this attempt's skips are held here, and the
 * loop guard adds them ({@link #skips}). A skip an attempt made and died before counting is counted
 * by the next one ({@code ReplicationMonitor}: the SQL thread has passed the row).
 */
final class Skipper implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Skipper.class);

  /**
   * Skips held before they are counted at the latest: a monitor's status and metric lag by at most
   * this many…
   */
  static final int COUNT_BATCH = 100;

  /** …or this long. */
  static final long COUNT_AFTER_NANOS = 1_000_000_000L;

  /**
   * The journal row for the group: written by this call, or found there (written by an earlier
   * attempt, with the skips made for it); or, with nothing written, why the foreign-key re-apply
   * could not be done. {@code gtid}: the group's GTID as journaled (null: none known).
   */
  record Journaled(
      long id, boolean written, int skips, String refusal, String reason, String gtid) {
    Journaled(long id, boolean written, int skips, String refusal) {
      this(id, written, skips, refusal, null, null);
    }

    static Journaled found(SkipJournal.Row row) {
      return new Journaled(row.entry().id(), false, row.skips(), null, null, row.entry().gtid());
    }

    static Journaled written(long id, String gtid) {
      return new Journaled(id, true, 0, null, null, gtid);
    }
  }

  private final SqlSession replica;
  private final Supplier<SqlSession> source;
  private final SkipJournal journal;
  private final SkipHooks hooks;
  private final ReplicationMetrics metrics;
  private final SourceBinlogReader binlog;
  private final Supplier<SqlSession> replicaSessions;

  /**
   * Journal rows this attempt skipped and has not counted yet, with their errno (for the metric).
   */
  private final Map<Long, Integer> uncounted = new LinkedHashMap<>();

  private long firstUncountedAt;

  /**
   * STATEMENT mode: the re-apply's own replica session, kept while its session state is known
   * clean.
   */
  private SqlSession reapplySession;

  /**
   * STATEMENT mode: tables' structure as the re-apply read it, kept until the binlog shows DDL go
   * by.
   */
  private final Map<String, TableShape> shapes = new HashMap<>();

  /**
   * STATEMENT mode: the re-apply session's scratch tables (temporary: they live as long as the
   * session).
   */
  private final Map<String, String> scratchTables = new HashMap<>();

  /**
   * TRANSACTION mode: the lost rows' comparison on {@code replica}, with its scratch tables there.
   */
  private final RowMatch lostRowMatch;

  Skipper(
      SqlSession replica,
      Supplier<SqlSession> source,
      SkipJournal journal,
      SkipHooks hooks,
      ReplicationMetrics metrics) {
    this(replica, source, journal, hooks, metrics, null, null);
  }

  /**
   * @param binlog reads the failing transaction from the source's binlog: STATEMENT mode's
   *     re-apply, TRANSACTION mode's rows a skip loses (null: journal without them)
   * @param replicaSessions STATEMENT mode: the re-apply's own replica session, opened once and
   *     again after a re-apply that may have left session state behind (an INSERT_ID of a statement
   *     that failed, a refusal)
   */
  Skipper(
      SqlSession replica,
      Supplier<SqlSession> source,
      SkipJournal journal,
      SkipHooks hooks,
      ReplicationMetrics metrics,
      SourceBinlogReader binlog,
      Supplier<SqlSession> replicaSessions) {
    this.replica = replica;
    this.source = source;
    this.journal = journal;
    this.hooks = hooks;
    this.metrics = metrics;
    this.binlog = binlog;
    this.replicaSessions = replicaSessions;
    this.lostRowMatch = new RowMatch(replica, new HashMap<>());
  }

  /**
   * STATEMENT mode: reads the failing transaction from the source's binlog and applies it again on
   * the replica minus only its conflicts, with its journal row (the marker) and the conflicts, in
   * one replica transaction ({@link TransactionReapplier}); the skip is left to {@link #skip}. A
   * marker already there (an earlier attempt committed) is returned as found. A transaction that
   * cannot be split comes back with the monitor's reason and nothing written.
   */
  Journaled reapply(SlaveStatus s, dev.dbops.workflows.binlog.SkipPolicy policy, String decidedBy) {
    SourceTransaction tx = binlog.read(s.executed());
    if (binlog.schemaMayHaveChanged()) {
      shapes.clear();
      closeReapplySession(); // its scratch tables are copies of the old structure
    }
    if (tx.refusal() != null) {
      // Not to be applied piece by piece; but a row here (a person's SKIP journaled it) is finished
      // as it is.
      Optional<SkipJournal.Row> existing = journal.at(s.executed());
      if (existing.isPresent()) return Journaled.found(existing.get());
    }
    if (reapplySession == null) reapplySession = replicaSessions.get();
    TransactionReapplier.Outcome o;
    try {
      o =
          new TransactionReapplier(
                  reapplySession, journal, policy, decidedBy, hooks, shapes, scratchTables)
              .apply(s, tx);
    } catch (RuntimeException e) {
      closeReapplySession();
      throw e;
    }
    if (!o.sessionReusable()) closeReapplySession();
    if (o.reason() != null) return new Journaled(0, false, 0, o.why(), o.reason(), null);
    Journaled j =
        o.written()
            ? Journaled.written(o.journalId(), s.failingGtid(tx.lines()))
            : journal
                .at(s.executed())
                .map(Journaled::found)
                .orElseThrow(
                    () ->
                        ApplicationFailure.newNonRetryableFailure(
                            "journal row for "
                                + s.executed()
                                + " neither inserted nor found on "
                                + replica.where(),
                            ErrorTypes.INVALID_STATE));
    log.debug(
        "re-applied {} at {} minus {} conflicts as id {} ({}, by {})",
        s.lastSqlErrno(),
        s.executed(),
        o.conflicts().size(),
        j.id(),
        j.written() ? "new" : "already there",
        decidedBy);
    hooks.journaled(j.id());
    return j;
  }

  /**
   * Reads the failing group's events and journals them; a row already there for the group's
   * coordinates is returned as found, not written again (the unique key decides, in the same INSERT
   * IGNORE: no separate look-up on the way of every skip). With {@code reapplyWithoutFkChecks} its
   * statements are applied again in the journal row's transaction with foreign_key_checks=0 (the
   * skip then only moves past what was applied by hand); when they cannot be, nothing is written
   * and the refusal says why.
   */
  Journaled journal(SlaveStatus s, String decidedBy, boolean reapplyWithoutFkChecks) {
    GroupReader.Read read = GroupReader.read(replica, source, s);
    List<String> statements = List.of();
    String action = SkipJournal.SKIPPED;
    if (reapplyWithoutFkChecks) {
      EventGroup.Reapply r = read.group().reapply();
      if (r.refusal() != null) {
        return journal
            .at(s.executed())
            .map(Journaled::found)
            .orElseGet(
                () ->
                    new Journaled(
                        0, false, 0, "cannot re-apply " + s.executed() + ": " + r.refusal()));
      }
      statements = r.statements();
      action = SkipJournal.REAPPLIED;
    }
    List<Conflict> lost =
        binlog != null && !reapplyWithoutFkChecks && read.group().hasRowEvents()
            ? lostRows(s, decidedBy)
            : List.of();
    OptionalLong written;
    try {
      written = journal.write(s, read.journalLines(), action, decidedBy, statements, lost);
    } catch (SkipJournal.ReapplyRefused e) {
      return new Journaled(
          0,
          false,
          0,
          "re-applying " + s.executed() + " with foreign_key_checks=0 failed: " + e.getMessage());
    }
    Journaled j =
        written.isPresent()
            ? Journaled.written(written.getAsLong(), s.failingGtid(read.journalLines()))
            : journal
                .at(s.executed())
                .map(Journaled::found)
                .orElseThrow(
                    () ->
                        ApplicationFailure.newNonRetryableFailure(
                            "journal row for "
                                + s.executed()
                                + " neither inserted nor found on "
                                + replica.where(),
                            ErrorTypes.INVALID_STATE));
    log.debug(
        "journaled {} {} at {} as id {} ({}, by {})",
        s.lastSqlErrno(),
        action,
        s.executed(),
        j.id(),
        j.written() ? "new" : "already there",
        decidedBy);
    hooks.journaled(j.id());
    return j;
  }

  /**
   * TRANSACTION mode: the rows of the group's row events, from the source's binlog (the relay log
   * has no row images), each compared with the replica's ({@link LostRows}). Journaled without them
   * (rows lost: unknown) when the binlog cannot give them.
   */
  private List<Conflict> lostRows(SlaveStatus s, String decidedBy) {
    SourceTransaction tx;
    try {
      tx = binlog.read(s.executed());
    } catch (ApplicationFailure e) {
      if (!e.isNonRetryable()) throw e;
      log.warn(
          "{}: the rows of {} could not be read from the source's binlog ({}); journaled without them",
          replica.where(),
          s.executed(),
          e.getOriginalMessage());
      return List.of();
    }
    try {
      if (binlog.schemaMayHaveChanged()) {
        shapes.clear();
        lostRowMatch.dropScratchTables(); // copies of the old structure
      }
    } catch (SQLException e) {
      throw SqlFailures.failure("dropping scratch tables on " + replica.where(), e);
    }
    if (tx.refusal() != null) {
      log.info(
          "{}: {} is journaled without its rows: {}", replica.where(), s.executed(), tx.refusal());
      return List.of();
    }
    try {
      return LostRows.of(tx, replica, shapes, lostRowMatch, decidedBy);
    } catch (SQLException e) {
      if (SqlFailures.retryable(e))
        throw SqlFailures.failure("reading the lost rows' tables on " + replica.where(), e);
      log.warn(
          "{}: the lost rows of {} are journaled without their columns' names: {}",
          replica.where(),
          s.executed(),
          SqlFailures.describe(e));
      return List.of();
    }
  }

  /** Ends the binlog dump and STATEMENT mode's re-apply session (at the end of a monitor slice). */
  @Override
  public void close() {
    closeReapplySession();
    if (binlog != null) binlog.close();
  }

  private void closeReapplySession() {
    if (reapplySession != null) reapplySession.close();
    reapplySession = null;
    scratchTables.clear();
  }

  /**
   * Skips the group {@code s} stopped on, journaled as row {@code id}; counted by {@link
   * #countSkips}. Where the status says so ({@link GtidState#skipsByGtid}) the skip names the
   * transaction's GTID ({@code gtid}, as journaled; else read from the status) to {@code
   * mysql.rds_skip_transaction_with_gtid} — MySQL refuses sql_slave_skip_counter, which
   * rds_skip_repl_error sets, under gtid_mode=ON; otherwise {@code mysql.rds_skip_repl_error}.
   */
  void skip(long id, int errno, SlaveStatus s, String gtid) {
    if (s.skipsByGtid()) {
      String g = gtid != null ? gtid : s.failingGtid(List.of());
      if (g == null) {
        throw ApplicationFailure.newNonRetryableFailure(
            "replica "
                + replica.where()
                + " skips by GTID and the"
                + " GTID of the transaction it stopped on at "
                + s.executed()
                + " (journal id "
                + id
                + ") is known neither"
                + " from its events nor from its GTID sets ("
                + s.gtid()
                + "), so it cannot be skipped; find it with"
                + " SHOW RELAYLOG EVENTS at "
                + s.relayLog()
                + ", skip it with CALL mysql.rds_skip_transaction_with_gtid('<gtid>')"
                + " and start the catch-up again",
            ErrorTypes.INVALID_STATE);
      }
      replica.update(
          ReplicationSql.SKIP_TRANSACTION_WITH_GTID.replace("?", "'" + g + "'"),
          ReplicationSql.SKIP_TRANSACTION_WITH_GTID,
          g);
    } else {
      replica.execute(ReplicationSql.SKIP_REPL_ERROR);
    }
    if (uncounted.isEmpty()) firstUncountedAt = System.nanoTime();
    uncounted.put(id, errno);
  }

  /**
   * The skips made for journal row {@code id}: {@code counted} on the row, plus this attempt's not
   * yet written.
   */
  int skips(long id, int counted) {
    return counted + (uncounted.containsKey(id) ? 1 : 0);
  }

  /**
   * {@link #countSkips} once {@link #COUNT_BATCH} skips wait, or the oldest has waited {@link
   * #COUNT_AFTER_NANOS}.
   */
  void countSkipsIfDue() {
    if (uncounted.size() >= COUNT_BATCH
        || !uncounted.isEmpty() && System.nanoTime() - firstUncountedAt >= COUNT_AFTER_NANOS) {
      countSkips();
    }
  }

  /** Writes this attempt's skips on their journal rows (one UPDATE) and in the metrics. */
  void countSkips() {
    if (uncounted.isEmpty()) return;
    journal.skipped(uncounted.keySet());
    for (int errno : uncounted.values()) metrics.skipped(journal.workflowId(), errno);
    uncounted.clear();
  }
}
