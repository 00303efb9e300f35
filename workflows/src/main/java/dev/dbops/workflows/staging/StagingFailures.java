package dev.dbops.workflows.staging;

import dev.dbops.workflows.common.ErrorTypes;
import dev.dbops.workflows.common.ProcedureRun;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.TemporalFailure;

/** How a staging rebuild words what went wrong, beyond the skeleton's failure helpers. */
final class StagingFailures {
  private StagingFailures() {}

  /** A read-only look that found nothing, or was refused, is bad input: nothing was changed yet. */
  static ApplicationFailure asInvalid(ActivityFailure f, String what) {
    String type = ProcedureRun.failureType(f);
    String message = what + ": " + ProcedureRun.message(f);
    if (ErrorTypes.NOT_FOUND.equals(type)
        || ErrorTypes.INVALID_INPUT.equals(type)
        || ErrorTypes.ACCESS_DENIED.equals(type)
        || ErrorTypes.INVALID_PARAMETER.equals(type)) {
      return ProcedureRun.invalid(message);
    }
    return ApplicationFailure.newNonRetryableFailure(message, type);
  }

  /** The message of a failure: the application's own, or what the activity said. */
  static String describe(TemporalFailure f) {
    return f instanceof ApplicationFailure af
        ? af.getOriginalMessage()
        : f instanceof ActivityFailure a ? ProcedureRun.message(a) : f.getMessage();
  }
}
