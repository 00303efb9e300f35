package dev.dbops.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.OptionalObjectAttributes;
import software.amazon.awssdk.services.s3.model.RestoreObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.Tier;

/** The Glacier/Deep Archive restore cycle on the compressed clock, through the real SDK. */
class S3RestoreTest {

  private static final Duration EXPEDITED = Duration.ofMillis(200);

  private static AwsSandbox sandbox;
  private static S3Client s3;

  @BeforeAll
  static void start() {
    sandbox =
        AwsSandbox.start(
            SandboxConfig.defaults()
                .withRestoreDuration("GLACIER", "Expedited", EXPEDITED)
                .withDayLength(Duration.ofMinutes(1)));
    s3 = SandboxClients.s3WithoutRetries(sandbox);
  }

  @AfterAll
  static void stop() {
    s3.close();
    sandbox.close();
  }

  @BeforeEach
  void reset() {
    sandbox.faults().clear();
  }

  @Test
  void
      givenGlacierObject_whenRestoringExpedited_then202Then409WhileOngoingThenRestoredThen200Extends()
          throws InterruptedException {
    sandbox
        .s3()
        .putObject("restores", "cycle.bin", "payload".getBytes(StandardCharsets.UTF_8), "GLACIER");

    RestoreObjectResponse started = restore("restores", "cycle.bin", Tier.EXPEDITED, 2);
    S3Exception again =
        assertThrows(S3Exception.class, () -> restore("restores", "cycle.bin", Tier.EXPEDITED, 2));
    HeadObjectResponse ongoing = s3.headObject(b -> b.bucket("restores").key("cycle.bin"));

    assertEquals(202, started.sdkHttpResponse().statusCode());
    assertEquals(409, again.statusCode());
    assertEquals("RestoreAlreadyInProgress", again.awsErrorDetails().errorCode());
    assertEquals("ongoing-request=\"true\"", ongoing.restore());
    assertEquals("IN_PROGRESS", sandbox.s3().restoreState("restores", "cycle.bin"));

    Thread.sleep(
        EXPEDITED.toMillis() + 100); // real time: the default clock follows the system clock
    HeadObjectResponse done = s3.headObject(b -> b.bucket("restores").key("cycle.bin"));
    assertTrue(
        done.restore()
            .matches(
                "ongoing-request=\"false\", expiry-date=\"\\w{3}, \\d{2} \\w{3} \\d{4} "
                    + "\\d{2}:\\d{2}:\\d{2} GMT\""),
        done.restore());
    assertEquals("RESTORED", sandbox.s3().restoreState("restores", "cycle.bin"));
    assertEquals(
        "payload", s3.getObjectAsBytes(b -> b.bucket("restores").key("cycle.bin")).asUtf8String());

    Instant expiry = sandbox.s3().restoreExpiry("restores", "cycle.bin");
    RestoreObjectResponse extended = restore("restores", "cycle.bin", Tier.STANDARD, 5);
    assertEquals(200, extended.sdkHttpResponse().statusCode());
    assertTrue(sandbox.s3().restoreExpiry("restores", "cycle.bin").isAfter(expiry));
  }

  @Test
  void givenRestoredCopy_whenItsDaysPassOnTheClock_thenObjectIsArchivedAgain() {
    sandbox.s3().putObject("restores", "expiring.bin", new byte[] {1}, "GLACIER");
    restore("restores", "expiring.bin", Tier.BULK, 1);
    sandbox.clock().advance(Duration.ofSeconds(11)); // GLACIER Bulk default: 10 s
    assertEquals("RESTORED", sandbox.s3().restoreState("restores", "expiring.bin"));

    sandbox.clock().advance(Duration.ofMinutes(1)); // Days=1 at dayLength 1 minute

    assertEquals("NONE", sandbox.s3().restoreState("restores", "expiring.bin"));
    assertNull(s3.headObject(b -> b.bucket("restores").key("expiring.bin")).restore());
    S3Exception get =
        assertThrows(
            S3Exception.class,
            () -> s3.getObjectAsBytes(b -> b.bucket("restores").key("expiring.bin")));
    assertEquals("InvalidObjectState", get.awsErrorDetails().errorCode());
    assertEquals(
        202, restore("restores", "expiring.bin", Tier.BULK, 1).sdkHttpResponse().statusCode());
  }

  @Test
  void
      givenObjectsInEveryRestoreState_whenListingWithRestoreStatus_thenEachArchivedObjectCarriesIt() {
    sandbox.s3().putObject("listing", "1-archived", new byte[1], "GLACIER");
    sandbox.s3().putObject("listing", "2-restoring", new byte[1], "DEEP_ARCHIVE");
    sandbox.s3().putObject("listing", "3-restored", new byte[1], "GLACIER");
    sandbox.s3().putObject("listing", "4-standard", new byte[1], "STANDARD");
    restore("listing", "3-restored", Tier.EXPEDITED, 1);
    sandbox.clock().advance(Duration.ofSeconds(1));
    restore("listing", "2-restoring", Tier.STANDARD, 1);

    Map<String, S3Object> withStatus =
        s3
            .listObjectsV2(
                b ->
                    b.bucket("listing")
                        .optionalObjectAttributes(OptionalObjectAttributes.RESTORE_STATUS))
            .contents()
            .stream()
            .collect(Collectors.toMap(S3Object::key, Function.identity()));
    List<S3Object> plain = s3.listObjectsV2(b -> b.bucket("listing")).contents();

    assertNull(withStatus.get("1-archived").restoreStatus());
    assertTrue(withStatus.get("2-restoring").restoreStatus().isRestoreInProgress());
    assertNull(withStatus.get("2-restoring").restoreStatus().restoreExpiryDate());
    assertFalse(withStatus.get("3-restored").restoreStatus().isRestoreInProgress());
    assertEquals(
        sandbox.s3().restoreExpiry("listing", "3-restored"),
        withStatus.get("3-restored").restoreStatus().restoreExpiryDate());
    assertNull(withStatus.get("4-standard").restoreStatus());
    assertTrue(
        plain.stream().allMatch(o -> o.restoreStatus() == null),
        "RestoreStatus only when asked for");
  }

  @Test
  void givenDeepArchiveObject_whenRestoringExpedited_thenRejectedAndStandardWorks() {
    sandbox.s3().putObject("restores", "deep.bin", new byte[1], "DEEP_ARCHIVE");

    S3Exception rejected =
        assertThrows(S3Exception.class, () -> restore("restores", "deep.bin", Tier.EXPEDITED, 1));

    assertEquals(400, rejected.statusCode());
    assertEquals("InvalidArgument", rejected.awsErrorDetails().errorCode());
    assertEquals("NONE", sandbox.s3().restoreState("restores", "deep.bin"));
    assertEquals(
        202, restore("restores", "deep.bin", Tier.STANDARD, 1).sdkHttpResponse().statusCode());
  }

  @Test
  void givenStandardObject_whenRestoring_thenInvalidObjectState() {
    sandbox.s3().putObject("restores", "hot.bin", new byte[1], "STANDARD");

    S3Exception e =
        assertThrows(S3Exception.class, () -> restore("restores", "hot.bin", Tier.STANDARD, 1));

    assertEquals(403, e.statusCode());
    assertEquals("InvalidObjectState", e.awsErrorDetails().errorCode());
  }

  @Test
  void givenIntelligentTieringObject_whenRestoring_thenObjectAlreadyInActiveTier() {
    sandbox.s3().putObject("restores", "tiered.bin", new byte[1], "INTELLIGENT_TIERING");

    S3Exception e =
        assertThrows(S3Exception.class, () -> restore("restores", "tiered.bin", Tier.STANDARD, 1));

    assertEquals(403, e.statusCode());
    assertEquals("ObjectAlreadyInActiveTierError", e.awsErrorDetails().errorCode());
  }

  @Test
  void
      givenExpeditedUnavailableScripted_whenRestoring_thenOnlyExpeditedGets503AndStandardFallbackStarts() {
    sandbox.s3().putObject("restores", "busy.bin", new byte[1], "GLACIER");
    sandbox.faults().script("RestoreObject", List.of(Faults.Kind.EXPEDITED_UNAVAILABLE));

    S3Exception unavailable =
        assertThrows(S3Exception.class, () -> restore("restores", "busy.bin", Tier.EXPEDITED, 1));
    RestoreObjectResponse fallback = restore("restores", "busy.bin", Tier.STANDARD, 1);

    assertEquals(503, unavailable.statusCode());
    assertEquals(
        "GlacierExpeditedRetrievalNotAvailable", unavailable.awsErrorDetails().errorCode());
    assertEquals(202, fallback.sdkHttpResponse().statusCode());
  }

  @Test
  void givenMalformedRestoreRequest_whenRestoring_thenMalformedXml() {
    sandbox.s3().putObject("restores", "nodays.bin", new byte[1], "GLACIER");

    S3Exception e =
        assertThrows(
            S3Exception.class,
            () ->
                s3.restoreObject(
                    b ->
                        b.bucket("restores")
                            .key("nodays.bin")
                            .restoreRequest(r -> r.glacierJobParameters(g -> g.tier(Tier.BULK)))));

    assertEquals(400, e.statusCode());
    assertEquals("MalformedXML", e.awsErrorDetails().errorCode());
  }

  private static RestoreObjectResponse restore(String bucket, String key, Tier tier, int days) {
    return s3.restoreObject(
        b ->
            b.bucket(bucket)
                .key(key)
                .restoreRequest(r -> r.days(days).glacierJobParameters(g -> g.tier(tier))));
  }
}
