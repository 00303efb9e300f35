package dev.dbops.workflows.common;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.dbops.workflows.binlog.ErrorDecision;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The wait for a person's decision inside a workflow: who may decide, the procedure's own rule,
 * every refusal recorded, the approvers told when it starts and ends, and no answer in time.
 */
class DecisionWaitTest {
  enum WaitPhase {
    WAITING,
    COMPLETED,
    FAILED
  }

  @WorkflowInterface
  public interface Waiter {
    /** The accepted decision's action, or "none" when nobody decided within the hour. */
    @WorkflowMethod
    String run(String requestedBy);

    @SignalMethod
    void decide(ErrorDecision d);

    @QueryMethod
    List<ApprovalRecord> records();
  }

  public static class WaiterImpl implements Waiter {
    private final ProcedureRun<WaitPhase> run = new ProcedureRun<>("drill", WaitPhase.class);
    private final DecisionWait<ErrorDecision> wait =
        new DecisionWait<>(
            "decide",
            ErrorDecision.class,
            "nothing waits",
            d -> "DROP".equals(d.action()) ? "no dropping" : null,
            ErrorDecision::action);

    @Override
    public String run(String requestedBy) {
      ApprovalPolicy policy = new ApprovalPolicy(List.of("alice"), 1, Duration.ofHours(8));
      run.openGate(policy, requestedBy);
      wait.accept(policy, requestedBy);
      Workflow.sleep(Duration.ofMinutes(1)); // a decision now finds nothing waiting
      ErrorDecision d = wait.await(run, "error", "errno 1146", "decide", Duration.ofHours(1));
      return d == null ? "none" : d.action();
    }

    @Override
    public void decide(ErrorDecision d) {
      wait.offer(d);
    }

    @Override
    public List<ApprovalRecord> records() {
      return wait.records();
    }
  }

  /** Notices sent, as "waiting step" / "responded step". */
  public static final List<String> NOTICES = new CopyOnWriteArrayList<>();

  public static class RecordingNotify implements NotifyActivities {
    @Override
    public void waitingForPerson(WaitNotice n) {
      NOTICES.add("waiting " + n.step() + " " + n.approvers());
    }

    @Override
    public void personResponded(WaitNotice n) {
      NOTICES.add("responded " + n.step());
    }

    @Override
    public void runEnded(RunNotice n) {}
  }

  TestWorkflowEnvironment env;
  Waiter wf;

  @BeforeEach
  void setUp() {
    NOTICES.clear();
    env = TestWorkflowEnvironment.newInstance();
    Worker w = env.newWorker("q");
    w.registerWorkflowImplementationTypes(WaiterImpl.class);
    w.registerActivitiesImplementations(new RecordingNotify());
    env.start();
    wf =
        env.getWorkflowClient()
            .newWorkflowStub(
                Waiter.class,
                WorkflowOptions.newBuilder().setTaskQueue("q").setWorkflowId("wait").build());
  }

  @AfterEach
  void tearDown() {
    env.close();
  }

  @Test
  void givenAWait_whenEarlyRequesterStrangerAndForbiddenDecide_thenRefusedAndTheApproverDecides() {
    WorkflowClient.start(wf::run, "bob");
    wf.decide(new ErrorDecision("SKIP", "alice", "too early"));
    env.sleep(Duration.ofMinutes(2));
    wf.decide(new ErrorDecision("SKIP", "bob", "my own run"));
    wf.decide(new ErrorDecision("SKIP", "mallory", "not mine"));
    wf.decide(new ErrorDecision("DROP", "alice", "typo"));
    wf.decide(new ErrorDecision("SKIP", "alice", "known"));

    assertEquals("SKIP", result());
    assertEquals(
        List.of(
            "nothing waits",
            "the requester may not decide on their own run",
            "mallory is not on the approver list",
            "no dropping",
            "known"),
        wf.records().stream().map(ApprovalRecord::comment).toList());
    assertEquals(
        List.of("refused", "refused", "refused", "refused", "SKIP"),
        wf.records().stream().map(ApprovalRecord::outcome).toList());
    assertEquals(List.of("waiting error [alice]", "responded error"), NOTICES);
  }

  @Test
  void givenAWait_whenNobodyDecides_thenNoDecisionAfterTheTimeoutAndTheNoticeIsClosed() {
    WorkflowClient.start(wf::run, "bob");
    assertEquals("none", result());
    assertEquals(List.of("waiting error [alice]", "responded error"), NOTICES);
  }

  private String result() {
    return env.getWorkflowClient().newUntypedWorkflowStub("wait").getResult(String.class);
  }
}
