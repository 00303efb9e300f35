package dev.dbops.activities.upgrade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dbops.activities.upgrade.UpgradeEvents.Entry;
import dev.dbops.activities.upgrade.UpgradeEvents.Reading;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class UpgradeEventsTest {
  private static final Instant T0 = Instant.parse("2026-01-10T02:00:00Z");

  private static Entry at(int minute, String message, String... categories) {
    return new Entry(T0.plusSeconds(60L * minute), message, List.of(categories));
  }

  @Test
  void givenNoEvents_whenRead_thenNoPhaseNoRecordsNoFailure() {
    Reading r = UpgradeEvents.read(List.of());
    assertNull(r.phase());
    assertEquals(-1, r.recordsRemaining());
    assertNull(r.lastEvent());
    assertNull(r.failure());
  }

  @Test
  void givenPurgeCountingDown_whenRead_thenOnePhaseWithTheLatestCount() {
    Reading r =
        UpgradeEvents.read(
            List.of(
                at(0, "Upgrade in progress: Performing online pre-upgrade checks.", "maintenance"),
                at(
                    5,
                    "Upgrade in progress: Purging undo records for old row versions. Records remaining: 1,164"),
                at(
                    9,
                    "Upgrade in progress: Purging undo records for old row versions. Records remaining: 164")));
    assertEquals("Purging undo records for old row versions", r.phase());
    assertEquals(164, r.recordsRemaining());
    assertTrue(r.lastEvent().endsWith("Records remaining: 164"), r.lastEvent());
  }

  @Test
  void givenEventsOutOfOrder_whenRead_thenTheLatestByDateWins() {
    Reading r =
        UpgradeEvents.read(
            List.of(
                at(20, "Upgrade in progress: Upgrading database objects."),
                at(
                    5,
                    "Upgrade in progress: Purging undo records for old row versions. Records remaining: 7")));
    assertEquals("Upgrading database objects", r.phase());
    assertEquals(-1, r.recordsRemaining(), "the count belongs to the purge phase, which is over");
  }

  @Test
  void givenACancelledUpgrade_whenRead_thenTheFailureIsNamed() {
    Reading r =
        UpgradeEvents.read(
            List.of(
                at(0, "Upgrade in progress: Performing online pre-upgrade checks."),
                at(
                    3,
                    "Database cluster is in a state that cannot be upgraded: Reason: prepared XA transactions"),
                at(4, "DB cluster is available")));
    assertTrue(r.failure().contains("cannot be upgraded"), r.failure());
    assertTrue(r.lastEvent().endsWith("DB cluster is available"));
  }

  @Test
  void givenAFailureCategory_whenRead_thenItIsAFailureWhateverTheText() {
    Reading r = UpgradeEvents.read(List.of(at(1, "Something went wrong", "failure")));
    assertTrue(r.failure().endsWith("Something went wrong"));
  }

  @Test
  void givenOrdinaryEvents_whenRead_thenNoFailure() {
    Reading r =
        UpgradeEvents.read(
            List.of(
                at(0, "Upgrade in progress: Upgrading database objects.", "maintenance"),
                at(1, "Database cluster major version has been upgraded", "maintenance")));
    assertNull(r.failure());
  }
}
