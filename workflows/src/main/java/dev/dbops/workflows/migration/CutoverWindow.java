package dev.dbops.workflows.migration;

import dev.dbops.workflows.binlog.BinlogPosition;
import dev.dbops.workflows.binlog.CutoverCheck;
import dev.dbops.workflows.binlog.DbTarget;
import dev.dbops.workflows.binlog.ReplicationActivities;
import dev.dbops.workflows.common.ActivityStubs;
import io.temporal.failure.ActivityFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.function.BiConsumer;

/**
 * The last check before promotion (issue 19 item 4): writes stopped on the source (the binlog
 * procedure's read_only check, its one home), then the replica at the source's final position,
 * caught up, for the whole window, and the source still at that position afterwards — nothing was
 * written meanwhile. Anything else refuses the cut-over before anything is promoted.
 */
final class CutoverWindow {
  /** read_only is seconds away once the hook or a person set it: polled at this pace. */
  static final Duration READ_ONLY_POLL = Duration.ofSeconds(10);

  /** How long the replica may take to reach the source's final position once writes stopped. */
  static final Duration CATCH_UP_AT_CUTOVER = Duration.ofMinutes(30);

  private CutoverWindow() {}

  /**
   * @param writesWithin how long to wait for writes to stop (the approval timeout: a person sets
   *     it)
   */
  static BinlogPosition hold(
      MigrationRequest req,
      DbTarget source,
      DbTarget replica,
      Duration writesWithin,
      MigrationActivities aws,
      BiConsumer<String, String> note) {
    CutoverCheck check = new CutoverCheck(source, req.writesStoppedOrDefault());
    ReplicationActivities writes =
        Workflow.newActivityStub(
            ReplicationActivities.class, ActivityStubs.pollEvery(READ_ONLY_POLL, writesWithin));
    BinlogPosition fin;
    try {
      fin = writes.sourceFinalPosition(check);
    } catch (ActivityFailure f) {
      throw MigrationFailures.waitFailure(
          f, "writes did not stop on the source within " + writesWithin + "; nothing was promoted");
    }
    note.accept("writes stopped", "source final position " + fin);
    Duration window = req.cutoverWindowOrDefault();
    Duration step = Duration.ofMillis(Math.max(1000, window.toMillis() / 3));
    long deadline = Workflow.currentTimeMillis() + CATCH_UP_AT_CUTOVER.toMillis();
    long since = -1;
    while (true) {
      ReplicaLag lag = aws.readReplicaLag(replica);
      long now = Workflow.currentTimeMillis();
      since = lag.caughtUp() && fin.equals(lag.executed()) ? (since < 0 ? now : since) : -1;
      if (since >= 0 && now - since >= window.toMillis()) break;
      if (now > deadline)
        throw MigrationFailures.refused(
            "the replica did not stay at the source's final position "
                + fin
                + " within "
                + CATCH_UP_AT_CUTOVER
                + " ("
                + lag.describe()
                + "); nothing was promoted");
      Workflow.sleep(step);
    }
    BinlogPosition after = writes.sourceFinalPosition(check);
    if (!fin.equals(after))
      throw MigrationFailures.refused(
          "the source moved from "
              + fin
              + " to "
              + after
              + " during the cut-over window:"
              + " something still writes to it; nothing was promoted");
    note.accept("replica at the source's position", fin + " for " + window);
    return fin;
  }
}
