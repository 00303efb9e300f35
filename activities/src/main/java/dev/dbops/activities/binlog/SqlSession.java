package dev.dbops.activities.binlog;

import dev.dbops.activities.mysql.MySqlConnector;
import dev.dbops.activities.mysql.SqlFailures;
import dev.dbops.activities.sql.ReplicationSql;
import dev.dbops.workflows.binlog.DbTarget;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One JDBC connection to a source or replica, with every {@link SQLException} sorted by {@link
 * SqlFailures} and named by what was run where. Statements with arguments are client-side prepared
 * (Connector/J's default), which escapes them; the {@code shown} text of a statement holding a
 * password replaces it in every message. Sessions run in UTC.
 */
final class SqlSession implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SqlSession.class);

  interface Rows<T> {
    T read(ResultSet rs) throws SQLException;
  }

  private final Connection c;
  private final String where;

  private SqlSession(Connection c, String where) {
    this.c = c;
    this.where = where;
  }

  /**
   * Connects as the target's login with {@code password} (resolved by the caller, never logged).
   */
  static SqlSession open(MySqlConnector connector, DbTarget target, String password) {
    String where = MySqlConnector.target(target.host(), target.port());
    Connection c;
    try {
      c = connector.open(target.host(), target.port(), target.login().user(), password);
    } catch (SQLException e) {
      throw SqlFailures.failure("connect to " + where + " as " + target.login().user(), e);
    }
    SqlSession s = new SqlSession(c, where);
    try {
      s.execute(ReplicationSql.SESSION_UTC);
    } catch (RuntimeException e) {
      s.close();
      throw e;
    }
    return s;
  }

  String where() {
    return where;
  }

  <T> T query(String sql, Rows<T> rows) {
    try {
      return queryRaw(sql, rows);
    } catch (SQLException e) {
      throw SqlFailures.failure(sql + " on " + where, e);
    }
  }

  /** For callers that handle some errors themselves (a missing table, a refused SHOW). */
  <T> T queryRaw(String sql, Rows<T> rows) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      return rows.read(rs);
    }
  }

  <T> T query(String sql, Rows<T> rows, Object... args) {
    try {
      return queryRaw(sql, rows, args);
    } catch (SQLException e) {
      throw SqlFailures.failure(sql + " on " + where, e);
    }
  }

  <T> T queryRaw(String sql, Rows<T> rows, Object... args) throws SQLException {
    try (PreparedStatement ps = prepare(sql, args);
        ResultSet rs = ps.executeQuery()) {
      return rows.read(rs);
    }
  }

  /** Runs a statement (a CALL may answer with result sets: they are read and dropped). */
  void execute(String sql) {
    try {
      executeRaw(sql);
    } catch (SQLException e) {
      throw SqlFailures.failure(sql + " on " + where, e);
    }
  }

  void executeRaw(String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      drain(s, s.execute(sql));
    }
  }

  /** The update count of a statement with arguments; {@code shown} is what messages say was run. */
  int update(String shown, String sql, Object... args) {
    try {
      return updateRaw(sql, args);
    } catch (SQLException e) {
      throw SqlFailures.failure(shown + " on " + where, e);
    }
  }

  int updateRaw(String sql, Object... args) throws SQLException {
    try (PreparedStatement ps = prepare(sql, args)) {
      boolean results = ps.execute();
      int count = results ? 0 : ps.getUpdateCount();
      drain(ps, results);
      return count;
    }
  }

  /**
   * An INSERT (IGNORE) with arguments: the AUTO_INCREMENT id it generated, or empty when it
   * inserted no row. {@code shown} is what messages say was run.
   */
  OptionalLong insert(String shown, String sql, Object... args) {
    try {
      return insertRaw(sql, args);
    } catch (SQLException e) {
      throw SqlFailures.failure(shown + " on " + where, e);
    }
  }

  OptionalLong insertRaw(String sql, Object... args) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql, Statement.RETURN_GENERATED_KEYS)) {
      for (int i = 0; i < args.length; i++) ps.setObject(i + 1, args[i]);
      if (ps.executeUpdate() != 1) return OptionalLong.empty();
      try (ResultSet keys = ps.getGeneratedKeys()) {
        if (!keys.next())
          throw new IllegalStateException(
              where + ": a row was inserted without a generated id: " + sql);
        return OptionalLong.of(keys.getLong(1));
      }
    }
  }

  void setAutoCommit(boolean on) {
    try {
      // Connector/J sends SET autocommit even when it is already so: a round trip per re-apply.
      if (c.getAutoCommit() == on) return;
      c.setAutoCommit(on);
    } catch (SQLException e) {
      throw SqlFailures.failure("autocommit " + on + " on " + where, e);
    }
  }

  void commit() {
    try {
      c.commit();
    } catch (SQLException e) {
      throw SqlFailures.failure("COMMIT on " + where, e);
    }
  }

  /** After a failure: the transaction is gone either way, so a failing rollback is only logged. */
  void rollbackQuietly() {
    try {
      c.rollback();
    } catch (SQLException e) {
      log.debug("{}: ROLLBACK failed: {}", where, SqlFailures.describe(e));
    }
  }

  @Override
  public void close() {
    try {
      c.close();
    } catch (SQLException e) {
      log.debug("{}: closing the connection failed: {}", where, SqlFailures.describe(e));
    }
  }

  private PreparedStatement prepare(String sql, Object... args) throws SQLException {
    PreparedStatement ps = c.prepareStatement(sql);
    try {
      for (int i = 0; i < args.length; i++) ps.setObject(i + 1, args[i]);
      return ps;
    } catch (SQLException e) {
      ps.close();
      throw e;
    }
  }

  private static void drain(Statement s, boolean results) throws SQLException {
    while (true) {
      if (results) {
        try (ResultSet rs = s.getResultSet()) {
          while (rs.next()) {
            // a procedure's message rows: nothing to act on
          }
        }
      } else if (s.getUpdateCount() == -1) {
        return;
      }
      results = s.getMoreResults();
    }
  }
}
