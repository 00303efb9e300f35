package dev.dbops.activities.upgrade;

import dev.dbops.activities.common.SecretResolver;
import dev.dbops.activities.mysql.MySqlConnector;
import dev.dbops.activities.mysql.MySqlSettings;
import dev.dbops.activities.mysql.ReadOnlyChecks;
import dev.dbops.activities.mysql.SqlFailures;
import dev.dbops.workflows.common.DbLogin;
import dev.dbops.workflows.common.ErrorTypes;
import dev.dbops.workflows.upgrade.DbEndpoint;
import dev.dbops.workflows.upgrade.MySqlCheckActivities;
import dev.dbops.workflows.upgrade.PrecheckReport;
import dev.dbops.workflows.upgrade.UpgradeSql;
import dev.dbops.workflows.upgrade.VerifyReport;
import dev.dbops.workflows.upgrade.VerifySpec;
import io.temporal.activity.Activity;
import io.temporal.failure.ApplicationFailure;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SQL on the cluster's writer through Connector/J: the upgrade's pre-checks, and verification once
 * RDS reports the new version. Every {@link SQLException} is sorted by {@link SqlFailures};
 * passwords come from {@link SecretResolver} and appear in no log line or message.
 */
public final class MySqlCheckActivitiesImpl implements MySqlCheckActivities {
  private static final Logger log = LoggerFactory.getLogger(MySqlCheckActivitiesImpl.class);

  private final SecretResolver secrets;
  private final MySqlConnector connector;

  public MySqlCheckActivitiesImpl(SecretResolver secrets, MySqlSettings settings) {
    this.secrets = secrets;
    this.connector = new MySqlConnector(settings);
  }

  /** {@link MySqlSettings#defaults()}: TLS when the server offers it. */
  public MySqlCheckActivitiesImpl(SecretResolver secrets) {
    this(secrets, MySqlSettings.defaults());
  }

  // ------------------------------------------------------------------------------ precheck

  @Override
  public PrecheckReport precheck(DbEndpoint endpoint) {
    requireEndpoint(
        endpoint == null ? null : endpoint.host(),
        endpoint == null ? 0 : endpoint.port(),
        endpoint == null ? null : endpoint.login());
    String where = MySqlConnector.target(endpoint.host(), endpoint.port());
    String password = secrets.resolve(endpoint.login().passwordRef());
    Connection c = connectOnce(endpoint.host(), endpoint.port(), endpoint.login().user(), password);
    try {
      String version = version(c, where);
      List<String> xa = preparedXa(c, where);
      List<String> ddl = runningDdl(c, where);
      Trx trx = largestTrx(c, where);
      long hll = historyListLength(c, where);
      PrecheckReport report =
          new PrecheckReport(version, xa, ddl, trx.rowsModified(), trx.id(), hll);
      log.info(
          "precheck {}: version {}, {} prepared XA, {} DDL running, largest trx {} rows "
              + "modified, history list length {}",
          where,
          version,
          xa.size(),
          ddl.size(),
          report.largestTrxRowsModified(),
          hll);
      return report;
    } finally {
      closeQuietly(c, where);
    }
  }

  private static List<String> preparedXa(Connection c, String where) {
    List<String> lines = new ArrayList<>();
    query(
        c,
        UpgradeSql.XA_RECOVER,
        where,
        rs -> {
          while (rs.next()) {
            byte[] data = rs.getBytes("data");
            lines.add(
                UpgradeSql.xaLine(
                    rs.getLong("formatID"),
                    rs.getInt("gtrid_length"),
                    rs.getInt("bqual_length"),
                    data == null ? new byte[0] : data));
          }
        });
    return lines;
  }

  private static List<String> runningDdl(Connection c, String where) {
    List<String> lines = new ArrayList<>();
    query(
        c,
        UpgradeSql.RUNNING_STATEMENTS,
        where,
        rs -> {
          while (rs.next()) {
            String info = rs.getString("INFO");
            if (UpgradeSql.isDdl(info)) {
              lines.add(
                  UpgradeSql.statementLine(
                      rs.getLong("ID"), rs.getString("USER"), rs.getLong("TIME"), info));
            }
          }
        });
    return lines;
  }

  private record Trx(String id, long rowsModified) {}

  /** The open transaction that modified the most rows, or (null, 0) when none is open. */
  private static Trx largestTrx(Connection c, String where) {
    Trx[] out = {new Trx(null, 0)};
    query(
        c,
        UpgradeSql.LARGEST_TRX,
        where,
        rs -> {
          if (rs.next()) out[0] = new Trx(rs.getString(1), rs.getLong(2));
        });
    return out[0];
  }

  /**
   * INNODB_METRICS when its counter is enabled, else the number in SHOW ENGINE INNODB STATUS; -1
   * when neither says (logged: the pre-check then cannot judge it).
   */
  private static long historyListLength(Connection c, String where) {
    long[] fromMetrics = {-1};
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(UpgradeSql.HISTORY_LIST_LENGTH)) {
      if (rs.next() && UpgradeSql.metricEnabled(column(rs, "STATUS"), column(rs, "ENABLED"))) {
        fromMetrics[0] = rs.getLong("COUNT");
      }
    } catch (SQLException e) {
      if (SqlFailures.retryable(e))
        throw SqlFailures.failure(UpgradeSql.HISTORY_LIST_LENGTH + " on " + where, e);
      log.info(
          "{}: INNODB_METRICS unreadable ({}); reading SHOW ENGINE INNODB STATUS",
          where,
          SqlFailures.describe(e));
    }
    if (fromMetrics[0] >= 0) return fromMetrics[0];
    String[] status = new String[1];
    query(
        c,
        UpgradeSql.INNODB_STATUS,
        where,
        rs -> {
          if (rs.next()) status[0] = rs.getString("Status");
        });
    OptionalLong parsed = UpgradeSql.historyListLength(status[0]);
    if (parsed.isEmpty())
      log.warn("{}: no history list length in INNODB_METRICS or INNODB STATUS", where);
    return parsed.orElse(-1);
  }

  // -------------------------------------------------------------------------------- verify

  @Override
  public VerifyReport verify(VerifySpec spec) {
    requireEndpoint(
        spec == null ? null : spec.host(),
        spec == null ? 0 : spec.port(),
        spec == null ? null : spec.login());
    if (spec.expectedVersionPrefix() == null || spec.expectedVersionPrefix().isBlank()) {
      throw invalidInput("expectedVersionPrefix: required");
    }
    String where = MySqlConnector.target(spec.host(), spec.port());
    String password = secrets.resolve(spec.login().passwordRef());
    Connection c = connectRetrying(spec.host(), spec.port(), spec.login().user(), password);
    try {
      String version = version(c, where);
      if (version == null || !version.startsWith(spec.expectedVersionPrefix())) {
        throw ApplicationFailure.newNonRetryableFailure(
            where
                + " reports VERSION() "
                + version
                + ", expected it to start with "
                + spec.expectedVersionPrefix(),
            ErrorTypes.VERIFY_FAILED);
      }
      List<String> smoke = spec.smokeSql() == null ? List.of() : spec.smokeSql();
      List<String> results = new ArrayList<>(smoke.size());
      for (int i = 0; i < smoke.size(); i++) {
        results.add(smoke(c, where, i + 1, smoke.size(), smoke.get(i)));
      }
      log.info(
          "verify {}: VERSION() {}, {} smoke statements passed", where, version, results.size());
      return new VerifyReport(version, results);
    } finally {
      closeQuietly(c, where);
    }
  }

  /**
   * One smoke statement, through {@link ReadOnlyChecks} (parsed again, run in a read-only
   * transaction): its first row (or "(no rows)") on success, VERIFY_FAILED when the server refuses
   * it, is no read-only check or tries to write.
   */
  private static String smoke(Connection c, String where, int n, int of, String sql) {
    String shown = UpgradeSql.shorten(sql);
    try {
      ReadOnlyChecks.Answer a = ReadOnlyChecks.run(c, sql, ErrorTypes.VERIFY_FAILED);
      return shown + " -> " + (a.rows().isEmpty() ? "(no rows)" : firstRow(a.rows().get(0)));
    } catch (SQLException e) {
      if (SqlFailures.retryable(e))
        throw SqlFailures.failure("smoke statement " + n + " on " + where, e);
      throw ApplicationFailure.newNonRetryableFailureWithCause(
          "smoke statement "
              + n
              + " of "
              + of
              + " failed on "
              + where
              + ": "
              + shown
              + ": "
              + SqlFailures.describe(e),
          ErrorTypes.VERIFY_FAILED,
          e);
    }
  }

  /** The value of column {@code label} of the current row, or null when there is no such column. */
  private static String column(ResultSet rs, String label) throws SQLException {
    ResultSetMetaData md = rs.getMetaData();
    for (int i = 1; i <= md.getColumnCount(); i++) {
      if (label.equalsIgnoreCase(md.getColumnLabel(i))) return rs.getString(i);
    }
    return null;
  }

  private static String firstRow(List<Object> row) {
    List<String> cells = new ArrayList<>(row.size());
    for (Object v : row)
      cells.add(v instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : String.valueOf(v));
    return String.join(", ", cells);
  }

  /**
   * Connects, trying again while the failure is retryable (the endpoint restarts during and right
   * after an upgrade) for {@link MySqlSettings#reconnectFor()}; then the last failure, still
   * retryable, goes to Temporal's retry policy.
   */
  private Connection connectRetrying(String host, int port, String user, String password) {
    MySqlSettings s = connector.settings();
    long deadline = System.nanoTime() + s.reconnectFor().toNanos();
    int attempt = 0;
    while (true) {
      attempt++;
      try {
        return connector.open(host, port, user, password);
      } catch (SQLException e) {
        String what = "connect to " + MySqlConnector.target(host, port) + " as " + user;
        if (!SqlFailures.retryable(e)) throw SqlFailures.failure(what, e);
        if (System.nanoTime() + s.reconnectPause().toNanos() > deadline) {
          throw SqlFailures.failure(
              what + " (" + attempt + " tries over " + s.reconnectFor() + ")", e);
        }
        log.info(
            "{} failed ({}); trying again in {}",
            what,
            SqlFailures.describe(e),
            s.reconnectPause());
        Activity.getExecutionContext().heartbeat(attempt);
        pause(s);
      }
    }
  }

  private Connection connectOnce(String host, int port, String user, String password) {
    try {
      return connector.open(host, port, user, password);
    } catch (SQLException e) {
      throw SqlFailures.failure(
          "connect to " + MySqlConnector.target(host, port) + " as " + user, e);
    }
  }

  /** The answers are in; a failing close (the server went away meanwhile) changes nothing. */
  private static void closeQuietly(Connection c, String where) {
    try {
      c.close();
    } catch (SQLException e) {
      log.debug("{}: closing the connection failed: {}", where, SqlFailures.describe(e));
    }
  }

  private static void pause(MySqlSettings s) {
    try {
      Thread.sleep(s.reconnectPause().toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ApplicationFailure.newFailure(
          "interrupted while waiting to reconnect", SqlFailures.DB_UNAVAILABLE);
    }
  }

  // ------------------------------------------------------------------------------- helpers

  private static String version(Connection c, String where) {
    String[] v = new String[1];
    query(
        c,
        UpgradeSql.VERSION,
        where,
        rs -> {
          if (rs.next()) v[0] = rs.getString(1);
        });
    return v[0];
  }

  private interface Rows {
    void read(ResultSet rs) throws SQLException;
  }

  private static void query(Connection c, String sql, String where, Rows rows) {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rows.read(rs);
    } catch (SQLException e) {
      throw SqlFailures.failure(sql + " on " + where, e);
    }
  }

  private static void requireEndpoint(String host, int port, DbLogin login) {
    if (host == null || host.isBlank()) throw invalidInput("host: required");
    if (port < 1 || port > 65535) throw invalidInput("port: must be 1..65535, was " + port);
    if (login == null) throw invalidInput("login: required");
    String problem = login.problem("login");
    if (problem != null) throw invalidInput(problem);
  }

  private static ApplicationFailure invalidInput(String message) {
    return ApplicationFailure.newNonRetryableFailure(message, ErrorTypes.INVALID_INPUT);
  }
}
