package dev.dbops.workflows.staging;

import dev.dbops.workflows.common.OrderableQuery;
import io.temporal.failure.ActivityFailure;
import java.util.List;

/**
 * The read-only look before anything is made: the source cluster, the target account (zone, record,
 * old cluster, instance classes) and the masking script. What it refuses is the request's to fix.
 */
final class StagingInspection {
  private final StagingRun run;
  private final StagingRebuildRequest request;

  StagingInspection(StagingRun run) {
    this.run = run;
    this.request = run.request;
  }

  Inspected validate() {
    run.procedure.step(StagingSteps.VALIDATE, this::inspect);
    StagingValidator.Judgement judgement =
        StagingValidator.judge(request, run.source, run.target, run.names, run.workflowId);
    run.procedure.warnAll(judgement.warnings());
    if (!judgement.problems().isEmpty())
      throw run.procedure.invalidInput(String.join("; ", judgement.problems()));
    run.procedure.note(
        "validated",
        run.source.clusterId()
            + " ("
            + run.source.engine()
            + " "
            + run.source.engineVersion()
            + ") -> "
            + run.names.clusterId()
            + " in "
            + run.targetAccount()
            + "; "
            + run.recordName()
            + " now "
            + run.target.currentValue()
            + "; masking sha256 "
            + run.masking.sha256());
    return new Inspected(request, run.names, run.source, run.target, run.masking, judgement);
  }

  private void inspect() {
    try {
      run.source = run.aws.inspectSource(request.source(), request.sourceClusterId());
    } catch (ActivityFailure f) {
      throw run.procedure.fail(
          StagingFailures.asInvalid(
              f,
              "sourceClusterId: '"
                  + request.sourceClusterId()
                  + "' in account "
                  + request.source().accountId()));
    }
    SourceFacts source = run.source;
    try {
      run.target =
          run.aws.inspectTarget(
              new TargetQuery(
                  request.restoreAccount(),
                  request.dns(),
                  request.retireOrDefault().oldClusterId(),
                  run.names.clusterId(),
                  new OrderableQuery(
                      source.engine(), source.engineVersion(), List.of(request.instanceClass()))));
    } catch (ActivityFailure f) {
      throw run.procedure.fail(
          StagingFailures.asInvalid(f, "target account " + run.targetAccount()));
    }
    try {
      run.masking = run.aws.readMaskingScript(request.masking());
    } catch (ActivityFailure f) {
      throw run.procedure.fail(StagingFailures.asInvalid(f, "masking"));
    }
  }
}
