package dev.dbops.workflows.staging;

import dev.dbops.workflows.common.PlanStep;
import dev.dbops.workflows.common.ProcedureWorkflow;
import dev.dbops.workflows.staging.StagingPhase.Phase;
import io.temporal.failure.TemporalFailure;
import java.util.List;

/**
 * A staging rebuild as a saga: validate (read only), build a masked copy of production in the
 * staging account, verify it, repoint the staging CNAME, retire the old cluster, clean up. What the
 * run makes is registered on a {@link StagingSaga} as it is made, so a failure (or cancellation)
 * before the cut-over removes exactly that, tagged with this run's id, and nothing else; after the
 * cut-over the new cluster is live staging and later failures leave it in place. Waits are
 * infrequent polls (retry policy = loop) and the grace period is one timer, so a day-long run
 * writes a few dozen events. The steps are declared once in {@link StagingSteps}: the run executes
 * them, the dry run renders them.
 */
public class StagingRebuildWorkflowImpl extends ProcedureWorkflow<Phase>
    implements StagingRebuildWorkflow {
  private final StagingRun staging;

  public StagingRebuildWorkflowImpl() {
    super(StagingPhase.PROCEDURE, Phase.class);
    staging = new StagingRun(run);
  }

  @Override
  public StagingRebuildResult run(StagingRebuildRequest request) {
    if (request == null) throw run.invalidInput("request: missing");
    staging.begin(request);
    Inspected facts = new StagingInspection(staging).validate();
    List<PlanStep> plan = StagingSteps.RUNBOOK.plan(facts);
    if (request.isDryRun()) return staging.complete(StagingRebuildResult.PLANNED, null, plan);

    StagingSaga saga = new StagingSaga(staging);
    try {
      ClusterRef copy = new CopyBuilder(staging, saga).build(facts);
      new MaskingCheck(staging).check(copy, facts);
      new DnsCutOver(staging, saga).cutOver();
    } catch (TemporalFailure f) {
      RuntimeException failure = saga.compensate(f);
      run.hooks().onFailure(staging.hookData());
      throw run.fail(failure);
    }
    String retired = new Retirement(staging, facts).retire();
    saga.cleanUp();
    run.note(
        "completed",
        staging.recordName() + " -> " + staging.newEndpoint + "; old cluster " + retired);
    return staging.complete(StagingRebuildResult.COMPLETED, retired, plan);
  }

  @Override
  public StagingStatus status() {
    return staging.status();
  }
}
