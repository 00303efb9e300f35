package dev.dbops.activities.mysql;

import dev.dbops.workflows.common.ErrorTypes;
import dev.dbops.workflows.sql.CheckSql;
import io.temporal.failure.ApplicationFailure;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Collectors;

/**
 * Runs SQL a user gave as a check (masking verification, upgrade smoke SQL) — the one way every
 * activity does it:
 *
 * <ol>
 *   <li>{@link CheckSql} again (the request was validated, but the activity trusts no caller):
 *       anything but one read-only statement is refused before the server sees it;
 *   <li>the session's {@code sql_mode} loses {@code NO_BACKSLASH_ESCAPES}, {@code ANSI_QUOTES} and
 *       {@code ANSI}, so the server cuts strings where {@link CheckSql}'s lexer did;
 *   <li>{@code START TRANSACTION READ ONLY}, the statement, {@code ROLLBACK}: a write that got past
 *       the parser (a stored function that inserts) is refused by the server itself (errno 1792),
 *       which is refused saying so;
 *   <li>at most {@link #MAX_ROWS} rows are read; {@link Answer#more()} says there were more.
 * </ol>
 */
public final class ReadOnlyChecks {
  private ReadOnlyChecks() {}

  /** Rows read from a check's answer; more are counted as "more", not fetched. */
  public static final int MAX_ROWS = 10;

  /** {@code ER_CANT_EXECUTE_IN_READ_ONLY_TRANSACTION}, MySQL and MariaDB alike. */
  public static final int READ_ONLY_TRANSACTION = 1792;

  static final List<String> LEXER_MODES = List.of("NO_BACKSLASH_ESCAPES", "ANSI_QUOTES", "ANSI");

  /** What a check answered: its column labels, its first rows, whether there were more. */
  public record Answer(List<String> columns, List<List<Object>> rows, boolean more) {
    /** The single whole number of a one-row, one-column answer; empty when it is anything else. */
    public OptionalLong wholeNumber() {
      if (columns.size() != 1 || rows.size() != 1 || more) return OptionalLong.empty();
      Object v = rows.get(0).get(0);
      if (v instanceof Boolean b) return OptionalLong.of(b ? 1 : 0);
      if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
        return OptionalLong.of(((Number) v).longValue());
      }
      try {
        if (v instanceof BigInteger i) return OptionalLong.of(i.longValueExact());
        if (v instanceof BigDecimal d) return OptionalLong.of(d.longValueExact());
      } catch (ArithmeticException e) {
        // a fraction or out of range: not a whole number
      }
      return OptionalLong.empty();
    }

    /** {@code 2 rows x 1 column (COUNT(*)): [0], [300]}: what came back, values shortened. */
    public String describe() {
      String shape =
          (more ? "more than " + rows.size() : String.valueOf(rows.size()))
              + " row(s) x "
              + columns.size()
              + " column(s) ("
              + String.join(", ", columns)
              + ")";
      if (rows.isEmpty()) return shape;
      return shape
          + ": "
          + rows.stream()
              .limit(3)
              .map(
                  r ->
                      r.stream()
                          .map(ReadOnlyChecks::shown)
                          .collect(Collectors.joining(", ", "[", "]")))
              .collect(Collectors.joining(", "))
          + (rows.size() > 3 || more ? ", …" : "");
    }
  }

  /**
   * Runs {@code sql} as above on {@code c} (left in autocommit, no transaction open).
   *
   * @param refusedType the failure type when the check is refused: the caller's, since by the time
   *     a check runs its procedure has changed things ({@link ErrorTypes#MASKING_FAILED}, {@link
   *     ErrorTypes#VERIFY_FAILED}) — never INVALID_INPUT, which says nothing changed
   * @throws ApplicationFailure of {@code refusedType}, non-retryable: no read-only check, or the
   *     server refused a write in the read-only transaction
   * @throws SQLException any other server error, for the caller to classify ({@link SqlFailures})
   */
  public static Answer run(Connection c, String sql, String refusedType) throws SQLException {
    String statement;
    try {
      statement = CheckSql.statement(sql);
    } catch (IllegalArgumentException e) {
      throw ApplicationFailure.newNonRetryableFailure(
          "not a read-only check (" + e.getMessage() + "): " + sql, refusedType);
    }
    readAsLexed(c);
    try (Statement s = c.createStatement()) {
      s.execute("START TRANSACTION READ ONLY");
      SQLException failed = null;
      try {
        s.setEscapeProcessing(
            false); // no JDBC {fn …}/{call …} rewriting: the server gets the text judged
        s.setMaxRows(MAX_ROWS + 1);
        if (!s.execute(statement)) {
          throw ApplicationFailure.newNonRetryableFailure(
              "check returned no rows but an update count " + s.getUpdateCount() + ": " + sql,
              refusedType);
        }
        try (ResultSet rs = s.getResultSet()) {
          return read(rs);
        }
      } catch (SQLException e) {
        failed = e;
        if (e.getErrorCode() == READ_ONLY_TRANSACTION) {
          throw ApplicationFailure.newNonRetryableFailureWithCause(
              "the check tried to write and the server"
                  + " refused it in the read-only transaction ("
                  + SqlFailures.describe(e)
                  + "): "
                  + sql,
              refusedType,
              e);
        }
        throw e;
      } finally {
        rollback(s, failed);
      }
    }
  }

  /** Clears the {@code sql_mode} flags that change where strings end from this session. */
  public static void readAsLexed(Connection c) throws SQLException {
    String mode;
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT @@SESSION.sql_mode")) {
      mode = rs.next() ? rs.getString(1) : null;
    }
    if (mode == null || mode.isEmpty()) return;
    List<String> flags = Arrays.asList(mode.split(","));
    List<String> kept =
        flags.stream().filter(f -> !LEXER_MODES.contains(f.strip().toUpperCase())).toList();
    if (kept.size() == flags.size()) return;
    try (PreparedStatement p = c.prepareStatement("SET SESSION sql_mode = ?")) {
      p.setString(1, String.join(",", kept));
      p.execute();
    }
  }

  private static Answer read(ResultSet rs) throws SQLException {
    ResultSetMetaData md = rs.getMetaData();
    List<String> columns = new ArrayList<>();
    for (int i = 1; i <= md.getColumnCount(); i++) columns.add(md.getColumnLabel(i));
    List<List<Object>> rows = new ArrayList<>();
    boolean more = false;
    while (rs.next()) {
      if (rows.size() == MAX_ROWS) {
        more = true;
        break;
      }
      List<Object> row = new ArrayList<>(columns.size());
      for (int i = 1; i <= columns.size(); i++) row.add(rs.getObject(i));
      rows.add(row);
    }
    return new Answer(columns, rows, more);
  }

  /**
   * Ends the read-only transaction; a failing rollback is only reported when nothing failed before.
   */
  private static void rollback(Statement s, SQLException failed) throws SQLException {
    try {
      s.execute("ROLLBACK");
    } catch (SQLException e) {
      if (failed == null) throw e;
      failed.addSuppressed(e);
    }
  }

  private static String shown(Object v) {
    if (v == null) return "NULL";
    String s = v instanceof byte[] b ? "<" + b.length + " bytes>" : v.toString();
    s = s.replaceAll("\\p{Cntrl}", "?");
    return v instanceof String
        ? "'" + (s.length() > 20 ? s.substring(0, 19) + "…" : s) + "'"
        : (s.length() > 20 ? s.substring(0, 19) + "…" : s);
  }
}
