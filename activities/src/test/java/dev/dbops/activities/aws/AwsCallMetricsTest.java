package dev.dbops.activities.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.dbops.sandbox.AwsSandbox;
import dev.dbops.sandbox.Faults.Kind;
import dev.dbops.sandbox.SandboxConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Collections;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

class AwsCallMetricsTest {
  private AwsSandbox sandbox;
  private SimpleMeterRegistry registry;
  private S3Client s3;

  @BeforeEach
  void start() {
    sandbox = AwsSandbox.start(SandboxConfig.defaults());
    registry = new SimpleMeterRegistry();
    s3 = AwsClients.s3(AwsSettings.sandbox(sandbox.endpoint()), registry);
    sandbox.s3().putObject("backups", "k", new byte[] {1}, "STANDARD");
  }

  @AfterEach
  void stop() {
    s3.close();
    sandbox.close();
  }

  private double calls(String operation, String outcome) {
    Counter c =
        registry
            .find(AwsCallMetrics.CALLS)
            .tags("service", "s3", "operation", operation, "outcome", outcome)
            .counter();
    return c == null ? 0 : c.count();
  }

  @Test
  void givenCallsThatSucceedAndFail_whenMade_thenEachIsCountedByOperationAndOutcome() {
    s3.headObject(r -> r.bucket("backups").key("k"));
    s3.headObject(r -> r.bucket("backups").key("k"));
    assertThrows(
        NoSuchKeyException.class, () -> s3.headObject(r -> r.bucket("backups").key("missing")));
    assertThrows(NoSuchBucketException.class, () -> s3.listObjectsV2(r -> r.bucket("nope")));
    sandbox.s3().denyAccess("backups");
    assertThrows(S3Exception.class, () -> s3.headObject(r -> r.bucket("backups").key("k")));

    assertEquals(2, calls("HeadObject", AwsCallMetrics.OK));
    assertEquals(1, calls("HeadObject", "NoSuchKey"));
    assertEquals(1, calls("ListObjectsV2", "NoSuchBucket"));
    assertEquals(1, calls("HeadObject", "http_403"), "a HEAD error has no body, so no code");
  }

  @Test
  void givenThrottlingThenSuccess_whenCalled_thenOneOkCallAndTheSdkRetriesCounted() {
    sandbox.faults().script("HeadObject", Collections.nCopies(2, Kind.THROTTLE));

    s3.headObject(r -> r.bucket("backups").key("k"));

    assertEquals(1, calls("HeadObject", AwsCallMetrics.OK));
    assertEquals(
        2, registry.get(AwsCallMetrics.RETRIES).tags("operation", "HeadObject").counter().count());
  }

  @Test
  void givenNoAnswer_whenCalled_thenClientError() {
    sandbox.faults().script("HeadObject", Collections.nCopies(10, Kind.DROP_CONNECTION));

    assertThrows(SdkClientException.class, () -> s3.headObject(r -> r.bucket("backups").key("k")));

    assertEquals(1, calls("HeadObject", AwsCallMetrics.CLIENT_ERROR));
  }
}
