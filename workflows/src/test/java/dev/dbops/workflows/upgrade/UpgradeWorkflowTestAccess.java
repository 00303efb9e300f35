package dev.dbops.workflows.upgrade;

import java.util.LinkedHashMap;
import java.util.Map;

/** Runs chosen workflow tests and returns their histories as JSON, for the recorder. */
public final class UpgradeWorkflowTestAccess {
  private UpgradeWorkflowTestAccess() {}

  public static Map<String, String> record() {
    Map<String, String> out = new LinkedHashMap<>();
    UpgradeWorkflowTest t = new UpgradeWorkflowTest();
    t.setUp();
    try {
      t.givenApprovedUpgrade_whenSnapshotTakes1hAndUpgrade3h_thenVerifiedOn57WithFewHistoryEvents();
      out.put("upgrade-happy-path.json", t.client.fetchHistory(UpgradeWorkflowTest.ID).toJson(true));
    } finally {
      t.tearDown();
    }
    t = new UpgradeWorkflowTest();
    t.setUp();
    try {
      t.givenStalledUpgrade_whenPastThreshold_thenNotifiesKeepsWaiting_andAbortFailsTyped();
      out.put("upgrade-stalled-aborted.json", t.client.fetchHistory(UpgradeWorkflowTest.ID).toJson(true));
    } finally {
      t.tearDown();
    }
    return out;
  }
}
