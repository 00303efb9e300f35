package dev.dbops.workflows.common;

import io.temporal.common.interceptors.WorkerInterceptorBase;
import io.temporal.common.interceptors.WorkflowInboundCallsInterceptor;
import io.temporal.common.interceptors.WorkflowInboundCallsInterceptorBase;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.Map;

/**
 * Tells people when any procedure completes or fails, in one place instead of in every workflow: a
 * local-activity notice after the workflow method returns or throws. A continue-as-new is not an
 * end (it passes through as the SDK's own error). Versioned, so histories recorded before this
 * notice existed replay without it.
 */
public final class RunEndedInterceptor extends WorkerInterceptorBase {
  static final String CHANGE = "run-ended-notice";

  /** Workflow type → procedure name as people know it (the CLI's names). */
  private final Map<String, String> procedures;

  public RunEndedInterceptor(Map<String, String> procedures) {
    this.procedures = Map.copyOf(procedures);
  }

  @Override
  public WorkflowInboundCallsInterceptor interceptWorkflow(WorkflowInboundCallsInterceptor next) {
    return new WorkflowInboundCallsInterceptorBase(next) {
      @Override
      public WorkflowOutput execute(WorkflowInput input) {
        WorkflowOutput out;
        try {
          out = super.execute(input);
        } catch (TemporalFailure f) {
          notice(
              RunNotice.FAILED,
              summary(f),
              f instanceof ApplicationFailure af
                  ? af.getType()
                  : f instanceof CanceledFailure ? "Cancelled" : f.getClass().getSimpleName());
          throw f;
        }
        notice(RunNotice.COMPLETED, "completed after " + elapsed(), null);
        return out;
      }
    };
  }

  private void notice(String outcome, String summary, String failureType) {
    Workflow.newDetachedCancellationScope(
            () -> {
              if (Workflow.getVersion(CHANGE, Workflow.DEFAULT_VERSION, 1) != 1) return;
              String type = Workflow.getInfo().getWorkflowType();
              NotifyActivities notify =
                  Workflow.newLocalActivityStub(NotifyActivities.class, ActivityStubs.LOCAL_NOTIFY);
              try {
                notify.runEnded(
                    new RunNotice(
                        Workflow.getInfo().getWorkflowId(),
                        procedures.getOrDefault(type, type),
                        outcome,
                        summary,
                        failureType));
              } catch (TemporalFailure ignored) {
                // Best effort by design: a chat outage must not change how a procedure ended.
              }
            })
        .run();
  }

  private static String summary(TemporalFailure f) {
    String m = f instanceof ApplicationFailure af ? af.getOriginalMessage() : f.getMessage();
    return m == null ? "" : m.length() > 500 ? m.substring(0, 500) + "…" : m;
  }

  private static String elapsed() {
    Duration d =
        Duration.ofMillis(
            Workflow.currentTimeMillis() - Workflow.getInfo().getRunStartedTimestampMillis());
    return d.toDays() > 0
        ? d.toDays() + "d " + d.toHoursPart() + "h"
        : d.toHours() > 0
            ? d.toHours() + "h " + d.toMinutesPart() + "m"
            : d.toMinutes() + "m " + d.toSecondsPart() + "s";
  }
}
