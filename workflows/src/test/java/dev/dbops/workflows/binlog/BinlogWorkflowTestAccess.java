package dev.dbops.workflows.binlog;

import java.util.LinkedHashMap;
import java.util.Map;

/** Runs chosen workflow tests and returns their histories as JSON, for the recorder. */
public final class BinlogWorkflowTestAccess {
  private BinlogWorkflowTestAccess() {}

  public static Map<String, String> record() {
    Map<String, String> out = new LinkedHashMap<>();
    BinlogCatchUpWorkflowTest t = new BinlogCatchUpWorkflowTest();
    t.setUp();
    try {
      t.givenAllowedDuplicateKeys_whenCaughtUp_thenJournaledAndCutOverAfterApproval();
      out.put(
          "binlog-catch-up-happy-path.json",
          t.client.fetchHistory(BinlogCatchUpWorkflowTest.ID).toJson(true));
    } finally {
      t.tearDown();
    }
    t = new BinlogCatchUpWorkflowTest();
    t.setUp();
    try {
      t.givenErrorWaiting_whenAbortDecided_thenAbortedAndReplicationLeftStopped();
      out.put(
          "binlog-catch-up-aborted.json",
          t.client.fetchHistory(BinlogCatchUpWorkflowTest.ID).toJson(true));
    } finally {
      t.tearDown();
    }
    t = new BinlogCatchUpWorkflowTest();
    t.setUp();
    try {
      t.givenARequestWithoutSkipMode_whenStarted_thenStatementModeIsRecordedAndItsHistoryReplays();
      out.put(
          "binlog-catch-up-statement-default.json",
          t.client.fetchHistory(BinlogCatchUpWorkflowTest.ID).toJson(true));
    } catch (Exception e) {
      throw new IllegalStateException("recording the statement-default run", e);
    } finally {
      t.tearDown();
    }
    t = new BinlogCatchUpWorkflowTest();
    t.setUp();
    try {
      t
          .givenACaughtUpRun_whenConflictsArriveDuringTheApprovalWait_thenHandledAndJournaledBeforeTheCutOver();
      out.put(
          "binlog-catch-up-watched-cutover.json",
          t.client.fetchHistory(BinlogCatchUpWorkflowTest.ID).toJson(true));
    } finally {
      t.tearDown();
    }
    t = new BinlogCatchUpWorkflowTest();
    t.setUp();
    try {
      t.givenFkChildAllowedWithoutDisabledChecks_whenStarted_thenInvalidInputBeforeAnyCall();
      out.put(
          "binlog-catch-up-fk-child-refused.json",
          t.client.fetchHistory(BinlogCatchUpWorkflowTest.ID).toJson(true));
    } finally {
      t.tearDown();
    }
    t = new BinlogCatchUpWorkflowTest();
    t.setUp();
    try {
      t
          .givenTheReplicaStoppedShort_whenTheCutOverRefuses_thenTheRunFailsNamingBothPositionsAndNeverCompletes();
      out.put(
          "binlog-catch-up-cutover-refused.json",
          t.client.fetchHistory(BinlogCatchUpWorkflowTest.ID).toJson(true));
    } finally {
      t.tearDown();
    }
    return out;
  }
}
