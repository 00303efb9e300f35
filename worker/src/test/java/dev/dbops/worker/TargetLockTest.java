package dev.dbops.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dbops.client.TargetLockReader;
import dev.dbops.workflows.common.ErrorTypes;
import dev.dbops.workflows.common.TargetLockInterceptor;
import dev.dbops.workflows.common.TargetLockWorkflowImpl;
import dev.dbops.workflows.common.TargetLocks;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactoryOptions;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One open run per target, through the worker's interceptor, the lock workflow and the describe
 * calls the worker and the CLI make (Temporal's test server, time skipping).
 */
class TargetLockTest {
  /**
   * A procedure stand-in: its request is its targets, comma separated; "cycles:N;…" continues as
   * new N times.
   */
  @WorkflowInterface
  public interface Proc {
    @WorkflowMethod
    String run(String request);

    @SignalMethod
    void finish(String how);
  }

  public static class ProcImpl implements Proc {
    private String how;

    @Override
    public String run(String request) {
      if (request.startsWith("cycles:")) {
        int left = Integer.parseInt(request.substring(7, request.indexOf(';')));
        if (left > 0) {
          Workflow.sleep(Duration.ofMinutes(5));
          Workflow.continueAsNew("cycles:" + (left - 1) + request.substring(request.indexOf(';')));
        }
      }
      Workflow.await(Duration.ofDays(2), () -> how != null);
      if ("fail".equals(how))
        throw ApplicationFailure.newNonRetryableFailure(
            "masking found rows", ErrorTypes.MASKING_FAILED);
      return "done";
    }

    @Override
    public void finish(String how) {
      this.how = how;
    }
  }

  static List<String> targets(Object request) {
    String r = (String) request;
    String list = r.contains(";") ? r.substring(r.indexOf(';') + 1) : r;
    return List.of(list.split(","));
  }

  TestWorkflowEnvironment env;
  WorkflowClient client;

  @BeforeEach
  void setUp() {
    Map<String, Function<Object, List<String>>> byType = Map.of("Proc", TargetLockTest::targets);
    env =
        TestWorkflowEnvironment.newInstance(
            TestEnvironmentOptions.newBuilder()
                .setWorkerFactoryOptions(
                    WorkerFactoryOptions.newBuilder()
                        .setWorkerInterceptors(new TargetLockInterceptor(byType))
                        .build())
                .build());
    client = env.getWorkflowClient();
    Worker w = env.newWorker("q");
    w.registerWorkflowImplementationTypes(ProcImpl.class, TargetLockWorkflowImpl.class);
    w.registerActivitiesImplementations(new TargetLockActivitiesImpl(client));
    env.start();
  }

  @AfterEach
  void tearDown() {
    env.close();
  }

  WorkflowStub start(String id, String request) {
    WorkflowStub s =
        client.newUntypedWorkflowStub(
            "Proc", WorkflowOptions.newBuilder().setTaskQueue("q").setWorkflowId(id).build());
    s.start(request);
    return s;
  }

  /** Until the run has taken its locks (its first workflow task is done). */
  void awaitHolding(String target) {
    long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (TargetLockReader.openHolder(client, TargetLocks.lockId(target)).isEmpty()) {
      assertTrue(System.nanoTime() < until, "no lock on " + target);
      env.sleep(Duration.ofMillis(50));
    }
  }

  /** Until the lock on {@code target} has seen its holder closed and ended: within its 2 s poll. */
  void awaitFree(String target) {
    long skipped = 0;
    while (client.newUntypedWorkflowStub(TargetLocks.lockId(target)).describe().getStatus()
        == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING) {
      assertTrue(skipped < 20, "still locked after " + skipped + " s: " + target);
      env.sleep(Duration.ofSeconds(1));
      skipped++;
    }
  }

  static ApplicationFailure failureOf(WorkflowStub s) {
    WorkflowFailedException e =
        assertThrows(WorkflowFailedException.class, () -> s.getResult(String.class));
    return assertInstanceOf(ApplicationFailure.class, e.getCause());
  }

  @Test
  void
      givenAnOpenRunOnATarget_whenAnotherIdStartsOnIt_thenRefusedNamingTheOpenRunAndTheFirstGoesOn() {
    String db = TargetLocks.mysql("loopback", 3307);
    WorkflowStub first = start("binlog/replica-a", db);
    awaitHolding(db);

    WorkflowStub second = start("my-own-id", "x," + db);
    ApplicationFailure f = failureOf(second);
    assertEquals(ErrorTypes.INVALID_INPUT, f.getType());
    assertTrue(
        f.getOriginalMessage().contains(db + " has an open run: binlog/replica-a"),
        f.getOriginalMessage());
    // The refused run gave back the lock it did get ("x"), and took nothing from the first.
    awaitFree("x");
    assertEquals(
        "binlog/replica-a",
        TargetLockReader.openHolder(client, TargetLocks.lockId(db)).orElseThrow().workflowId());

    first.signal("finish", "ok");
    assertEquals("done", first.getResult(String.class));
    // At once: the lock may not have seen the release yet; the start waits for it, not refuses.
    WorkflowStub third = start("binlog/replica-a-again", db);
    awaitHolding(db);
    third.signal("finish", "ok");
    assertEquals("done", third.getResult(String.class));
  }

  @Test
  void givenARunThatFailsOrIsCancelled_whenItEnds_thenItsTargetsAreFreed() {
    WorkflowStub failing = start("a", "cluster/one");
    awaitHolding("cluster/one");
    failing.signal("finish", "fail");
    assertEquals(ErrorTypes.MASKING_FAILED, failureOf(failing).getType());
    awaitFree("cluster/one");

    WorkflowStub cancelled = start("b", "cluster/one");
    awaitHolding("cluster/one");
    cancelled.cancel();
    WorkflowFailedException e =
        assertThrows(WorkflowFailedException.class, () -> cancelled.getResult(String.class));
    assertInstanceOf(CanceledFailure.class, e.getCause());
    awaitFree("cluster/one");
  }

  @Test
  void givenAFailedRun_whenItsWorkflowIdStartsAgainAtOnce_thenTheNewRunIsNotTakenForTheHolder() {
    WorkflowStub failed = start("upgrade/again", "cluster/again");
    awaitHolding("cluster/again");
    failed.signal("finish", "fail");
    failureOf(failed);
    // The old run's lock may still be open; its holder's workflow id is the new run's own.
    WorkflowStub again = start("upgrade/again", "cluster/again");
    awaitHolding("cluster/again");
    again.signal("finish", "ok");
    assertEquals("done", again.getResult(String.class));
  }

  @Test
  void givenAHolderTerminated_whenTheLockNextLooks_thenTheTargetIsFree() {
    WorkflowStub holder = start("terminated", "cluster/two");
    awaitHolding("cluster/two");
    holder.terminate("operator");
    awaitFree("cluster/two");
    WorkflowStub next = start("next", "cluster/two");
    awaitHolding("cluster/two");
    next.signal("finish", "ok");
    assertEquals("done", next.getResult(String.class));
  }

  @Test
  void
      givenAHolderThatContinuesAsNew_whenAnotherStartsMeanwhile_thenStillRefused_andFreedAtTheChainsEnd() {
    WorkflowStub chain = start("long", "cycles:2;cluster/three");
    awaitHolding("cluster/three");
    env.sleep(Duration.ofMinutes(12)); // two continue-as-new later, and many lock checks
    assertEquals(
        "long",
        TargetLockReader.openHolder(client, TargetLocks.lockId("cluster/three"))
            .orElseThrow()
            .workflowId());
    ApplicationFailure f = failureOf(start("intruder", "cluster/three"));
    assertTrue(f.getOriginalMessage().contains("has an open run: long"), f.getOriginalMessage());

    WorkflowStub latest = client.newUntypedWorkflowStub("long");
    latest.signal("finish", "ok");
    assertEquals("done", latest.getResult(String.class));
    awaitFree("cluster/three");
  }
}
