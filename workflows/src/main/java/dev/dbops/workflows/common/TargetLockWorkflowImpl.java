package dev.dbops.workflows.common;

import io.temporal.failure.ActivityFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.time.Duration;

/**
 * Open while its holder is: the holder releases it when it ends (see {@link TargetLockInterceptor}),
 * and a holder that ends without a word (terminated, timed out) is noticed by a poll every
 * {@link #CHECK_EVERY}, so a target is never held by a run that no longer exists for longer than
 * that. A lock is its holder's child with the ABANDON policy: it outlives the holder's
 * continue-as-new, which keeps the workflow id the lock names.
 */
public class TargetLockWorkflowImpl implements TargetLockWorkflow {
  static final Duration CHECK_EVERY = Duration.ofMinutes(1);
  /** One poll activity's life; a holder open longer is polled by the next (3 events a month). */
  static final Duration CHECK_FOR = Duration.ofDays(30);

  private LockHolder holder;
  private boolean released;

  @Override
  public void hold(LockHolder h) {
    holder = h;
    TargetLockActivities temporal = Workflow.newActivityStub(TargetLockActivities.class,
        ActivityStubs.pollEvery(CHECK_EVERY, CHECK_FOR));
    while (!released) {
      Promise<Void>[] closed = new Promise[1];
      CancellationScope watch = Workflow.newCancellationScope(
          () -> closed[0] = Async.procedure(temporal::awaitHolderClosed, h));
      watch.run();
      Workflow.await(() -> released || closed[0].isCompleted());
      if (released) {
        watch.cancel();
        return;
      }
      try {
        closed[0].get();
        return;
      } catch (ActivityFailure stillOpenOrUnreadable) {
        // The poll gave up after CHECK_FOR with the holder still open: keep holding, poll again.
      }
    }
  }

  @Override
  public void release(String holderWorkflowId) {
    if (holder != null && holder.workflowId().equals(holderWorkflowId)) released = true;
  }

  @Override
  public LockHolder holder() {
    return holder;
  }
}
