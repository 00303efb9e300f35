package dev.dbops.workflows.staging;

import dev.dbops.workflows.common.ProcedureRun;
import dev.dbops.workflows.staging.StagingPhase.Phase;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.Functions;
import io.temporal.workflow.Saga;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.List;

/**
 * What a run made, as two Temporal sagas. The new cluster and the CNAME change are undone on a
 * failure (or cancellation) before the cut-over has completed; from then on the new cluster is live
 * staging and they are dropped. The snapshots are temporary: undone on any failure, and at the end
 * of a successful run unless the request keeps them. Compensations run newest first in a detached
 * scope, so a cancelled run still cleans up; each delete is refused by the activity unless the
 * resource carries this run's owner tag, and one that fails is reported as left in place while the
 * rest still run.
 *
 * <p>A compensation is registered as the create-or-adopt call is made, not after it returns: a
 * create whose answer was lost has still made the resource, and the owner-checked delete of
 * something that is not there succeeds without a change.
 */
final class StagingSaga {
  private static final Saga.Options NEWEST_FIRST =
      new Saga.Options.Builder().setParallelCompensation(false).build();

  private final StagingRun run;
  private Saga live = new Saga(NEWEST_FIRST);
  private final Saga temporary = new Saga(NEWEST_FIRST);
  private final List<String> snapshots = new ArrayList<>();
  private final List<String> undone = new ArrayList<>();
  private final List<String> left = new ArrayList<>();

  StagingSaga(StagingRun run) {
    this.run = run;
  }

  /** A snapshot this run makes (or adopts as its own); {@code undo} says what it did. */
  void addSnapshot(String id, Functions.Func<String> undo) {
    snapshots.add(id);
    temporary.addCompensation(reported(undo, "snapshot " + id));
  }

  /**
   * A change that becomes live staging at the cut-over; {@code unlessUndone} names it when undo
   * fails.
   */
  void addUntilCutOver(Functions.Func<String> undo, String unlessUndone) {
    live.addCompensation(reported(undo, unlessUndone));
  }

  /** Staging runs on the new cluster now: a later failure leaves the cluster and the CNAME. */
  void cutOverDone() {
    live = new Saga(NEWEST_FIRST);
  }

  /** Undoes what was made and returns the failure to end the run with, naming what was undone. */
  RuntimeException compensate(TemporalFailure cause) {
    run.enter(Phase.COMPENSATING, "clean-up of what this run created");
    boolean cancelled =
        cause instanceof CanceledFailure || cause.getCause() instanceof CanceledFailure;
    String reason = cancelled ? "cancelled" : StagingFailures.describe(cause);
    run.procedure.note("compensating", reason);
    Workflow.newDetachedCancellationScope(
            () -> {
              live.compensate();
              temporary.compensate();
            })
        .run();
    String summary =
        (undone.isEmpty() ? "nothing to clean up" : "cleaned up: " + String.join(", ", undone))
            + (left.isEmpty() ? "" : "; LEFT IN PLACE: " + String.join("; ", left));
    run.procedure.note("compensated", summary);
    if (cancelled)
      return cause instanceof CanceledFailure c ? c : new CanceledFailure(reason + "; " + summary);
    return ApplicationFailure.newNonRetryableFailure(
        reason + "; " + summary, ProcedureRun.failureType(cause));
  }

  /** At the end of a good run: temporary snapshots go; one that will not is a warning. */
  void cleanUp() {
    if (run.request.keepsSnapshots()) {
      run.procedure.note("snapshots kept", String.join(", ", snapshots));
      return;
    }
    run.procedure.waitFor(null);
    run.procedure.step(StagingSteps.CLEAN_UP, temporary::compensate);
    for (String l : left) run.procedure.warn("not cleaned up: " + l);
    run.procedure.note("cleaned up", undone.isEmpty() ? "nothing" : String.join(", ", undone));
  }

  private Functions.Proc reported(Functions.Func<String> undo, String what) {
    return () -> {
      try {
        undone.add(undo.apply());
      } catch (ActivityFailure f) {
        left.add(what + " (" + ProcedureRun.message(f) + ")");
      }
    };
  }
}
