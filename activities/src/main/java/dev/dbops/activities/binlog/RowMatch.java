package dev.dbops.activities.binlog;

import dev.dbops.activities.sql.ReplicationSql;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one comparison of a source's row with the replica's, for STATEMENT mode's duplicate keys and
 * TRANSACTION mode's lost rows alike: the source's row is written in a scratch copy of its table (a
 * temporary table, made once per table and session), so it is stored as the replica's table would
 * store it, then read back in one round trip with the replica's rows sharing a key with it. Both
 * are read alike from tables of one structure, so equal means equal value for value (bytes, not
 * collation).
 */
final class RowMatch {
  /** The source's rows (from the scratch table) and the replica's rows sharing a key with them. */
  record Rows(List<Map<String, Object>> source, List<Map<String, Object>> replica) {
    /** The replica holds the source's rows value for value, and nothing else under their keys. */
    boolean same() {
      return replica.equals(source);
    }

    /**
     * The replica's rows as the journal shows them: one as an object, more as a list, none as null.
     */
    String replicaJson() {
      return json(replica);
    }
  }

  private final SqlSession db;
  private final Map<String, String> scratchTables;

  /**
   * @param scratchTables {@code db}'s scratch tables by the table they copy, kept by the caller as
   *     long as the session (temporary tables live with it)
   */
  RowMatch(SqlSession db, Map<String, String> scratchTables) {
    this.db = db;
    this.scratchTables = scratchTables;
  }

  /**
   * A scratch copy of {@code t}, empty: where the source's row is written as the replica's table
   * would store it.
   */
  String scratch(TableShape t) throws SQLException {
    String scratch = scratchTables.get(t.qualified());
    if (scratch == null) {
      scratch = ReplicationSql.SCRATCH_TABLE + "_" + (scratchTables.size() + 1);
      db.executeRaw("CREATE TEMPORARY TABLE " + scratch + " LIKE " + t.qualified());
      scratchTables.put(t.qualified(), scratch);
    } else {
      db.executeRaw("DELETE FROM " + scratch);
    }
    return scratch;
  }

  /** Drops the session's scratch tables (their tables' structure may have changed). */
  void dropScratchTables() throws SQLException {
    for (String scratch : scratchTables.values())
      db.executeRaw("DROP TEMPORARY TABLE IF EXISTS " + scratch);
    scratchTables.clear();
  }

  /**
   * {@code row} (bound for {@code t}) written in {@code t}'s scratch table, then as {@link #rows}.
   */
  Rows of(TableShape t, Object[] row, List<List<String>> keys) throws SQLException {
    String scratch = scratch(t);
    db.updateRaw(insertSql("INSERT", t, scratch), row);
    return rows(t, scratch, keys);
  }

  /**
   * The scratch table's rows and the replica's rows sharing one of {@code keys} with them, in one
   * round trip (a UNION tagged by where each row comes from; the scratch table is a copy of the
   * table, so the columns line up).
   */
  Rows rows(TableShape t, String scratch, List<List<String>> keys) throws SQLException {
    List<String> or = new ArrayList<>();
    for (List<String> key : keys) {
      List<String> and = new ArrayList<>();
      for (String c : key)
        and.add("t." + ReplicationSql.quoted(c) + " = s." + ReplicationSql.quoted(c));
      or.add("(" + String.join(" AND ", and) + ")");
    }
    String sql =
        "SELECT 's' AS dbops_from, s.* FROM "
            + scratch
            + " s"
            + (or.isEmpty()
                ? ""
                : " UNION ALL SELECT 'r', t.* FROM "
                    + t.qualified()
                    + " t JOIN "
                    + scratch
                    + " s ON "
                    + String.join(" OR ", or));
    List<Map<String, Object>> source = new ArrayList<>();
    List<Map<String, Object>> replica = new ArrayList<>();
    for (Map<String, Object> row : db.queryRaw(sql, rs -> read(rs, t))) {
      Object from = row.remove("dbops_from");
      ("s".equals(from) ? source : replica).add(row);
    }
    return new Rows(source, replica);
  }

  /** The replica's rows whose {@code key} columns equal {@code row}'s (bound for {@code t}). */
  List<Map<String, Object>> byKey(TableShape t, List<String> key, Object[] row)
      throws SQLException {
    return db.queryRaw(
        "SELECT * FROM " + t.qualified() + " WHERE " + whereKey(key),
        rs -> read(rs, t),
        keyValues(t, key, row));
  }

  /** Rows as the comparison reads them: column label to the value as the journal shows it. */
  static List<Map<String, Object>> read(ResultSet rs, TableShape t) throws SQLException {
    List<Map<String, Object>> out = new ArrayList<>();
    int n = rs.getMetaData().getColumnCount();
    while (rs.next()) {
      Map<String, Object> row = new LinkedHashMap<>();
      for (int i = 1; i <= n; i++) {
        Object v = rs.getObject(i);
        row.put(
            rs.getMetaData().getColumnLabel(i),
            RowValues.shown(
                v instanceof byte[] || v == null || v instanceof Number ? v : rs.getString(i)));
      }
      out.add(row);
    }
    return out;
  }

  /** Rows as the journal shows them: one as an object, more as a list, none as null. */
  static String json(List<Map<String, Object>> rows) {
    return rows.isEmpty() ? null : RowValues.write(rows.size() == 1 ? rows.get(0) : rows);
  }

  /** {@code verb INTO table (t's columns) VALUES (?, …)}. */
  static String insertSql(String verb, TableShape t, String table) {
    List<String> cols = new ArrayList<>();
    List<String> marks = new ArrayList<>();
    for (String c : t.names()) {
      cols.add(ReplicationSql.quoted(c));
      marks.add("?");
    }
    return verb
        + " INTO "
        + table
        + " ("
        + String.join(", ", cols)
        + ") VALUES ("
        + String.join(", ", marks)
        + ")";
  }

  /** {@code a = ? AND b = ?} over {@code key}'s columns. */
  static String whereKey(List<String> key) {
    List<String> and = new ArrayList<>();
    for (String c : key) and.add(ReplicationSql.quoted(c) + " = ?");
    return String.join(" AND ", and);
  }

  /** {@code row}'s values of {@code key}'s columns, in the key's order. */
  static Object[] keyValues(TableShape t, List<String> key, Object[] row) {
    Object[] out = new Object[key.size()];
    for (int i = 0; i < key.size(); i++) out[i] = row[t.index(key.get(i))];
    return out;
  }
}
