package dev.dbops.activities.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dbops.activities.restore.S3ObjectStates.RestoreHeader;
import dev.dbops.workflows.restore.RestoreState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class S3ObjectStatesTest {
  private static final Instant NOW = Instant.parse("2024-06-01T00:00:00Z");

  @Test
  void givenRestoreHeaders_whenParsed_thenOngoingAndExpiryAreRead() {
    RestoreHeader done =
        RestoreHeader.parse(
                "ongoing-request=\"false\", expiry-date=\"Fri, 21 Jun 2024 00:00:00 GMT\"")
            .orElseThrow();
    RestoreHeader running = RestoreHeader.parse("ongoing-request=\"true\"").orElseThrow();

    assertEquals(false, done.ongoing());
    assertEquals(Instant.parse("2024-06-21T00:00:00Z"), done.expiry());
    assertEquals(true, running.ongoing());
    assertNull(running.expiry());
    assertTrue(RestoreHeader.parse(null).isEmpty());
    assertTrue(RestoreHeader.parse("").isEmpty());
  }

  @Test
  void givenStorageClassAndRestore_whenSorted_thenTheStateFollowsS3() {
    Instant later = NOW.plusSeconds(3600);
    assertEquals(RestoreState.NOT_ARCHIVED, S3ObjectStates.state("STANDARD", false, null, NOW));
    assertEquals(RestoreState.NOT_ARCHIVED, S3ObjectStates.state("GLACIER_IR", false, null, NOW));
    assertEquals(RestoreState.NONE, S3ObjectStates.state("GLACIER", false, null, NOW));
    assertEquals(RestoreState.IN_PROGRESS, S3ObjectStates.state("DEEP_ARCHIVE", true, null, NOW));
    assertEquals(RestoreState.RESTORED, S3ObjectStates.state("GLACIER", false, later, NOW));
    assertEquals(
        RestoreState.NONE,
        S3ObjectStates.state("GLACIER", false, NOW.minusSeconds(1), NOW),
        "an expiry in the past is as good as gone");
    assertEquals("STANDARD", S3ObjectStates.storageClass(null));
  }

  @Test
  void givenEtags_whenCheckedForMd5_thenOnlyPlainSinglePartOnesCount() {
    assertEquals(
        "9e107d9d372bb6826bd81d3542a419d6",
        S3ObjectStates.plainMd5("\"9E107D9D372BB6826BD81D3542A419D6\""));
    assertNull(S3ObjectStates.plainMd5("\"9e107d9d372bb6826bd81d3542a419d6-12\""));
    assertNull(S3ObjectStates.plainMd5(null));
  }

  @Test
  void givenUtf8Keys_whenOrdered_thenByteOrderLikeS3() {
    List<String> keys = new ArrayList<>(List.of("a\uFFFD", "a\uD83D\uDE00", "a"));
    keys.sort(S3ObjectStates.S3_KEY_ORDER);

    assertEquals(List.of("a", "a\uFFFD", "a\uD83D\uDE00"), keys);
  }

  @Test
  void givenContentRange_whenRead_thenTheTotalSize() {
    assertEquals(300, ObjectDownloader.totalFromContentRange("bytes 100-299/300", -1));
    assertEquals(7, ObjectDownloader.totalFromContentRange(null, 7));
  }
}
