package dev.dbops.activities.restore;

import static dev.dbops.activities.SandboxFixture.failureOf;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dbops.activities.SandboxFixture;
import dev.dbops.sandbox.SandboxConfig;
import dev.dbops.workflows.common.ErrorTypes;
import dev.dbops.workflows.restore.ObjectInfo;
import dev.dbops.workflows.restore.ReadinessCheck;
import dev.dbops.workflows.restore.ReadyObject;
import dev.dbops.workflows.restore.RestoreBatch;
import dev.dbops.workflows.restore.RestoreState;
import dev.dbops.workflows.restore.RestoreTier;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CheckRestoredTest {
  private static final String BUCKET = "backups";
  private static final Duration RESTORE_TAKES = Duration.ofMillis(300);
  private SandboxFixture fx;

  @BeforeEach
  void start() {
    fx =
        SandboxFixture.start(
            SandboxConfig.defaults().withRestoreDuration("GLACIER", "Standard", RESTORE_TAKES));
  }

  @AfterEach
  void stop() {
    fx.close();
  }

  private void putGlacier(String... keys) {
    for (String k : keys) fx.sandbox.s3().putObject(BUCKET, k, k.getBytes(UTF_8), "GLACIER");
  }

  private void requestRestore(String... keys) {
    List<ObjectInfo> objects =
        java.util.Arrays.stream(keys)
            .map(k -> new ObjectInfo(k, 0, "GLACIER", RestoreState.NONE, null, null))
            .toList();
    fx.restore.requestRestores(
        new RestoreBatch(BUCKET, objects, RestoreTier.STANDARD, 7, false, 4));
    fx.sandbox.calls().clear();
  }

  @Test
  void givenRestoresInProgress_whenChecked_thenNotReadyUntilTheyFinishThenEveryExpiry() {
    putGlacier("db/a", "db/b");
    fx.sandbox.s3().putObject(BUCKET, "db/plain", new byte[] {1}, "STANDARD");
    requestRestore("db/a", "db/b");
    ReadinessCheck check =
        new ReadinessCheck(BUCKET, List.of("db/a", "db/b", "db/plain"), null, null, 4);

    ApplicationFailure notYet = failureOf(() -> fx.restore.checkRestored(check));
    fx.sandbox.clock().advance(RESTORE_TAKES.plusMillis(1));
    List<ReadyObject> ready = fx.restore.checkRestored(check);

    assertEquals(ErrorTypes.NOT_READY, notYet.getType());
    assertFalse(notYet.isNonRetryable());
    assertTrue(
        notYet.getOriginalMessage().startsWith("1 of 3 restored; waiting for db/a, db/b"),
        notYet.getOriginalMessage());
    assertEquals(
        List.of("db/a", "db/b", "db/plain"), ready.stream().map(ReadyObject::key).toList());
    assertEquals(
        fx.sandbox.s3().restoreExpiry(BUCKET, "db/a"), Instant.parse(ready.get(0).expiry()));
    assertNull(ready.get(2).expiry(), "not archived: no expiry");
    assertEquals(
        6, fx.sandbox.calls().count("HeadObject"), "one HEAD per key per check, no sleeping");
    assertEquals(2, fx.counter(RestoreMetrics.OBJECTS, "event", "restored"));
  }

  @Test
  void givenPrefix_whenChecked_thenOneListingWithRestoreStatusReplacesTheHeads() {
    putGlacier("db/a", "db/b", "db/c", "db/d");
    requestRestore("db/b", "db/c");
    fx.sandbox.clock().advance(RESTORE_TAKES.plusMillis(1));

    List<ReadyObject> ready =
        fx.restore.checkRestored(
            new ReadinessCheck(BUCKET, List.of("db/b", "db/c"), "db/", "db/a", 4));

    assertEquals(List.of("db/b", "db/c"), ready.stream().map(ReadyObject::key).toList());
    assertEquals(1, fx.sandbox.calls().count("ListObjectsV2"));
    assertEquals(0, fx.sandbox.calls().count("HeadObject"));
  }

  @Test
  void givenPrefixWithManyPages_whenChecked_thenListingStopsOncePastTheGreatestBatchKey() {
    String[] keys =
        IntStream.range(0, 2500).mapToObj(i -> String.format("big/%05d", i)).toArray(String[]::new);
    for (String k : keys) fx.sandbox.s3().putObject(BUCKET, k, new byte[] {1}, "GLACIER");
    requestRestore("big/00005", "big/01500");
    fx.sandbox.clock().advance(RESTORE_TAKES.plusMillis(1));

    fx.restore.checkRestored(new ReadinessCheck(BUCKET, List.of("big/00005"), "big/", null, 4));
    long firstPageOnly = fx.sandbox.calls().count("ListObjectsV2");
    fx.sandbox.calls().clear();
    fx.restore.checkRestored(
        new ReadinessCheck(BUCKET, List.of("big/00005", "big/01500"), "big/", null, 4));

    assertEquals(1, firstPageOnly);
    assertEquals(
        2, fx.sandbox.calls().count("ListObjectsV2"), "1,000 keys a page; 01500 is on page 2");
  }

  @Test
  void givenArchivedObjectNeverRequested_whenChecked_thenInvalidStateNamingIt() {
    putGlacier("db/a", "db/forgotten");
    requestRestore("db/a");

    ApplicationFailure f =
        failureOf(
            () ->
                fx.restore.checkRestored(
                    new ReadinessCheck(BUCKET, List.of("db/a", "db/forgotten"), null, null, 2)));

    assertEquals(ErrorTypes.INVALID_STATE, f.getType());
    assertTrue(f.isNonRetryable());
    assertTrue(f.getOriginalMessage().contains("db/forgotten"), f.getOriginalMessage());
    assertFalse(f.getOriginalMessage().contains("db/a,"), f.getOriginalMessage());
  }

  @Test
  void givenRestoredCopyExpired_whenChecked_thenInvalidState() {
    putGlacier("db/a");
    requestRestore("db/a");
    fx.sandbox.clock().advance(Duration.ofDays(8));

    ApplicationFailure f =
        failureOf(
            () ->
                fx.restore.checkRestored(
                    new ReadinessCheck(BUCKET, List.of("db/a"), "db/", null, 1)));

    assertEquals(ErrorTypes.INVALID_STATE, f.getType());
    assertTrue(f.isNonRetryable());
  }

  @Test
  void givenKeyDeletedDuringTheWait_whenCheckedByPrefix_thenNotFound() {
    putGlacier("db/a");

    ApplicationFailure f =
        failureOf(
            () ->
                fx.restore.checkRestored(
                    new ReadinessCheck(BUCKET, List.of("db/a", "db/vanished"), "db/", null, 1)));

    assertEquals(ErrorTypes.NOT_FOUND, f.getType());
    assertTrue(f.isNonRetryable());
    assertTrue(f.getOriginalMessage().contains("db/vanished"), f.getOriginalMessage());
  }
}
