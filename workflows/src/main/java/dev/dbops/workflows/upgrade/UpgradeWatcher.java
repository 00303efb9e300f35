package dev.dbops.workflows.upgrade;

import dev.dbops.workflows.common.ActivityStubs;
import dev.dbops.workflows.common.ErrorTypes;
import dev.dbops.workflows.common.ProcedureRun;
import dev.dbops.workflows.common.WaitNotice;
import dev.dbops.workflows.upgrade.UpgradePhase.Phase;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The upgrade's wait for RDS (workflow code): follows the phases RDS reports, tells people once
 * past the stall threshold, stops at once on an abort; keeps what {@code status()} shows of it.
 */
final class UpgradeWatcher {
  private final ProcedureRun<Phase> run;
  private String upgradePhase;
  private long recordsRemaining = -1;
  private String lastEvent;
  private boolean stalled;

  UpgradeWatcher(ProcedureRun<Phase> run) {
    this.run = run;
  }

  /** The latest RDS upgrade phase from DescribeEvents, or null. */
  String upgradePhase() {
    return upgradePhase;
  }

  long recordsRemaining() {
    return recordsRemaining;
  }

  String lastEvent() {
    return lastEvent;
  }

  boolean stalled() {
    return stalled;
  }

  /**
   * Polls in a cancellable scope so an abort stops the wait at once; a timer past the stall
   * threshold notifies people once and the wait goes on.
   */
  void await(UpgradeRequest request, ClusterFacts facts, String snapshotId) {
    long started = Workflow.currentTimeMillis();
    long deadline = started + request.maxWaitOrDefault().toMillis();
    Duration threshold = request.stallThresholdOrDefault();
    Promise<Void> stallTimer = Workflow.newTimer(threshold);
    WaitNotice stallNotice = null;
    String knownPhase = null;
    while (true) {
      run.waitFor(
          "RDS to finish upgrading "
              + facts.clusterId()
              + (stalled ? " (past the " + threshold + " threshold; signal abort to stop)" : ""));
      Duration remaining =
          Duration.ofMillis(Math.max(1000, deadline - Workflow.currentTimeMillis()));
      RdsUpgradeActivities poller =
          Workflow.newActivityStub(
              RdsUpgradeActivities.class,
              ActivityStubs.pollEvery(request.pollIntervalOrDefault(), remaining));
      UpgradeWatch watch =
          new UpgradeWatch(
              facts.clusterId(),
              request.targetEngineVersion(),
              facts.engineVersion(),
              started,
              knownPhase,
              Workflow.currentTimeMillis() + request.progressEveryOrDefault().toMillis());
      List<Promise<UpgradeProgress>> check = new ArrayList<>(1);
      CancellationScope scope =
          Workflow.newCancellationScope(
              () -> check.add(Async.function(poller::checkUpgrade, watch)));
      scope.run();
      while (true) {
        Workflow.await(
            () ->
                check.get(0).isCompleted()
                    || run.aborted() != null
                    || (stallTimer.isCompleted() && !stalled));
        if (run.aborted() != null) {
          scope.cancel();
          throw run.abortFailure(
              "upgrade wait aborted",
              "; RDS cannot stop an upgrade in flight, it finishes or fails on its own;"
                  + " pre-upgrade snapshot "
                  + snapshotId,
              snapshotId);
        }
        if (stallTimer.isCompleted() && !stalled) {
          stalled = true;
          run.note("stalled", "upgrading for more than " + threshold);
          stallNotice =
              run.notifyWaiting(
                  "upgrade past threshold",
                  "RDS (upgrading longer than " + threshold + "); still waiting",
                  "./dbops abort "
                      + Workflow.getInfo().getWorkflowId()
                      + " --by <name> --reason <why>");
          continue;
        }
        break;
      }
      UpgradeProgress p;
      try {
        p = check.get(0).get();
      } catch (ActivityFailure f) {
        throw run.fail(waitFailure(f, request, snapshotId));
      }
      upgradePhase = p.phase();
      recordsRemaining = p.recordsRemaining();
      lastEvent = p.lastEvent();
      knownPhase = p.phase();
      if (UpgradeProgress.FAILED.equals(p.state())) {
        run.note("upgrade failed", p.lastEvent());
        throw run.fail(
            ApplicationFailure.newNonRetryableFailure(
                String.format(
                    "RDS reports the upgrade of %s failed: %s; the cluster is on %s;"
                        + " pre-upgrade snapshot %s",
                    facts.clusterId(), p.lastEvent(), p.engineVersion(), snapshotId),
                ErrorTypes.UPGRADE_FAILED,
                snapshotId));
      }
      if (UpgradeProgress.DONE.equals(p.state())) {
        if (stallNotice != null) run.responded(stallNotice);
        run.note("upgraded", p.engineVersion());
        return;
      }
      run.note(
          "upgrade phase",
          p.phase()
              + (p.recordsRemaining() >= 0
                  ? " (records remaining " + p.recordsRemaining() + ")"
                  : ""));
    }
  }

  private static ApplicationFailure waitFailure(
      ActivityFailure f, UpgradeRequest request, String snapshotId) {
    String why = ProcedureRun.message(f) + "; pre-upgrade snapshot " + snapshotId;
    if (ProcedureRun.ranOutOfTime(f)) {
      return ApplicationFailure.newNonRetryableFailure(
          "the upgrade did not finish within "
              + request.maxWaitOrDefault()
              + " ("
              + ProcedureRun.message(f)
              + "); pre-upgrade snapshot "
              + snapshotId,
          ErrorTypes.WAIT_TIMEOUT,
          snapshotId);
    }
    String type = ProcedureRun.causeType(f);
    return ApplicationFailure.newNonRetryableFailure(
        why, type != null ? type : ErrorTypes.UPGRADE_FAILED, snapshotId);
  }
}
