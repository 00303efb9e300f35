package dev.dbops.activities.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dbops.workflows.common.ErrorTypes;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.net.SocketException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.model.S3Exception;

class AwsFailuresTest {
  private static S3Exception s3Error(int status, String code) {
    return (S3Exception)
        S3Exception.builder()
            .statusCode(status)
            .requestId("REQ1")
            .awsErrorDetails(
                AwsErrorDetails.builder().errorCode(code).errorMessage("text from S3").build())
            .build();
  }

  @Test
  void givenSlowDown_whenConverted_thenRetryableAwsTransientNamingOperationResourceAndCode() {
    S3Exception e = s3Error(503, "SlowDown");

    ApplicationFailure f = AwsFailures.failure("HeadObject", "s3://b/k", e);

    assertEquals(ErrorTypes.AWS_TRANSIENT, f.getType());
    assertFalse(f.isNonRetryable());
    assertEquals(
        "HeadObject s3://b/k failed: SlowDown (HTTP 503): text from S3 [request id REQ1]",
        f.getOriginalMessage());
    assertSame(e, f.getCause());
  }

  @Test
  void givenNoSuchKey_whenCalled_thenNonRetryableNotFound() {
    ApplicationFailure f =
        assertThrows(
            ApplicationFailure.class,
            () ->
                AwsFailures.call(
                    "GetObject",
                    "s3://b/k",
                    () -> {
                      throw s3Error(404, "NoSuchKey");
                    }));

    assertEquals(ErrorTypes.NOT_FOUND, f.getType());
    assertTrue(f.isNonRetryable());
  }

  @Test
  void givenHeadWithoutErrorCode_whenConverted_thenTheStatusDecides() {
    ApplicationFailure f = AwsFailures.failure("HeadObject", "s3://b/k", s3Error(403, null));

    assertEquals(ErrorTypes.ACCESS_DENIED, f.getType());
    assertTrue(f.isNonRetryable());
    assertTrue(f.getOriginalMessage().contains("no error code (HTTP 403)"), f.getOriginalMessage());
  }

  @Test
  void givenNoResponse_whenConverted_thenRetryableAwsTransient() {
    SdkClientException e =
        SdkClientException.create(
            "Unable to execute HTTP request", new SocketException("Connection reset"));

    ApplicationFailure f = AwsFailures.failure("RestoreObject", "s3://b/k", e);

    assertEquals(ErrorTypes.AWS_TRANSIENT, f.getType());
    assertFalse(f.isNonRetryable());
    assertTrue(f.getOriginalMessage().contains("no response from AWS"), f.getOriginalMessage());
    assertEquals(0, AwsFailures.statusCode(e));
    assertEquals(null, AwsFailures.errorCode(e));
  }

  @Test
  void givenBodyReadFails_whenConverted_thenRetryableLikeAConnectionFailure() {
    ApplicationFailure f =
        AwsFailures.streamFailure("GetObject", "s3://b/k", new IOException("reset"));

    assertEquals(ErrorTypes.AWS_TRANSIENT, f.getType());
    assertFalse(f.isNonRetryable());
  }

  @Test
  void givenSuccess_whenCalled_thenTheValueComesBack() {
    assertEquals("ok", AwsFailures.call("HeadObject", "s3://b/k", () -> "ok"));
  }
}
