package dev.dbops.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Injected faults as an SDK client sees them: surfaced without retries, absorbed with default
 * retries.
 */
class FaultInjectionTest {

  private static AwsSandbox sandbox;
  private static S3Client noRetries;
  private static S3Client defaultRetries;

  @BeforeAll
  static void start() {
    sandbox = AwsSandbox.start(SandboxConfig.defaults());
    noRetries = SandboxClients.s3WithoutRetries(sandbox);
    defaultRetries = SandboxClients.s3(sandbox);
    sandbox.s3().putObject("faulty", "k", "value".getBytes(), "STANDARD");
  }

  @AfterAll
  static void stop() {
    noRetries.close();
    defaultRetries.close();
    sandbox.close();
  }

  @BeforeEach
  void reset() {
    sandbox.faults().clear();
    sandbox.calls().clear();
  }

  @Test
  void givenScriptedThrottle_whenClientHasNoRetries_thenSlowDown503Surfaces() {
    sandbox.faults().script("GetObject", List.of(Faults.Kind.THROTTLE));

    S3Exception e =
        assertThrows(
            S3Exception.class, () -> noRetries.getObjectAsBytes(b -> b.bucket("faulty").key("k")));

    assertEquals(503, e.statusCode());
    assertEquals("SlowDown", e.awsErrorDetails().errorCode());
    assertTrue(e.isThrottlingException(), "the SDK classifies SlowDown as throttling");
    assertEquals(
        List.of(new CallLog.Call(1, "s3", "GetObject", "faulty", "k", 503, "THROTTLE")),
        renumbered(sandbox.calls().all()));
    assertEquals(
        "value",
        noRetries.getObjectAsBytes(b -> b.bucket("faulty").key("k")).asUtf8String(),
        "the script is used up: the next call is normal");
  }

  @Test
  void givenScriptedThrottleAnd500_whenClientRetriesByDefault_thenCallSucceedsAfterThreeAttempts() {
    sandbox.faults().script("GetObject", List.of(Faults.Kind.THROTTLE, Faults.Kind.ERROR_500));

    String value = defaultRetries.getObjectAsBytes(b -> b.bucket("faulty").key("k")).asUtf8String();

    assertEquals("value", value);
    assertEquals(
        List.of(503, 500, 200), sandbox.calls().all().stream().map(CallLog.Call::status).toList());
    assertEquals(3, sandbox.calls().count("GetObject", "faulty", "k"));
  }

  @Test
  void givenScripted500And503_whenClientHasNoRetries_thenInternalErrorThenServiceUnavailable() {
    sandbox.faults().script("ListObjectsV2", List.of(Faults.Kind.ERROR_500, Faults.Kind.ERROR_503));

    S3Exception first =
        assertThrows(S3Exception.class, () -> noRetries.listObjectsV2(b -> b.bucket("faulty")));
    S3Exception second =
        assertThrows(S3Exception.class, () -> noRetries.listObjectsV2(b -> b.bucket("faulty")));

    assertEquals("InternalError", first.awsErrorDetails().errorCode());
    assertEquals(500, first.statusCode());
    assertEquals("ServiceUnavailable", second.awsErrorDetails().errorCode());
    assertEquals(503, second.statusCode());
  }

  @Test
  void givenScriptedDroppedConnection_whenClientHasNoRetries_thenClientExceptionWithoutStatus() {
    sandbox.faults().script("PutObject", List.of(Faults.Kind.DROP_CONNECTION));

    SdkClientException e =
        assertThrows(
            SdkClientException.class,
            () ->
                noRetries.putObject(
                    b -> b.bucket("faulty").key("dropped"), RequestBody.fromString("lost")));

    assertTrue(e.retryable() || e.getCause() instanceof java.io.IOException, e.toString());
    assertEquals(
        List.of(new CallLog.Call(1, "s3", "PutObject", "faulty", "dropped", 0, "DROP_CONNECTION")),
        renumbered(sandbox.calls().all()));
    assertTrue(!sandbox.s3().exists("faulty", "dropped"));
  }

  @Test
  void givenScriptedDroppedConnection_whenClientRetriesByDefault_thenCallSucceeds() {
    sandbox.faults().script("PutObject", List.of(Faults.Kind.DROP_CONNECTION));

    defaultRetries.putObject(
        b -> b.bucket("faulty").key("retried"), RequestBody.fromString("kept"));

    assertTrue(sandbox.s3().exists("faulty", "retried"));
    assertEquals(
        List.of(0, 200), sandbox.calls().all().stream().map(CallLog.Call::status).toList());
  }

  /**
   * A JDK quirk worth knowing: HttpURLConnection (under url-connection-client) silently resends a
   * GET/HEAD once when the connection drops before a response, below the SDK's retry strategy. So
   * one dropped GET is invisible even with SDK retries off; two are not.
   */
  @Test
  void givenDroppedGets_whenClientHasNoRetries_thenTheJdkResendsOnceAndTheSecondDropSurfaces() {
    sandbox.faults().script("GetObject", List.of(Faults.Kind.DROP_CONNECTION));
    assertEquals(
        "value", noRetries.getObjectAsBytes(b -> b.bucket("faulty").key("k")).asUtf8String());
    assertEquals(
        List.of(0, 200), sandbox.calls().all().stream().map(CallLog.Call::status).toList());

    sandbox
        .faults()
        .script("GetObject", List.of(Faults.Kind.DROP_CONNECTION, Faults.Kind.DROP_CONNECTION));
    assertThrows(
        SdkClientException.class,
        () -> noRetries.getObjectAsBytes(b -> b.bucket("faulty").key("k")));
  }

  @Test
  void givenThrottleRateOnOneOperation_whenCallingSeveral_thenOnlyThatOperationIsThrottled() {
    sandbox.faults().rate(1.0, EnumSet.of(Faults.Kind.THROTTLE), Set.of("HeadObject"));

    assertThrows(S3Exception.class, () -> noRetries.headObject(b -> b.bucket("faulty").key("k")));
    noRetries.getObjectAsBytes(b -> b.bucket("faulty").key("k"));

    assertEquals(
        1, sandbox.calls().all().stream().filter(c -> "THROTTLE".equals(c.fault())).count());
    assertEquals(503, sandbox.calls().all().get(0).status());
  }

  @Test
  void givenScriptedLatency_whenCalling_thenServedNormallyAfterTheDelay() {
    sandbox.faults().latency(Duration.ofMillis(300));
    sandbox.faults().script("HeadObject", List.of(Faults.Kind.LATENCY));

    long start = System.nanoTime();
    noRetries.headObject(b -> b.bucket("faulty").key("k"));
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertTrue(took.compareTo(Duration.ofMillis(300)) >= 0, took.toString());
    assertEquals("LATENCY", sandbox.calls().all().get(0).fault());
    assertEquals(200, sandbox.calls().all().get(0).status());
  }

  @Test
  void givenSameSeed_whenDrawingAFaultRate_thenTheSameCallsAreFaulted() {
    List<Optional<Faults.Kind>> first = draws(new Faults(42));
    List<Optional<Faults.Kind>> second = draws(new Faults(42));

    assertEquals(first, second);
    long faulted = first.stream().filter(Optional::isPresent).count();
    assertTrue(faulted > 20 && faulted < 80, "about half of 100 calls: " + faulted);
  }

  private static List<Optional<Faults.Kind>> draws(Faults faults) {
    faults.rate(
        0.5,
        EnumSet.of(Faults.Kind.THROTTLE, Faults.Kind.ERROR_500, Faults.Kind.ERROR_503),
        Set.of());
    List<Optional<Faults.Kind>> draws = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      draws.add(faults.next("GetObject"));
    }
    return draws;
  }

  /** Sequence numbers keep growing across clear(); compare calls from 1. */
  private static List<CallLog.Call> renumbered(List<CallLog.Call> calls) {
    List<CallLog.Call> out = new ArrayList<>();
    for (int i = 0; i < calls.size(); i++) {
      CallLog.Call c = calls.get(i);
      out.add(
          new CallLog.Call(
              i + 1, c.service(), c.operation(), c.bucket(), c.key(), c.status(), c.fault()));
    }
    return out;
  }
}
