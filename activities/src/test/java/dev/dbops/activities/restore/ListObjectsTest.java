package dev.dbops.activities.restore;

import static dev.dbops.activities.SandboxFixture.failureOf;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dbops.activities.SandboxFixture;
import dev.dbops.sandbox.SandboxConfig;
import dev.dbops.workflows.common.ErrorTypes;
import dev.dbops.workflows.restore.ListPage;
import dev.dbops.workflows.restore.ListQuery;
import dev.dbops.workflows.restore.ObjectInfo;
import dev.dbops.workflows.restore.RestoreBatch;
import dev.dbops.workflows.restore.RestoreState;
import dev.dbops.workflows.restore.RestoreTier;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ListObjectsTest {
  private SandboxFixture fx;

  @BeforeEach
  void start() {
    fx =
        SandboxFixture.start(
            SandboxConfig.defaults()
                .withRestoreDuration("GLACIER", "Standard", Duration.ofHours(1))
                .withRestoreDuration("GLACIER", "Expedited", Duration.ofMillis(1)));
    put("db/2024-01.sql.gz", "GLACIER");
    put("db/2024-02.sql.gz", "GLACIER");
    put("db/2024-03.sql.gz", "DEEP_ARCHIVE");
    put("db/README", "STANDARD");
    put("db/schema.sql", "GLACIER_IR");
    put("other/2024-01.sql.gz", "GLACIER");
  }

  @AfterEach
  void stop() {
    fx.close();
  }

  private void put(String key, String storageClass) {
    fx.sandbox.s3().putObject("backups", key, ("bytes of " + key).getBytes(UTF_8), storageClass);
  }

  @Test
  void givenPrefix_whenListedInPagesOfTwo_thenEveryObjectUnderThePrefixComesOnceWithItsClass() {
    List<ObjectInfo> all = new ArrayList<>();
    String token = null;
    int pages = 0;
    do {
      ListPage page = fx.restore.listObjects(new ListQuery("backups", "db/", null, token, 2, 4));
      all.addAll(page.objects());
      token = page.nextPageToken();
      pages++;
    } while (token != null);

    assertEquals(3, pages);
    assertEquals(3, fx.sandbox.calls().count("ListObjectsV2"));
    Map<String, ObjectInfo> byKey = index(all);
    assertEquals(
        List.of(
            "db/2024-01.sql.gz",
            "db/2024-02.sql.gz",
            "db/2024-03.sql.gz",
            "db/README",
            "db/schema.sql"),
        all.stream().map(ObjectInfo::key).toList());
    assertEquals("GLACIER", byKey.get("db/2024-01.sql.gz").storageClass());
    assertEquals(RestoreState.NONE, byKey.get("db/2024-01.sql.gz").restore());
    assertEquals("DEEP_ARCHIVE", byKey.get("db/2024-03.sql.gz").storageClass());
    assertEquals("STANDARD", byKey.get("db/README").storageClass());
    assertEquals(RestoreState.NOT_ARCHIVED, byKey.get("db/README").restore());
    assertEquals(RestoreState.NOT_ARCHIVED, byKey.get("db/schema.sql").restore());
    assertEquals("bytes of db/README".length(), byKey.get("db/README").size());
    assertEquals(32, byKey.get("db/README").etag().length(), "ETag without quotes");
  }

  @Test
  void givenRestoresInProgressAndDone_whenListedByPrefix_thenRestoreStateComesWithTheListing() {
    fx.restore.requestRestores(
        new RestoreBatch(
            "backups", List.of(glacier("db/2024-01.sql.gz")), RestoreTier.STANDARD, 3, false, 1));
    fx.restore.requestRestores(
        new RestoreBatch(
            "backups", List.of(glacier("db/2024-02.sql.gz")), RestoreTier.EXPEDITED, 3, false, 1));
    fx.sandbox.clock().advance(Duration.ofSeconds(1));
    fx.sandbox.calls().clear();

    Map<String, ObjectInfo> byKey =
        index(
            fx.restore.listObjects(new ListQuery("backups", "db/", null, null, 1000, 4)).objects());

    assertEquals(1, fx.sandbox.calls().count("ListObjectsV2"));
    assertEquals(0, fx.sandbox.calls().count("HeadObject"), "no HEAD per object");
    assertEquals(RestoreState.IN_PROGRESS, byKey.get("db/2024-01.sql.gz").restore());
    assertEquals(RestoreState.RESTORED, byKey.get("db/2024-02.sql.gz").restore());
    assertNotNull(byKey.get("db/2024-02.sql.gz").restoreExpiry());
  }

  @Test
  void givenExplicitKeys_whenListedInPagesOfTwo_thenEachKeyIsHeadedOnceAndTheTokenIsTheOffset() {
    fx.restore.requestRestores(
        new RestoreBatch(
            "backups", List.of(glacier("db/2024-02.sql.gz")), RestoreTier.EXPEDITED, 3, false, 1));
    fx.sandbox.clock().advance(Duration.ofSeconds(1));
    fx.sandbox.calls().clear();
    List<String> keys = List.of("db/2024-02.sql.gz", "db/README", "other/2024-01.sql.gz");

    ListPage first = fx.restore.listObjects(new ListQuery("backups", null, keys, null, 2, 4));
    ListPage second =
        fx.restore.listObjects(new ListQuery("backups", null, keys, first.nextPageToken(), 2, 4));

    assertEquals("2", first.nextPageToken());
    assertNull(second.nextPageToken());
    assertEquals(
        List.of("db/2024-02.sql.gz", "db/README"),
        first.objects().stream().map(ObjectInfo::key).toList());
    assertEquals(
        List.of("other/2024-01.sql.gz"), second.objects().stream().map(ObjectInfo::key).toList());
    assertEquals(3, fx.sandbox.calls().count("HeadObject"));
    assertEquals(0, fx.sandbox.calls().count("ListObjectsV2"));
    ObjectInfo restored = first.objects().get(0);
    assertEquals(RestoreState.RESTORED, restored.restore(), "from x-amz-restore");
    assertNotNull(restored.restoreExpiry());
    assertEquals("STANDARD", first.objects().get(1).storageClass(), "HEAD omits STANDARD");
    assertEquals(RestoreState.NONE, second.objects().get(0).restore());
  }

  @Test
  void givenMissingKey_whenListed_thenNotFoundFailsFastAfterOneHead() {
    ApplicationFailure f =
        failureOf(
            () ->
                fx.restore.listObjects(
                    new ListQuery("backups", null, List.of("db/nope"), null, 10, 1)));

    assertEquals(ErrorTypes.NOT_FOUND, f.getType());
    assertTrue(f.isNonRetryable());
    assertTrue(
        f.getOriginalMessage().contains("HeadObject s3://backups/db/nope"), f.getOriginalMessage());
    assertTrue(f.getOriginalMessage().contains("NoSuchKey"), f.getOriginalMessage());
    assertEquals(1, fx.sandbox.calls().count("HeadObject"));
  }

  @Test
  void givenMissingBucket_whenListedByPrefix_thenNotFoundFailsFastAfterOneCall() {
    ApplicationFailure f =
        failureOf(
            () ->
                fx.restore.listObjects(new ListQuery("no-such-bucket", "db/", null, null, 10, 1)));

    assertEquals(ErrorTypes.NOT_FOUND, f.getType());
    assertTrue(f.isNonRetryable());
    assertTrue(f.getOriginalMessage().contains("NoSuchBucket"), f.getOriginalMessage());
    assertEquals(1, fx.sandbox.calls().all().size());
  }

  @Test
  void givenDeniedBucket_whenListedByPrefixOrKeys_thenAccessDeniedFailsFastAfterOneCallEach() {
    fx.sandbox.s3().denyAccess("backups");

    ApplicationFailure byPrefix =
        failureOf(() -> fx.restore.listObjects(new ListQuery("backups", "db/", null, null, 10, 1)));
    ApplicationFailure byKey =
        failureOf(
            () ->
                fx.restore.listObjects(
                    new ListQuery("backups", null, List.of("db/README"), null, 10, 1)));

    assertEquals(ErrorTypes.ACCESS_DENIED, byPrefix.getType());
    assertTrue(byPrefix.isNonRetryable());
    assertTrue(
        byPrefix.getOriginalMessage().contains("AccessDenied"), byPrefix.getOriginalMessage());
    assertEquals(ErrorTypes.ACCESS_DENIED, byKey.getType(), "HEAD 403 has no body, status decides");
    assertTrue(byKey.isNonRetryable());
    assertEquals(1, fx.sandbox.calls().count("ListObjectsV2"));
    assertEquals(1, fx.sandbox.calls().count("HeadObject"));
  }

  @Test
  void givenBadPageToken_whenListingKeys_thenInvalidInput() {
    ApplicationFailure f =
        failureOf(
            () ->
                fx.restore.listObjects(
                    new ListQuery("backups", null, List.of("db/README"), "abc", 10, 1)));

    assertEquals(ErrorTypes.INVALID_INPUT, f.getType());
    assertTrue(f.isNonRetryable());
    assertEquals(0, fx.sandbox.calls().all().size());
  }

  static ObjectInfo glacier(String key) {
    return new ObjectInfo(key, 0, "GLACIER", RestoreState.NONE, null, null);
  }

  private static Map<String, ObjectInfo> index(List<ObjectInfo> infos) {
    return infos.stream().collect(Collectors.toMap(ObjectInfo::key, Function.identity()));
  }
}
