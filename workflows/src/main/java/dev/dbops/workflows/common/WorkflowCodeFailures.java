package dev.dbops.workflows.common;

import io.temporal.common.interceptors.WorkerInterceptorBase;
import io.temporal.common.interceptors.WorkflowInboundCallsInterceptor;
import io.temporal.common.interceptors.WorkflowInboundCallsInterceptorBase;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.worker.NonDeterministicException;

/**
 * No input can wedge a run: an unexpected exception out of workflow code (the workflow method or a
 * signal handler) fails the run, non-retryable, as {@link ErrorTypes#WORKFLOW_CODE_FAILED} with the
 * exception's class and message, instead of failing the workflow task — which Temporal retries for
 * as long as the run lives, while {@code cancel} cannot land, {@code status} blames a missing
 * worker and every attempt re-runs what came before. Registered once, for every workflow, where the
 * worker is built.
 *
 * <p>What stays a workflow task failure (retried until a fixed deployment resumes the run), on
 * purpose: non-determinism ({@link NonDeterministicException}, anywhere in the cause chain — a
 * history the code cannot replay is the deployment's fault, and failing the run would end every
 * open run after a careless deployment), and the SDK's own exceptions ({@code io.temporal.*}:
 * undecodable payloads, a potential deadlock, an unsupported version), for the same reason. {@code
 * WorkflowImplementationOptions.setFailWorkflowExceptionTypes} was not used: it matches by class,
 * and any class wide enough to catch an overflow ({@code RuntimeException}) also matches {@link
 * NonDeterministicException}, which the SDK then fails the run on.
 */
public final class WorkflowCodeFailures extends WorkerInterceptorBase {
  @Override
  public WorkflowInboundCallsInterceptor interceptWorkflow(WorkflowInboundCallsInterceptor next) {
    return new WorkflowInboundCallsInterceptorBase(next) {
      @Override
      public WorkflowOutput execute(WorkflowInput input) {
        try {
          return super.execute(input);
        } catch (RuntimeException e) {
          throw failsTheRun(e);
        }
      }

      @Override
      public void handleSignal(SignalInput input) {
        try {
          super.handleSignal(input);
        } catch (RuntimeException e) {
          throw failsTheRun(e);
        }
      }
    };
  }

  /** {@code e} as it should leave the workflow: unchanged, or as a run-failing typed failure. */
  static RuntimeException failsTheRun(RuntimeException e) {
    if (e instanceof TemporalFailure || staysATaskFailure(e)) return e;
    String what = e.getClass().getName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    return ApplicationFailure.newNonRetryableFailureWithCause(
        "workflow code failed ("
            + Bounds.cut(what, 500)
            + "); the run is failed instead of retried",
        ErrorTypes.WORKFLOW_CODE_FAILED,
        e);
  }

  /** Non-determinism or an SDK exception anywhere in the chain: retried as a task failure. */
  static boolean staysATaskFailure(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof NonDeterministicException
          || t.getClass().getName().startsWith("io.temporal.")) {
        return true;
      }
    }
    return false;
  }
}
