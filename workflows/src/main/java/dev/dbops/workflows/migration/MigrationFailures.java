package dev.dbops.workflows.migration;

import dev.dbops.workflows.common.ErrorTypes;
import dev.dbops.workflows.common.ProcedureRun;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;

/** How a migration turns what an activity threw into the run's typed failure. */
final class MigrationFailures {
  private MigrationFailures() {}

  /** A poll that gave up (its last NOT_READY, or its schedule-to-close) is WAIT_TIMEOUT. */
  static ApplicationFailure waitFailure(ActivityFailure f, String timedOut) {
    if (ProcedureRun.ranOutOfTime(f))
      return ApplicationFailure.newNonRetryableFailure(
          timedOut + " (" + ProcedureRun.message(f) + ")", ErrorTypes.WAIT_TIMEOUT);
    return typed(f);
  }

  /** An activity's failure as the run's: its type, its message. */
  static ApplicationFailure typed(ActivityFailure f) {
    return ApplicationFailure.newNonRetryableFailure(
        ProcedureRun.message(f), ProcedureRun.failureType(f));
  }

  /** What went wrong, for a person: the failure's own message. */
  static String describe(io.temporal.failure.TemporalFailure f) {
    if (f instanceof ApplicationFailure af) return af.getOriginalMessage();
    if (f instanceof ActivityFailure af) return ProcedureRun.message(af);
    return f.getMessage();
  }

  /** The cut-over would not be safe: refused before anything is promoted. */
  static ApplicationFailure refused(String message) {
    return ApplicationFailure.newNonRetryableFailure(message, ErrorTypes.CUTOVER_REFUSED);
  }
}
