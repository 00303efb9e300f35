package dev.dbops.workflows.staging;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/** Runs chosen workflow tests and returns their histories as JSON, for the recorder. */
public final class StagingWorkflowTestAccess {
  private StagingWorkflowTestAccess() {}

  public static Map<String, String> record() {
    Map<String, String> out = new LinkedHashMap<>();
    StagingRebuildWorkflowTest t = new StagingRebuildWorkflowTest();
    t.setUp();
    try {
      t.givenGracePeriod_whenAliceApprovesEarly_thenRetiredAtOnceAndHerApprovalRecorded();
      out.put(
          "staging-rebuild-approved-early.json",
          t.client.fetchHistory(StagingRebuildWorkflowTest.ID).toJson(true));
    } finally {
      t.tearDown();
    }
    t = new StagingRebuildWorkflowTest();
    t.setUp();
    try {
      t.givenRoute53NeverInsync_whenCuttingOver_thenRevertedToOldValueAndTypedFailure();
      out.put(
          "staging-rebuild-dns-reverted.json",
          t.client.fetchHistory(StagingRebuildWorkflowTest.ID).toJson(true));
    } finally {
      t.tearDown();
    }
    record(
        out,
        "staging-rebuild-cancelled-while-restoring.json",
        StagingRebuildWorkflowTest
            ::givenCancelWhileRestoring_whenCancelled_thenWhatTheRunCreatedIsRemoved);
    record(
        out,
        "staging-rebuild-failed-after-cutover.json",
        StagingRebuildWorkflowTest
            ::givenAfterCutoverHookFails_whenAliceRejects_thenNewClusterAndCnameStayAndSnapshotsGo);
    return out;
  }

  private static void record(
      Map<String, String> out, String name, Consumer<StagingRebuildWorkflowTest> test) {
    StagingRebuildWorkflowTest t = new StagingRebuildWorkflowTest();
    t.setUp();
    try {
      test.accept(t);
      out.put(name, t.client.fetchHistory(StagingRebuildWorkflowTest.ID).toJson(true));
    } finally {
      t.tearDown();
    }
  }
}
