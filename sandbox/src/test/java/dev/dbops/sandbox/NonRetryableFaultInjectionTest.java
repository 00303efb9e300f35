package dev.dbops.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The non-retryable kinds ({@link Faults.Kind#ACCESS_DENIED}, {@link Faults.Kind#NOT_FOUND}, {@link
 * Faults.Kind#INVALID_PARAMETER}) as an SDK client with its default retries sees them: the
 * service's own code and status, sent once, and the script used up.
 */
class NonRetryableFaultInjectionTest {

  private static AwsSandbox sandbox;
  private static S3Client s3;
  private static RdsClient rds;

  @BeforeAll
  static void start() {
    sandbox = AwsSandbox.start(SandboxConfig.defaults());
    s3 = SandboxClients.s3(sandbox);
    rds = SandboxClients.rds(sandbox);
    sandbox.s3().putObject("faulty", "k", "value".getBytes(), "STANDARD");
  }

  @AfterAll
  static void stop() {
    s3.close();
    rds.close();
    sandbox.close();
  }

  @BeforeEach
  void reset() {
    sandbox.faults().clear();
    sandbox.calls().clear();
  }

  record Row(Faults.Kind kind, int status, String code) {}

  @Test
  void
      givenScriptedNonRetryableFault_whenS3ClientWithDefaultRetries_thenServiceErrorOnceAndNoRetry() {
    for (Row row :
        List.of(
            new Row(Faults.Kind.ACCESS_DENIED, 403, "AccessDenied"),
            new Row(Faults.Kind.NOT_FOUND, 404, "NoSuchKey"),
            new Row(Faults.Kind.INVALID_PARAMETER, 400, "InvalidArgument"))) {
      sandbox.calls().clear();
      sandbox.faults().script("GetObject", List.of(row.kind()));

      AwsServiceException e =
          assertThrows(
              AwsServiceException.class,
              () -> s3.getObjectAsBytes(b -> b.bucket("faulty").key("k")));

      assertEquals(row.status(), e.statusCode(), row.toString());
      assertEquals(row.code(), e.awsErrorDetails().errorCode(), row.toString());
      assertEquals(
          List.of(row.kind().name()),
          sandbox.calls().of("GetObject").stream().map(CallLog.Call::fault).toList(),
          row.toString());
      assertEquals(
          "value",
          s3.getObjectAsBytes(b -> b.bucket("faulty").key("k")).asUtf8String(),
          "the script is used up: the next call is normal");
    }
  }

  @Test
  void
      givenScriptedNonRetryableFault_whenRdsClientWithDefaultRetries_thenServiceErrorOnceAndNoRetry() {
    for (Row row :
        List.of(
            new Row(Faults.Kind.ACCESS_DENIED, 403, "AccessDenied"),
            new Row(Faults.Kind.NOT_FOUND, 404, "DBClusterNotFoundFault"),
            new Row(Faults.Kind.INVALID_PARAMETER, 400, "InvalidParameterValue"))) {
      sandbox.calls().clear();
      sandbox.faults().script("CreateDBClusterSnapshot", List.of(row.kind()));

      AwsServiceException e =
          assertThrows(
              AwsServiceException.class,
              () ->
                  rds.createDBClusterSnapshot(
                      b ->
                          b.dbClusterIdentifier("any-cluster")
                              .dbClusterSnapshotIdentifier("any-snapshot")));

      assertEquals(row.status(), e.statusCode(), row.toString());
      assertEquals(row.code(), e.awsErrorDetails().errorCode(), row.toString());
      assertTrue(
          e.awsErrorDetails()
              .errorMessage()
              .contains(
                  row.kind() == Faults.Kind.NOT_FOUND ? "any-cluster" : "CreateDBClusterSnapshot"),
          e.getMessage());
      assertEquals(1, sandbox.calls().of("CreateDBClusterSnapshot").size(), row.toString());
    }
  }
}
