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
      out.put(
          "upgrade-happy-path.json", t.client.fetchHistory(UpgradeWorkflowTest.ID).toJson(true));
    } finally {
      t.tearDown();
    }
    t = new UpgradeWorkflowTest();
    t.setUp();
    try {
      t.givenStalledUpgrade_whenPastThreshold_thenNotifiesKeepsWaiting_andAbortFailsTyped();
      out.put(
          "upgrade-stalled-aborted.json",
          t.client.fetchHistory(UpgradeWorkflowTest.ID).toJson(true));
    } finally {
      t.tearDown();
    }
    t = new UpgradeWorkflowTest();
    t.setUp();
    try {
      t.givenInstanceClassOfferedOnTheTarget_whenRun_thenAskedOnceForTheTargetVersionAndUpgraded();
      out.put(
          "upgrade-instance-classes-checked.json",
          t.client.fetchHistory(UpgradeWorkflowTest.ID).toJson(true));
    } finally {
      t.tearDown();
    }
    t = new UpgradeWorkflowTest();
    t.setUp();
    try {
      t
          .givenInstanceClassNotOfferedOnTheTarget_whenValidated_thenInvalidInputNamingItBeforePrecheckAndSnapshot();
      out.put(
          "upgrade-instance-class-refused.json",
          t.client.fetchHistory(UpgradeWorkflowTest.ID).toJson(true));
    } finally {
      t.tearDown();
    }
    out.putAll(rollbacks());
    return out;
  }

  /**
   * Rollback histories, named {@code rollback-…} (HistoryReplayTest replays them with its impl).
   */
  private static Map<String, String> rollbacks() {
    Map<String, String> out = new LinkedHashMap<>();
    UpgradeRollbackWorkflowTest t = new UpgradeRollbackWorkflowTest();
    t.setUp();
    try {
      t.givenPreUpgradeSnapshot_whenRolledBack_thenNewClusterWithInstancesAndEndpoint();
      out.put(
          "rollback-instance-class-checked.json",
          t.client.fetchHistory("upgrade-rollback/orders-56").toJson(true));
    } finally {
      t.tearDown();
    }
    t = new UpgradeRollbackWorkflowTest();
    t.setUp();
    try {
      t
          .givenClassNotOfferedForTheSnapshotsVersion_whenRolledBack_thenInvalidInputNamingItBeforeAnyRestore();
      out.put(
          "rollback-instance-class-refused.json",
          t.client.fetchHistory("upgrade-rollback/orders-56").toJson(true));
    } finally {
      t.tearDown();
    }
    t = new UpgradeRollbackWorkflowTest();
    t.setUp();
    try {
      t.givenUnknownSnapshot_whenRolledBack_thenInvalidInputBeforeAnyRestore();
      out.put(
          "rollback-snapshot-missing-refused.json",
          t.client.fetchHistory("upgrade-rollback/orders-56").toJson(true));
    } finally {
      t.tearDown();
    }
    t = new UpgradeRollbackWorkflowTest();
    t.setUp();
    try {
      t.givenRestoredClusterNeverAvailable_whenMaxWaitPasses_thenFailsWithoutCreatingInstances();
      out.put(
          "rollback-restore-wait-timed-out.json",
          t.client.fetchHistory("upgrade-rollback/orders-56").toJson(true));
    } finally {
      t.tearDown();
    }
    t = new UpgradeRollbackWorkflowTest();
    t.setUp();
    try {
      t
          .givenACname_whenRestoredAndApprovedByTwoOthers_thenRepointedTtl0InsyncWithPreviousValueKept();
      out.put(
          "rollback-cname-repointed.json",
          t.client.fetchHistory("upgrade-rollback/orders-56").toJson(true));
    } finally {
      t.tearDown();
    }
    t = new UpgradeRollbackWorkflowTest();
    t.setUp();
    try {
      t.givenACname_whenNobodyApproves_thenFailsAfterTheTimeoutWithTheCnameUntouched();
      out.put(
          "rollback-cname-approval-timed-out.json",
          t.client.fetchHistory("upgrade-rollback/orders-56").toJson(true));
    } finally {
      t.tearDown();
    }
    t = new UpgradeRollbackWorkflowTest();
    t.setUp();
    try {
      t.givenADryRun_whenPlanned_thenStepsWithExactCallsAndReadOnlyResultsAndNothingChanged();
      out.put(
          "rollback-planned.json",
          t.client.fetchHistory("upgrade-rollback/orders-56").toJson(true));
    } finally {
      t.tearDown();
    }
    return out;
  }
}
