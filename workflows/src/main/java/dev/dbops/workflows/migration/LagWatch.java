package dev.dbops.workflows.migration;

import dev.dbops.workflows.binlog.DbTarget;

/**
 * One poll of the replica's lag and how to sort the answer, AWS-waiter style: {@link
 * Verdict#CAUGHT_UP} and {@link Verdict#REPORT} return, {@link Verdict#WAIT} is a retryable
 * NOT_READY (the retry policy is the loop; retries write no history), {@link Verdict#BROKEN} is a
 * non-retryable REPLICATION_BROKEN. The rule lives here, once; the activity only observes.
 *
 * @param replica the replica cluster's writer endpoint and the login (the source's master user: the
 *     replica cluster inherits it)
 * @param lastBand the {@link ReplicaLag#band()} the run last wrote down (null: none yet)
 * @param reportNotBeforeEpochMillis a changed band is reported no earlier than this, so a lag that
 *     flaps across a band edge costs at most one report per {@code progressEvery}
 */
public record LagWatch(
    DbTarget replica, String clusterId, String lastBand, long reportNotBeforeEpochMillis) {

  public enum Verdict {
    CAUGHT_UP,
    REPORT,
    WAIT,
    BROKEN
  }

  public Verdict sort(ReplicaLag lag, long nowEpochMillis) {
    if (lag.caughtUp()) return Verdict.CAUGHT_UP;
    if (lag.broken()) return Verdict.BROKEN;
    if (lastBand == null) return Verdict.REPORT;
    if (!lag.band().equals(lastBand) && nowEpochMillis >= reportNotBeforeEpochMillis)
      return Verdict.REPORT;
    return Verdict.WAIT;
  }
}
