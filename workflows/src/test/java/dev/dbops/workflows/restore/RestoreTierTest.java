package dev.dbops.workflows.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The one tier rule the planner and the restore activity share. */
class RestoreTierTest {
  @Test
  void givenDeepArchive_whenExpeditedIsAsked_thenItIsNotOfferedAndStandardIsAskedInstead() {
    assertFalse(RestoreTier.EXPEDITED.availableFor(RestoreTier.DEEP_ARCHIVE));
    assertEquals(
        RestoreTier.STANDARD, RestoreTier.EXPEDITED.forStorageClass(RestoreTier.DEEP_ARCHIVE));
  }

  @Test
  void givenEveryOtherClassOrTier_whenAsked_thenTheTierIsKept() {
    for (RestoreTier t : RestoreTier.values()) {
      assertTrue(t.availableFor("GLACIER"), t.name());
      assertEquals(t, t.forStorageClass("GLACIER"), t.name());
    }
    assertEquals(
        RestoreTier.STANDARD, RestoreTier.STANDARD.forStorageClass(RestoreTier.DEEP_ARCHIVE));
    assertEquals(RestoreTier.BULK, RestoreTier.BULK.forStorageClass(RestoreTier.DEEP_ARCHIVE));
  }

  @Test
  void givenExpeditedCapacityGone_whenFallingBack_thenStandardOtherwiseTheSameTier() {
    assertEquals(RestoreTier.STANDARD, RestoreTier.EXPEDITED.fallback());
    assertEquals(RestoreTier.BULK, RestoreTier.BULK.fallback());
  }
}
