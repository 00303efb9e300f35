package dev.dbops.activities.restore;

import static dev.dbops.activities.SandboxFixture.failureOf;
import static dev.dbops.workflows.restore.RestoreRequestOutcome.ADOPTED;
import static dev.dbops.workflows.restore.RestoreRequestOutcome.ALREADY_RESTORED;
import static dev.dbops.workflows.restore.RestoreRequestOutcome.STARTED;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dbops.activities.SandboxFixture;
import dev.dbops.activities.aws.AwsCallMetrics;
import dev.dbops.activities.aws.AwsClients;
import dev.dbops.activities.restore.S3RestoreActivitiesImpl.RequestProgress;
import dev.dbops.sandbox.Faults.Kind;
import dev.dbops.sandbox.SandboxConfig;
import dev.dbops.workflows.common.ErrorTypes;
import dev.dbops.workflows.restore.ObjectInfo;
import dev.dbops.workflows.restore.RestoreBatch;
import dev.dbops.workflows.restore.RestoreRequestOutcome;
import dev.dbops.workflows.restore.RestoreState;
import dev.dbops.workflows.restore.RestoreTier;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RequestRestoresTest {
  private static final String BUCKET = "backups";
  private SandboxFixture fx;

  @BeforeEach
  void start() {
    fx =
        SandboxFixture.start(
            SandboxConfig.defaults()
                .withRestoreDuration("GLACIER", "Standard", Duration.ofMinutes(30))
                .withRestoreDuration("GLACIER", "Expedited", Duration.ofMinutes(2)));
    fx.sandbox.s3().putObject(BUCKET, "db/a.sql.gz", "a".getBytes(UTF_8), "GLACIER");
    fx.sandbox.s3().putObject(BUCKET, "db/b.sql.gz", "b".getBytes(UTF_8), "GLACIER");
    fx.sandbox.s3().putObject(BUCKET, "db/deep.sql.gz", "d".getBytes(UTF_8), "DEEP_ARCHIVE");
    fx.sandbox.s3().putObject(BUCKET, "db/README", "r".getBytes(UTF_8), "STANDARD");
  }

  @AfterEach
  void stop() {
    fx.close();
  }

  private static ObjectInfo info(String key, String storageClass) {
    return new ObjectInfo(key, 1, storageClass, RestoreState.NONE, null, null);
  }

  private static RestoreBatch batch(RestoreTier tier, boolean fallback, ObjectInfo... objects) {
    return new RestoreBatch(BUCKET, List.of(objects), tier, 7, fallback, 4);
  }

  @Test
  void givenRestoreRequestedTwice_whenTheFirstIsStillRunning_thenTheSecondIsAdoptedNotRestarted() {
    RestoreBatch batch = batch(RestoreTier.STANDARD, true, info("db/a.sql.gz", "GLACIER"));

    RestoreRequestOutcome first = fx.restore.requestRestores(batch).get(0);
    RestoreRequestOutcome second = fx.restore.requestRestores(batch).get(0);

    assertEquals(STARTED, first.action());
    assertEquals(ADOPTED, second.action());
    assertTrue(second.detail().contains("RestoreAlreadyInProgress"), second.detail());
    assertEquals(2, fx.sandbox.calls().count("RestoreObject", BUCKET, "db/a.sql.gz"));
    assertEquals(
        List.of(202, 409),
        fx.sandbox.calls().of("RestoreObject").stream().map(c -> c.status()).toList());
    assertEquals("IN_PROGRESS", fx.sandbox.s3().restoreState(BUCKET, "db/a.sql.gz"));
    assertEquals(1, fx.counter(RestoreMetrics.OBJECTS, "event", "requested"), "one restore");
    assertEquals(1, fx.counter(RestoreMetrics.OBJECTS, "event", "adopted"));
  }

  @Test
  void givenRestoredCopy_whenRequestedAgain_thenAlreadyRestoredAndNotArchivedNeedsNoCall() {
    fx.restore.requestRestores(batch(RestoreTier.EXPEDITED, false, info("db/a.sql.gz", "GLACIER")));
    fx.sandbox.clock().advance(Duration.ofMinutes(3));
    fx.sandbox.calls().clear();

    List<RestoreRequestOutcome> out =
        fx.restore.requestRestores(
            batch(
                RestoreTier.EXPEDITED,
                false,
                info("db/a.sql.gz", "GLACIER"),
                info("db/README", "STANDARD")));

    assertEquals(ALREADY_RESTORED, out.get(0).action());
    assertEquals(ALREADY_RESTORED, out.get(1).action());
    assertEquals(
        List.of(200),
        fx.sandbox.calls().of("RestoreObject").stream().map(c -> c.status()).toList());
  }

  @Test
  void givenThrottlingAndA500ShorterThanSdkAttempts_whenRequesting_thenSdkRetriesAbsorbThem() {
    fx.sandbox.faults().script("RestoreObject", List.of(Kind.THROTTLE, Kind.ERROR_500));

    RestoreRequestOutcome out =
        fx.restore
            .requestRestores(batch(RestoreTier.STANDARD, false, info("db/a.sql.gz", "GLACIER")))
            .get(0);

    assertEquals(STARTED, out.action());
    assertEquals(
        List.of(503, 500, 202),
        fx.sandbox.calls().of("RestoreObject").stream().map(c -> c.status()).toList());
    assertEquals(
        1, fx.counter(AwsCallMetrics.CALLS, "operation", "RestoreObject", "outcome", "ok"));
    assertEquals(2, fx.counter(AwsCallMetrics.RETRIES, "operation", "RestoreObject"));
  }

  @Test
  void givenMoreFaultsThanSdkAttempts_whenRequesting_thenTheFailureIsRetryableAwsTransient() {
    fx.sandbox
        .faults()
        .script("RestoreObject", List.of(Kind.THROTTLE, Kind.ERROR_503, Kind.ERROR_500));

    ApplicationFailure f =
        failureOf(
            () ->
                fx.restore.requestRestores(
                    batch(RestoreTier.STANDARD, false, info("db/a.sql.gz", "GLACIER"))));

    assertEquals(ErrorTypes.AWS_TRANSIENT, f.getType());
    assertFalse(f.isNonRetryable());
    assertTrue(
        f.getOriginalMessage().contains("RestoreObject s3://backups/db/a.sql.gz"),
        f.getOriginalMessage());
    assertTrue(f.getOriginalMessage().contains("InternalError"), f.getOriginalMessage());
    assertEquals(AwsClients.SDK_MAX_ATTEMPTS, fx.sandbox.calls().count("RestoreObject"));
    assertEquals(
        1,
        fx.counter(AwsCallMetrics.CALLS, "operation", "RestoreObject", "outcome", "InternalError"));
  }

  @Test
  void givenDroppedConnections_whenRequesting_thenTheFailureIsRetryableAwsTransient() {
    fx.sandbox
        .faults()
        .script(
            "RestoreObject",
            Collections.nCopies(2 * AwsClients.SDK_MAX_ATTEMPTS, Kind.DROP_CONNECTION));

    ApplicationFailure f =
        failureOf(
            () ->
                fx.restore.requestRestores(
                    batch(RestoreTier.STANDARD, false, info("db/a.sql.gz", "GLACIER"))));

    assertEquals(ErrorTypes.AWS_TRANSIENT, f.getType());
    assertFalse(f.isNonRetryable());
    assertTrue(fx.sandbox.calls().count("RestoreObject") >= AwsClients.SDK_MAX_ATTEMPTS);
    assertEquals(
        1,
        fx.counter(
            AwsCallMetrics.CALLS,
            "operation",
            "RestoreObject",
            "outcome",
            AwsCallMetrics.CLIENT_ERROR));
  }

  @Test
  void givenExpeditedUnavailable_whenFallbackAllowed_thenStandardIsRequestedAndSaid() {
    fx.sandbox
        .faults()
        .script(
            "RestoreObject",
            Collections.nCopies(AwsClients.SDK_MAX_ATTEMPTS, Kind.EXPEDITED_UNAVAILABLE));

    RestoreRequestOutcome out =
        fx.restore
            .requestRestores(batch(RestoreTier.EXPEDITED, true, info("db/a.sql.gz", "GLACIER")))
            .get(0);

    assertEquals(STARTED, out.action());
    assertEquals(RestoreTier.STANDARD, out.tierUsed());
    assertTrue(out.detail().contains("fell back to Standard"), out.detail());
    assertEquals(AwsClients.SDK_MAX_ATTEMPTS + 1, fx.sandbox.calls().count("RestoreObject"));
    assertEquals("IN_PROGRESS", fx.sandbox.s3().restoreState(BUCKET, "db/a.sql.gz"));
  }

  @Test
  void givenExpeditedUnavailable_whenFallbackNotAllowed_thenRetryableAwsTransient() {
    fx.sandbox
        .faults()
        .script(
            "RestoreObject",
            Collections.nCopies(AwsClients.SDK_MAX_ATTEMPTS, Kind.EXPEDITED_UNAVAILABLE));

    ApplicationFailure f =
        failureOf(
            () ->
                fx.restore.requestRestores(
                    batch(RestoreTier.EXPEDITED, false, info("db/a.sql.gz", "GLACIER"))));

    assertEquals(ErrorTypes.AWS_TRANSIENT, f.getType());
    assertFalse(f.isNonRetryable());
    assertTrue(
        f.getOriginalMessage().contains("GlacierExpeditedRetrievalNotAvailable"),
        f.getOriginalMessage());
    assertEquals("NONE", fx.sandbox.s3().restoreState(BUCKET, "db/a.sql.gz"));
  }

  @Test
  void givenDeepArchiveAndExpedited_whenFallbackAllowed_thenStandardWithoutTryingExpedited() {
    RestoreRequestOutcome out =
        fx.restore
            .requestRestores(
                batch(RestoreTier.EXPEDITED, true, info("db/deep.sql.gz", "DEEP_ARCHIVE")))
            .get(0);

    assertEquals(STARTED, out.action());
    assertEquals(RestoreTier.STANDARD, out.tierUsed());
    assertTrue(out.detail().contains("Deep Archive has no Expedited"), out.detail());
    assertEquals(
        List.of(202),
        fx.sandbox.calls().of("RestoreObject").stream().map(c -> c.status()).toList());
  }

  @Test
  void givenDeepArchiveAndExpedited_whenFallbackNotAllowed_thenInvalidParameterBeforeAnyCall() {
    ApplicationFailure f =
        failureOf(
            () ->
                fx.restore.requestRestores(
                    batch(
                        RestoreTier.EXPEDITED,
                        false,
                        info("db/a.sql.gz", "GLACIER"),
                        info("db/deep.sql.gz", "DEEP_ARCHIVE"))));

    assertEquals(ErrorTypes.INVALID_PARAMETER, f.getType());
    assertTrue(f.isNonRetryable());
    assertTrue(f.getOriginalMessage().contains("db/deep.sql.gz"), f.getOriginalMessage());
    assertEquals(0, fx.sandbox.calls().count("RestoreObject"));
  }

  @Test
  void givenMissingKey_whenRequesting_thenNotFoundFailsFastAfterOneCall() {
    ApplicationFailure f =
        failureOf(
            () ->
                fx.restore.requestRestores(
                    batch(RestoreTier.STANDARD, false, info("db/gone.sql.gz", "GLACIER"))));

    assertEquals(ErrorTypes.NOT_FOUND, f.getType());
    assertTrue(f.isNonRetryable());
    assertTrue(f.getOriginalMessage().contains("NoSuchKey"), f.getOriginalMessage());
    assertEquals(1, fx.sandbox.calls().count("RestoreObject"));
  }

  @Test
  void givenDeniedBucket_whenRequesting_thenAccessDeniedFailsFastAfterOneCall() {
    fx.sandbox.s3().denyAccess(BUCKET);

    ApplicationFailure f =
        failureOf(
            () ->
                fx.restore.requestRestores(
                    batch(RestoreTier.STANDARD, false, info("db/a.sql.gz", "GLACIER"))));

    assertEquals(ErrorTypes.ACCESS_DENIED, f.getType());
    assertTrue(f.isNonRetryable());
    assertEquals(1, fx.sandbox.calls().count("RestoreObject"));
  }

  @Test
  void givenHeartbeatFromAnEarlierAttempt_whenRetried_thenOnlyTheRestIsRequested() {
    RestoreRequestOutcome earlier =
        new RestoreRequestOutcome(
            "db/a.sql.gz", STARTED, RestoreTier.STANDARD, "from the earlier attempt");
    fx.env.setHeartbeatDetails(new RequestProgress(List.of(earlier)));

    List<RestoreRequestOutcome> out =
        fx.restore.requestRestores(
            batch(
                RestoreTier.STANDARD,
                false,
                info("db/a.sql.gz", "GLACIER"),
                info("db/b.sql.gz", "GLACIER")));

    assertEquals(
        List.of(earlier.detail(), STARTED), List.of(out.get(0).detail(), out.get(1).action()));
    assertEquals(0, fx.sandbox.calls().count("RestoreObject", BUCKET, "db/a.sql.gz"));
    assertEquals(1, fx.sandbox.calls().count("RestoreObject", BUCKET, "db/b.sql.gz"));
  }

  @Test
  void givenManyObjects_whenRequestedConcurrently_thenOneOutcomePerObjectInInputOrder() {
    List<ObjectInfo> objects =
        IntStream.range(0, 40)
            .mapToObj(
                i -> {
                  String key = String.format("many/%03d", i);
                  fx.sandbox.s3().putObject(BUCKET, key, new byte[] {(byte) i}, "GLACIER");
                  return info(key, "GLACIER");
                })
            .toList();
    List<Integer> heartbeats = new java.util.concurrent.CopyOnWriteArrayList<>();
    fx.env.setActivityHeartbeatListener(
        RequestProgress.class, p -> heartbeats.add(p.done().size()));

    List<RestoreRequestOutcome> out =
        fx.restore.requestRestores(
            new RestoreBatch(BUCKET, objects, RestoreTier.BULK, 1, false, 8));

    assertEquals(
        objects.stream().map(ObjectInfo::key).toList(),
        out.stream().map(RestoreRequestOutcome::key).toList());
    assertTrue(out.stream().allMatch(o -> STARTED.equals(o.action())));
    assertEquals(40, fx.sandbox.calls().count("RestoreObject"));
    // Temporal throttles heartbeats (the first goes out at once); each carries the outcomes so far.
    assertTrue(!heartbeats.isEmpty() && heartbeats.get(0) >= 1, "heartbeats " + heartbeats);
  }
}
