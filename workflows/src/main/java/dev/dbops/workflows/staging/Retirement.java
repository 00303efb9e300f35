package dev.dbops.workflows.staging;

import dev.dbops.workflows.common.ApprovalGate;
import dev.dbops.workflows.common.ProcedureRun;
import dev.dbops.workflows.common.Rejection;
import dev.dbops.workflows.common.WaitNotice;
import dev.dbops.workflows.staging.StagingPhase.Phase;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;

/**
 * Retires the old staging cluster once staging runs on the new one. GRACE: one timer; an approval
 * retires early, a rejection keeps the old cluster. APPROVAL: silence or a rejection keeps it. A
 * "no" here is not a failure: the run completes and says what it kept.
 */
final class Retirement {
  private final StagingRun run;
  private final ProcedureRun<Phase> procedure;
  private final Inspected facts;
  private final RetirePolicy policy;

  /** The dbops-owned cluster the validation found to retire; null when there is none. */
  private final String old;

  Retirement(StagingRun run, Inspected facts) {
    this.run = run;
    this.procedure = run.procedure;
    this.facts = facts;
    this.policy = run.request.retireOrDefault();
    this.old = facts.oldClusterId();
  }

  /** One of {@link StagingRebuildResult}'s retirement values. */
  String retire() {
    if (!StagingSteps.RETIRE.appliesTo(facts)) {
      if (run.target.oldClusterId() != null)
        kept(run.target.oldClusterId(), "retire mode " + policy.modeOrDefault());
      return StagingRebuildResult.KEPT;
    }
    ApprovalGate.Outcome outcome = awaitGoAhead();
    if (outcome == ApprovalGate.Outcome.REJECTED) {
      Rejection r = procedure.approvalGate().lastRejection();
      procedure.note("old cluster kept", old + ": rejected by " + r.by() + " (" + r.reason() + ")");
      kept(old, "rejected by " + r.by());
      return StagingRebuildResult.KEPT_REJECTED;
    }
    Duration timeout = run.request.approvalOrDefault().timeoutOrDefault();
    if (outcome == ApprovalGate.Outcome.TIMED_OUT
        && RetirePolicy.APPROVAL.equals(policy.modeOrDefault())) {
      procedure.warn(
          "no approval to delete " + old + " within " + timeout + "; it was left in place");
      procedure.note("old cluster kept", old + ": no approval within " + timeout);
      kept(old, "approval timed out");
      return StagingRebuildResult.KEPT_APPROVAL_TIMEOUT;
    }
    procedure.note(
        "retiring",
        old + (outcome == ApprovalGate.Outcome.APPROVED ? " (approved)" : " (grace period over)"));
    procedure.waitFor("deletion of " + old);
    procedure.step(StagingSteps.RETIRE, this::delete);
    return StagingRebuildResult.RETIRED;
  }

  private ApprovalGate.Outcome awaitGoAhead() {
    String step = "retire " + old;
    ApprovalGate gate = procedure.approvalGate();
    ApprovalGate.Outcome outcome;
    WaitNotice notice;
    if (RetirePolicy.GRACE.equals(policy.modeOrDefault())) {
      Duration grace = policy.graceOrDefault();
      procedure.enter(Phase.GRACE);
      run.retireAt =
          Instant.ofEpochMilli(Workflow.currentTimeMillis() + grace.toMillis()).toString();
      run.graceWaitingFor =
          "the grace period before deleting "
              + old
              + " (until "
              + run.retireAt
              + "); approve to retire now, reject to keep it";
      procedure.waitFor(run.graceWaitingFor);
      notice =
          procedure.notifyWaiting(
              step,
              run.graceWaitingFor,
              "./dbops reject " + run.workflowId + " --by <name> --reason <why>   # keeps " + old);
      outcome = gate.awaitWithin(step, grace);
    } else {
      run.enter(Phase.AWAITING_APPROVAL, gate.waitingDescription());
      notice =
          procedure.notifyWaiting(
              step,
              "approval to delete " + old,
              "./dbops approve " + run.workflowId + " --by <name>");
      outcome = gate.awaitWithin(step, run.request.approvalOrDefault().timeoutOrDefault());
    }
    procedure.responded(notice);
    run.retireAt = null;
    return outcome;
  }

  /**
   * DeleteDBCluster (final snapshot when asked). A failure, of the hook too, leaves the old cluster
   * and fails the run; staging already runs on the new one.
   */
  private void delete() {
    String finalSnapshot = policy.finalSnapshotWanted() ? run.names.finalSnapshotPrefix() : null;
    var account = run.request.restoreAccount();
    try {
      procedure.hook("before-retire");
      run.aws.deleteCluster(new ClusterDeletion(account, old, null, true, finalSnapshot));
      run.poller(run.request.restoreMaxWaitOrDefault()).checkClusterGone(account, old);
    } catch (TemporalFailure f) {
      procedure.hooks().onFailure(run.hookData());
      throw procedure.fail(
          ApplicationFailure.newNonRetryableFailure(
              "retiring "
                  + old
                  + " failed ("
                  + StagingFailures.describe(f)
                  + "); staging already runs on "
                  + run.names.clusterId()
                  + " and "
                  + old
                  + " was left in place",
              ProcedureRun.failureType(f)));
    }
    run.record(
        "CLUSTER",
        run.targetAccount(),
        old,
        "DELETED",
        finalSnapshot == null ? "no final snapshot" : "final snapshot " + finalSnapshot);
    procedure.note("retired", old);
  }

  private void kept(String clusterId, String why) {
    run.record("CLUSTER", run.targetAccount(), clusterId, "KEPT", why);
  }
}
