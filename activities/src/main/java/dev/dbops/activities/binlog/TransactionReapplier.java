package dev.dbops.activities.binlog;

import dev.dbops.activities.mysql.SqlFailures;
import dev.dbops.activities.sql.ReplicationSql;
import dev.dbops.workflows.binlog.Conflict;
import dev.dbops.workflows.binlog.DuplicateKeyResolution;
import dev.dbops.workflows.binlog.ForeignKeyMode;
import dev.dbops.workflows.binlog.MissingRowResolution;
import dev.dbops.workflows.binlog.SkipPolicy;
import dev.dbops.workflows.binlog.SkipRules;
import dev.dbops.workflows.common.MysqlErrno;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * STATEMENT mode (issue 8): applies a transaction read from the source's binlog again on the
 * replica, in one replica transaction of its own session, statement by statement and row by row
 * each behind a SAVEPOINT, minus only what conflicts, resolved per errno by the policy:
 *
 * <ul>
 *   <li>1062 (the row is already there): keep the replica's row, or take the source's (REPLACE) — a
 *       row event's row, or a statement event that inserts exactly one row; neither when the
 *       replica's row equals the source's value for value (ALREADY_ON_REPLICA: nothing lost);
 *   <li>1032 (an update or delete finds no row; row events only): leave the change out, or insert
 *       an update's after image;
 *   <li>1452 (no parent row): per {@link ForeignKeyMode} — STOP_AND_ASK rolls everything back for a
 *       person, DISABLE_CHECKS applies that statement or row with foreign_key_checks=0.
 * </ul>
 *
 * The journal row (the marker, unique on the source coordinates) is written first in the same
 * transaction and its conflicts last, both with the source and the replica version of the row: the
 * marker exists exactly when the re-apply committed, so a resumed attempt that finds it only skips.
 * Anything that cannot be split safely (a multi-row statement or INSERT … SELECT that conflicts,
 * DDL, an errno the policy does not allow, a table without primary key, a value it cannot bind)
 * rolls everything back and is left to a person, with the reason.
 */
final class TransactionReapplier {
  private static final Logger log = LoggerFactory.getLogger(TransactionReapplier.class);

  static final String KEPT_REPLICA_ROW = Conflict.KEPT_REPLICA_ROW;
  static final String ALREADY_ON_REPLICA = Conflict.ALREADY_ON_REPLICA;
  static final String TOOK_SOURCE_ROW = "TOOK_SOURCE_ROW";
  static final String SKIPPED_MISSING_ROW = Conflict.SKIPPED_MISSING_ROW;
  static final String REINSERTED = "REINSERTED";
  static final String APPLIED_WITHOUT_FK_CHECKS = "APPLIED_WITHOUT_FK_CHECKS";

  /** What the re-apply ended with. */
  /**
   * @param sessionReusable false when a statement with INSERT_ID context failed (the value may
   *     still be set for the session's next insert) or nothing was committed: a new session next
   *     time
   */
  record Outcome(
      long journalId,
      boolean written,
      List<Conflict> conflicts,
      String reason,
      String why,
      boolean sessionReusable) {
    static Outcome refused(String reason, String why) {
      return new Outcome(0, false, List.of(), reason, why, false);
    }
  }

  /**
   * Everything is rolled back and a person decides; {@code reason} as {@link ReplicationMonitor}'s.
   */
  private static final class Refused extends Exception {
    final String reason;

    Refused(String reason, String why) {
      super(why, null, false, false);
      this.reason = reason;
    }
  }

  private final SqlSession db;
  private final SkipJournal journal;
  private final SkipPolicy policy;
  private final SkipRules rules;
  private final String decidedBy;
  private final Map<String, TableShape> shapes;
  private final RowMatch match;
  private final List<Conflict> conflicts = new ArrayList<>();
  private final SkipHooks hooks;
  private boolean contextLeft;

  /** The default schema and TIMESTAMP this re-apply set on the session (null: not yet). */
  private String database;

  private Long timestamp;

  /**
   * @param db a session of the replica for this re-apply only (its session state is changed)
   * @param shapes tables' structure read by earlier re-applies (two information_schema reads per
   *     table otherwise); the caller empties it when DDL may have gone by
   * @param scratchTables {@code db}'s scratch tables by the table they copy; the caller empties it
   *     with the session
   */
  TransactionReapplier(
      SqlSession db,
      SkipJournal journal,
      SkipPolicy policy,
      String decidedBy,
      SkipHooks hooks,
      Map<String, TableShape> shapes,
      Map<String, String> scratchTables) {
    this.hooks = hooks;
    this.shapes = shapes;
    this.match = new RowMatch(db, scratchTables);
    this.db = db;
    this.journal = journal.on(db);
    this.policy = policy;
    this.rules = SkipRules.of(policy);
    this.decidedBy = decidedBy;
  }

  Outcome apply(SlaveStatus s, SourceTransaction tx) {
    if (tx.refusal() != null) return Outcome.refused(ReplicationMonitor.CANNOT_SPLIT, tx.refusal());
    db.setAutoCommit(false);
    try {
      OptionalLong marker = journal.writeMarkerRaw(s, tx.lines(), decidedBy);
      if (marker.isEmpty()) {
        db.rollbackQuietly();
        return new Outcome(0, false, List.of(), null, "already applied", false);
      }
      for (SourceTransaction.Change c : tx.changes()) {
        if (c instanceof SourceTransaction.Statement st) statement(st);
        else row((SourceTransaction.Row) c);
      }
      if (timestamp != null) db.executeRaw(ReplicationSql.TIMESTAMP_DEFAULT);
      journal.writeConflictsRaw(marker.getAsLong(), conflicts);
      hooks.beforeReapplyCommit(s.executed());
      db.commit();
      return new Outcome(
          marker.getAsLong(), true, List.copyOf(conflicts), null, null, !contextLeft);
    } catch (Refused r) {
      db.rollbackQuietly();
      log.info(
          "{}: the transaction at {} is not applied piece by piece: {}",
          db.where(),
          s.executed(),
          r.getMessage());
      return Outcome.refused(r.reason, r.getMessage());
    } catch (SQLException e) {
      db.rollbackQuietly();
      if (SqlFailures.retryable(e))
        throw SqlFailures.failure("re-applying " + s.executed() + " on " + db.where(), e);
      return Outcome.refused(
          ReplicationMonitor.CANNOT_SPLIT, "re-applying failed: " + SqlFailures.describe(e));
    } catch (RuntimeException e) {
      db.rollbackQuietly();
      throw e;
    }
  }

  // ------------------------------------------------------------------------- statements

  private void statement(SourceTransaction.Statement st) throws SQLException, Refused {
    if (!InsertShape.isDml(st.sql())) {
      throw new Refused(
          ReplicationMonitor.CANNOT_SPLIT,
          "it holds a statement that is not INSERT/UPDATE/DELETE/" + "REPLACE: " + st.sql());
    }
    // One round trip less per statement where the schema or time stays as the previous one set it.
    if (st.database() != null && !st.database().isEmpty() && !st.database().equals(database)) {
      db.executeRaw(ReplicationSql.use(st.database()));
      database = st.database();
    }
    if (timestamp == null || timestamp != st.timestampSeconds()) {
      db.updateRaw(ReplicationSql.SET_TIMESTAMP, st.timestampSeconds());
      timestamp = st.timestampSeconds();
    }
    for (String set : st.context()) db.executeRaw(set);
    db.executeRaw(ReplicationSql.SAVEPOINT);
    try {
      db.executeRaw(st.sql());
      return;
    } catch (SQLException e) {
      if (SqlFailures.retryable(e)) throw e;
      contextLeft |= !st.context().isEmpty();
      db.executeRaw(ReplicationSql.ROLLBACK_TO_SAVEPOINT);
      int errno = e.getErrorCode();
      allowed(errno, e, st.sql());
      if (MysqlErrno.ER_NO_REFERENCED_ROW_2.is(errno)) {
        withoutForeignKeyChecks(
            () -> {
              for (String set : st.context()) db.executeRaw(set);
              db.executeRaw(st.sql());
            },
            st.sql());
        conflicts.add(
            conflict(
                errno,
                tableOf(st),
                kind(st.sql()),
                RowValues.write(Map.of("statement", st.sql())),
                null,
                APPLIED_WITHOUT_FK_CHECKS));
        return;
      }
      if (!MysqlErrno.ER_DUP_ENTRY.is(errno)) throw notResolvable(errno, e, st.sql());
      InsertShape shape = InsertShape.of(st.sql());
      if (!shape.singleRow()) {
        throw new Refused(
            ReplicationMonitor.CANNOT_SPLIT,
            "a statement that inserts more than one row (or INSERT …"
                + " SELECT, or an UPDATE) hit a duplicate key, and cannot be split: "
                + st.sql());
      }
      duplicateStatement(st, shape);
    }
  }

  /**
   * The one row the statement inserts, put in a scratch copy of its table, then as {@link
   * #duplicate}.
   */
  private void duplicateStatement(SourceTransaction.Statement st, InsertShape shape)
      throws SQLException, Refused {
    String[] qualified = qualifiedName(st, shape.table());
    TableShape t = shape(qualified[0], qualified[1]);
    String scratch = match.scratch(t);
    for (String set : st.context()) db.executeRaw(set);
    db.executeRaw("INSERT INTO " + scratch + " " + shape.rest());
    duplicate(t, scratch, "INSERT", null);
  }

  /**
   * A duplicate key (1062) on the source's one row, which is in {@code scratch}: compared with the
   * replica's rows sharing a key with it, both read alike from tables of one structure, so equal
   * means equal value for value (bytes, not collation). The replica already has it: nothing is
   * changed or lost. Otherwise kept out, or REPLACEd in, as the policy says.
   *
   * @param sourceRow the row as the journal shows it; null: as read from {@code scratch}
   */
  private void duplicate(TableShape t, String scratch, String change, String sourceRow)
      throws SQLException, Refused {
    String name = t.database() + "." + t.table();
    RowMatch.Rows rows = match.rows(t, scratch, t.uniqueKeys());
    if (rows.source().size() != 1) {
      throw new Refused(
          ReplicationMonitor.CANNOT_SPLIT,
          "expected one source row of " + name + ", found " + rows.source().size());
    }
    String replica = rows.replicaJson();
    String source = sourceRow != null ? sourceRow : RowValues.write(rows.source().get(0));
    if (rows.same()) {
      conflicts.add(
          conflict(
              MysqlErrno.ER_DUP_ENTRY.code(), name, change, source, replica, ALREADY_ON_REPLICA));
      return;
    }
    if (policy.onDuplicateKeyOrDefault() == DuplicateKeyResolution.KEEP_REPLICA_ROW) {
      conflicts.add(
          conflict(
              MysqlErrno.ER_DUP_ENTRY.code(), name, change, source, replica, KEPT_REPLICA_ROW));
      return;
    }
    db.executeRaw(ReplicationSql.SAVEPOINT);
    try {
      db.executeRaw("REPLACE INTO " + t.qualified() + " SELECT * FROM " + scratch);
    } catch (SQLException e) {
      if (SqlFailures.retryable(e)) throw e;
      throw new Refused(
          ReplicationMonitor.CANNOT_SPLIT,
          "taking the source's row of " + name + " failed: " + SqlFailures.describe(e));
    }
    conflicts.add(
        conflict(MysqlErrno.ER_DUP_ENTRY.code(), name, change, source, replica, TOOK_SOURCE_ROW));
  }

  // ------------------------------------------------------------------------------- rows

  private void row(SourceTransaction.Row r) throws SQLException, Refused {
    TableShape t = shape(r.database(), r.table());
    if (t.columns().size() != r.columns()) {
      throw new Refused(
          ReplicationMonitor.CANNOT_SPLIT,
          r.qualifiedTable()
              + " has "
              + t.columns().size()
              + " columns on the replica and "
              + r.columns()
              + " in the source's row image");
    }
    if (t.primaryKey().isEmpty()) {
      throw new Refused(
          ReplicationMonitor.CANNOT_SPLIT,
          r.qualifiedTable()
              + " has no primary key on the replica:"
              + " its rows cannot be found one by one");
    }
    Object[] before = bind(t, r.before());
    Object[] after = bind(t, r.after());
    String name = t.database() + "." + t.table();
    switch (r.kind()) {
      case INSERT -> insertRow(t, name, after);
      case UPDATE -> updateRow(t, name, before, after);
      case DELETE -> deleteRow(t, name, before);
    }
  }

  private void insertRow(TableShape t, String name, Object[] after) throws SQLException, Refused {
    String insert = insertSql("INSERT", t);
    db.executeRaw(ReplicationSql.SAVEPOINT);
    try {
      db.updateRaw(insert, after);
    } catch (SQLException e) {
      if (SqlFailures.retryable(e)) throw e;
      db.executeRaw(ReplicationSql.ROLLBACK_TO_SAVEPOINT);
      int errno = e.getErrorCode();
      allowed(errno, e, "insert into " + name);
      if (MysqlErrno.ER_NO_REFERENCED_ROW_2.is(errno)) {
        withoutForeignKeyChecks(() -> db.updateRaw(insert, after), "insert into " + name);
        conflicts.add(
            conflict(
                errno, name, "INSERT", RowValues.json(t, after), null, APPLIED_WITHOUT_FK_CHECKS));
        return;
      }
      if (!MysqlErrno.ER_DUP_ENTRY.is(errno)) throw notResolvable(errno, e, "insert into " + name);
      String scratch = match.scratch(t);
      try {
        db.updateRaw(RowMatch.insertSql("INSERT", t, scratch), after);
      } catch (SQLException f) {
        if (SqlFailures.retryable(f)) throw f;
        throw new Refused(
            ReplicationMonitor.CANNOT_SPLIT,
            "the source's row of "
                + name
                + " does not fit a copy of"
                + " its table: "
                + SqlFailures.describe(f));
      }
      duplicate(t, scratch, "INSERT", RowValues.json(t, after));
    }
  }

  private void updateRow(TableShape t, String name, Object[] before, Object[] after)
      throws SQLException, Refused {
    List<String> set = new ArrayList<>();
    for (String c : t.names()) set.add(ReplicationSql.quoted(c) + " = ?");
    String update =
        "UPDATE "
            + t.qualified()
            + " SET "
            + String.join(", ", set)
            + " WHERE "
            + byKey(t.primaryKey());
    Object[] args = concat(after, keyValues(t, t.primaryKey(), before));
    db.executeRaw(ReplicationSql.SAVEPOINT);
    int found;
    try {
      found = db.updateRaw(update, args);
    } catch (SQLException e) {
      if (SqlFailures.retryable(e)) throw e;
      db.executeRaw(ReplicationSql.ROLLBACK_TO_SAVEPOINT);
      int errno = e.getErrorCode();
      allowed(errno, e, "update of " + name);
      if (MysqlErrno.ER_NO_REFERENCED_ROW_2.is(errno)) {
        withoutForeignKeyChecks(() -> db.updateRaw(update, args), "update of " + name);
        conflicts.add(
            conflict(
                errno,
                name,
                "UPDATE",
                RowValues.json(t, before, after),
                null,
                APPLIED_WITHOUT_FK_CHECKS));
        return;
      }
      if (!MysqlErrno.ER_DUP_ENTRY.is(errno)
          || policy.onDuplicateKeyOrDefault() != DuplicateKeyResolution.KEEP_REPLICA_ROW) {
        throw notResolvable(errno, e, "update of " + name);
      }
      conflicts.add(
          conflict(
              errno,
              name,
              "UPDATE",
              RowValues.json(t, before, after),
              replicaRowsSharingKeys(t, after),
              KEPT_REPLICA_ROW));
      return;
    }
    if (found > 0) return;
    missingRow(name, "update of " + name);
    String source = RowValues.json(t, before, after);
    if (policy.onMissingRowOrDefault() == MissingRowResolution.SKIP_CHANGE) {
      conflicts.add(
          conflict(
              MysqlErrno.ER_KEY_NOT_FOUND.code(),
              name,
              "UPDATE",
              source,
              null,
              SKIPPED_MISSING_ROW));
      return;
    }
    try {
      db.updateRaw(insertSql("INSERT", t), after);
    } catch (SQLException e) {
      if (SqlFailures.retryable(e)) throw e;
      throw new Refused(
          ReplicationMonitor.CANNOT_SPLIT,
          "re-inserting the missing row of " + name + " failed: " + SqlFailures.describe(e));
    }
    conflicts.add(
        conflict(MysqlErrno.ER_KEY_NOT_FOUND.code(), name, "UPDATE", source, null, REINSERTED));
  }

  private void deleteRow(TableShape t, String name, Object[] before) throws SQLException, Refused {
    String delete = "DELETE FROM " + t.qualified() + " WHERE " + byKey(t.primaryKey());
    Object[] key = keyValues(t, t.primaryKey(), before);
    db.executeRaw(ReplicationSql.SAVEPOINT);
    int found;
    try {
      found = db.updateRaw(delete, key);
    } catch (SQLException e) {
      if (SqlFailures.retryable(e)) throw e;
      db.executeRaw(ReplicationSql.ROLLBACK_TO_SAVEPOINT);
      allowed(e.getErrorCode(), e, "delete from " + name);
      throw notResolvable(e.getErrorCode(), e, "delete from " + name);
    }
    if (found > 0) return;
    missingRow(name, "delete from " + name);
    conflicts.add(
        conflict(
            MysqlErrno.ER_KEY_NOT_FOUND.code(),
            name,
            "DELETE",
            RowValues.json(t, before),
            null,
            SKIPPED_MISSING_ROW));
  }

  private void missingRow(String name, String what) throws Refused {
    if (!policy.allows(MysqlErrno.ER_KEY_NOT_FOUND.code(), "Can't find record in '" + name + "'")) {
      throw new Refused(
          SkipRules.NOT_ALLOWED,
          what + " finds no row on the replica (1032), which the" + " policy does not allow");
    }
  }

  /**
   * The replica rows sharing the primary key or a unique key with {@code row} (JSON; null for
   * none).
   */
  private String replicaRowsSharingKeys(TableShape t, Object[] row) throws SQLException {
    List<String> or = new ArrayList<>();
    List<Object> args = new ArrayList<>();
    for (List<String> key : t.uniqueKeys()) {
      or.add("(" + byKey(key) + ")");
      for (Object v : keyValues(t, key, row)) args.add(v);
    }
    List<Map<String, Object>> found =
        db.queryRaw(
            "SELECT * FROM " + t.qualified() + " WHERE " + String.join(" OR ", or),
            rs -> RowMatch.read(rs, t),
            args.toArray());
    return RowMatch.json(found);
  }

  // ---------------------------------------------------------------------------- helpers

  private interface Apply {
    void run() throws SQLException;
  }

  /**
   * 1452 under DISABLE_CHECKS: {@code apply} with foreign_key_checks=0 (STOP_AND_ASK refuses all).
   */
  private void withoutForeignKeyChecks(Apply apply, String what) throws SQLException, Refused {
    if (!rules.appliesWithoutForeignKeyChecks()) {
      throw new Refused(
          SkipRules.FOREIGN_KEY,
          what
              + " has no parent row on the replica (1452) and the"
              + " foreign-key mode is "
              + policy.foreignKeyModeOrDefault());
    }
    db.executeRaw(ReplicationSql.FOREIGN_KEY_CHECKS_OFF);
    try {
      apply.run();
    } catch (SQLException e) {
      if (SqlFailures.retryable(e)) throw e;
      throw new Refused(
          ReplicationMonitor.CANNOT_SPLIT,
          what + " failed with foreign_key_checks=0 too: " + SqlFailures.describe(e));
    } finally {
      db.executeRaw(ReplicationSql.FOREIGN_KEY_CHECKS_ON);
    }
  }

  private void allowed(int errno, SQLException e, String what) throws Refused {
    String refusal = rules.statementRefusal(errno, e.getMessage());
    if (SkipRules.FOREIGN_KEY.equals(refusal)) {
      throw new Refused(refusal, what + ": " + SqlFailures.describe(e));
    }
    if (refusal != null) {
      throw new Refused(
          refusal,
          what
              + " failed with "
              + errno
              + ", which the policy does not"
              + " resolve: "
              + SqlFailures.describe(e));
    }
  }

  private static Refused notResolvable(int errno, SQLException e, String what) {
    return new Refused(
        ReplicationMonitor.CANNOT_SPLIT,
        what + ": " + errno + " is not resolved here: " + SqlFailures.describe(e));
  }

  private Conflict conflict(
      int errno, String table, String change, String source, String replica, String resolution) {
    return new Conflict(errno, table, change, source, replica, resolution, decidedBy);
  }

  private TableShape shape(String database, String table) throws SQLException, Refused {
    return TableShapes.of(db, shapes, database, table)
        .orElseThrow(
            () ->
                new Refused(
                    ReplicationMonitor.CANNOT_SPLIT,
                    database + "." + table + " does not exist on the replica"));
  }

  private static Object[] bind(TableShape t, java.io.Serializable[] image) throws Refused {
    try {
      return RowValues.bind(t, image);
    } catch (RowValues.Unsupported e) {
      throw new Refused(
          ReplicationMonitor.CANNOT_SPLIT, t.database() + "." + t.table() + ": " + e.getMessage());
    }
  }

  private static String insertSql(String verb, TableShape t) {
    return RowMatch.insertSql(verb, t, t.qualified());
  }

  private static String byKey(List<String> key) {
    return RowMatch.whereKey(key);
  }

  private static Object[] keyValues(TableShape t, List<String> key, Object[] row) {
    return RowMatch.keyValues(t, key, row);
  }

  private static Object[] concat(Object[] a, Object[] b) {
    Object[] out = new Object[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static String kind(String sql) {
    String head = sql.stripLeading();
    int space = head.indexOf(' ');
    return (space < 0 ? head : head.substring(0, space)).toUpperCase(java.util.Locale.ROOT);
  }

  private static String tableOf(SourceTransaction.Statement st) {
    InsertShape shape = InsertShape.of(st.sql());
    return shape.table() == null
        ? (st.database() == null ? "?" : st.database() + ".?")
        : String.join(".", qualifiedName(st, shape.table()));
  }

  /** {schema, table} of a table as a statement names it, its default schema filling in. */
  private static String[] qualifiedName(SourceTransaction.Statement st, String written) {
    List<String> parts = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < written.length(); i++) {
      char c = written.charAt(i);
      if (c == '`') {
        if (quoted && i + 1 < written.length() && written.charAt(i + 1) == '`') {
          cur.append('`');
          i++;
        } else {
          quoted = !quoted;
        }
      } else if (c == '.' && !quoted) {
        parts.add(cur.toString().strip());
        cur.setLength(0);
      } else if (quoted || !Character.isWhitespace(c)) {
        cur.append(c);
      }
    }
    parts.add(cur.toString().strip());
    return parts.size() == 2
        ? new String[] {parts.get(0), parts.get(1)}
        : new String[] {st.database(), parts.get(0)};
  }
}
