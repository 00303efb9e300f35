package dev.dbops.workflows.migration;

import dev.dbops.workflows.binlog.DbTarget;
import dev.dbops.workflows.common.ActivityStubs;
import dev.dbops.workflows.common.ProcedureRun;
import dev.dbops.workflows.common.WaitNotice;
import dev.dbops.workflows.common.WorkflowClock;
import io.temporal.failure.ActivityFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The wait for replica lag 0 (issue 19 item 3). One poll activity at a time whose retry policy is
 * the loop; it returns only when the lag band changes ({@link LagWatch#sort}), so a replica that
 * stays hours behind writes no more history than one that catches up at once. Past the stall
 * threshold people are told once and the wait goes on; an abort stops it at once.
 */
final class ReplicaCatchUp {
  private final MigrationRequest req;
  private final String clusterId;
  private final DbTarget replica;
  private final ProcedureRun<MigrationPhase> run;
  private ReplicaLag lag;
  private String reportedAt;
  private boolean stalled;

  ReplicaCatchUp(
      MigrationRequest req, String clusterId, DbTarget replica, ProcedureRun<MigrationPhase> run) {
    this.req = req;
    this.clusterId = clusterId;
    this.replica = replica;
    this.run = run;
  }

  ReplicaLag lag() {
    return lag;
  }

  String reportedAt() {
    return reportedAt;
  }

  boolean stalled() {
    return stalled;
  }

  /** Past the stall threshold: noted, people told once; the wait goes on. */
  private WaitNotice notifyStalled() {
    stalled = true;
    run.note("stalled", "not caught up after " + req.stallThresholdOrDefault());
    return run.notifyWaiting(
        "replica past stall threshold",
        "replica lag 0 on "
            + clusterId
            + " ("
            + (lag == null ? "lag not read yet" : lag.describe())
            + "); still waiting",
        "./dbops abort " + Workflow.getInfo().getWorkflowId() + " --by <name> --reason <why>");
  }

  void await() {
    long deadline = Workflow.currentTimeMillis() + req.maxWaitOrDefault().toMillis();
    Promise<Void> stallTimer = Workflow.newTimer(req.stallThresholdOrDefault());
    WaitNotice stallNotice = null;
    while (true) {
      Duration left = Duration.ofMillis(Math.max(1000, deadline - Workflow.currentTimeMillis()));
      MigrationActivities poller =
          Workflow.newActivityStub(
              MigrationActivities.class,
              ActivityStubs.pollEvery(req.pollIntervalOrDefault(), left));
      LagWatch watch =
          new LagWatch(
              replica,
              clusterId,
              lag == null ? null : lag.band(),
              Workflow.currentTimeMillis() + req.progressEveryOrDefault().toMillis());
      List<Promise<ReplicaLag>> check = new ArrayList<>(1);
      CancellationScope scope =
          Workflow.newCancellationScope(
              () -> check.add(Async.function(poller::checkReplicaLag, watch)));
      scope.run();
      // One poll at a time: a stall notice (or an abort) comes while the same poll goes on.
      while (!check.get(0).isCompleted()) {
        Workflow.await(
            () ->
                check.get(0).isCompleted()
                    || run.aborted() != null
                    || (stallTimer.isCompleted() && !stalled));
        if (run.aborted() != null) {
          scope.cancel();
          throw run.abortFailure(
              "catch-up aborted",
              "; the source was not changed; replica cluster " + clusterId + " kept");
        }
        if (stallTimer.isCompleted() && !stalled) stallNotice = notifyStalled();
      }
      try {
        lag = check.get(0).get();
      } catch (ActivityFailure f) {
        throw MigrationFailures.waitFailure(
            f, "the replica did not catch up within " + req.maxWaitOrDefault());
      }
      reportedAt = WorkflowClock.now();
      run.note("replica lag", lag.describe());
      if (lag.caughtUp()) {
        if (stallNotice != null) run.responded(stallNotice);
        return;
      }
    }
  }
}
