package dev.dbops.workflows.common;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dbops.workflows.binlog.BinlogCatchUpWorkflowImpl;
import dev.dbops.workflows.migration.AuroraMigrationWorkflowImpl;
import dev.dbops.workflows.restore.GlacierRestoreWorkflowImpl;
import dev.dbops.workflows.staging.StagingRebuildWorkflowImpl;
import dev.dbops.workflows.upgrade.UpgradeRollbackWorkflowImpl;
import dev.dbops.workflows.upgrade.UpgradeWorkflowImpl;
import io.temporal.api.enums.v1.EventType;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.WorkflowReplayer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Recorded histories must replay against today's code: a change that would break a running workflow
 * fails here, not in production. Files are named {@code <procedure>-<case>.json}; histories
 * recorded before a versioned change (see {@code Workflow.getVersion}) are kept so the old branch
 * stays covered. Record new ones with {@code -Ddbops.recordHistories=true} (HistoryRecorder), never
 * to paper over a break.
 */
public class HistoryReplayTest {
  public static final Path DIR = Path.of("src/test/resources/histories");
  static final Map<String, Class<?>> IMPLS =
      Map.of(
          "glacier-restore-", GlacierRestoreWorkflowImpl.class,
          "upgrade-", UpgradeWorkflowImpl.class,
          "staging-rebuild-", StagingRebuildWorkflowImpl.class,
          "binlog-catch-up-", BinlogCatchUpWorkflowImpl.class,
          "rollback-", UpgradeRollbackWorkflowImpl.class,
          "aurora-migration-", AuroraMigrationWorkflowImpl.class);

  @Test
  void givenRecordedHistories_whenReplayed_thenTodaysCodeIsCompatible() throws Exception {
    List<Path> files;
    try (Stream<Path> s = Files.list(DIR)) {
      files = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    }
    for (String prefix : IMPLS.keySet()) {
      assertTrue(
          files.stream().anyMatch(f -> f.getFileName().toString().startsWith(prefix)),
          "no recorded history for " + prefix);
    }
    for (Path f : files) {
      Class<?> impl =
          IMPLS.entrySet().stream()
              .filter(e -> f.getFileName().toString().startsWith(e.getKey()))
              .map(Map.Entry::getValue)
              .findFirst()
              .orElseThrow(() -> new AssertionError("no workflow for " + f));
      WorkflowReplayer.replayWorkflowExecution(Files.readString(f), impl);
    }
  }

  /**
   * Replays every kept history, each in a fresh environment made with {@code options} (worker
   * interceptors, data converter): how a change installed in the worker proves old runs replay.
   */
  public static void replayEachWith(TestEnvironmentOptions options) throws Exception {
    List<Path> files;
    try (Stream<Path> s = Files.list(DIR)) {
      files = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    }
    assertTrue(files.size() >= 3, "kept histories: " + files.size());
    for (Path f : files) {
      Class<?> impl =
          IMPLS.entrySet().stream()
              .filter(e -> f.getFileName().toString().startsWith(e.getKey()))
              .map(Map.Entry::getValue)
              .findFirst()
              .orElseThrow(() -> new AssertionError("no workflow for " + f));
      try (TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance(options)) {
        WorkflowReplayer.replayWorkflowExecution(
            WorkflowExecutionHistory.fromJson(Files.readString(f)), env, impl);
      }
    }
  }

  static final String VERSION_MARKER = "\"markerName\": \"Version\"";

  @Test
  void
      givenUpgradeHistoryFromBeforeInstanceClassesWereChecked_whenReplayed_thenTheOldBranchIsTaken()
          throws Exception {
    String old = payloads(Files.readString(DIR.resolve("upgrade-happy-path.json")));
    String current =
        payloads(Files.readString(DIR.resolve("upgrade-instance-classes-checked.json")));
    // The old run asked nothing of DescribeOrderableDBInstanceOptions and has no marker for it ...
    assertFalse(old.contains("upgrade-checks-instance-classes"));
    assertFalse(old.contains("InstanceClassOffers"));
    // ... the new one records the marker and the read.
    assertTrue(current.contains("upgrade-checks-instance-classes"));
    assertTrue(current.contains("InstanceClassOffers"));
    WorkflowReplayer.replayWorkflowExecution(
        Files.readString(DIR.resolve("upgrade-happy-path.json")), UpgradeWorkflowImpl.class);
    WorkflowReplayer.replayWorkflowExecution(
        Files.readString(DIR.resolve("upgrade-instance-classes-checked.json")),
        UpgradeWorkflowImpl.class);
  }

  @Test
  void givenRollbackHistoriesFromBeforeTheCnameRepoint_whenReplayed_thenTheOldBranchIsTaken()
      throws Exception {
    String old = payloads(Files.readString(DIR.resolve("rollback-instance-class-checked.json")));
    String current = payloads(Files.readString(DIR.resolve("rollback-cname-repointed.json")));
    // The old run has no marker for the engine check and CNAME repoint, and never called Route53
    // ...
    assertFalse(old.contains("rollback-checks-engine-repoints-cname"));
    assertFalse(old.contains("Route53"));
    // ... the new one records the marker, the read before the restore and the UPSERT.
    assertTrue(current.contains("rollback-checks-engine-repoints-cname"));
    assertTrue(current.contains("Route53ReadRecord"));
    assertTrue(current.contains("Route53UpsertCname"));
    for (String f :
        List.of(
            "rollback-instance-class-checked.json",
            "rollback-restore-wait-timed-out.json",
            "rollback-cname-repointed.json",
            "rollback-cname-approval-timed-out.json",
            "rollback-planned.json")) {
      WorkflowReplayer.replayWorkflowExecution(
          Files.readString(DIR.resolve(f)), UpgradeRollbackWorkflowImpl.class);
    }
  }

  /** Every payload of a history, decoded: marker change ids and activity types are payloads. */
  static String payloads(String historyJson) {
    StringBuilder out = new StringBuilder();
    Matcher m = Pattern.compile("\"data\": \"([^\"]*)\"").matcher(historyJson);
    while (m.find()) {
      out.append(
              new String(
                  Base64.getDecoder().decode(m.group(1).replace("\\u003d", "=")),
                  StandardCharsets.UTF_8))
          .append('\n');
    }
    return out.toString();
  }

  @Test
  void givenHistoryFromBeforeNoticesWereLocal_whenReplayed_thenTheOldBranchIsTaken()
      throws Exception {
    String old = Files.readString(DIR.resolve("glacier-restore-rejected.json"));
    String current = Files.readString(DIR.resolve("glacier-restore-approved-local-notices.json"));
    // The old run scheduled the notice as a regular activity and has no version marker ...
    assertTrue(old.contains("\"WaitingForPerson\""), "old history schedules WaitingForPerson");
    assertFalse(old.contains(VERSION_MARKER));
    // ... the new one records a version marker and no regular notice activity.
    assertTrue(current.contains(VERSION_MARKER));
    assertFalse(current.contains("\"WaitingForPerson\""));
    WorkflowReplayer.replayWorkflowExecution(old, GlacierRestoreWorkflowImpl.class);
    WorkflowReplayer.replayWorkflowExecution(current, GlacierRestoreWorkflowImpl.class);
  }

  /** The JSON a history's run was started with. */
  public static String startInput(String historyJson) {
    return WorkflowExecutionHistory.fromJson(historyJson)
        .getEvents()
        .get(0)
        .getWorkflowExecutionStartedEventAttributes()
        .getInput()
        .getPayloads(0)
        .getData()
        .toStringUtf8();
  }

  /** The change ids of a history's version markers. */
  public static List<String> versionChangeIds(String historyJson) {
    return WorkflowExecutionHistory.fromJson(historyJson).getEvents().stream()
        .filter(
            e ->
                e.getEventType() == EventType.EVENT_TYPE_MARKER_RECORDED
                    && "Version".equals(e.getMarkerRecordedEventAttributes().getMarkerName()))
        .map(
            e ->
                e.getMarkerRecordedEventAttributes()
                    .getDetailsMap()
                    .get("changeId")
                    .getPayloads(0)
                    .getData()
                    .toStringUtf8()
                    .replace("\"", ""))
        .toList();
  }
}
