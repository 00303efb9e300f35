package dev.dbops.workflows.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.api.enums.v1.EventType;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.NonDeterministicException;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactoryOptions;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A request that slips past validation and makes workflow code throw (here: an approval timeout of
 * 999,999,999 days, whose timer overflows Temporal's duration) fails the run, typed and
 * non-retryable, at its first workflow task, through the procedures' own approval path ({@link
 * PeopleNotifier#awaitApproval}, {@link ApprovalGate}); non-determinism stays a retried task
 * failure. Without {@link WorkflowCodeFailures} the same run retries its task, re-sending its wait
 * notice on each attempt, always under one key ({@code OnceNotifyActivities} sends a key once).
 */
class WorkflowCodeFailuresTest {
  @WorkflowInterface
  public interface Gated {
    @WorkflowMethod
    String run(Duration approvalTimeout, boolean nonDeterministic);
  }

  public static class GatedImpl implements Gated {
    @Override
    public String run(Duration approvalTimeout, boolean nonDeterministic) {
      if (nonDeterministic) throw new NonDeterministicException("history does not match the code");
      ApprovalGate gate =
          new ApprovalGate(new ApprovalPolicy(List.of("alice"), 1, approvalTimeout), "bob");
      new PeopleNotifier("gated", new ArrayList<>()).awaitApproval(gate, "approve");
      return "approved";
    }
  }

  static final Duration WEDGING = Duration.ofDays(999_999_999L);

  TestWorkflowEnvironment env;
  final List<WaitNotice> notices = new CopyOnWriteArrayList<>();

  WorkflowClient start(boolean withRule) {
    WorkerFactoryOptions.Builder factory = WorkerFactoryOptions.newBuilder();
    if (withRule) factory.setWorkerInterceptors(new WorkflowCodeFailures());
    env =
        TestWorkflowEnvironment.newInstance(
            TestEnvironmentOptions.newBuilder().setWorkerFactoryOptions(factory.build()).build());
    Worker w = env.newWorker("q");
    w.registerWorkflowImplementationTypes(GatedImpl.class);
    w.registerActivitiesImplementations(
        new NotifyActivities() {
          @Override
          public void waitingForPerson(WaitNotice n) {
            notices.add(n);
          }

          @Override
          public void personResponded(WaitNotice n) {}

          @Override
          public void runEnded(RunNotice n) {}
        });
    env.start();
    return env.getWorkflowClient();
  }

  @AfterEach
  void tearDown() {
    if (env != null) env.close();
  }

  static WorkflowStub stub(WorkflowClient client, String id) {
    return client.newUntypedWorkflowStub(
        "Gated", WorkflowOptions.newBuilder().setTaskQueue("q").setWorkflowId(id).build());
  }

  long taskFailures(WorkflowClient client, String id) {
    return client.fetchHistory(id).getEvents().stream()
        .filter(e -> e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED)
        .count();
  }

  @Test
  void givenApprovalTimeoutThatOverflows_whenTheRunWaits_thenTheRunFailsTypedAtItsFirstTask() {
    WorkflowClient client = start(true);
    WorkflowStub run = stub(client, "wedge");
    run.start(WEDGING, false);
    WorkflowFailedException e =
        assertThrows(
            WorkflowFailedException.class, () -> run.getResult(10, TimeUnit.SECONDS, String.class));
    ApplicationFailure f = assertInstanceOf(ApplicationFailure.class, e.getCause());
    assertEquals(ErrorTypes.WORKFLOW_CODE_FAILED, f.getType());
    assertTrue(f.isNonRetryable());
    assertTrue(
        f.getOriginalMessage().startsWith("workflow code failed (java.lang."),
        f.getOriginalMessage());
    assertEquals(0, taskFailures(client, "wedge"));
    assertEquals(1, notices.size(), "one wait notice: " + notices);
  }

  @Test
  void
      givenNoRule_whenTheRunWaitsWithAnOverflowingTimeout_thenItsTaskIsRetriedAndEveryNoticeHasOneKey()
          throws Exception {
    WorkflowClient client = start(false);
    WorkflowStub run = stub(client, "wedge-unruled");
    run.start(WEDGING, false);
    assertThrows(TimeoutException.class, () -> run.getResult(3, TimeUnit.SECONDS, String.class));
    assertTrue(taskFailures(client, "wedge-unruled") >= 1, "the task is failed and retried");
    assertTrue(notices.size() >= 2, "each attempt re-sends the notice: " + notices.size());
    assertEquals(
        1,
        notices.stream().map(WaitNotice::key).distinct().count(),
        "one key for every attempt: " + notices);
    assertTrue(notices.get(0).key().endsWith("/1/approve"), notices.get(0).key());
  }

  @Test
  void givenNonDeterminism_whenTheRuleIsInstalled_thenItStaysARetriedTaskFailure() {
    WorkflowClient client = start(true);
    WorkflowStub run = stub(client, "nondeterministic");
    run.start(Duration.ofHours(1), true);
    assertThrows(TimeoutException.class, () -> run.getResult(3, TimeUnit.SECONDS, String.class));
    assertTrue(taskFailures(client, "nondeterministic") >= 1, "a workflow task failure, retried");
  }
}
