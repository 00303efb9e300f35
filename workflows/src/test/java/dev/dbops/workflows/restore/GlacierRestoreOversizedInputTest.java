package dev.dbops.workflows.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dbops.workflows.common.Approval;
import dev.dbops.workflows.common.ApprovalPolicy;
import dev.dbops.workflows.common.ApprovalRecord;
import dev.dbops.workflows.common.Bounds;
import dev.dbops.workflows.common.Rejection;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The approve / reject handlers check a person's input against the same bounds as the CLI ({@link
 * Bounds}): an oversized comment, reason or name is refused and recorded as refused (the name cut
 * short in the record), and the run keeps waiting for a proper answer.
 */
class GlacierRestoreOversizedInputTest {
  static final String QUEUE = "dbops-test";

  TestWorkflowEnvironment env;
  FakeS3Restore s3;
  WorkflowClient client;

  @BeforeEach
  void setUp() {
    env = TestWorkflowEnvironment.newInstance();
    s3 = new FakeS3Restore(env);
    Worker worker = env.newWorker(QUEUE);
    worker.registerWorkflowImplementationTypes(GlacierRestoreWorkflowImpl.class);
    worker.registerActivitiesImplementations(
        s3, new RecordingNotify(), new dev.dbops.workflows.common.ScriptedHooks());
    env.start();
    client = env.getWorkflowClient();
  }

  @AfterEach
  void tearDown() {
    env.close();
  }

  @Test
  void
      givenOversizedCommentReasonAndName_whenSignalled_thenEachRefusedAndRecordedAndTheRunStillWaits() {
    s3.put("logs/a.gz", 1000, "GLACIER");
    GlacierRestoreWorkflow wf =
        client.newWorkflowStub(
            GlacierRestoreWorkflow.class,
            WorkflowOptions.newBuilder()
                .setTaskQueue(QUEUE)
                .setWorkflowId("restore/oversized")
                .build());
    WorkflowClient.start(
        wf::run,
        GlacierRestoreRequest.Builder.of("archive-bucket", "logs/")
            .tier(RestoreTier.STANDARD)
            .requestedBy("bob")
            .requireApproval(true)
            .approval(new ApprovalPolicy(List.of("alice"), 1, Duration.ofHours(4)))
            .build());
    env.sleep(Duration.ofMinutes(1));

    wf.approve(new Approval("alice", "c".repeat(Bounds.MAX_COMMENT + 1)));
    wf.reject(new Rejection("alice", "r".repeat(100_000)));
    wf.approve(new Approval("a".repeat(10_000), "ok"));
    env.sleep(Duration.ofMinutes(1));

    GlacierRestoreStatus s = wf.status();
    assertEquals(RestorePhase.AWAITING_APPROVAL, s.phase());
    List<ApprovalRecord> records = s.approvals();
    assertEquals(3, records.size(), records.toString().length() + " characters of records");
    assertTrue(records.stream().allMatch(r -> ApprovalRecord.REFUSED.equals(r.outcome())));
    assertEquals("comment: at most 2000 characters, was 2001", records.get(0).comment());
    assertEquals("reason: at most 2000 characters, was 100000", records.get(1).comment());
    assertEquals("by: at most 128 characters, was 10000", records.get(2).comment());
    assertTrue(
        records.get(2).by().length() <= Bounds.MAX_NAME + 1,
        "the refused name is cut in the record");
    assertEquals(0, s3.restoreCalls.get());

    wf.approve(new Approval("alice", "ok"));
    GlacierRestoreResult r =
        client.newUntypedWorkflowStub("restore/oversized").getResult(GlacierRestoreResult.class);
    assertEquals(GlacierRestoreResult.COMPLETED, r.outcome());
  }
}
