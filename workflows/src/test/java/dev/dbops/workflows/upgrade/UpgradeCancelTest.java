package dev.dbops.workflows.upgrade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dbops.workflows.common.Approval;
import dev.dbops.workflows.common.NotifyActivities;
import dev.dbops.workflows.common.RunNotice;
import dev.dbops.workflows.common.WaitNotice;
import dev.dbops.workflows.common.WorkflowCodeFailures;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.CanceledFailure;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactoryOptions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code cancel} ends an upgrade within a minute of its own clock whether it waits for people (an
 * approval of 30 days) or for AWS (a 3-hour engine upgrade polled every 5 minutes), under the
 * worker's interceptor: before the approval nothing is created; during the upgrade the pre-upgrade
 * snapshot stays (it is the way back) and no further change is made.
 */
class UpgradeCancelTest {
  static final String QUEUE = "dbops-test";
  static final String ID = "upgrade/orders";
  static final Duration WITHIN = Duration.ofMinutes(1);

  TestWorkflowEnvironment env;
  FakeRds rds;
  final List<WaitNotice> notices = new CopyOnWriteArrayList<>();
  WorkflowClient client;

  @BeforeEach
  void setUp() {
    env =
        TestWorkflowEnvironment.newInstance(
            TestEnvironmentOptions.newBuilder()
                .setWorkerFactoryOptions(
                    WorkerFactoryOptions.newBuilder()
                        .setWorkerInterceptors(new WorkflowCodeFailures())
                        .build())
                .build());
    rds = new FakeRds(env);
    Worker worker = env.newWorker(QUEUE);
    worker.registerWorkflowImplementationTypes(UpgradeWorkflowImpl.class);
    worker.registerActivitiesImplementations(
        rds,
        new FakeMySql(rds),
        new dev.dbops.workflows.common.ScriptedHooks(),
        new NotifyActivities() {
          @Override
          public void waitingForPerson(WaitNotice n) {
            notices.add(n);
          }

          @Override
          public void personResponded(WaitNotice n) {
            notices.add(n);
          }

          @Override
          public void runEnded(RunNotice n) {}
        });
    env.start();
    client = env.getWorkflowClient();
  }

  @AfterEach
  void tearDown() {
    env.close();
  }

  Duration cancel() {
    WorkflowStub run = client.newUntypedWorkflowStub(ID);
    run.cancel();
    WorkflowFailedException e =
        assertThrows(
            WorkflowFailedException.class,
            () -> run.getResult(30, TimeUnit.SECONDS, UpgradeResult.class));
    assertInstanceOf(CanceledFailure.class, e.getCause());
    List<HistoryEvent> events = client.fetchHistory(ID).getEvents();
    long requested =
        events.stream()
            .filter(
                ev -> ev.getEventType() == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCEL_REQUESTED)
            .findFirst()
            .orElseThrow()
            .getEventTime()
            .getSeconds();
    HistoryEvent last = events.get(events.size() - 1);
    assertEquals(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED, last.getEventType());
    return Duration.ofSeconds(last.getEventTime().getSeconds() - requested);
  }

  @Test
  void
      givenUpgradeWaitingThirtyDaysForApproval_whenCancelled_thenItEndsWithinAMinuteAndNothingWasCreated() {
    UpgradeWorkflow wf =
        client.newWorkflowStub(
            UpgradeWorkflow.class,
            io.temporal.client.WorkflowOptions.newBuilder()
                .setTaskQueue(QUEUE)
                .setWorkflowId(ID)
                .build());
    WorkflowClient.start(
        wf::run,
        UpgradeWorkflowTest.request(
            null, UpgradeWorkflowTest.alice(Duration.ofDays(30)), null, null));
    env.sleep(Duration.ofHours(2));
    assertEquals(
        UpgradePhase.AWAITING_APPROVAL,
        client.newWorkflowStub(UpgradeWorkflow.class, ID).status().phase());
    Duration took = cancel();
    assertTrue(took.compareTo(WITHIN) <= 0, "cancel took " + took);
    assertEquals(0, rds.snapshotCreates.get());
    assertEquals(0, rds.modifyCalls.get());
    assertEquals(List.of(true, false), notices.stream().map(WaitNotice::waiting).toList());
  }

  @Test
  void givenUpgradeInProgress_whenCancelled_thenItEndsWithinAMinuteKeepingThePreUpgradeSnapshot() {
    UpgradeWorkflow wf =
        client.newWorkflowStub(
            UpgradeWorkflow.class,
            io.temporal.client.WorkflowOptions.newBuilder()
                .setTaskQueue(QUEUE)
                .setWorkflowId(ID)
                .build());
    WorkflowClient.start(
        wf::run, UpgradeWorkflowTest.request(null, UpgradeWorkflowTest.alice(null), null, null));
    env.sleep(Duration.ofMinutes(1));
    wf.approve(new Approval("alice", "change CHG-42"));
    env.sleep(Duration.ofMinutes(90));
    assertEquals(
        UpgradePhase.UPGRADING, client.newWorkflowStub(UpgradeWorkflow.class, ID).status().phase());
    int checks = rds.checkCalls.get();
    Duration took = cancel();
    assertTrue(took.compareTo(WITHIN) <= 0, "cancel took " + took);
    assertEquals(1, rds.snapshotCreates.get());
    assertTrue(rds.snapshots.containsKey(UpgradeRequest.snapshotIdFor(ID)), "the way back is kept");
    assertEquals(1, rds.modifyCalls.get());
    env.sleep(Duration.ofHours(6));
    assertTrue(rds.checkCalls.get() <= checks + 1, "polling stopped");
  }
}
