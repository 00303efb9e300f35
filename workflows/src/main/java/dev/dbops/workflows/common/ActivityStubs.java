package dev.dbops.workflows.common;

import io.temporal.activity.ActivityOptions;
import io.temporal.activity.LocalActivityOptions;
import io.temporal.common.RetryOptions;
import java.time.Duration;

/** Every ActivityOptions dbops uses, named and documented once; tests reuse these constants. */
public final class ActivityStubs {
  private ActivityStubs() {}

  private static RetryOptions.Builder transientRetry() {
    return RetryOptions.newBuilder()
        .setInitialInterval(Duration.ofSeconds(1))
        .setBackoffCoefficient(2)
        .setMaximumInterval(Duration.ofMinutes(1))
        .setDoNotRetry(ErrorTypes.nonRetryable());
  }

  /** A few describe/list calls: quick, retried through throttling for up to 30 minutes. */
  public static final ActivityOptions AWS_CALL =
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofMinutes(2))
          .setScheduleToCloseTimeout(Duration.ofMinutes(30))
          .setRetryOptions(transientRetry().build())
          .build();

  /**
   * A batch of mutating or transferring calls (restore requests, downloads, copies). Heartbeats
   * carry the index reached, so a retry after a worker crash resumes rather than restarts.
   */
  public static final ActivityOptions AWS_BATCH =
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofHours(2))
          .setHeartbeatTimeout(Duration.ofMinutes(1))
          .setScheduleToCloseTimeout(Duration.ofHours(12))
          .setRetryOptions(transientRetry().build())
          .build();

  /**
   * SQL on a cluster: connecting may fail for minutes while an endpoint restarts (an upgrade drops
   * connections), so connection failures retry for up to 30 minutes.
   */
  public static final ActivityOptions DB_CALL =
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofMinutes(5))
          .setScheduleToCloseTimeout(Duration.ofMinutes(30))
          .setRetryOptions(transientRetry().setInitialInterval(Duration.ofSeconds(2)).build())
          .build();

  /**
   * One page of a journal read for a person waiting at the CLI ({@code dbops journal}, {@code dbops
   * report}): a few quick attempts within {@link #JOURNAL_PAGE_WITHIN}, never DB_CALL's 30 minutes
   * of reconnecting — a replica that is gone is reported while the person still waits.
   */
  public static final ActivityOptions JOURNAL_PAGE =
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofSeconds(10))
          .setScheduleToCloseTimeout(Duration.ofSeconds(15))
          .setRetryOptions(transientRetry().setMaximumAttempts(3).build())
          .build();

  /**
   * How long a journal page may take, retries included ({@link #JOURNAL_PAGE}'s schedule-to-close).
   */
  public static final Duration JOURNAL_PAGE_WITHIN = JOURNAL_PAGE.getScheduleToCloseTimeout();

  /**
   * A short, idempotent call run as a local activity: its result is one marker event in the
   * workflow task instead of six events, which keeps a multi-hour procedure's history small. Only
   * for calls that are safe to repeat (describe, or create-or-adopt), because a crash before the
   * marker is written runs them again.
   */
  public static final LocalActivityOptions LOCAL_CALL =
      LocalActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofMinutes(1))
          .setScheduleToCloseTimeout(Duration.ofMinutes(30))
          .setRetryOptions(transientRetry().build())
          .build();

  /** A best-effort notice as a local activity: a few quick attempts, then a warning. */
  public static final LocalActivityOptions LOCAL_NOTIFY =
      LocalActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofSeconds(10))
          .setScheduleToCloseTimeout(Duration.ofMinutes(1))
          .setRetryOptions(transientRetry().setMaximumAttempts(3).build())
          .build();

  /** Telling people something: best effort, never blocks a procedure for long. */
  public static final ActivityOptions NOTIFY =
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofSeconds(30))
          .setScheduleToCloseTimeout(Duration.ofMinutes(5))
          .setRetryOptions(transientRetry().setMaximumAttempts(5).build())
          .build();

  /**
   * A minute-scale loop inside one heartbeating activity (the replication monitor): it checkpoints
   * in heartbeat details, so a worker crash resumes it within the heartbeat timeout.
   */
  /**
   * {@link #monitor} that the workflow may cancel (the binlog watch while the cut-over waits for
   * approval): the workflow goes on only once the activity has stopped, so no two monitors act on
   * one replica. A cancel reaches the activity at its next heartbeat sent (at most 0.8 × the
   * heartbeat timeout, 24 s).
   */
  public static ActivityOptions cancellableMonitor(Duration slice) {
    return ActivityOptions.newBuilder(monitor(slice))
        .setCancellationType(
            io.temporal.activity.ActivityCancellationType.WAIT_CANCELLATION_COMPLETED)
        .build();
  }

  public static ActivityOptions monitor(Duration slice) {
    return ActivityOptions.newBuilder()
        .setStartToCloseTimeout(slice.plus(Duration.ofMinutes(5)))
        .setHeartbeatTimeout(Duration.ofSeconds(30))
        .setRetryOptions(transientRetry().setMaximumInterval(Duration.ofSeconds(30)).build())
        .build();
  }

  /**
   * Temporal's "infrequent polling": one check per attempt, a NOT_READY failure otherwise, and the
   * retry policy is the loop. Retries are not written to history, so a three-day wait costs the
   * same few events as a three-minute one.
   *
   * @param every the pause between checks (fitted to what is awaited, e.g. the Glacier tier)
   * @param giveUpAfter total wait before the activity fails with its last NOT_READY message
   */
  public static ActivityOptions pollEvery(Duration every, Duration giveUpAfter) {
    return ActivityOptions.newBuilder()
        // One check takes seconds; a short limit means an attempt lost with a killed worker is
        // retried within two minutes rather than five.
        .setStartToCloseTimeout(Duration.ofMinutes(2))
        .setScheduleToCloseTimeout(giveUpAfter)
        .setRetryOptions(
            RetryOptions.newBuilder()
                .setInitialInterval(every)
                .setBackoffCoefficient(1)
                .setMaximumInterval(every)
                .setDoNotRetry(ErrorTypes.nonRetryable())
                .build())
        .build();
  }

  /**
   * Infrequent polling that starts quick and backs off: a 40-minute restore is seen within minutes
   * of becoming ready, while a wait of many hours settles at one check per {@code max}.
   */
  public static ActivityOptions pollBackingOff(Duration first, Duration max, Duration giveUpAfter) {
    return ActivityOptions.newBuilder()
        .setStartToCloseTimeout(Duration.ofMinutes(2))
        .setScheduleToCloseTimeout(giveUpAfter)
        .setRetryOptions(
            RetryOptions.newBuilder()
                .setInitialInterval(first)
                .setBackoffCoefficient(2)
                .setMaximumInterval(max)
                .setDoNotRetry(ErrorTypes.nonRetryable())
                .build())
        .build();
  }

  /**
   * A SQL script that may run for hours on a large copy (masking): heartbeats keep it alive, a
   * crashed worker's attempt is retried within a minute. Scripts given to it must be safe to run
   * twice, because a retry after a crash runs them from the start.
   */
  public static final ActivityOptions DB_SCRIPT =
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofHours(6))
          .setHeartbeatTimeout(Duration.ofMinutes(1))
          .setScheduleToCloseTimeout(Duration.ofHours(12))
          .setRetryOptions(transientRetry().setInitialInterval(Duration.ofSeconds(2)).build())
          .build();

  /**
   * Operator hooks as local activities: one marker per phase, including the common case of no hook
   * configured. A hook may take minutes (a maintenance page, a drained queue); a crash while one
   * runs runs it again, so hooks must be safe to repeat, as gh-ost's are.
   */
  public static final LocalActivityOptions LOCAL_HOOK =
      LocalActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofMinutes(10))
          .setScheduleToCloseTimeout(Duration.ofMinutes(30))
          .setRetryOptions(transientRetry().setMaximumAttempts(3).build())
          .build();
}
