package dev.dbops.workflows.migration;

import java.util.LinkedHashMap;
import java.util.Map;

/** Runs chosen workflow tests and returns their histories as JSON, for the recorder. */
public final class MigrationWorkflowTestAccess {
  private MigrationWorkflowTestAccess() {}

  public static Map<String, String> record() {
    Map<String, String> out = new LinkedHashMap<>();
    AuroraMigrationWorkflowTest t = new AuroraMigrationWorkflowTest();
    t.setUp();
    try {
      t.givenReplicaCatchingUpFor6h_whenApproved_thenPromotedCnameSwitchedAndHistorySmall();
      out.put(
          "aurora-migration-happy-path.json",
          t.f.client.fetchHistory(MigrationFixture.ID).toJson(true));
    } finally {
      t.tearDown();
    }
    t = new AuroraMigrationWorkflowTest();
    t.setUp();
    try {
      t.givenAfterCutoverHookFails_whenRejected_thenCnamePutBackAndRunFails();
      out.put(
          "aurora-migration-cname-reverted.json",
          t.f.client.fetchHistory(MigrationFixture.ID).toJson(true));
    } finally {
      t.tearDown();
    }
    return out;
  }
}
