package dev.dbops.workflows.common;

import io.temporal.failure.ActivityFailure;
import io.temporal.workflow.Workflow;
import java.util.List;

/**
 * Tells people a run needs them, best effort: a broken chat webhook must not stop a procedure, so a
 * failed notification becomes a warning instead.
 */
public final class PeopleNotifier {
  /** Runs recorded before notices became local activities keep their regular activity calls. */
  static final String LOCAL_NOTICES_CHANGE = "notices-as-local-activities";

  private final NotifyActivities remote =
      Workflow.newActivityStub(NotifyActivities.class, ActivityStubs.NOTIFY);
  private final NotifyActivities local =
      Workflow.newLocalActivityStub(NotifyActivities.class, ActivityStubs.LOCAL_NOTIFY);
  private NotifyActivities notify;
  private final String procedure;
  private final List<String> warnings;

  /** Waits notified so far in this run: part of each notice's key. */
  private int waits;

  public PeopleNotifier(String procedure, List<String> warnings) {
    this.procedure = procedure;
    this.warnings = warnings;
  }

  /** A notice is one marker event as a local activity instead of six; chosen once per run. */
  private NotifyActivities notifier() {
    if (notify == null) {
      notify =
          Workflow.getVersion(LOCAL_NOTICES_CHANGE, Workflow.DEFAULT_VERSION, 1) == 1
              ? local
              : remote;
    }
    return notify;
  }

  /**
   * Starts a wait notice; call {@link #responded} with the returned notice when it ends. The
   * notice's key (run id, the how-many-th wait, step) is the same on every attempt and replay of
   * this workflow task, so the notifier sends it once however often the task is retried.
   */
  public WaitNotice waiting(String step, String waitingFor, List<String> people, String command) {
    String key = Workflow.getInfo().getRunId() + "/" + (++waits) + "/" + step;
    WaitNotice n =
        new WaitNotice(
            Workflow.getInfo().getWorkflowId(),
            procedure,
            step,
            waitingFor,
            people,
            command,
            true,
            key);
    notice(n);
    Reminders.opened(this, n);
    return n;
  }

  /** Sends a wait notice, a reminder or an escalation ({@link Reminders}), best effort. */
  void notice(WaitNotice n) {
    try {
      notifier().waitingForPerson(n);
    } catch (ActivityFailure f) {
      warnings.add("notification failed: " + reason(f));
    }
  }

  /** Detached: when the run is being cancelled, the "no longer waiting" notice still goes out. */
  public void responded(WaitNotice n) {
    Reminders.closed(n);
    Workflow.newDetachedCancellationScope(
            () -> {
              try {
                notifier()
                    .personResponded(
                        new WaitNotice(
                            n.workflowId(),
                            n.procedure(),
                            n.step(),
                            n.waitingFor(),
                            n.approvers(),
                            n.command(),
                            false,
                            n.key()));
              } catch (ActivityFailure f) {
                warnings.add("notification failed: " + reason(f));
              }
            })
        .run();
  }

  /** Runs an approval wait with notices around it; rethrows the gate's typed failure. */
  public void awaitApproval(ApprovalGate gate, String step) {
    String id = Workflow.getInfo().getWorkflowId();
    WaitNotice n =
        waiting(
            step,
            "approval by " + gate.approvers(),
            gate.approvers(),
            "./dbops approve " + id + " --by <name>");
    try {
      gate.await(step);
    } finally {
      responded(n);
    }
  }

  private static String reason(ActivityFailure f) {
    return f.getCause() instanceof io.temporal.failure.ApplicationFailure af
        ? af.getOriginalMessage()
        : f.getCause().getMessage();
  }
}
