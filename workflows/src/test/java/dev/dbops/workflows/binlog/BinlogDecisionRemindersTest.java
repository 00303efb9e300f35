package dev.dbops.workflows.binlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dbops.workflows.common.ApprovalPolicy;
import dev.dbops.workflows.common.FlakyNotify;
import dev.dbops.workflows.common.ScriptedHooks;
import dev.dbops.workflows.common.WaitNotice;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Binlog catch-up's wait for a decision is reminded of and escalated as every gate's wait is. */
class BinlogDecisionRemindersTest {
  static final String ID = "binlog/replica";
  TestWorkflowEnvironment env;
  final FakeReplication repl = new FakeReplication();
  final FlakyNotify notify = new FlakyNotify();

  @BeforeEach
  void setUp() {
    env = TestWorkflowEnvironment.newInstance();
    Worker w = env.newWorker("q");
    w.registerWorkflowImplementationTypes(BinlogCatchUpWorkflowImpl.class);
    w.registerActivitiesImplementations(repl, new ScriptedHooks(), notify);
    env.start();
  }

  @AfterEach
  void tearDown() {
    env.close();
  }

  @Test
  void givenAnErrorNobodyDecidesFor100Minutes_whenDecided_thenThreeRemindersAndOneEscalation() {
    repl.conflicts.add(new FakeReplication.Conflict(1146, "Table 'shop.x' doesn't exist"));
    BinlogCatchUpRequest r =
        BinlogCatchUpWorkflowTest.request(BinlogCatchUpWorkflowTest.dupKeys(10), null);
    ApprovalPolicy approval =
        new ApprovalPolicy(
            List.of("alice", "carol"),
            1,
            Duration.ofHours(8),
            Duration.ofMinutes(30),
            List.of("dave"),
            Duration.ofHours(1));
    BinlogCatchUpRequest remindful =
        new BinlogCatchUpRequest(
            r.source(),
            r.replica(),
            r.replicaClusterId(),
            r.startPosition(),
            r.replicationUser(),
            r.setRetentionHours(),
            r.ssl(),
            r.skipPolicy(),
            r.heartbeatTable(),
            r.caughtUpWindow(),
            r.pollInterval(),
            r.monitorSlice(),
            r.decisionTimeout(),
            approval,
            r.requestedBy(),
            r.continueAfterEvents(),
            r.carryOver(),
            r.writesStopped());
    BinlogCatchUpWorkflow wf =
        env.getWorkflowClient()
            .newWorkflowStub(
                BinlogCatchUpWorkflow.class,
                WorkflowOptions.newBuilder().setTaskQueue("q").setWorkflowId(ID).build());
    WorkflowClient.start(wf::run, remindful);
    env.sleep(Duration.ofMinutes(100));
    assertEquals("AWAITING_DECISION", wf.status().phase());
    wf.decide(new ErrorDecision(ErrorDecision.ABORT, "alice", "restore the table first"));
    assertThrows(
        WorkflowFailedException.class,
        () -> env.getWorkflowClient().newUntypedWorkflowStub(ID).getResult(Object.class));

    assertEquals(List.of(1, 2, 3), notify.reminders(), notify.delivered.toString());
    assertEquals(1, notify.escalations().size(), notify.delivered.toString());
    assertEquals(List.of("dave"), notify.escalations().get(0).escalatedTo());
    for (WaitNotice n : notify.delivered) {
      assertEquals("replication error", n.step(), n.toString());
    }
    assertTrue(
        notify.delivered.get(1).command().startsWith("./dbops decide " + ID),
        "a reminder repeats the command that answers the wait: " + notify.delivered.get(1));
  }
}
