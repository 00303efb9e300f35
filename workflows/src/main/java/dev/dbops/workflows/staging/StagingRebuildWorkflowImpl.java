package dev.dbops.workflows.staging;

import dev.dbops.workflows.common.Approval;
import dev.dbops.workflows.common.PlanStep;
import dev.dbops.workflows.common.ProcedureRun;
import dev.dbops.workflows.common.Rejection;
import dev.dbops.workflows.staging.StagingPhase.Phase;
import io.temporal.failure.TemporalFailure;
import java.util.List;

/**
 * DESIGN 4.2 as a saga: validate (read only), build a masked copy of production in the staging
 * account, verify it, repoint the staging CNAME, retire the old cluster, clean up. What the run
 * makes is registered on a {@link StagingSaga} as it is made, so a failure (or cancellation) before
 * the cut-over removes exactly that, tagged with this run's id, and nothing else; after the
 * cut-over the new cluster is live staging and later failures leave it in place. Waits are
 * infrequent polls (retry policy = loop) and the grace period is one timer, so a day-long run
 * writes a few dozen events. The steps are declared once in {@link StagingSteps}: the run executes
 * them, the dry run renders them.
 */
public class StagingRebuildWorkflowImpl implements StagingRebuildWorkflow {
  private final StagingRun run = new StagingRun();
  private final ProcedureRun<Phase> procedure = run.procedure;

  @Override
  public StagingRebuildResult run(StagingRebuildRequest request) {
    if (request == null) throw ProcedureRun.invalid("request: missing");
    run.begin(request);
    Inspected facts = new StagingInspection(run).validate();
    List<PlanStep> plan = StagingSteps.RUNBOOK.plan(facts);
    if (request.isDryRun()) return run.complete(StagingRebuildResult.PLANNED, null, plan);

    StagingSaga saga = new StagingSaga(run);
    try {
      ClusterRef copy = new CopyBuilder(run, saga).build(facts);
      new MaskingCheck(run).check(copy, facts);
      new DnsCutOver(run, saga).cutOver();
    } catch (TemporalFailure f) {
      RuntimeException failure = saga.compensate(f);
      procedure.hooks().onFailure(run.hookData());
      throw procedure.fail(failure);
    }
    String retired = new Retirement(run, facts).retire();
    saga.cleanUp();
    procedure.note(
        "completed", run.recordName() + " -> " + run.newEndpoint + "; old cluster " + retired);
    return run.complete(StagingRebuildResult.COMPLETED, retired, plan);
  }

  @Override
  public void approve(Approval approval) {
    procedure.approve(approval);
  }

  @Override
  public void reject(Rejection rejection) {
    procedure.reject(rejection);
  }

  @Override
  public StagingStatus status() {
    return run.status();
  }
}
