package dev.dbops.workflows.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dbops.workflows.restore.GlacierRestoreWorkflowImpl;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.Worker;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The gate inside a workflow: a requester's case variant, a name with control characters and one
 * person under two spellings are refused and recorded; and a run recorded before {@link
 * ApprovalPolicy#NAMES_CHANGE} (a case variant of the requester approved it) still replays.
 */
class ApprovalGateTest {
  @WorkflowInterface
  public interface Gated {
    @WorkflowMethod
    String run(ApprovalPolicy policy, String requestedBy);

    @SignalMethod
    void approve(Approval a);

    @SignalMethod
    void reject(Rejection r);

    @QueryMethod
    List<ApprovalRecord> records();
  }

  public static class GatedImpl implements Gated {
    private ApprovalGate gate = new ApprovalGate(null, null);

    @Override
    public String run(ApprovalPolicy policy, String requestedBy) {
      List<String> problems = policy.problems("approval", requestedBy);
      if (!problems.isEmpty()) return "invalid: " + String.join("; ", problems);
      gate = new ApprovalGate(policy, requestedBy);
      return gate.awaitWithin("step", Duration.ofHours(1)).name();
    }

    @Override
    public void approve(Approval a) {
      gate.approve(a);
    }

    @Override
    public void reject(Rejection r) {
      gate.reject(r);
    }

    @Override
    public List<ApprovalRecord> records() {
      return gate.records();
    }
  }

  TestWorkflowEnvironment env;
  Gated wf;

  @BeforeEach
  void setUp() {
    env = TestWorkflowEnvironment.newInstance();
    Worker w = env.newWorker("q");
    w.registerWorkflowImplementationTypes(GatedImpl.class);
    env.start();
    wf =
        env.getWorkflowClient()
            .newWorkflowStub(
                Gated.class,
                WorkflowOptions.newBuilder().setTaskQueue("q").setWorkflowId("gate/names").build());
  }

  @AfterEach
  void tearDown() {
    env.close();
  }

  private void start(List<String> approvers, int required) {
    WorkflowClient.start(wf::run, new ApprovalPolicy(approvers, required, null), "bob");
    env.sleep(Duration.ofSeconds(1));
  }

  private String result() {
    return env.getWorkflowClient().newUntypedWorkflowStub("gate/names").getResult(String.class);
  }

  @Test
  void givenRequesterBobOnTheListAsBob_whenBobApproves_thenRefusedAsTheRequesterAndStillWaiting() {
    start(List.of("Bob", "alice"), 1);
    wf.approve(new Approval("Bob", "lgtm"));
    wf.reject(new Rejection(" BOB ", "no"));
    env.sleep(Duration.ofSeconds(1));
    List<ApprovalRecord> records = wf.records();
    assertEquals(2, records.size(), records.toString());
    for (ApprovalRecord r : records) {
      assertEquals(ApprovalRecord.REFUSED, r.outcome());
      assertTrue(
          r.comment().startsWith("the requester may not approve their own run"), r.comment());
    }
    wf.approve(new Approval("alice", "ok"));
    assertEquals("APPROVED", result());
    String history = env.getWorkflowClient().fetchHistory("gate/names").toJson(true);
    assertTrue(history.contains(MARKER), "the change is recorded as a version marker");
  }

  @Test
  void givenApproverNameWithNewline_whenSignalled_thenRefusedAndRecordedWithoutTheRawNewline() {
    start(List.of("alice", "alice\nroot"), 1);
    // validation refused the list itself (a name with a newline), before any wait
    assertTrue(
        result()
            .startsWith("invalid: approval.approvers: 'alice\\nroot' contains a control character"),
        result());
  }

  @Test
  void
      givenSignalNameWithControlCharacters_whenApproved_thenRefusedRecordedEscapedAndStillWaiting() {
    start(List.of("alice"), 1);
    wf.approve(new Approval("alice\napproved by root", "x"));
    wf.approve(new Approval("alice\u001b[1A", "x"));
    env.sleep(Duration.ofSeconds(1));
    List<ApprovalRecord> records = wf.records();
    assertEquals(2, records.size(), records.toString());
    assertEquals("alice\\napproved by root", records.get(0).by());
    assertEquals("alice\\u001B[1A", records.get(1).by());
    for (ApprovalRecord r : records) {
      assertEquals(ApprovalRecord.REFUSED, r.outcome());
      assertEquals("approver name contains a control character", r.comment());
      assertFalse(r.by().contains("\n") || r.by().contains("\u001b"));
    }
    wf.approve(new Approval("alice", "ok"));
    assertEquals("APPROVED", result());
  }

  @Test
  void givenTwoApprovalsNeeded_whenOnePersonApprovesUnderTwoSpellings_thenCountedOnce() {
    // "alice" and "ALICE" are both listed, as a run started before the change could have it;
    // validation now refuses such a list, so the gate is reached through a valid three-name list.
    start(List.of("alice", "carol", "ALICE"), 2);
    assertEquals(List.of(), wf.records());
    wf.approve(new Approval("alice", "ok"));
    wf.approve(new Approval("ALICE", "ok again"));
    env.sleep(Duration.ofSeconds(1));
    List<ApprovalRecord> records = wf.records();
    assertEquals(ApprovalRecord.APPROVED, records.get(0).outcome());
    assertEquals(ApprovalRecord.REFUSED, records.get(1).outcome());
    assertEquals("already approved; counted once", records.get(1).comment());
    wf.approve(new Approval("carol", "ok"));
    assertEquals("APPROVED", result());
  }

  /**
   * The change id as a history's JSON holds it: a base64 JSON string in the marker's details
   * (without padding: the JSON escapes '=').
   */
  static final String MARKER =
      Base64.getEncoder()
          .withoutPadding()
          .encodeToString(
              ("\"" + ApprovalPolicy.NAMES_CHANGE + "\"").getBytes(StandardCharsets.UTF_8));

  static final String OLD = "glacier-restore-case-variant-approved-before-names-folded.json";
  static final String NEW = "glacier-restore-case-variant-refused-names-folded.json";

  @Test
  void givenHistoryFromBeforeNamesWereFolded_whenReplayed_thenTheCaseVariantApprovalStillCounts()
      throws Exception {
    String old = Files.readString(HistoryReplayTest.DIR.resolve(OLD));
    String current = Files.readString(HistoryReplayTest.DIR.resolve(NEW));
    // In the old run "Bob" approved bob's run and the restore went ahead, with no marker ...
    assertFalse(old.contains(MARKER));
    assertTrue(
        old.indexOf("EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED") < old.indexOf("\"RequestRestores\""),
        "the old run requested restores after the case variant's approval");
    // ... the new one records the change where "Bob" is refused, and restores after alice's.
    assertTrue(current.contains(MARKER));
    assertTrue(current.contains("\"RequestRestores\""));
    WorkflowReplayer.replayWorkflowExecution(old, GlacierRestoreWorkflowImpl.class);
    WorkflowReplayer.replayWorkflowExecution(current, GlacierRestoreWorkflowImpl.class);
  }
}
