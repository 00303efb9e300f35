package dev.dbops.workflows.common;

import io.temporal.api.enums.v1.ParentClosePolicy;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.common.interceptors.WorkerInterceptorBase;
import io.temporal.common.interceptors.WorkflowInboundCallsInterceptor;
import io.temporal.common.interceptors.WorkflowInboundCallsInterceptorBase;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.ChildWorkflowFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Promise;
import io.temporal.workflow.SignalExternalWorkflowException;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * One open run per target, whatever workflow id it was started with: before a procedure's first
 * step, its run starts one {@link TargetLockWorkflow} per target the request names (ids from
 * {@link TargetLocks}), and Temporal refuses a second open workflow with the same id. A run whose
 * target is held fails at once as {@link ErrorTypes#INVALID_INPUT} naming the run that holds it
 * (the CLI exits 2); the locks it did get are given back. The run releases its locks when it
 * completes, fails or is cancelled; a continue-as-new keeps them (the chain keeps its workflow
 * id), and a run that ends without a word (terminated) is noticed by the lock itself.
 *
 * <p>In one place for every procedure, as {@link RunEndedInterceptor}; versioned, so histories
 * recorded before locks existed replay without them.
 */
public final class TargetLockInterceptor extends WorkerInterceptorBase {
  static final String CHANGE = "one-run-per-target";
  /** Metadata key of a lock's memo: the holder's workflow id (read by the CLI). */
  public static final String MEMO_HOLDER = "holder";
  /** Seconds a start waits for locks whose holders have ended to see their release. */
  static final int RELEASE_WAIT_TRIES = 30;

  private final Map<String, Function<Object, List<String>>> targetsByWorkflowType;

  /** @param targetsByWorkflowType workflow type → the targets its request names (none for a dry run) */
  public TargetLockInterceptor(Map<String, Function<Object, List<String>>> targetsByWorkflowType) {
    this.targetsByWorkflowType = Map.copyOf(targetsByWorkflowType);
  }

  @Override
  public WorkflowInboundCallsInterceptor interceptWorkflow(WorkflowInboundCallsInterceptor next) {
    return new WorkflowInboundCallsInterceptorBase(next) {
      @Override
      public WorkflowOutput execute(WorkflowInput input) {
        Function<Object, List<String>> targets = targetsByWorkflowType.get(Workflow.getInfo().getWorkflowType());
        // A continued run's chain already holds what its first run took.
        if (targets == null || Workflow.getInfo().getContinuedExecutionRunId().isPresent()
            || Workflow.getVersion(CHANGE, Workflow.DEFAULT_VERSION, 1) != 1) {
          return super.execute(input);
        }
        Object request = input.getArguments().length == 0 ? null : input.getArguments()[0];
        List<String> held = acquire(request == null ? List.of() : targets.apply(request));
        WorkflowOutput out;
        try {
          out = super.execute(input);
        } catch (TemporalFailure f) {
          release(held);
          throw f;
        }
        release(held);
        return out;
      }
    };
  }

  /**
   * Starts a lock per target; when one is held by an open run, gives back the others and fails
   * naming the holder. A lock whose holder has just ended (its release not yet seen) is asked for
   * again a second later, for up to {@link #RELEASE_WAIT_TRIES} seconds.
   */
  private static List<String> acquire(List<String> targets) {
    List<String> wanted = new ArrayList<>(new LinkedHashSet<>(targets.stream().map(TargetLocks::lockId).toList()));
    List<String> held = new ArrayList<>();
    TargetLockActivities temporal = Workflow.newLocalActivityStub(TargetLockActivities.class, ActivityStubs.LOCAL_CALL);
    for (int attempt = 1; ; attempt++) {
      List<String> busy = new ArrayList<>();
      held.addAll(start(wanted, busy));
      if (busy.isEmpty()) return held;
      List<String> why = new ArrayList<>();
      for (String lockId : busy) {
        LockHolder h = temporal.holderOf(lockId);
        if (h != null) why.add(TargetLocks.targetOf(lockId) + " has an open run: " + h.workflowId());
      }
      if (!why.isEmpty() || attempt >= RELEASE_WAIT_TRIES) {
        release(held);
        if (why.isEmpty()) why.add(String.join(", ", busy.stream().map(TargetLocks::targetOf).toList())
            + " still held by a run that has ended");
        throw ApplicationFailure.newNonRetryableFailure("one open run per target: " + String.join("; ", why)
            + " (nothing was changed)", ErrorTypes.INVALID_INPUT);
      }
      wanted = busy;
      Workflow.sleep(java.time.Duration.ofSeconds(1));
    }
  }

  /** Starts a lock per id; returns those started and adds to {@code busy} those already open. */
  private static List<String> start(List<String> lockIds, List<String> busy) {
    String me = Workflow.getInfo().getWorkflowId();
    LockHolder[] asks = new LockHolder[lockIds.size()];
    List<Promise<?>> started = new ArrayList<>();
    for (int i = 0; i < lockIds.size(); i++) {
      asks[i] = new LockHolder(TargetLocks.targetOf(lockIds.get(i)), me, Workflow.getInfo().getFirstExecutionRunId(),
          Workflow.getInfo().getWorkflowType());
      TargetLockWorkflow lock = Workflow.newChildWorkflowStub(TargetLockWorkflow.class, ChildWorkflowOptions.newBuilder()
          .setWorkflowId(lockIds.get(i))
          .setParentClosePolicy(ParentClosePolicy.PARENT_CLOSE_POLICY_ABANDON)
          .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE)
          .setMemo(Map.of(MEMO_HOLDER, me))
          .build());
      Async.procedure(lock::hold, asks[i]);
      started.add(Workflow.getWorkflowExecution(lock));
    }
    List<String> held = new ArrayList<>();
    for (int i = 0; i < lockIds.size(); i++) {
      try {
        started.get(i).get();
        held.add(lockIds.get(i));
      } catch (ChildWorkflowFailure f) {
        if (!(f.getCause() instanceof WorkflowExecutionAlreadyStarted)) throw f;
        busy.add(lockIds.get(i));
      }
    }
    return held;
  }

  private static void release(List<String> lockIds) {
    if (lockIds.isEmpty()) return;
    String me = Workflow.getInfo().getWorkflowId();
    Workflow.newDetachedCancellationScope(() -> {
      List<Promise<Void>> sent = new ArrayList<>();
      for (String id : lockIds) {
        TargetLockWorkflow lock = Workflow.newExternalWorkflowStub(TargetLockWorkflow.class, id);
        sent.add(Async.procedure(lock::release, me));
      }
      for (Promise<Void> p : sent) {
        try {
          p.get();
        } catch (SignalExternalWorkflowException gone) {
          // Already ended (it saw this run close, or was terminated): nothing to release.
        }
      }
    }).run();
  }
}
