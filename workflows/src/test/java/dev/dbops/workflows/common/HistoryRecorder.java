package dev.dbops.workflows.common;

import dev.dbops.workflows.restore.GlacierRestoreWorkflowTestAccess;
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
      Files.writeString(HistoryReplayTest.DIR.resolve(e.getKey()), e.getValue());
    }
    for (var e : UpgradeWorkflowTestAccess.record().entrySet()) {
      Files.writeString(HistoryReplayTest.DIR.resolve(e.getKey()), e.getValue());
    }
  }
}
