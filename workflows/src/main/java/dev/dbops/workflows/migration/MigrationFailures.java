package dev.dbops.workflows.migration;

import dev.dbops.workflows.common.ErrorTypes;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.TimeoutFailure;

/** How a migration turns what an activity threw into the run's typed failure. */
final class MigrationFailures {
  private MigrationFailures() {}

  /** A poll that gave up (its last NOT_READY, or its schedule-to-close) is WAIT_TIMEOUT. */
  static ApplicationFailure waitFailure(ActivityFailure f, String timedOut) {
    if (f.getCause() instanceof TimeoutFailure || ErrorTypes.NOT_READY.equals(type(f)))
      return ApplicationFailure.newNonRetryableFailure(
          timedOut + " (" + message(f) + ")", ErrorTypes.WAIT_TIMEOUT);
    return typed(f);
  }

  /** An activity's failure as the run's: its type (INVALID_STATE when it has none), its message. */
  static ApplicationFailure typed(ActivityFailure f) {
    return ApplicationFailure.newNonRetryableFailure(
        message(f), type(f) == null ? ErrorTypes.INVALID_STATE : type(f));
  }

  static String type(ActivityFailure f) {
    return f.getCause() instanceof ApplicationFailure af ? af.getType() : null;
  }

  static String message(Throwable f) {
    Throwable c = f;
    while (c.getCause() != null && !(c instanceof ApplicationFailure)) c = c.getCause();
    return c instanceof ApplicationFailure af
        ? af.getOriginalMessage()
        : String.valueOf(c.getMessage());
  }

  static ApplicationFailure invalid(String message) {
    return ApplicationFailure.newNonRetryableFailure(message, ErrorTypes.INVALID_INPUT);
  }

  static ApplicationFailure refused(String message) {
    return ApplicationFailure.newNonRetryableFailure(message, ErrorTypes.CUTOVER_REFUSED);
  }
}
