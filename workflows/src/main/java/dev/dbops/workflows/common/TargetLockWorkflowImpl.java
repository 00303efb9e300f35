package dev.dbops.workflows.common;

import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.TimeoutFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;

/**
 * Open while its holder is: a poll every {@link #CHECK_EVERY} (activity retries, which history does
 * not record, and benign: not logged as failures) sees the holder's chain close however it closed,
 * so a target is held by a run that no longer exists for at most that long. A lock is its holder's
 * child with the ABANDON policy: it outlives the holder's continue-as-new, which keeps the workflow
 * id the lock names.
 */
public class TargetLockWorkflowImpl implements TargetLockWorkflow {
  static final Duration CHECK_EVERY = Duration.ofSeconds(2);

  /** One poll activity's life; a holder open longer is polled by the next (3 events a month). */
  static final Duration CHECK_FOR = Duration.ofDays(30);

  /**
   * Version change: a check that fails other than by timing out or NOT_READY ends the lock with
   * {@link ErrorTypes#LOCK_CHECK_FAILED}; before, the loop polled again at once, without end. Asked
   * only on that path, so histories without such a failure carry no marker.
   */
  static final String FAIL_ON_UNEXPECTED = "lock-fails-on-unexpected-check-failure";

  private LockHolder holder;

  @Override
  public void hold(LockHolder h) {
    holder = h;
    TargetLockActivities temporal =
        Workflow.newActivityStub(
            TargetLockActivities.class, ActivityStubs.pollEvery(CHECK_EVERY, CHECK_FOR));
    while (true) {
      try {
        temporal.awaitHolderClosed(h);
        return;
      } catch (ActivityFailure f) {
        // Cancelled (an operator freeing the target by hand): the lock ends.
        if (f.getCause() instanceof CanceledFailure) return;
        // The poll gave up after CHECK_FOR with the holder still open: keep holding, poll again.
        if (stillOpen(f)) continue;
        // Anything else fails every next poll at once too: looping would only spin and grow
        // history.
        if (Workflow.getVersion(FAIL_ON_UNEXPECTED, Workflow.DEFAULT_VERSION, 1)
            == Workflow.DEFAULT_VERSION) continue;
        throw ApplicationFailure.newNonRetryableFailureWithCause(
            "lock on "
                + h.target()
                + " held by "
                + h.workflowId()
                + ": the check whether the holder is still open failed ("
                + message(f)
                + "); the lock ends",
            ErrorTypes.LOCK_CHECK_FAILED,
            f);
      }
    }
  }

  /**
   * The poll's own "not yet": its schedule-to-close ran out, or its last attempt said NOT_READY.
   */
  private static boolean stillOpen(ActivityFailure f) {
    return f.getCause() instanceof TimeoutFailure
        || f.getCause() instanceof ApplicationFailure af
            && ErrorTypes.NOT_READY.equals(af.getType());
  }

  private static String message(ActivityFailure f) {
    return f.getCause() instanceof ApplicationFailure af
        ? af.getType() + ": " + af.getOriginalMessage()
        : String.valueOf(f.getCause() == null ? f.getMessage() : f.getCause().getMessage());
  }

  @Override
  public LockHolder holder() {
    return holder;
  }
}
