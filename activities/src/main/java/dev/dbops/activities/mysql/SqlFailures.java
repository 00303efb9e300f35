package dev.dbops.activities.mysql;

import dev.dbops.workflows.common.ErrorTypes;
import io.temporal.failure.ApplicationFailure;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Map;

/**
 * The one mapping from MySQL / MariaDB errors to retryable or non-retryable Temporal failures,
 * the JDBC counterpart of {@link ErrorTypes#classifyAws} (and meant to move into
 * {@link ErrorTypes} with the two types below).
 *
 * <p>Sorted by the server's error number first, then by SQLSTATE class {@code 08} (connection
 * exception: refused, dropped, "communications link failure" — Connector/J reports these with
 * errno 0), then by the JDBC exception family ({@link SQLTransientException},
 * {@link SQLRecoverableException}). Anything else is a statement the server refused, and
 * repeating it would get the same answer.
 */
public final class SqlFailures {
  private SqlFailures() {}

  /**
   * Retryable: the database could not be reached or dropped the connection, or refused for a
   * passing reason (too many connections, lock wait timeout, deadlock, read-only during a
   * failover). An upgrade restarts the endpoint, so this is expected for minutes.
   */
  public static final String DB_UNAVAILABLE = "DbUnavailable";
  /** Non-retryable: the server rejected a statement (syntax, missing table, …). */
  public static final String SQL_FAILED = "SqlFailed";

  private static final ErrorTypes.Classification UNAVAILABLE =
      new ErrorTypes.Classification(DB_UNAVAILABLE, true);
  private static final ErrorTypes.Classification FAILED =
      new ErrorTypes.Classification(SQL_FAILED, false);
  private static final ErrorTypes.Classification DENIED =
      new ErrorTypes.Classification(ErrorTypes.ACCESS_DENIED, false);
  private static final ErrorTypes.Classification NO_DATABASE =
      new ErrorTypes.Classification(ErrorTypes.NOT_FOUND, false);

  /** Error numbers (server ER_* and client CR_*) that are not {@link #FAILED}. */
  private static final Map<Integer, ErrorTypes.Classification> BY_ERRNO = Map.ofEntries(
      // The server is going away, starting, overloaded or briefly read-only.
      Map.entry(1040, UNAVAILABLE), // ER_CON_COUNT_ERROR: too many connections
      Map.entry(1043, UNAVAILABLE), // ER_HANDSHAKE_ERROR: bad handshake (server starting)
      Map.entry(1053, UNAVAILABLE), // ER_SERVER_SHUTDOWN: shutdown in progress
      Map.entry(1081, UNAVAILABLE), // ER_IPSOCK_ERROR
      Map.entry(1135, UNAVAILABLE), // ER_CANT_CREATE_THREAD
      Map.entry(1152, UNAVAILABLE), // ER_ABORTING_CONNECTION
      Map.entry(1158, UNAVAILABLE), // ER_NET_READ_ERROR
      Map.entry(1159, UNAVAILABLE), // ER_NET_READ_INTERRUPTED
      Map.entry(1160, UNAVAILABLE), // ER_NET_ERROR_ON_WRITE
      Map.entry(1161, UNAVAILABLE), // ER_NET_WRITE_INTERRUPTED
      Map.entry(1184, UNAVAILABLE), // ER_NEW_ABORTING_CONNECTION
      Map.entry(1205, UNAVAILABLE), // ER_LOCK_WAIT_TIMEOUT
      Map.entry(1213, UNAVAILABLE), // ER_LOCK_DEADLOCK
      Map.entry(1290, UNAVAILABLE), // ER_OPTION_PREVENTS_STATEMENT: --read-only (Aurora failover)
      Map.entry(1317, UNAVAILABLE), // ER_QUERY_INTERRUPTED: killed by shutdown or an operator
      Map.entry(1836, UNAVAILABLE), // ER_READ_ONLY_MODE
      Map.entry(1927, UNAVAILABLE), // ER_CONNECTION_KILLED (MariaDB)
      Map.entry(2002, UNAVAILABLE), // CR_CONNECTION_ERROR
      Map.entry(2003, UNAVAILABLE), // CR_CONN_HOST_ERROR
      Map.entry(2005, UNAVAILABLE), // CR_UNKNOWN_HOST: a new endpoint's DNS name not there yet
      Map.entry(2006, UNAVAILABLE), // CR_SERVER_GONE_ERROR
      Map.entry(2013, UNAVAILABLE), // CR_SERVER_LOST
      Map.entry(2055, UNAVAILABLE), // CR_SERVER_LOST_EXTENDED
      // Credentials and grants: retrying would not change them.
      Map.entry(1044, DENIED), // ER_DBACCESS_DENIED_ERROR
      Map.entry(1045, DENIED), // ER_ACCESS_DENIED_ERROR
      Map.entry(1142, DENIED), // ER_TABLEACCESS_DENIED_ERROR
      Map.entry(1143, DENIED), // ER_COLUMNACCESS_DENIED_ERROR
      Map.entry(1227, DENIED), // ER_SPECIFIC_ACCESS_DENIED_ERROR (e.g. PROCESS missing)
      Map.entry(1698, DENIED), // ER_ACCESS_DENIED_NO_PASSWORD_ERROR
      Map.entry(1049, NO_DATABASE)); // ER_BAD_DB_ERROR

  /** How {@code e} is treated: the failure type and whether retrying can help. */
  public static ErrorTypes.Classification classify(SQLException e) {
    ErrorTypes.Classification byErrno = BY_ERRNO.get(e.getErrorCode());
    if (byErrno != null) return byErrno;
    String state = e.getSQLState();
    if (state != null && state.startsWith("08")) return UNAVAILABLE;
    if (e instanceof SQLTransientException || e instanceof SQLRecoverableException) return UNAVAILABLE;
    return FAILED;
  }

  /** True when {@code e} is worth another try (a reconnect loop asks this). */
  public static boolean retryable(SQLException e) {
    return classify(e).retryable();
  }

  /**
   * The classified Temporal failure for {@code e}. {@code what} says what was being done and
   * where ({@code "connect to 10.0.0.5:3306"}, {@code "XA RECOVER on …"}); the message adds the
   * errno, SQLSTATE and the server's text (which never holds the password).
   */
  public static ApplicationFailure failure(String what, SQLException e) {
    ErrorTypes.Classification c = classify(e);
    String message = what + " failed: " + describe(e);
    return c.retryable()
        ? ApplicationFailure.newFailureWithCause(message, c.type(), e)
        : ApplicationFailure.newNonRetryableFailureWithCause(message, c.type(), e);
  }

  /** {@code errno 1146 (42S02): Table 'x.y' doesn't exist}; errno 0 is left out. */
  public static String describe(SQLException e) {
    StringBuilder sb = new StringBuilder();
    if (e.getErrorCode() != 0) sb.append("errno ").append(e.getErrorCode()).append(' ');
    if (e.getSQLState() != null) sb.append('(').append(e.getSQLState()).append(")");
    if (!sb.isEmpty()) sb.append(": ");
    sb.append(firstLine(e.getMessage()));
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) root = root.getCause();
    if (root != e) {
      sb.append(" (").append(root.getClass().getSimpleName());
      if (root.getMessage() != null) sb.append(": ").append(firstLine(root.getMessage()));
      sb.append(')');
    }
    return sb.toString();
  }

  private static String firstLine(String message) {
    if (message == null) return "no message";
    int nl = message.indexOf('\n');
    return (nl < 0 ? message : message.substring(0, nl)).strip();
  }
}
