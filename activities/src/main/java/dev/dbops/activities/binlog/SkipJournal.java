package dev.dbops.activities.binlog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dbops.activities.mysql.SqlFailures;
import dev.dbops.activities.sql.ReplicationSql;
import dev.dbops.workflows.binlog.BinlogPosition;
import dev.dbops.workflows.binlog.JournalEntry;
import dev.dbops.workflows.common.ErrorTypes;
import io.temporal.failure.ApplicationFailure;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The journal of skipped event groups, a table on the replica ({@link ReplicationSql#CREATE_JOURNAL_TABLE}):
 * written before each skip, read back by id. Its unique source coordinates make writing
 * idempotent; its {@code skips} column tells a resumed attempt whether the skip already happened
 * (0: journaled, then the attempt died; more: the replica stopped again at the same place).
 * Entries are scoped to one source and one workflow id (a workflow keeps its id across
 * continue-as-new).
 */
final class SkipJournal {
  static final String POLICY = "policy";
  static final String SKIPPED = "SKIPPED";
  static final String REAPPLIED = "REAPPLIED_WITHOUT_FK_CHECKS";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<List<String>> LINES = new TypeReference<>() {};

  /** A journal row and how many skips were made for it. */
  record Row(JournalEntry entry, int skips) {}

  private final SqlSession replica;
  private final String source;
  private final String workflowId;

  SkipJournal(SqlSession replica, String source, String workflowId) {
    this.replica = replica;
    this.source = source;
    this.workflowId = workflowId;
  }

  /** The workflow the entries are scoped to ("" for none). */
  String workflowId() {
    return workflowId == null ? "" : workflowId;
  }

  /** Creates the schema and tables if missing (the RDS master user may). */
  void ensure() {
    replica.execute(ReplicationSql.CREATE_JOURNAL_SCHEMA);
    replica.execute(ReplicationSql.CREATE_JOURNAL_TABLE);
  }

  Optional<Row> at(BinlogPosition p) {
    return replica.query(ReplicationSql.JOURNAL_AT, rs -> rs.next() ? Optional.of(row(rs)) : Optional.<Row>empty(),
        source, p.file(), p.position());
  }

  /** Entries after {@code id}, oldest first. */
  List<JournalEntry> after(long id) {
    return replica.query(ReplicationSql.JOURNAL_AFTER, rs -> {
      List<JournalEntry> out = new ArrayList<>();
      while (rs.next()) out.add(row(rs).entry());
      return out;
    }, source, workflowId, id);
  }

  int policySkipsAfter(long id) {
    return replica.query(ReplicationSql.POLICY_SKIPS_AFTER, rs -> rs.next() ? rs.getInt(1) : 0, source, workflowId, id);
  }

  /**
   * Journals the group {@code s} stopped on (INSERT IGNORE, one autocommit: durable when this
   * returns): the new row's id, or empty when a row for these coordinates was already there.
   * With {@code reapply} statements, they run in the same transaction with foreign_key_checks=0,
   * so the row exists exactly when the statements were applied.
   */
  OptionalLong write(SlaveStatus s, List<String> events, String action, String decidedBy, List<String> reapply) {
    Object[] args = {source, s.relayMasterLogFile(), s.execMasterLogPos(), s.relayLog(), s.lastSqlErrno(),
        s.lastSqlError() == null ? "" : s.lastSqlError(), json(events), action, decidedBy, workflowId};
    if (reapply.isEmpty()) return replica.insert("journal insert", ReplicationSql.JOURNAL_INSERT, args);
    replica.setAutoCommit(false);
    try {
      OptionalLong inserted = replica.insertRaw(ReplicationSql.JOURNAL_INSERT, args);
      if (inserted.isPresent()) {
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
      if (SqlFailures.retryable(e)) throw SqlFailures.failure("re-applying " + s.executed() + " on " + replica.where(), e);
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

  /** Counts one rds_skip_repl_error made for entry {@code id}. */
  void skipped(long id) {
    replica.update("journal skips + 1", ReplicationSql.JOURNAL_SKIPPED, id);
  }

  private static Row row(ResultSet rs) throws SQLException {
    JournalEntry e = new JournalEntry(rs.getLong("id"),
        new BinlogPosition(rs.getString("source_file"), rs.getLong("source_pos")), rs.getString("relay_log"),
        rs.getInt("errno"), rs.getString("error"), lines(rs.getString("events")), rs.getString("action"),
        rs.getString("decided_by"), rs.getString("at_utc"));
    return new Row(e, rs.getInt("skips"));
  }

  static String json(List<String> lines) {
    try {
      return JSON.writeValueAsString(lines);
    } catch (JsonProcessingException e) {
      throw ApplicationFailure.newNonRetryableFailureWithCause("journal events not writable as JSON",
          ErrorTypes.INVALID_STATE, e);
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
