package dev.dbops.workflows.common;

import dev.dbops.workflows.binlog.BinlogWorkflowTestAccess;
import dev.dbops.workflows.migration.MigrationWorkflowTestAccess;
import dev.dbops.workflows.restore.GlacierRestoreWorkflowTestAccess;
import dev.dbops.workflows.staging.StagingWorkflowTestAccess;
import dev.dbops.workflows.upgrade.UpgradeWorkflowTestAccess;
import java.io.IOException;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/** Records the histories {@link HistoryReplayTest} replays; run only on purpose. */
@EnabledIfSystemProperty(named = "dbops.recordHistories", matches = "true")
class HistoryRecorder {
  @Test
  void record() throws IOException {
    for (var e : GlacierRestoreWorkflowTestAccess.record().entrySet()) {
      write(e.getKey(), e.getValue());
    }
    for (var e : UpgradeWorkflowTestAccess.record().entrySet()) {
      write(e.getKey(), e.getValue());
    }
    for (var e : StagingWorkflowTestAccess.record().entrySet()) {
      write(e.getKey(), e.getValue());
    }
    for (var e : BinlogWorkflowTestAccess.record().entrySet()) {
      write(e.getKey(), e.getValue());
    }
    for (var e : MigrationWorkflowTestAccess.record().entrySet()) {
      write(e.getKey(), e.getValue());
    }
  }

  /**
   * Never overwrites: a recorded history is evidence of what ran, kept to prove old runs still
   * replay.
   */
  private static void write(String name, String json) throws IOException {
    var file = HistoryReplayTest.DIR.resolve(name);
    if (!Files.exists(file)) Files.writeString(file, json);
  }
}
