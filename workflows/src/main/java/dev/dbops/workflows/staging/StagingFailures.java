package dev.dbops.workflows.staging;

import dev.dbops.workflows.common.ErrorTypes;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.failure.TimeoutFailure;

/** How a staging rebuild names and types what went wrong. */
final class StagingFailures {
  private StagingFailures() {}

  static ApplicationFailure invalid(String message) {
    return ApplicationFailure.newNonRetryableFailure(message, ErrorTypes.INVALID_INPUT);
  }

  /** A read-only look that found nothing, or was refused, is bad input: nothing was changed yet. */
  static ApplicationFailure asInvalid(ActivityFailure f, String what) {
    String type = type(f);
    if (ErrorTypes.NOT_FOUND.equals(type)
        || ErrorTypes.INVALID_INPUT.equals(type)
        || ErrorTypes.ACCESS_DENIED.equals(type)
        || ErrorTypes.INVALID_PARAMETER.equals(type)) {
      return invalid(what + ": " + message(f));
    }
    return ApplicationFailure.newNonRetryableFailure(what + ": " + message(f), type);
  }

  /** The failure type of the first typed cause; a timeout is WAIT_TIMEOUT. */
  static String type(TemporalFailure f) {
    Throwable c = f;
    while (c != null) {
      if (c instanceof ApplicationFailure af) return af.getType();
      if (c instanceof TimeoutFailure) return ErrorTypes.WAIT_TIMEOUT;
      c = c.getCause();
    }
    return ErrorTypes.INVALID_STATE;
  }

  static String describe(TemporalFailure f) {
    return f instanceof ApplicationFailure af
        ? af.getOriginalMessage()
        : f instanceof ActivityFailure a ? message(a) : f.getMessage();
  }

  /** What the activity said, without the wrapping. */
  static String message(ActivityFailure f) {
    Throwable c = f.getCause();
    while (c != null && c.getCause() != null && !(c instanceof ApplicationFailure))
      c = c.getCause();
    if (c instanceof TimeoutFailure) return "gave up waiting: " + c.getMessage();
    return c instanceof ApplicationFailure af ? af.getOriginalMessage() : String.valueOf(c);
  }
}
