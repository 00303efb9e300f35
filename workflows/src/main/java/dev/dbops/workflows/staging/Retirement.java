package dev.dbops.workflows.staging;

import dev.dbops.workflows.common.ApprovalGate;
import dev.dbops.workflows.common.PlanStep;
import dev.dbops.workflows.common.Rejection;
import dev.dbops.workflows.common.WaitNotice;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Retires the old staging cluster once staging runs on the new one. GRACE: one timer; an approval
 * retires early, a rejection keeps the old cluster. APPROVAL: silence or a rejection keeps it. A
 * "no" here is not a failure: the run completes and says what it kept.
 */
final class Retirement {
  private final StagingRun run;
  private final RetirePolicy policy;

  /** The dbops-owned cluster the validation found to retire; null when there is none. */
  private final String old;

  Retirement(StagingRun run, String oldClusterId) {
    this.run = run;
    this.policy = run.request.retireOrDefault();
    this.old = oldClusterId;
  }

  private boolean retires() {
    return old != null && !RetirePolicy.KEEP.equals(policy.modeOrDefault());
  }

  private boolean grace() {
    return RetirePolicy.GRACE.equals(policy.modeOrDefault());
  }

  /** One of {@link StagingRebuildResult}'s retirement values. */
  String retire() {
    if (!retires()) {
      if (run.target.oldClusterId() != null)
        kept(run.target.oldClusterId(), "retire mode " + policy.modeOrDefault());
      return StagingRebuildResult.KEPT;
    }
    ApprovalGate.Outcome outcome = awaitGoAhead();
    if (outcome == ApprovalGate.Outcome.REJECTED) {
      Rejection r = run.gate.lastRejection();
      run.timeline.add(
          "old cluster kept", old + ": rejected by " + r.by() + " (" + r.reason() + ")");
      kept(old, "rejected by " + r.by());
      return StagingRebuildResult.KEPT_REJECTED;
    }
    Duration timeout = run.request.approvalOrDefault().timeoutOrDefault();
    if (outcome == ApprovalGate.Outcome.TIMED_OUT
        && RetirePolicy.APPROVAL.equals(policy.modeOrDefault())) {
      run.warnings.add(
          "no approval to delete " + old + " within " + timeout + "; it was left in place");
      run.timeline.add("old cluster kept", old + ": no approval within " + timeout);
      kept(old, "approval timed out");
      return StagingRebuildResult.KEPT_APPROVAL_TIMEOUT;
    }
    run.timeline.add(
        "retiring",
        old + (outcome == ApprovalGate.Outcome.APPROVED ? " (approved)" : " (grace period over)"));
    delete();
    return StagingRebuildResult.RETIRED;
  }

  private ApprovalGate.Outcome awaitGoAhead() {
    String step = "retire " + old;
    ApprovalGate gate = run.gate;
    ApprovalGate.Outcome outcome;
    WaitNotice notice;
    if (grace()) {
      Duration grace = policy.graceOrDefault();
      run.retireAt =
          Instant.ofEpochMilli(Workflow.currentTimeMillis() + grace.toMillis()).toString();
      run.enter(
          StagingPhase.GRACE,
          "the grace period before deleting "
              + old
              + " (until "
              + run.retireAt
              + "); approve to retire now,"
              + " reject to keep it");
      notice =
          run.people.waiting(
              step,
              run.waitingFor,
              gate.approvers(),
              "./dbops reject " + run.workflowId + " --by <name> --reason <why>   # keeps " + old);
      outcome = gate.awaitWithin(step, grace);
    } else {
      run.enter(StagingPhase.AWAITING_APPROVAL, gate.waitingDescription());
      notice =
          run.people.waiting(
              step,
              "approval to delete " + old,
              gate.approvers(),
              "./dbops approve " + run.workflowId + " --by <name>");
      outcome = gate.awaitWithin(step, run.request.approvalOrDefault().timeoutOrDefault());
    }
    run.people.responded(notice);
    run.retireAt = null;
    return outcome;
  }

  /** DeleteDBCluster (final snapshot when asked); a failure leaves it, staging runs on the new. */
  private void delete() {
    run.enter(StagingPhase.RETIRING, "deletion of " + old);
    String finalSnapshot = policy.finalSnapshotWanted() ? run.names.finalSnapshotPrefix() : null;
    var account = run.request.restoreAccount();
    try {
      run.hooks.at("before-retire", run.gate, run.hookData());
      run.aws.deleteCluster(new ClusterDeletion(account, old, null, true, finalSnapshot));
      run.poller(run.request.restoreMaxWaitOrDefault()).checkClusterGone(account, old);
    } catch (TemporalFailure f) {
      run.hooks.onFailure(run.hookData());
      throw run.fail(
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
              StagingFailures.type(f)));
    }
    run.record(
        "CLUSTER",
        run.targetAccount(),
        old,
        "DELETED",
        finalSnapshot == null ? "no final snapshot" : "final snapshot " + finalSnapshot);
    run.timeline.add("retired", old);
  }

  private void kept(String clusterId, String why) {
    run.record("CLUSTER", run.targetAccount(), clusterId, "KEPT", why);
  }

  Optional<PlanStep> plan() {
    if (!retires()) return Optional.empty();
    var approval = run.request.approvalOrDefault();
    return Optional.of(
        new PlanStep(
            "retire",
            "DeleteDBInstance (each), DeleteDBCluster "
                + old
                + (policy.finalSnapshotWanted()
                    ? " FinalDBSnapshotIdentifier=" + run.names.finalSnapshotPrefix()
                    : " SkipFinalSnapshot=true"),
            grace()
                ? "after " + policy.graceOrDefault() + " (approve: now; reject: keep)"
                : "after approval by "
                    + approval.requiredOrDefault()
                    + " of "
                    + approval.approversOrEmpty()));
  }
}
