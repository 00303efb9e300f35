package dev.dbops.workflows.common;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ErrorTypesTest {
  @ParameterizedTest(name = "{0} / HTTP {1} -> {2}, retryable={3}")
  @CsvSource({
    "SlowDown, 503, AwsTransient, true",
    "Throttling, 400, AwsTransient, true",
    "InternalError, 500, AwsTransient, true",
    "GlacierExpeditedRetrievalNotAvailable, 503, AwsTransient, true",
    ", 0, AwsTransient, true",
    ", 502, AwsTransient, true",
    "NoSuchBucket, 404, NotFound, false",
    "NoSuchKey, 404, NotFound, false",
    ", 404, NotFound, false",
    "AccessDenied, 403, AccessDenied, false",
    ", 403, AccessDenied, false",
    "InvalidObjectState, 403, InvalidState, false",
    "RestoreAlreadyInProgress, 409, InvalidState, false",
    "ObjectAlreadyInActiveTierError, 403, InvalidState, false",
    "OperationAborted, 409, AwsTransient, true",
    "DBClusterNotFoundFault, 404, NotFound, false",
    "InvalidParameterCombination, 400, InvalidParameter, false",
    "InvalidDBClusterStateFault, 400, InvalidState, false",
    "SomethingNew, 400, InvalidParameter, false",
    "SomethingNew, 503, AwsTransient, true",
  })
  void givenAwsError_whenClassified_thenTypeAndRetryability(
      String code, int status, String type, boolean retryable) {
    ErrorTypes.Classification c = ErrorTypes.classifyAws(code, status);
    assertEquals(type, c.type());
    assertEquals(retryable, c.retryable());
    assertEquals(!retryable, ErrorTypes.NON_RETRYABLE.contains(c.type()));
  }

  @ParameterizedTest(name = "errno {0} / SQLSTATE {1} / transient {2} -> {3}, retryable={4}")
  @CsvSource({
    "1213, 40001, true, DbUnavailable, true",
    "2013, HY000, false, DbUnavailable, true",
    "0, 08S01, false, DbUnavailable, true",
    "1045, 28000, false, AccessDenied, false",
    "1049, 42000, false, NotFound, false",
    "1146, 42S02, false, SqlFailed, false",
    "1064, 42000, false, SqlFailed, false",
    "0, HY000, true, DbUnavailable, true",
  })
  void givenSqlError_whenClassified_thenTypeAndRetryability(
      int errno, String state, boolean transientByDriver, String type, boolean retryable) {
    ErrorTypes.Classification c = ErrorTypes.classifySql(errno, state, transientByDriver);
    assertEquals(type, c.type());
    assertEquals(retryable, c.retryable());
    assertEquals(!retryable, ErrorTypes.NON_RETRYABLE.contains(c.type()));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "DBInstanceNotFound, NotFound",
    "ResourceNotFoundException, NotFound",
    "InsufficientDBInstanceCapacity, AwsTransient",
    "SnapshotQuotaExceeded, QuotaExceeded",
  })
  void givenCodesFromTheActivitiesReport_whenClassified_thenMeaningKept(String code, String type) {
    assertEquals(type, ErrorTypes.classifyAws(code, 400).type());
  }
}
