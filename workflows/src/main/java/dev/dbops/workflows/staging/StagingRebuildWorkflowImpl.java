package dev.dbops.workflows.staging;

import dev.dbops.workflows.common.Approval;
import dev.dbops.workflows.common.PlanStep;
import dev.dbops.workflows.common.Rejection;
import io.temporal.failure.TemporalFailure;
import java.util.ArrayList;
import java.util.List;

/**
 * DESIGN 4.2 as a saga: validate (read only), build a masked copy of production in the staging
 * account, verify it, repoint the staging CNAME, retire the old cluster, clean up. What the run
 * makes is registered on a {@link StagingSaga} as it is made, so a failure (or cancellation) before
 * the cut-over removes exactly that, tagged with this run's id, and nothing else; after the
 * cut-over the new cluster is live staging and later failures leave it in place. Waits are
 * infrequent polls (retry policy = loop) and the grace period is one timer, so a day-long run
 * writes a few dozen events.
 */
public class StagingRebuildWorkflowImpl implements StagingRebuildWorkflow {
  private final StagingRun run = new StagingRun();

  @Override
  public StagingRebuildResult run(StagingRebuildRequest request) {
    if (request == null) throw StagingFailures.invalid("request: missing");
    run.begin(request);
    StagingInspection inspection = new StagingInspection(run);
    StagingValidator.Judgement judgement = inspection.validate();
    StagingSaga saga = new StagingSaga(run);
    CopyBuilder copy = new CopyBuilder(run, saga);
    MaskingCheck checks = new MaskingCheck(run);
    DnsCutOver dns = new DnsCutOver(run, saga);
    Retirement retirement = new Retirement(run, judgement.retireClusterId());

    List<PlanStep> plan = new ArrayList<>();
    plan.add(inspection.plan());
    plan.addAll(copy.plan(judgement.copyNeeded()));
    plan.addAll(checks.plan());
    plan.add(dns.plan());
    retirement.plan().ifPresent(plan::add);
    copy.planCleanUp(judgement.copyNeeded()).ifPresent(plan::add);
    if (request.isDryRun()) return run.complete(StagingRebuildResult.PLANNED, null, plan);

    try {
      checks.check(copy.build(judgement.copyNeeded()));
      dns.cutOver();
    } catch (TemporalFailure f) {
      RuntimeException failure = saga.compensate(f);
      run.hooks.onFailure(run.hookData());
      throw run.fail(failure);
    }
    String retired = retirement.retire();
    saga.cleanUp();
    run.timeline.add(
        "completed", run.recordName() + " -> " + run.newEndpoint + "; old cluster " + retired);
    return run.complete(StagingRebuildResult.COMPLETED, retired, plan);
  }

  @Override
  public void approve(Approval approval) {
    run.gate.approve(approval);
  }

  @Override
  public void reject(Rejection rejection) {
    run.gate.reject(rejection);
  }

  @Override
  public StagingStatus status() {
    return run.status();
  }
}
