package dev.dbops.activities.mysql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dbops.workflows.common.ErrorTypes;
import io.temporal.failure.ApplicationFailure;
import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;

class SqlFailuresTest {
  private static ErrorTypes.Classification of(int errno, String state) {
    return SqlFailures.classify(new SQLException("x", state, errno));
  }

  @Test
  void givenConnectionFailures_whenClassified_thenRetryable() {
    assertEquals(
        new ErrorTypes.Classification(SqlFailures.DB_UNAVAILABLE, true),
        of(0, "08S01"),
        "Connector/J's communications link failure");
    assertTrue(of(0, "08001").retryable());
    assertTrue(SqlFailures.classify(new SQLRecoverableException("gone")).retryable());
    assertTrue(SqlFailures.classify(new SQLTransientConnectionException("later")).retryable());
  }

  @Test
  void givenTransientServerErrors_whenClassified_thenRetryable() {
    for (int errno : new int[] {1040, 1053, 1205, 1213, 1290, 1836, 1927, 2013}) {
      assertTrue(of(errno, "HY000").retryable(), "errno " + errno);
    }
  }

  @Test
  void givenRefusals_whenClassified_thenNonRetryableWithTheirType() {
    assertEquals(new ErrorTypes.Classification(ErrorTypes.ACCESS_DENIED, false), of(1045, "28000"));
    assertEquals(new ErrorTypes.Classification(ErrorTypes.ACCESS_DENIED, false), of(1227, "42000"));
    assertEquals(new ErrorTypes.Classification(ErrorTypes.NOT_FOUND, false), of(1049, "42000"));
    assertEquals(new ErrorTypes.Classification(SqlFailures.SQL_FAILED, false), of(1064, "42000"));
    assertEquals(new ErrorTypes.Classification(SqlFailures.SQL_FAILED, false), of(1146, "42S02"));
  }

  @Test
  void givenAFailure_whenBuilt_thenMessageNamesWhatErrnoStateAndRootCause() {
    SQLException e =
        new SQLException(
            "Communications link failure\n\nThe last packet sent …",
            "08S01",
            0,
            new ConnectException("Connection refused"));
    ApplicationFailure f = SqlFailures.failure("connect to 127.0.0.1:1 as app", e);
    assertEquals(SqlFailures.DB_UNAVAILABLE, f.getType());
    assertFalse(f.isNonRetryable());
    assertEquals(
        "connect to 127.0.0.1:1 as app failed: (08S01): Communications link failure "
            + "(ConnectException: Connection refused)",
        f.getOriginalMessage());
  }

  @Test
  void givenASyntaxError_whenBuilt_thenNonRetryableWithErrno() {
    ApplicationFailure f =
        SqlFailures.failure(
            "SELEC 1 on db:3306",
            new SQLException("You have an error in your SQL syntax", "42000", 1064));
    assertTrue(f.isNonRetryable());
    assertEquals(
        "SELEC 1 on db:3306 failed: errno 1064 (42000): You have an error in your SQL syntax",
        f.getOriginalMessage());
  }
}
