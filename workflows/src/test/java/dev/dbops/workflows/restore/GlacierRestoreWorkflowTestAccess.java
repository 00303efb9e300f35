package dev.dbops.workflows.restore;

import java.util.LinkedHashMap;
import java.util.Map;

/** Runs chosen workflow tests and returns their histories as JSON, for the recorder. */
public final class GlacierRestoreWorkflowTestAccess {
  private GlacierRestoreWorkflowTestAccess() {}

  public static Map<String, String> record() {
    Map<String, String> out = new LinkedHashMap<>();
    GlacierRestoreWorkflowTest t = new GlacierRestoreWorkflowTest();
    t.setUp();
    try {
      t.givenRequesterOnApproverList_whenRequesterApproves_thenRefusedAndAnotherApproverIsNeeded();
      out.put(
          "glacier-restore-approved-local-notices.json",
          t.client.fetchHistory("restore/self").toJson(true));
    } finally {
      t.tearDown();
    }
    t = new GlacierRestoreWorkflowTest();
    t.setUp();
    try {
      t
          .givenKeysThatCannotGetAPathOfTheirOwn_whenRun_thenTheyFailUnrestoredAndTheRestAreDelivered();
      out.put(
          "glacier-restore-download-keys-refused.json",
          t.client.fetchHistory("restore/paths").toJson(true));
    } finally {
      t.tearDown();
    }
    GlacierRestoreOversizedInputTest o = new GlacierRestoreOversizedInputTest();
    o.setUp();
    try {
      // Bounds.BOUNDS_CHANGE: oversized approve / reject input refused and recorded.
      o
          .givenOversizedCommentReasonAndName_whenSignalled_thenEachRefusedAndRecordedAndTheRunStillWaits();
      out.put(
          "glacier-restore-oversized-input-refused.json",
          o.client.fetchHistory("restore/oversized").toJson(true));
    } finally {
      o.tearDown();
    }
    return out;
  }
}
