package dev.dbops.activities.binlog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dbops.activities.mysql.SqlFailures;
import dev.dbops.activities.sql.ReplicationSql;
import dev.dbops.workflows.binlog.BinlogPosition;
import dev.dbops.workflows.binlog.Conflict;
import dev.dbops.workflows.binlog.JournalEntry;
import dev.dbops.workflows.binlog.JournalPage;
import dev.dbops.workflows.common.ErrorTypes;
import dev.dbops.workflows.common.MysqlErrno;
import io.temporal.failure.ApplicationFailure;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The journal of skipped event groups, a table on the replica ({@link
 * ReplicationSql#CREATE_JOURNAL_TABLE}): written before each skip, read back by id. Its unique
 * source coordinates make writing idempotent; its {@code skips} column tells a resumed attempt
 * whether the skip already happened (0: journaled, then the attempt died; more: the replica stopped
 * again at the same place). Entries are scoped to one source and one workflow id (a workflow keeps
 * its id across continue-as-new).
 */
final class SkipJournal {
  static final String POLICY = "policy";
  static final String SKIPPED = "SKIPPED";
  static final String REAPPLIED = "REAPPLIED_WITHOUT_FK_CHECKS";

  /**
   * STATEMENT mode: the transaction was applied again minus its conflicts (listed with the entry).
   */
  static final String APPLIED_EXCEPT_CONFLICTS = "APPLIED_EXCEPT_CONFLICTS";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<List<String>> LINES = new TypeReference<>() {};

  /** A journal row and how many skips were made for it. */
  record Row(JournalEntry entry, int skips) {}

  private final SqlSession replica;
  private final String source;
  private final String workflowId;

  /**
   * The conflicts table is there (STATEMENT mode's conflicts, TRANSACTION mode's lost rows): read
   * it with the entries.
   */
  private boolean conflictsKept;

  SkipJournal(SqlSession replica, String source, String workflowId) {
    this.replica = replica;
    this.source = source;
    this.workflowId = workflowId;
  }

  /**
   * The same journal through another session of the replica (the STATEMENT-mode re-apply's own).
   */
  SkipJournal on(SqlSession other) {
    return new SkipJournal(other, source, workflowId);
  }

  /** The workflow the entries are scoped to ("" for none). */
  String workflowId() {
    return workflowId == null ? "" : workflowId;
  }

  /**
   * Creates the schema and tables if missing (the RDS master user may), and adds the {@code gtid}
   * column to a table created before it: looked up first, so a table that has it sees no DDL; a
   * session that added it at the same time is no failure.
   */
  void ensure() {
    replica.execute(ReplicationSql.CREATE_JOURNAL_SCHEMA);
    replica.execute(ReplicationSql.CREATE_JOURNAL_TABLE);
    if (replica.query(ReplicationSql.JOURNAL_HAS_GTID, rs -> rs.next() && rs.getInt(1) > 0)) return;
    try {
      replica.executeRaw(ReplicationSql.JOURNAL_ADD_GTID);
    } catch (SQLException e) {
      if (!MysqlErrno.ER_DUP_FIELDNAME.is(e.getErrorCode())) {
        throw SqlFailures.failure(ReplicationSql.JOURNAL_ADD_GTID + " on " + replica.where(), e);
      }
    }
  }

  /** The conflicts table too: STATEMENT mode's conflicts, TRANSACTION mode's lost rows. */
  void ensureConflicts() {
    replica.execute(ReplicationSql.CREATE_CONFLICT_TABLE);
    conflictsKept = true;
  }

  Optional<Row> at(BinlogPosition p) {
    return replica.query(
        ReplicationSql.JOURNAL_AT,
        rs -> rs.next() ? Optional.of(row(rs)) : Optional.<Row>empty(),
        source,
        p.file(),
        p.position());
  }

  /** Entries after {@code id}, oldest first. */
  List<JournalEntry> after(long id) {
    List<JournalEntry> entries =
        replica.query(
            ReplicationSql.JOURNAL_AFTER,
            rs -> {
              List<JournalEntry> out = new ArrayList<>();
              while (rs.next()) out.add(row(rs).entry());
              return out;
            },
            source,
            workflowId,
            id);
    if (!conflictsKept
        && entries.stream().noneMatch(e -> APPLIED_EXCEPT_CONFLICTS.equals(e.action()))) {
      return entries.stream().map(e -> merged(e, List.of())).toList();
    }
    java.util.Map<Long, List<Conflict>> conflicts =
        replica.query(
            ReplicationSql.CONFLICTS_AFTER, SkipJournal::conflicts, source, workflowId, id);
    List<JournalEntry> out = new ArrayList<>(entries.size());
    for (JournalEntry e : entries) out.add(merged(e, conflicts.getOrDefault(e.id(), List.of())));
    return out;
  }

  /**
   * Up to {@code limit} entries after {@code id}, oldest first, with their conflicts as {@link
   * #after} reads them, and whether another follows. Reads only: a replica without the journal
   * table has no entries, one without the conflicts table (never a conflict journaled) none of
   * those.
   */
  JournalPage page(long id, int limit) {
    List<JournalEntry> entries;
    try {
      // One more than asked tells whether there is another page without a COUNT over the journal.
      entries = entries(ReplicationSql.journalPage(limit + 1), id);
    } catch (SQLException e) {
      if (MysqlErrno.ER_NO_SUCH_TABLE.is(e.getErrorCode()))
        return new JournalPage(List.of(), false);
      if (!MysqlErrno.ER_BAD_FIELD_ERROR.is(e.getErrorCode())) {
        throw SqlFailures.failure("reading the journal on " + replica.where(), e);
      }
      // A table from before the gtid column, read as it is (a read does not alter it).
      try {
        entries = entries(ReplicationSql.journalPageBeforeGtid(limit + 1), id);
      } catch (SQLException again) {
        throw SqlFailures.failure("reading the journal on " + replica.where(), again);
      }
    }
    boolean more = entries.size() > limit;
    if (more) entries = entries.subList(0, limit);
    if (entries.isEmpty()) return new JournalPage(List.of(), false);
    java.util.Map<Long, List<Conflict>> conflicts;
    try {
      conflicts =
          replica.queryRaw(
              ReplicationSql.CONFLICTS_BETWEEN,
              SkipJournal::conflicts,
              source,
              workflowId,
              entries.get(0).id(),
              entries.get(entries.size() - 1).id());
    } catch (SQLException e) {
      if (!MysqlErrno.ER_NO_SUCH_TABLE.is(e.getErrorCode()))
        throw SqlFailures.failure("reading conflicts on " + replica.where(), e);
      conflicts = java.util.Map.of();
    }
    List<JournalEntry> out = new ArrayList<>(entries.size());
    for (JournalEntry e : entries) out.add(merged(e, conflicts.getOrDefault(e.id(), List.of())));
    return new JournalPage(out, more);
  }

  private List<JournalEntry> entries(String sql, long id) throws SQLException {
    return replica.queryRaw(
        sql,
        rs -> {
          List<JournalEntry> out = new ArrayList<>();
          while (rs.next()) out.add(row(rs).entry());
          return out;
        },
        source,
        workflowId,
        id);
  }

  /**
   * An entry as read from the table with its conflicts (one rule for {@link #after} and {@link
   * #page}).
   */
  static JournalEntry merged(JournalEntry e, List<Conflict> c) {
    return new JournalEntry(
        e.id(),
        e.source(),
        e.relayLog(),
        e.errno(),
        e.error(),
        e.events(),
        e.action(),
        e.decidedBy(),
        e.at(),
        List.copyOf(c),
        rowsLost(e.action(), e.events(), c),
        e.gtid());
  }

  /**
   * Rows of the source's transaction not on the replica as the source has them because of this
   * entry ({@link JournalEntry#rowsLost}), counted by {@link Conflict#losesSourceRow()}: a re-apply
   * without foreign-key checks applied every statement (none); STATEMENT mode lost what its
   * conflicts lost; a whole-transaction skip the rows it lists that the replica does not hold as
   * the source has them ({@link LostRows} compared each) — unknown (null) when it lists none (its
   * rows could not be read) or it holds statement events too, whose rows no image lists.
   */
  static Integer rowsLost(String action, List<String> events, List<Conflict> conflicts) {
    if (REAPPLIED.equals(action)) return 0;
    boolean split = APPLIED_EXCEPT_CONFLICTS.equals(action);
    if (!split && (conflicts.isEmpty() || events.stream().anyMatch(EventGroup::isDmlLine)))
      return null;
    return (int) conflicts.stream().filter(Conflict::losesSourceRow).count();
  }

  /**
   * STATEMENT mode, inside the caller's open transaction: the journal row that is also the
   * transaction's marker (INSERT IGNORE on the source coordinates): its id, or empty when a row for
   * these coordinates is already there (applied before: only the skip is left). The transaction's
   * GTID is read from its events ({@link SlaveStatus#failingGtid}).
   */
  OptionalLong writeMarkerRaw(SlaveStatus s, List<String> events, String decidedBy)
      throws SQLException {
    return replica.insertRaw(
        ReplicationSql.JOURNAL_INSERT,
        source,
        s.relayMasterLogFile(),
        s.execMasterLogPos(),
        s.relayLog(),
        s.lastSqlErrno(),
        s.lastSqlError() == null ? "" : s.lastSqlError(),
        json(events),
        APPLIED_EXCEPT_CONFLICTS,
        decidedBy,
        workflowId,
        s.failingGtid(events));
  }

  /**
   * STATEMENT mode, inside the caller's open transaction: the conflicts of journal row {@code id}.
   */
  void writeConflictsRaw(long id, List<Conflict> conflicts) throws SQLException {
    int seq = 0;
    for (Conflict c : conflicts) {
      replica.updateRaw(
          ReplicationSql.CONFLICT_INSERT,
          id,
          seq++,
          c.errno(),
          c.table(),
          c.change(),
          c.sourceRow(),
          c.replicaRow(),
          c.resolution(),
          c.decidedBy());
    }
  }

  private static java.util.Map<Long, List<Conflict>> conflicts(ResultSet rs) throws SQLException {
    java.util.Map<Long, List<Conflict>> out = new java.util.HashMap<>();
    while (rs.next()) {
      out.computeIfAbsent(rs.getLong("journal_id"), k -> new ArrayList<>())
          .add(
              new Conflict(
                  rs.getInt("errno"),
                  rs.getString("table_name"),
                  rs.getString("change_kind"),
                  rs.getString("source_row"),
                  rs.getString("replica_row"),
                  rs.getString("resolution"),
                  rs.getString("decided_by")));
    }
    return out;
  }

  int policySkipsAfter(long id) {
    return replica.query(
        ReplicationSql.POLICY_SKIPS_AFTER,
        rs -> rs.next() ? rs.getInt(1) : 0,
        source,
        workflowId,
        id);
  }

  /**
   * Journals the group {@code s} stopped on (INSERT IGNORE, one autocommit: durable when this
   * returns): the new row's id, or empty when a row for these coordinates was already there. With
   * {@code reapply} statements, they run in the same transaction with foreign_key_checks=0, so the
   * row exists exactly when the statements were applied; {@code lost} rows are written in that
   * transaction too. The group's GTID is read from its events ({@link SlaveStatus#failingGtid}).
   */
  OptionalLong write(
      SlaveStatus s,
      List<String> events,
      String action,
      String decidedBy,
      List<String> reapply,
      List<Conflict> lost) {
    Object[] args = {
      source,
      s.relayMasterLogFile(),
      s.execMasterLogPos(),
      s.relayLog(),
      s.lastSqlErrno(),
      s.lastSqlError() == null ? "" : s.lastSqlError(),
      json(events),
      action,
      decidedBy,
      workflowId,
      s.failingGtid(events)
    };
    if (reapply.isEmpty() && lost.isEmpty())
      return replica.insert("journal insert", ReplicationSql.JOURNAL_INSERT, args);
    replica.setAutoCommit(false);
    try {
      OptionalLong inserted = replica.insertRaw(ReplicationSql.JOURNAL_INSERT, args);
      if (inserted.isPresent()) writeConflictsRaw(inserted.getAsLong(), lost);
      if (inserted.isPresent() && !reapply.isEmpty()) {
        replica.executeRaw(ReplicationSql.FOREIGN_KEY_CHECKS_OFF);
        try {
          for (String sql : reapply) replica.executeRaw(sql);
        } finally {
          replica.executeRaw(ReplicationSql.FOREIGN_KEY_CHECKS_ON);
        }
      }
      replica.commit();
      return inserted;
    } catch (SQLException e) {
      replica.rollbackQuietly();
      if (SqlFailures.retryable(e))
        throw SqlFailures.failure("re-applying " + s.executed() + " on " + replica.where(), e);
      throw new ReapplyRefused(SqlFailures.describe(e));
    } catch (RuntimeException e) {
      replica.rollbackQuietly();
      throw e;
    } finally {
      replica.setAutoCommit(true);
    }
  }

  /** The foreign-key re-apply failed on the replica (nothing of it stays). */
  static final class ReapplyRefused extends RuntimeException {
    ReapplyRefused(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * Entries of this workflow with no skip counted yet (journaled, or skipped by an attempt that
   * died before counting).
   */
  List<Row> uncounted() {
    return replica.query(
        ReplicationSql.JOURNAL_UNCOUNTED,
        rs -> {
          List<Row> out = new ArrayList<>();
          while (rs.next()) out.add(row(rs));
          return out;
        },
        source,
        workflowId);
  }

  /**
   * Counts the one skip made for entry {@code id} by an attempt that died before counting it; false
   * if already counted.
   */
  boolean skippedBeforeCrash(long id) {
    return replica.update(
            "journal skips = 1 (counted late)", ReplicationSql.JOURNAL_SKIP_COUNTED_LATE, id)
        == 1;
  }

  /** Counts one rds_skip_repl_error made for each of the entries {@code ids}. */
  void skipped(java.util.Collection<Long> ids) {
    if (ids.isEmpty()) return;
    replica.update(
        "journal skips + 1 for " + ids.size() + " entries",
        ReplicationSql.journalSkipped(ids.size()),
        ids.toArray());
  }

  private static Row row(ResultSet rs) throws SQLException {
    JournalEntry e =
        new JournalEntry(
            rs.getLong("id"),
            new BinlogPosition(rs.getString("source_file"), rs.getLong("source_pos")),
            rs.getString("relay_log"),
            rs.getInt("errno"),
            rs.getString("error"),
            lines(rs.getString("events")),
            rs.getString("action"),
            rs.getString("decided_by"),
            rs.getString("at_utc"),
            List.of(),
            null,
            rs.getString("gtid"));
    return new Row(e, rs.getInt("skips"));
  }

  static String json(List<String> lines) {
    try {
      return JSON.writeValueAsString(lines);
    } catch (JsonProcessingException e) {
      throw ApplicationFailure.newNonRetryableFailureWithCause(
          "journal events not writable as JSON", ErrorTypes.INVALID_STATE, e);
    }
  }

  static List<String> lines(String json) {
    if (json == null || json.isBlank()) return List.of();
    try {
      return JSON.readValue(json, LINES);
    } catch (JsonProcessingException e) {
      return List.of(json);
    }
  }
}
