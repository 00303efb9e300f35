package dev.dbops.workflows.restore;

import static org.junit.jupiter.api.Assertions.assertFalse;

import io.temporal.testing.WorkflowReplayer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Recorded histories must replay against today's code: a change that would break a running
 * workflow fails here, not in production. Re-record (only for new paths, never to paper over
 * a break) with {@code -Ddbops.recordHistories=true}.
 */
class GlacierRestoreReplayTest {
  static final Path DIR = Path.of("src/test/resources/histories");

  @Test
  void givenRecordedHistories_whenReplayed_thenTodaysCodeIsCompatible() throws Exception {
    List<Path> files;
    try (Stream<Path> s = Files.list(DIR)) {
      files = s.filter(p -> p.getFileName().toString().startsWith("glacier-restore-")).sorted().toList();
    }
    assertFalse(files.isEmpty(), "no recorded glacier-restore histories under " + DIR);
    for (Path f : files) {
      WorkflowReplayer.replayWorkflowExecution(Files.readString(f), GlacierRestoreWorkflowImpl.class);
    }
  }

  @Test
  @EnabledIfSystemProperty(named = "dbops.recordHistories", matches = "true")
  void recordHistories() throws IOException {
    GlacierRestoreWorkflowTest t = new GlacierRestoreWorkflowTest();
    t.setUp();
    try {
      t.givenDeepArchiveObject_whenStandardRestoreTakes12Hours_thenRunCompletesWithFlatHistory();
      write("glacier-restore-happy-path.json", t.client.fetchHistory("restore/da").toJson(true));
    } finally {
      t.tearDown();
    }
    t.setUp();
    try {
      t.givenWaitingForApproval_whenApproverRejects_thenRunFailsAsRejectedAndRestoresNothing();
      write("glacier-restore-rejected.json", t.client.fetchHistory("restore/reject").toJson(true));
    } finally {
      t.tearDown();
    }
    t.setUp();
    try {
      t.givenRestoreVanished_whenChecking_thenBatchObjectsFailAndRunCompletesWithFailures();
      write("glacier-restore-batch-failed.json", t.client.fetchHistory("restore/vanished").toJson(true));
    } finally {
      t.tearDown();
    }
  }

  private static void write(String name, String json) throws IOException {
    Files.writeString(DIR.resolve(name), json);
  }
}
