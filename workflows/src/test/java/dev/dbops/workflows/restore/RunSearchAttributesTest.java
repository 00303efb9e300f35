package dev.dbops.workflows.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dbops.workflows.common.Approval;
import dev.dbops.workflows.common.ApprovalPolicy;
import dev.dbops.workflows.common.HistoryReplayTest;
import dev.dbops.workflows.common.ScriptedHooks;
import dev.dbops.workflows.common.SearchAttributesInterceptor;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.api.sdk.v1.WorkflowMetadata;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.SearchAttributeKey;
import io.temporal.common.SearchAttributes;
import io.temporal.internal.common.WorkflowExecutionHistory;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactoryOptions;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The search attributes and current details a Glacier restore carries as it moves (the rule is
 * {@link SearchAttributesInterceptor}, the same for every procedure), asserted on describe.
 */
class RunSearchAttributesTest {
  static final String ID = "restore/attributes";
  TestWorkflowEnvironment env;
  GlacierRestoreWorkflow wf;

  void start(Set<String> registered) {
    env = TestWorkflowEnvironment.newInstance(withInterceptor(registered));
    for (SearchAttributeKey<?> k : SearchAttributesInterceptor.ALL) {
      if (registered.contains(k.getName())) {
        env.registerSearchAttribute(
            k.getName(),
            k.getValueType() == IndexedValueType.INDEXED_VALUE_TYPE_DATETIME
                ? IndexedValueType.INDEXED_VALUE_TYPE_DATETIME
                : IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
      }
    }
    FakeS3Restore s3 = new FakeS3Restore(env);
    Worker worker = env.newWorker("q");
    worker.registerWorkflowImplementationTypes(GlacierRestoreWorkflowImpl.class);
    worker.registerActivitiesImplementations(s3, new RecordingNotify(), new ScriptedHooks());
    env.start();
    s3.put("logs/a.gz", 1000, "GLACIER");
    wf =
        env.getWorkflowClient()
            .newWorkflowStub(
                GlacierRestoreWorkflow.class,
                WorkflowOptions.newBuilder().setTaskQueue("q").setWorkflowId(ID).build());
    WorkflowClient.start(
        wf::run,
        GlacierRestoreRequest.Builder.of("archive-bucket", "logs/")
            .tier(RestoreTier.STANDARD)
            .requireApproval(true)
            .requestedBy("bob")
            .approval(new ApprovalPolicy(List.of("alice"), 1, null))
            .build());
    env.sleep(Duration.ofMinutes(1));
  }

  @AfterEach
  void tearDown() {
    if (env != null) env.close();
  }

  SearchAttributes described() {
    return WorkflowStub.fromTyped(wf).describe().getTypedSearchAttributes();
  }

  @Test
  void givenAttributesRegistered_whenARunWaitsForApprovalThenCompletes_thenDescribeShowsEachStep() {
    start(
        SearchAttributesInterceptor.ALL.stream()
            .map(SearchAttributeKey::getName)
            .collect(Collectors.toSet()));
    SearchAttributes waiting = described();
    assertEquals("glacier-restore", waiting.get(SearchAttributesInterceptor.PROCEDURE));
    assertNotNull(waiting.get(SearchAttributesInterceptor.TARGET));
    assertTrue(
        waiting.get(SearchAttributesInterceptor.TARGET).contains("archive-bucket"),
        waiting.get(SearchAttributesInterceptor.TARGET));
    assertEquals("bob", waiting.get(SearchAttributesInterceptor.REQUESTED_BY));
    assertEquals(RestorePhase.AWAITING_APPROVAL, waiting.get(SearchAttributesInterceptor.PHASE));
    assertEquals(
        SearchAttributesInterceptor.APPROVAL, waiting.get(SearchAttributesInterceptor.WAITING_FOR));
    assertNotNull(waiting.get(SearchAttributesInterceptor.WAITING_SINCE));
    String details =
        WorkflowStub.fromTyped(wf)
            .query("__temporal_workflow_metadata", WorkflowMetadata.class)
            .getCurrentDetails();
    assertTrue(details.contains("AWAITING_APPROVAL"), details);
    assertTrue(details.contains("./dbops approve " + ID + " --by <name>"), details);

    wf.approve(new Approval("alice", "ok"));
    WorkflowStub.fromTyped(wf).getResult(GlacierRestoreResult.class);
    SearchAttributes done = described();
    assertEquals("COMPLETED", done.get(SearchAttributesInterceptor.OUTCOME));
    assertEquals(
        WorkflowStub.fromTyped(wf).query("status", GlacierRestoreStatus.class).phase(),
        done.get(SearchAttributesInterceptor.PHASE));
    assertEquals(
        SearchAttributesInterceptor.NONE, done.get(SearchAttributesInterceptor.WAITING_FOR));
    assertNull(done.get(SearchAttributesInterceptor.WAITING_SINCE));
  }

  @Test
  void givenNoAttributesRegistered_whenARunCompletes_thenItUpsertsNothingAndStillSucceeds() {
    start(Set.of());
    wf.approve(new Approval("alice", "ok"));
    WorkflowStub.fromTyped(wf).getResult(GlacierRestoreResult.class);
    assertEquals(0, described().size());
  }

  static TestEnvironmentOptions withInterceptor(Set<String> registered) {
    return TestEnvironmentOptions.newBuilder()
        .setWorkerFactoryOptions(
            WorkerFactoryOptions.newBuilder()
                .setWorkerInterceptors(new SearchAttributesInterceptor(() -> registered))
                .build())
        .build();
  }

  @Test
  void givenARunThatUpserted_whenReplayedOnAWorkerThatSeesNoAttributes_thenItReplaysAsItRan()
      throws Exception {
    start(
        SearchAttributesInterceptor.ALL.stream()
            .map(SearchAttributeKey::getName)
            .collect(Collectors.toSet()));
    wf.approve(new Approval("alice", "ok"));
    WorkflowStub.fromTyped(wf).getResult(GlacierRestoreResult.class);
    String json = env.getWorkflowClient().fetchHistory(ID).toJson(true);
    assertTrue(json.contains("UPSERT_WORKFLOW_SEARCH_ATTRIBUTES"), "the run upserted");
    try (TestWorkflowEnvironment replay =
        TestWorkflowEnvironment.newInstance(withInterceptor(Set.of()))) {
      WorkflowReplayer.replayWorkflowExecution(
          WorkflowExecutionHistory.fromJson(json), replay, GlacierRestoreWorkflowImpl.class);
    }
  }

  @Test
  void
      givenKeptHistoriesFromBeforeSearchAttributes_whenReplayedWithTheInterceptor_thenStillCompatible()
          throws Exception {
    HistoryReplayTest.replayEachWith(
        withInterceptor(
            SearchAttributesInterceptor.ALL.stream()
                .map(SearchAttributeKey::getName)
                .collect(Collectors.toSet())));
  }
}
