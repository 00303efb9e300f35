package dev.dbops.activities.mysql;

import dev.dbops.workflows.common.ErrorTypes;
import io.temporal.failure.ApplicationFailure;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;

/**
 * Turns a JDBC {@link SQLException} into a Temporal failure, classified by {@link
 * ErrorTypes#classifySql} — the JDBC counterpart of {@code AwsFailures}.
 */
public final class SqlFailures {
  private SqlFailures() {}

  /** Aliases of the {@link ErrorTypes} constants, kept for callers in this module. */
  public static final String DB_UNAVAILABLE = ErrorTypes.DB_UNAVAILABLE;

  public static final String SQL_FAILED = ErrorTypes.SQL_FAILED;

  /** How {@code e} is treated: the failure type and whether retrying can help. */
  public static ErrorTypes.Classification classify(SQLException e) {
    return ErrorTypes.classifySql(
        e.getErrorCode(),
        e.getSQLState(),
        e instanceof SQLTransientException || e instanceof SQLRecoverableException);
  }

  /** True when {@code e} is worth another try (a reconnect loop asks this). */
  public static boolean retryable(SQLException e) {
    return classify(e).retryable();
  }

  /**
   * The classified Temporal failure for {@code e}. {@code what} says what was being done and where
   * ({@code "connect to 10.0.0.5:3306"}, {@code "XA RECOVER on …"}); the message adds the errno,
   * SQLSTATE and the server's text (which never holds the password).
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
