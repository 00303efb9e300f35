package dev.dbops.workflows.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A lock's wait for its holder, with a scripted holder check. */
class TargetLockWorkflowTest {
  static final LockHolder HOLDER =
      new LockHolder("cluster/orders", "upgrade/orders", "run-1", "UpgradeWorkflow");

  /** Answers NOT_READY {@code openFor} times, then {@code then} (null: the holder closed). */
  static final class ScriptedCheck implements TargetLockActivities {
    final AtomicInteger calls = new AtomicInteger();
    volatile int openFor;
    volatile RuntimeException then;

    @Override
    public void awaitHolderClosed(LockHolder holder) {
      if (calls.incrementAndGet() <= openFor)
        throw ErrorTypes.notReady("holder " + holder.workflowId() + " is open");
      if (then != null) throw then;
    }

    @Override
    public LockHolder holderOf(String lockId) {
      return null;
    }
  }

  TestWorkflowEnvironment env;
  final ScriptedCheck check = new ScriptedCheck();

  @BeforeEach
  void setUp() {
    env = TestWorkflowEnvironment.newInstance();
    Worker w = env.newWorker("q");
    w.registerWorkflowImplementationTypes(TargetLockWorkflowImpl.class);
    w.registerActivitiesImplementations(check);
    env.start();
  }

  @AfterEach
  void tearDown() {
    env.close();
  }

  WorkflowStub hold() {
    TargetLockWorkflow lock =
        env.getWorkflowClient()
            .newWorkflowStub(
                TargetLockWorkflow.class,
                WorkflowOptions.newBuilder().setTaskQueue("q").setWorkflowId("lock/test").build());
    io.temporal.client.WorkflowClient.start(lock::hold, HOLDER);
    return WorkflowStub.fromTyped(lock);
  }

  @Test
  void givenAHolderOpenForThreeChecks_whenItCloses_thenTheLockEndsAfterTheFourth()
      throws Exception {
    check.openFor = 3;
    hold().getResult(20, TimeUnit.SECONDS, Void.class);

    assertEquals(4, check.calls.get());
  }

  @Test
  void
      givenACheckThatFailsNonRetryably_whenHeld_thenTheLockFailsNamingTheTargetInsteadOfPollingAgain() {
    check.openFor = 2;
    check.then =
        ApplicationFailure.newNonRetryableFailure(
            "PermissionDenied: describe refused", ErrorTypes.ACCESS_DENIED);
    WorkflowStub lock = hold();

    WorkflowFailedException e =
        assertThrows(
            WorkflowFailedException.class, () -> lock.getResult(20, TimeUnit.SECONDS, Void.class));
    ApplicationFailure f = assertInstanceOf(ApplicationFailure.class, e.getCause());
    assertEquals(ErrorTypes.LOCK_CHECK_FAILED, f.getType());
    assertTrue(
        f.getOriginalMessage().contains("lock on cluster/orders held by upgrade/orders"),
        f.getOriginalMessage());
    assertTrue(
        f.getOriginalMessage().contains("AccessDenied: PermissionDenied: describe refused"),
        f.getOriginalMessage());
    assertEquals(
        3, check.calls.get(), "two NOT_READY answers, then the failure, and no check after it");
  }
}
