package dev.dbops.workflows.common;

import io.temporal.failure.ActivityFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;

/**
 * Open while its holder is: a poll every {@link #CHECK_EVERY} (activity retries, which history does
 * not record, and benign: not logged as failures) sees the holder's chain close however it closed, so a target is held by a run that
 * no longer exists for at most that long. A lock is its holder's child with the ABANDON policy: it
 * outlives the holder's continue-as-new, which keeps the workflow id the lock names.
 */
public class TargetLockWorkflowImpl implements TargetLockWorkflow {
  static final Duration CHECK_EVERY = Duration.ofSeconds(2);
  /** One poll activity's life; a holder open longer is polled by the next (3 events a month). */
  static final Duration CHECK_FOR = Duration.ofDays(30);

  private LockHolder holder;

  @Override
  public void hold(LockHolder h) {
    holder = h;
    TargetLockActivities temporal = Workflow.newActivityStub(TargetLockActivities.class,
        ActivityStubs.pollEvery(CHECK_EVERY, CHECK_FOR));
    while (true) {
      try {
        temporal.awaitHolderClosed(h);
        return;
      } catch (ActivityFailure f) {
        // Cancelled (an operator freeing the target by hand): the lock ends.
        if (f.getCause() instanceof CanceledFailure) return;
        // The poll gave up after CHECK_FOR with the holder still open: keep holding, poll again.
      }
    }
  }

  @Override
  public LockHolder holder() {
    return holder;
  }
}
