package dev.dbops.workflows.common;

import io.temporal.api.enums.v1.ParentClosePolicy;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.common.interceptors.WorkerInterceptorBase;
import io.temporal.common.interceptors.WorkflowInboundCallsInterceptor;
import io.temporal.common.interceptors.WorkflowInboundCallsInterceptorBase;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.ChildWorkflowFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.ChildWorkflowCancellationType;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * One open run per target, whatever workflow id it was started with: before a procedure's first
 * step, its run starts one {@link TargetLockWorkflow} per target the request names (ids from {@link
 * TargetLocks}), and Temporal refuses a second open workflow with the same id. A run whose target
 * is held fails at once as {@link ErrorTypes#INVALID_INPUT} naming the run that holds it (the CLI
 * exits 2). A lock ends once it sees its holder closed, however it closed (completed, failed,
 * cancelled, terminated): the holder sends nothing at its end, so ending a run stays one workflow
 * task, as it was before locks. A continue-as-new keeps the locks (the chain keeps its workflow
 * id).
 *
 * <p>In one place for every procedure, as {@link RunEndedInterceptor}; versioned, so histories
 * recorded before locks existed replay without them.
 */
public final class TargetLockInterceptor extends WorkerInterceptorBase {
  static final String CHANGE = "one-run-per-target";

  /** Metadata key of a lock's memo: the holder's workflow id (read by the CLI). */
  public static final String MEMO_HOLDER = "holder";

  /**
   * Metadata key of a lock's memo: the first run id of the holder's chain, so a later run that
   * reuses the holder's workflow id (a retry of a failed run) is not taken for the holder.
   */
  public static final String MEMO_HOLDER_FIRST_RUN = "holderFirstRun";

  /**
   * Seconds a start waits for locks whose holders have ended to see that (a lock looks every 2 s).
   */
  static final int RELEASE_WAIT_TRIES = 30;

  private final Map<String, Function<Object, List<String>>> targetsByWorkflowType;

  /**
   * @param targetsByWorkflowType workflow type → the targets its request names (none for a dry run)
   */
  public TargetLockInterceptor(Map<String, Function<Object, List<String>>> targetsByWorkflowType) {
    this.targetsByWorkflowType = Map.copyOf(targetsByWorkflowType);
  }

  @Override
  public WorkflowInboundCallsInterceptor interceptWorkflow(WorkflowInboundCallsInterceptor next) {
    return new WorkflowInboundCallsInterceptorBase(next) {
      @Override
      public WorkflowOutput execute(WorkflowInput input) {
        Function<Object, List<String>> targets =
            targetsByWorkflowType.get(Workflow.getInfo().getWorkflowType());
        // A continued run's chain already holds what its first run took.
        if (targets == null
            || Workflow.getInfo().getContinuedExecutionRunId().isPresent()
            || Workflow.getVersion(CHANGE, Workflow.DEFAULT_VERSION, 1) != 1) {
          return super.execute(input);
        }
        Object request = input.getArguments().length == 0 ? null : input.getArguments()[0];
        acquire(request == null ? List.of() : targets.apply(request));
        return super.execute(input);
      }
    };
  }

  /**
   * Starts a lock per target; when one is held by an open run, fails naming the holder (the locks
   * it did get end when they see this run closed). A lock whose holder has just ended (not yet seen
   * by the lock) is asked for again a second later, for up to {@link #RELEASE_WAIT_TRIES} seconds.
   */
  private static void acquire(List<String> targets) {
    Map<String, String> targetOf = new LinkedHashMap<>();
    for (String t : targets) targetOf.put(TargetLocks.lockId(t), t);
    List<String> wanted = new ArrayList<>(targetOf.keySet());
    TargetLockActivities temporal =
        Workflow.newLocalActivityStub(TargetLockActivities.class, ActivityStubs.LOCAL_CALL);
    for (int attempt = 1; ; attempt++) {
      List<String> busy = start(wanted, targetOf);
      if (busy.isEmpty()) return;
      List<String> why = new ArrayList<>();
      for (String lockId : busy) {
        LockHolder h = temporal.holderOf(lockId);
        if (h != null) why.add(targetOf.get(lockId) + " has an open run: " + h.workflowId());
      }
      if (!why.isEmpty() || attempt >= RELEASE_WAIT_TRIES) {
        if (why.isEmpty())
          why.add(
              String.join(", ", busy.stream().map(targetOf::get).toList())
                  + " still held by a run that has ended");
        throw ApplicationFailure.newNonRetryableFailure(
            "one open run per target: " + String.join("; ", why) + " (nothing was changed)",
            ErrorTypes.INVALID_INPUT);
      }
      wanted = busy;
      Workflow.sleep(java.time.Duration.ofSeconds(1));
    }
  }

  /** Starts a lock per id; returns those that were already open. */
  private static List<String> start(List<String> lockIds, Map<String, String> targetOf) {
    String me = Workflow.getInfo().getWorkflowId();
    List<Promise<?>> started = new ArrayList<>();
    for (int i = 0; i < lockIds.size(); i++) {
      LockHolder ask =
          new LockHolder(
              targetOf.get(lockIds.get(i)),
              me,
              Workflow.getInfo().getFirstExecutionRunId(),
              Workflow.getInfo().getWorkflowType());
      TargetLockWorkflow lock =
          Workflow.newChildWorkflowStub(
              TargetLockWorkflow.class,
              ChildWorkflowOptions.newBuilder()
                  .setWorkflowId(lockIds.get(i))
                  .setParentClosePolicy(ParentClosePolicy.PARENT_CLOSE_POLICY_ABANDON)
                  .setWorkflowIdReusePolicy(
                      WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE)
                  .setMemo(
                      Map.of(
                          MEMO_HOLDER,
                          me,
                          MEMO_HOLDER_FIRST_RUN,
                          Workflow.getInfo().getFirstExecutionRunId()))
                  // Cancelling the holder must not cancel its locks: they end when they see it
                  // closed.
                  .setCancellationType(ChildWorkflowCancellationType.ABANDON)
                  .build());
      Workflow.newDetachedCancellationScope(() -> Async.procedure(lock::hold, ask)).run();
      started.add(Workflow.getWorkflowExecution(lock));
    }
    List<String> busy = new ArrayList<>();
    for (int i = 0; i < lockIds.size(); i++) {
      try {
        started.get(i).get();
      } catch (ChildWorkflowFailure f) {
        if (!(f.getCause() instanceof WorkflowExecutionAlreadyStarted)) throw f;
        busy.add(lockIds.get(i));
      }
    }
    return busy;
  }
}
