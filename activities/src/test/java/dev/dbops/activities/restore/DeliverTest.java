package dev.dbops.activities.restore;

import static dev.dbops.activities.SandboxFixture.failureOf;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dbops.activities.SandboxFixture;
import dev.dbops.activities.restore.S3RestoreActivitiesImpl.DeliveryProgress;
import dev.dbops.sandbox.SandboxConfig;
import dev.dbops.workflows.common.ErrorTypes;
import dev.dbops.workflows.restore.Delivery;
import dev.dbops.workflows.restore.DeliveryBatch;
import dev.dbops.workflows.restore.DeliveryMode;
import dev.dbops.workflows.restore.DirectoryCheck;
import dev.dbops.workflows.restore.DirectoryFacts;
import dev.dbops.workflows.restore.ListQuery;
import dev.dbops.workflows.restore.ObjectInfo;
import dev.dbops.workflows.restore.ObjectOutcome;
import dev.dbops.workflows.restore.RestoreBatch;
import dev.dbops.workflows.restore.RestoreState;
import dev.dbops.workflows.restore.RestoreTier;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeliverTest {
  private static final String BUCKET = "backups";
  private static final String KEY = "db/2024-01/dump.sql.gz";
  private static final Duration RESTORE_TAKES = Duration.ofMillis(300);

  @TempDir Path dir;
  private SandboxFixture fx;
  private byte[] data;

  @BeforeEach
  void start() {
    fx =
        SandboxFixture.start(
            SandboxConfig.defaults().withRestoreDuration("GLACIER", "Standard", RESTORE_TAKES));
    data = new byte[300_000];
    new Random(42).nextBytes(data);
    fx.sandbox.s3().putObject(BUCKET, KEY, data, "GLACIER");
  }

  @AfterEach
  void stop() {
    fx.close();
  }

  /** Restores the keys and returns them as listed now (restored, with size and ETag). */
  private List<ObjectInfo> restored(String... keys) {
    List<ObjectInfo> archived =
        Arrays.stream(keys)
            .map(
                k ->
                    new ObjectInfo(
                        k,
                        0,
                        fx.sandbox.s3().storageClass(BUCKET, k),
                        RestoreState.NONE,
                        null,
                        null))
            .toList();
    fx.restore.requestRestores(
        new RestoreBatch(BUCKET, archived, RestoreTier.STANDARD, 7, false, 4));
    fx.sandbox.clock().advance(RESTORE_TAKES.plusMillis(1));
    List<ObjectInfo> listed =
        fx.restore.listObjects(new ListQuery(BUCKET, null, List.of(keys), null, 100, 4)).objects();
    fx.sandbox.calls().clear();
    return listed;
  }

  private DeliveryBatch download(List<ObjectInfo> objects) {
    return new DeliveryBatch(
        BUCKET, objects, new Delivery(DeliveryMode.DOWNLOAD, dir.toString(), null, null), 4);
  }

  private static String md5(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
  }

  @Test
  void givenRestoredObject_whenDownloaded_thenFileMatchesAndDetailNamesPathAndChecksums()
      throws Exception {
    ObjectOutcome out = fx.restore.deliver(download(restored(KEY))).get(0);

    Path file = dir.resolve(KEY);
    assertEquals(ObjectOutcome.DELIVERED, out.outcome(), out.detail());
    assertArrayEquals(data, Files.readAllBytes(file));
    assertFalse(Files.exists(dir.resolve(KEY + ".part")));
    assertTrue(out.detail().startsWith(file.toString()), out.detail());
    assertTrue(out.detail().contains("md5=" + md5(data)), out.detail());
    assertTrue(out.detail().contains("sha256="), out.detail());
    assertEquals(1, fx.counter(RestoreMetrics.OBJECTS, "event", "delivered"));
  }

  @Test
  void givenPartialDownload_whenDeliveredAgain_thenARangeRequestCompletesItAndMd5Matches()
      throws Exception {
    List<ObjectInfo> objects = restored(KEY);
    Path part = dir.resolve(KEY + ".part");
    Files.createDirectories(part.getParent());
    Files.write(part, Arrays.copyOf(data, 120_000));

    ObjectOutcome out = fx.restore.deliver(download(objects)).get(0);

    assertEquals(ObjectOutcome.DELIVERED, out.outcome(), out.detail());
    assertTrue(out.detail().contains("resumed at byte 120000"), out.detail());
    assertTrue(out.detail().contains("md5=" + md5(data)), out.detail());
    assertArrayEquals(data, Files.readAllBytes(dir.resolve(KEY)));
    assertEquals(1, fx.sandbox.calls().count("GetObject"));
    assertEquals(
        List.of(206),
        fx.sandbox.calls().of("GetObject").stream().map(c -> c.status()).toList(),
        "206 Partial Content: only the missing bytes were sent");
  }

  @Test
  void
      givenCorruptPartialDownload_whenResumed_thenChecksumMismatchIsRetryableAndTheRetryStartsOver()
          throws Exception {
    List<ObjectInfo> objects = restored(KEY);
    Path part = dir.resolve(KEY + ".part");
    Files.createDirectories(part.getParent());
    byte[] corrupt = Arrays.copyOf(data, 120_000);
    corrupt[1000] ^= 0x5a;
    Files.write(part, corrupt);

    ApplicationFailure f = failureOf(() -> fx.restore.deliver(download(objects)));
    boolean partKept = Files.exists(part);
    boolean finalWritten = Files.exists(dir.resolve(KEY));
    ObjectOutcome retry = fx.restore.deliver(download(objects)).get(0);

    assertEquals(ErrorTypes.CHECKSUM_MISMATCH, f.getType());
    assertFalse(f.isNonRetryable());
    assertTrue(
        f.getOriginalMessage().contains("does not match the ETag " + md5(data)),
        f.getOriginalMessage());
    assertFalse(partKept, "the bad part is deleted");
    assertFalse(finalWritten, "nothing unverified gets the final name");
    assertEquals(ObjectOutcome.DELIVERED, retry.outcome());
    assertArrayEquals(data, Files.readAllBytes(dir.resolve(KEY)));
    assertEquals(
        List.of(206, 200),
        fx.sandbox.calls().of("GetObject").stream().map(c -> c.status()).toList());
  }

  @Test
  void givenFinalFileAlreadyVerified_whenDeliveredAgain_thenSkippedWithoutDownloading()
      throws Exception {
    List<ObjectInfo> objects = restored(KEY);
    fx.restore.deliver(download(objects));
    fx.sandbox.calls().clear();

    ObjectOutcome again = fx.restore.deliver(download(objects)).get(0);

    assertEquals(ObjectOutcome.DELIVERED, again.outcome());
    assertTrue(again.detail().contains("already present"), again.detail());
    assertEquals(0, fx.sandbox.calls().count("GetObject"));
  }

  @Test
  void
      givenKeyThatEscapesTheDirectory_whenDownloaded_thenThatObjectFailsAndNothingIsWrittenOutside()
          throws IOException {
    Path inner = Files.createDirectories(dir.resolve("inner"));
    ObjectInfo evil = new ObjectInfo("../escaped", 3, "GLACIER", RestoreState.RESTORED, null, null);

    ObjectOutcome out =
        fx.restore
            .deliver(
                new DeliveryBatch(
                    BUCKET,
                    List.of(evil),
                    new Delivery(DeliveryMode.DOWNLOAD, inner.toString(), null, null),
                    1))
            .get(0);

    assertEquals(ObjectOutcome.FAILED, out.outcome());
    assertTrue(out.detail().startsWith(ErrorTypes.PATH_REFUSED), out.detail());
    assertFalse(Files.exists(dir.resolve("escaped")));
    assertEquals(0, fx.sandbox.calls().all().size());
  }

  @Test
  void givenOneRestoredCopyExpired_whenDownloaded_thenOnlyThatObjectFails() {
    fx.sandbox.s3().putObject(BUCKET, "db/old.sql.gz", new byte[] {1, 2, 3}, "GLACIER");
    List<ObjectInfo> objects = restored(KEY, "db/old.sql.gz");
    fx.sandbox.clock().advance(Duration.ofDays(8));
    fx.sandbox.s3().putObject(BUCKET, KEY, data, "STANDARD"); // still readable after the clock jump

    List<ObjectOutcome> out = fx.restore.deliver(download(objects));

    assertEquals(ObjectOutcome.DELIVERED, out.get(0).outcome(), out.get(0).detail());
    assertEquals(ObjectOutcome.FAILED, out.get(1).outcome());
    assertTrue(out.get(1).detail().startsWith(ErrorTypes.RESTORE_EXPIRED), out.get(1).detail());
    assertTrue(out.get(1).detail().contains("InvalidObjectState"), out.get(1).detail());
    assertEquals(1, fx.counter(RestoreMetrics.OBJECTS, "event", "failed"));
  }

  @Test
  void givenRestoredObject_whenCopiedInPlace_thenItBecomesStandardAndARepeatCopiesNothing()
      throws Exception {
    List<ObjectInfo> objects = restored(KEY);
    DeliveryBatch copy =
        new DeliveryBatch(BUCKET, objects, new Delivery(DeliveryMode.COPY, null, null, null), 2);

    ObjectOutcome out = fx.restore.deliver(copy).get(0);
    ObjectOutcome again = fx.restore.deliver(copy).get(0);

    assertEquals(ObjectOutcome.DELIVERED, out.outcome(), out.detail());
    assertEquals("s3://backups/" + KEY + " md5=" + md5(data), out.detail());
    assertEquals("STANDARD", fx.sandbox.s3().storageClass(BUCKET, KEY));
    assertArrayEquals(data, fx.sandbox.s3().data(BUCKET, KEY));
    assertEquals(ObjectOutcome.DELIVERED, again.outcome());
    assertTrue(again.detail().contains("already copied"), again.detail());
    assertEquals(1, fx.sandbox.calls().count("CopyObject"));
  }

  @Test
  void givenTargetBucketAndPrefix_whenCopied_thenAStandardCopyLandsThere() {
    fx.sandbox.s3().createBucket("restored");
    List<ObjectInfo> objects = restored(KEY);

    ObjectOutcome out =
        fx.restore
            .deliver(
                new DeliveryBatch(
                    BUCKET,
                    objects,
                    new Delivery(DeliveryMode.COPY, null, "restored", "run-1/"),
                    2))
            .get(0);

    assertEquals(ObjectOutcome.DELIVERED, out.outcome(), out.detail());
    assertTrue(out.detail().startsWith("s3://restored/run-1/" + KEY), out.detail());
    assertEquals("STANDARD", fx.sandbox.s3().storageClass("restored", "run-1/" + KEY));
    assertEquals("GLACIER", fx.sandbox.s3().storageClass(BUCKET, KEY), "source untouched");
  }

  @Test
  void givenExpiredCopy_whenCopied_thenThatObjectFailsWithTheReason() {
    List<ObjectInfo> objects = restored(KEY);
    fx.sandbox.clock().advance(Duration.ofDays(8));

    ObjectOutcome out =
        fx.restore
            .deliver(
                new DeliveryBatch(
                    BUCKET, objects, new Delivery(DeliveryMode.COPY, null, null, null), 2))
            .get(0);

    assertEquals(ObjectOutcome.FAILED, out.outcome());
    assertTrue(out.detail().startsWith(ErrorTypes.RESTORE_EXPIRED), out.detail());
    assertEquals("GLACIER", fx.sandbox.s3().storageClass(BUCKET, KEY));
  }

  @Test
  void givenDeliveryNone_whenDelivered_thenRestoredWithExpiryAndNotArchivedIsNotNeeded() {
    fx.sandbox.s3().putObject(BUCKET, "db/README", new byte[] {1}, "STANDARD");
    List<ObjectInfo> objects = restored(KEY, "db/README");

    List<ObjectOutcome> out =
        fx.restore.deliver(new DeliveryBatch(BUCKET, objects, Delivery.none(), 2));

    assertEquals(ObjectOutcome.RESTORED, out.get(0).outcome());
    assertEquals(
        "s3://backups/" + KEY + " expiry=" + fx.sandbox.s3().restoreExpiry(BUCKET, KEY),
        out.get(0).detail());
    assertEquals(ObjectOutcome.NOT_NEEDED, out.get(1).outcome());
  }

  @Test
  void givenHeartbeatFromAnEarlierAttempt_whenDeliveredAgain_thenFinishedObjectsAreNotTouched() {
    fx.sandbox.s3().putObject(BUCKET, "db/b.sql.gz", new byte[] {4, 5}, "GLACIER");
    List<ObjectInfo> objects = restored(KEY, "db/b.sql.gz");
    ObjectOutcome earlier =
        new ObjectOutcome(KEY, "GLACIER", data.length, ObjectOutcome.DELIVERED, "earlier");
    fx.env.setHeartbeatDetails(new DeliveryProgress(List.of(earlier)));

    List<ObjectOutcome> out = fx.restore.deliver(download(objects));

    assertEquals("earlier", out.get(0).detail());
    assertEquals(ObjectOutcome.DELIVERED, out.get(1).outcome());
    assertEquals(0, fx.sandbox.calls().count("GetObject", BUCKET, KEY));
    assertEquals(1, fx.sandbox.calls().count("GetObject", BUCKET, "db/b.sql.gz"));
  }

  @Test
  void givenDeniedBucket_whenDownloading_thenTheWholeAttemptFailsAccessDenied() {
    List<ObjectInfo> objects = restored(KEY);
    fx.sandbox.s3().denyAccess(BUCKET);

    ApplicationFailure f = failureOf(() -> fx.restore.deliver(download(objects)));

    assertEquals(ErrorTypes.ACCESS_DENIED, f.getType());
    assertTrue(f.isNonRetryable());
    assertEquals(1, fx.sandbox.calls().count("GetObject"));
  }

  // ------------------------------------------------------------- confinement to the directory

  private DeliveryBatch downloadTo(Path to, List<ObjectInfo> objects) {
    return new DeliveryBatch(
        BUCKET, objects, new Delivery(DeliveryMode.DOWNLOAD, to.toString(), null, null), 4);
  }

  /** Every regular file under {@code root}, relative, sorted. */
  private static List<String> filesUnder(Path root) throws IOException {
    try (var walk = Files.walk(root)) {
      return walk.filter(Files::isRegularFile)
          .map(p -> root.relativize(p).toString())
          .sorted()
          .toList();
    }
  }

  @Test
  void
      givenSymlinkInsideTheDirectory_whenKeyGoesThroughIt_thenObjectFailsAndNothingIsWrittenOutside()
          throws Exception {
    Path out = Files.createDirectories(dir.resolve("out"));
    Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
    Files.createSymbolicLink(out.resolve("link"), elsewhere);
    fx.sandbox.s3().putObject(BUCKET, "link/x.txt", "secret".getBytes(), "GLACIER");

    ObjectOutcome o = fx.restore.deliver(downloadTo(out, restored("link/x.txt"))).get(0);

    assertEquals(ObjectOutcome.FAILED, o.outcome(), o.detail());
    assertTrue(o.detail().startsWith(ErrorTypes.PATH_REFUSED), o.detail());
    assertTrue(o.detail().contains(out.resolve("link") + " is a symbolic link"), o.detail());
    assertEquals(List.of(), filesUnder(elsewhere), "nothing written through the link");
    assertEquals(0, fx.sandbox.calls().count("GetObject"), "refused before downloading");
  }

  @Test
  void givenPartialDownloadThatIsASymlink_whenDelivered_thenObjectFailsAndTheLinkTargetIsUntouched()
      throws Exception {
    Path out = Files.createDirectories(dir.resolve("out"));
    Path victim = Files.writeString(dir.resolve("victim.txt"), "keep me");
    Files.createDirectories(out.resolve("db/2024-01"));
    Files.createSymbolicLink(out.resolve(KEY + ".part"), victim);

    ObjectOutcome o = fx.restore.deliver(downloadTo(out, restored(KEY))).get(0);

    assertEquals(ObjectOutcome.FAILED, o.outcome(), o.detail());
    assertTrue(o.detail().startsWith(ErrorTypes.PATH_REFUSED), o.detail());
    assertEquals("keep me", Files.readString(victim));
    assertFalse(Files.exists(out.resolve(KEY)));
  }

  @Test
  void
      givenKeysDupAndDupDoubleSlash_whenDelivered_thenOnlyTheCanonicalOneIsDeliveredAndNothingIsOverwritten()
          throws Exception {
    Path out = Files.createDirectories(dir.resolve("out"));
    fx.sandbox.s3().putObject(BUCKET, "dup/a.txt", "first".getBytes(), "GLACIER");
    fx.sandbox.s3().putObject(BUCKET, "dup//a.txt", "second, longer".getBytes(), "GLACIER");

    List<ObjectOutcome> o =
        fx.restore.deliver(downloadTo(out, restored("dup/a.txt", "dup//a.txt")));

    assertEquals(ObjectOutcome.DELIVERED, o.get(0).outcome(), o.get(0).detail());
    assertEquals(ObjectOutcome.FAILED, o.get(1).outcome(), o.get(1).detail());
    assertTrue(o.get(1).detail().startsWith(ErrorTypes.PATH_REFUSED), o.get(1).detail());
    assertTrue(o.get(1).detail().contains("empty path segment"), o.get(1).detail());
    assertEquals("first", Files.readString(out.resolve("dup/a.txt")));
    assertEquals(List.of("dup/a.txt"), filesUnder(out));
    assertEquals(0, fx.sandbox.calls().count("GetObject", BUCKET, "dup//a.txt"));
  }

  @Test
  void givenAFileThatIsNotOurs_whenTheObjectWouldReplaceIt_thenObjectFailsAndTheFileIsUntouched()
      throws Exception {
    Path out = Files.createDirectories(dir.resolve("out"));
    Files.createDirectories(out.resolve("db/2024-01"));
    Files.writeString(out.resolve(KEY), "the operator's own file");

    ObjectOutcome o = fx.restore.deliver(downloadTo(out, restored(KEY))).get(0);

    assertEquals(ObjectOutcome.FAILED, o.outcome(), o.detail());
    assertTrue(o.detail().startsWith(ErrorTypes.PATH_REFUSED), o.detail());
    assertTrue(o.detail().contains("not overwritten"), o.detail());
    assertEquals("the operator's own file", Files.readString(out.resolve(KEY)));
    assertEquals(List.of(KEY), filesUnder(out), "no partial download left behind");
  }

  @Test
  void givenARegularFileAsTheDirectory_whenChecked_thenRefusedAtValidationNamingTheField()
      throws Exception {
    Path file = Files.writeString(dir.resolve("not-a-dir"), "x");

    ApplicationFailure f =
        failureOf(
            () -> fx.restore.checkDirectory(new DirectoryCheck(file.toString(), 10, 1, List.of())));

    assertEquals(ErrorTypes.INVALID_INPUT, f.getType());
    assertTrue(f.isNonRetryable());
    assertTrue(
        f.getOriginalMessage()
            .startsWith(
                "delivery.directory (--download-dir): " + file + " exists and is a regular file"),
        f.getOriginalMessage());
  }

  @Test
  void
      givenARegularFileAsTheDirectory_whenDelivering_thenTheBatchFailsNonRetryablyInsteadOfRetrying()
          throws Exception {
    Path file = Files.writeString(dir.resolve("not-a-dir"), "x");
    List<ObjectInfo> objects = restored(KEY);

    ApplicationFailure f = failureOf(() -> fx.restore.deliver(downloadTo(file, objects)));

    assertEquals(ErrorTypes.PATH_REFUSED, f.getType());
    assertTrue(f.isNonRetryable(), "a directory that is a file does not heal by retrying");
    assertEquals("x", Files.readString(file));
    assertEquals(0, fx.sandbox.calls().count("GetObject"));
  }

  @Test
  void givenSymlinkAsTheDirectory_whenChecked_thenRefusedNamingTheLink() throws Exception {
    Path real = Files.createDirectories(dir.resolve("real"));
    Path link = Files.createSymbolicLink(dir.resolve("link"), real);

    ApplicationFailure f =
        failureOf(
            () -> fx.restore.checkDirectory(new DirectoryCheck(link.toString(), 10, 1, List.of())));

    assertEquals(ErrorTypes.INVALID_INPUT, f.getType());
    assertTrue(
        f.getOriginalMessage().contains(link + " is a symbolic link"), f.getOriginalMessage());
  }

  @Test
  void givenSymlinkInsideTheDirectory_whenChecked_thenItsSubdirectoriesAreRefusedWithoutWriting()
      throws Exception {
    Path out = Files.createDirectories(dir.resolve("out"));
    Files.createSymbolicLink(
        out.resolve("link"), Files.createDirectories(dir.resolve("elsewhere")));
    Files.writeString(out.resolve("file"), "x");

    DirectoryFacts facts =
        fx.restore.checkDirectory(
            new DirectoryCheck(
                out.toString(), 10, 4, List.of("link", "link/deeper", "file/sub", "fine/new")));

    assertEquals(
        List.of("link", "link/deeper", "file/sub"),
        List.copyOf(facts.refusedSubdirectories().keySet()));
    assertTrue(
        facts
            .refusedSubdirectories()
            .get("link/deeper")
            .contains(out.resolve("link") + " is a symbolic link"),
        facts.toString());
    assertFalse(Files.exists(out.resolve("fine")), "the check writes nothing");
  }

  @Test
  void givenTooLittleFreeSpace_whenChecked_thenRefusedWithTheNumbers() {
    S3RestoreActivitiesImpl small =
        new S3RestoreActivitiesImpl(fx.s3, fx.registry, existing -> 999);

    ApplicationFailure f =
        assertThrows(
            ApplicationFailure.class,
            () ->
                small.checkDirectory(
                    new DirectoryCheck(dir.resolve("new/sub").toString(), 1000, 2, List.of("a"))));
    DirectoryFacts enough =
        small.checkDirectory(
            new DirectoryCheck(dir.resolve("new/sub").toString(), 999, 2, List.of("a")));

    assertEquals(ErrorTypes.INVALID_INPUT, f.getType());
    assertTrue(f.isNonRetryable());
    assertTrue(
        f.getOriginalMessage()
            .contains("2 object(s) need 1000 bytes but only 999 bytes are free at " + dir),
        f.getOriginalMessage());
    assertFalse(enough.exists());
    assertFalse(Files.exists(dir.resolve("new")), "the check writes nothing");
  }
}
