package dev.dbops.workflows.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactoryOptions;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link Reminders} through the gate every procedure waits at: a reminder every remindEvery, one
 * escalation, none once answered, each sent once although the notifier fails once and the worker
 * keeps no workflow in its cache (every workflow task replays the run from its history, as after a
 * worker restart).
 */
class RemindersTest {
  static final String ID = "reminders/gate";

  @WorkflowInterface
  public interface GatedRun {
    @WorkflowMethod
    List<String> run(ApprovalPolicy policy);

    @SignalMethod
    void approve(Approval a);
  }

  public static class GatedRunImpl implements GatedRun {
    private ApprovalGate gate = new ApprovalGate(null, null);

    @Override
    public List<String> run(ApprovalPolicy policy) {
      List<String> warnings = new ArrayList<>();
      gate = new ApprovalGate(policy, "bob");
      new PeopleNotifier("gated", warnings).awaitApproval(gate, "go ahead");
      return warnings;
    }

    @Override
    public void approve(Approval a) {
      gate.approve(a);
    }
  }

  TestWorkflowEnvironment env;
  FlakyNotify notify = new FlakyNotify();

  private GatedRun start(ApprovalPolicy policy) {
    env =
        TestWorkflowEnvironment.newInstance(
            TestEnvironmentOptions.newBuilder()
                .setWorkerFactoryOptions(
                    WorkerFactoryOptions.newBuilder().setWorkflowCacheSize(0).build())
                .build());
    Worker w = env.newWorker("q");
    w.registerWorkflowImplementationTypes(GatedRunImpl.class);
    w.registerActivitiesImplementations(notify);
    env.start();
    GatedRun wf =
        env.getWorkflowClient()
            .newWorkflowStub(
                GatedRun.class,
                WorkflowOptions.newBuilder().setTaskQueue("q").setWorkflowId(ID).build());
    WorkflowClient.start(wf::run, policy);
    return wf;
  }

  @AfterEach
  void tearDown() {
    if (env != null) env.close();
  }

  private List<String> warnings() {
    return env.getWorkflowClient().newUntypedWorkflowStub(ID).getResult(List.class).stream()
        .map(String::valueOf)
        .toList();
  }

  private static ApprovalPolicy escalatingToCarol() {
    return new ApprovalPolicy(
        List.of("alice"), 1, Duration.ofHours(24), null, List.of("carol"), null);
  }

  @Test
  void givenAWaitOf9Hours_whenApprovedThen_thenTwoRemindersAndOneEscalationEachSentOnce() {
    GatedRun wf = start(escalatingToCarol());
    env.sleep(Duration.ofHours(9));
    wf.approve(new Approval("alice", "ok"));
    assertEquals(List.of(), warnings());

    assertEquals(List.of(1, 2), notify.reminders(), notify.delivered.toString());
    assertEquals(1, notify.escalations().size(), notify.delivered.toString());
    WaitNotice escalation = notify.escalations().get(0);
    assertEquals(List.of("carol"), escalation.escalatedTo());
    assertEquals("8h", escalation.waited());
    assertTrue(escalation.key().endsWith("/escalation"), escalation.key());
    WaitNotice second =
        notify.delivered.stream()
            .filter(n -> Integer.valueOf(2).equals(n.reminder()))
            .findFirst()
            .get();
    assertEquals("8h", second.waited());
    assertEquals("reminder 2: still waiting after 8h", second.nudge());
    assertEquals(
        "./dbops approve " + ID + " --by <name>",
        second.command(),
        "a reminder repeats the command that answers the wait");
    // first notice, 2 reminders, 1 escalation, the "no longer waiting" notice: each key once
    assertEquals(5, notify.delivered.size(), notify.delivered.toString());
    assertEquals(5, notify.delivered.stream().map(n -> n.key() + n.waiting()).distinct().count());
  }

  @Test
  void givenApprovalBeforeTheFirstReminder_whenTheRunGoesOn_thenNoReminderAndNoEscalation() {
    GatedRun wf = start(escalatingToCarol());
    env.sleep(Duration.ofHours(3));
    wf.approve(new Approval("alice", "ok"));
    assertEquals(List.of(), warnings());

    assertEquals(List.of(), notify.reminders());
    assertEquals(List.of(), notify.escalations());
    assertEquals(2, notify.delivered.size(), notify.delivered.toString());
    assertEquals(List.of(true, false), notify.delivered.stream().map(WaitNotice::waiting).toList());
  }

  @Test
  void givenTheNotifierFailsOnceAtAReminder_whenRetried_thenThatReminderIsSentOnce() {
    notify.failingOnceAt("/reminder/1").failingOnceAt("/escalation");
    GatedRun wf = start(escalatingToCarol());
    env.sleep(Duration.ofHours(9));
    wf.approve(new Approval("alice", "ok"));
    assertEquals(List.of(), warnings(), "a retried notice that went out is no warning");

    assertEquals(2, notify.failedAttempts.get());
    assertEquals(List.of(1, 2), notify.reminders(), notify.delivered.toString());
    assertEquals(1, notify.escalations().size(), notify.delivered.toString());
  }

  @Test
  void givenRemindEvery2Hours_whenNobodyApproves_thenRemindersUntilTheTimeoutAndTheRunFails() {
    start(
        new ApprovalPolicy(
            List.of("alice"), 1, Duration.ofHours(7), Duration.ofHours(2), null, null));
    env.sleep(Duration.ofHours(8));
    var e =
        org.junit.jupiter.api.Assertions.assertThrows(
            io.temporal.client.WorkflowFailedException.class, this::warnings);
    assertTrue(String.valueOf(e.getCause().getMessage()).contains("no approval"), e.toString());
    assertEquals(List.of(1, 2, 3), notify.reminders(), "at 2h, 4h, 6h; none at the 7h timeout");
    assertEquals(List.of(), notify.escalations(), "nobody named to escalate to");
  }

  @Test
  void givenTheHistoryOfARemindedWait_whenReplayed_thenItReplaysWithoutSendingAgain()
      throws Exception {
    GatedRun wf = start(escalatingToCarol());
    env.sleep(Duration.ofHours(9));
    wf.approve(new Approval("alice", "ok"));
    warnings();
    int sent = notify.delivered.size();
    WorkflowExecutionHistory history = env.getWorkflowClient().fetchHistory(ID);
    String marker =
        java.util.Base64.getEncoder()
            .withoutPadding()
            .encodeToString(
                ("\"" + Reminders.CHANGE + "\"").getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertTrue(history.toJson(true).contains(marker), "the change is a version marker");

    WorkflowReplayer.replayWorkflowExecution(history, GatedRunImpl.class);
    assertEquals(sent, notify.delivered.size());
  }

  @Test
  void givenAWaitAlreadyReminded_whenTheRunIsCancelled_thenCancelledWithoutAnotherReminder() {
    start(escalatingToCarol());
    env.sleep(Duration.ofHours(5));
    env.getWorkflowClient().newUntypedWorkflowStub(ID).cancel();
    var e =
        org.junit.jupiter.api.Assertions.assertThrows(
            io.temporal.client.WorkflowFailedException.class, this::warnings);
    assertTrue(
        e.getCause() instanceof io.temporal.failure.CanceledFailure, "cancelled: " + e.getCause());
    env.sleep(Duration.ofHours(5));

    assertEquals(List.of(1), notify.reminders(), notify.delivered.toString());
    assertEquals(List.of(), notify.escalations());
    assertEquals(
        false,
        notify.delivered.get(notify.delivered.size() - 1).waiting(),
        "the no-longer-waiting notice still goes out: " + notify.delivered);
  }
}
