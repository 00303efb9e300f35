package dev.dbops.workflows.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dbops.workflows.common.ApprovalPolicy;
import dev.dbops.workflows.common.WorkflowCodeFailures;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.CanceledFailure;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactoryOptions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code cancel} ends a run within a minute (of the run's own clock, which time skipping would
 * otherwise race through hours of) whatever it waits for — people (an approval of 30 days) or AWS
 * (a Deep Archive Bulk restore polled every few hours) — under the worker's interceptor, and what
 * the run does on its way out runs: the "no longer waiting" notice goes out, no restore is asked
 * for after the cancel, nothing is delivered.
 */
class GlacierRestoreCancelTest {
  static final String QUEUE = "dbops-test";
  static final Duration WITHIN = Duration.ofMinutes(1);

  TestWorkflowEnvironment env;
  FakeS3Restore s3;
  RecordingNotify notify;
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
    s3 = new FakeS3Restore(env);
    notify = new RecordingNotify();
    Worker worker = env.newWorker(QUEUE);
    worker.registerWorkflowImplementationTypes(GlacierRestoreWorkflowImpl.class);
    worker.registerActivitiesImplementations(
        s3, notify, new dev.dbops.workflows.common.ScriptedHooks());
    env.start();
    client = env.getWorkflowClient();
  }

  @AfterEach
  void tearDown() {
    env.close();
  }

  GlacierRestoreWorkflow stub(String id) {
    return client.newWorkflowStub(
        GlacierRestoreWorkflow.class,
        WorkflowOptions.newBuilder().setTaskQueue(QUEUE).setWorkflowId(id).build());
  }

  static GlacierRestoreRequest.Builder request() {
    return GlacierRestoreRequest.Builder.of("archive-bucket", "logs/")
        .delivery(new Delivery(DeliveryMode.DOWNLOAD, "/restore", null, null))
        .requestedBy("bob");
  }

  /**
   * Cancels {@code id}, asserts it ends cancelled, and returns the run-clock time from request to
   * close.
   */
  Duration cancel(String id) {
    WorkflowStub run = client.newUntypedWorkflowStub(id);
    run.cancel();
    WorkflowFailedException e =
        assertThrows(
            WorkflowFailedException.class,
            () -> run.getResult(30, TimeUnit.SECONDS, GlacierRestoreResult.class));
    assertInstanceOf(CanceledFailure.class, e.getCause(), id);
    List<HistoryEvent> events = client.fetchHistory(id).getEvents();
    long requested =
        events.stream()
            .filter(
                ev -> ev.getEventType() == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCEL_REQUESTED)
            .findFirst()
            .orElseThrow()
            .getEventTime()
            .getSeconds();
    HistoryEvent last = events.get(events.size() - 1);
    assertEquals(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED, last.getEventType(), id);
    return Duration.ofSeconds(last.getEventTime().getSeconds() - requested);
  }

  @Test
  void
      givenRunWaitingThirtyDaysForApproval_whenCancelled_thenItEndsWithinAMinuteAndSaysItNoLongerWaits() {
    s3.put("logs/a.gz", 1000, "GLACIER");
    WorkflowClient.start(
        stub("cancel/approval")::run,
        request()
            .tier(RestoreTier.STANDARD)
            .requireApproval(true)
            .approval(new ApprovalPolicy(List.of("alice"), 1, Duration.ofDays(30)))
            .build());
    env.sleep(Duration.ofHours(1));
    assertEquals(
        RestorePhase.AWAITING_APPROVAL,
        client.newWorkflowStub(GlacierRestoreWorkflow.class, "cancel/approval").status().phase());
    Duration took = cancel("cancel/approval");
    assertTrue(took.compareTo(WITHIN) <= 0, "cancel took " + took + " of the run's clock");
    assertEquals(0, s3.restoreCalls.get(), "nothing restored");
    assertEquals(
        List.of(true, false),
        notify.notices.stream().map(n -> n.waiting()).toList(),
        "waiting, then no longer waiting (sent on the way out)");
  }

  @Test
  void
      givenRunPollingADeepArchiveBulkRestore_whenCancelled_thenItEndsWithinAMinuteAndDeliversNothing() {
    s3.put("logs/a.gz", 1000, "DEEP_ARCHIVE");
    WorkflowClient.start(
        stub("cancel/poll")::run,
        request().tier(RestoreTier.BULK).maxWait(Duration.ofDays(7)).build());
    env.sleep(Duration.ofHours(5));
    assertEquals(1, s3.restoreCalls.get(), "the restore was asked for");
    int checks = s3.checkCalls.get();
    assertTrue(checks >= 1, "the run is polling");
    Duration took = cancel("cancel/poll");
    assertTrue(took.compareTo(WITHIN) <= 0, "cancel took " + took + " of the run's clock");
    env.sleep(Duration.ofDays(3));
    assertEquals(0, s3.deliverCalls.get(), "nothing delivered");
    assertTrue(
        s3.checkCalls.get() <= checks + 1,
        "polling stopped: " + s3.checkCalls.get() + " after " + checks);
  }
}
