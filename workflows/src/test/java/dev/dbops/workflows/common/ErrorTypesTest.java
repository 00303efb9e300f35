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
  void givenAwsError_whenClassified_thenTypeAndRetryability(String code, int status, String type,
      boolean retryable) {
    ErrorTypes.Classification c = ErrorTypes.classifyAws(code, status);
    assertEquals(type, c.type());
    assertEquals(retryable, c.retryable());
    assertEquals(!retryable, ErrorTypes.NON_RETRYABLE.contains(c.type()));
  }
}
