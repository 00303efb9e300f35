package dev.dbops.workflows.migration;

import dev.dbops.workflows.binlog.DbTarget;
import dev.dbops.workflows.common.ActivityStubs;
import dev.dbops.workflows.common.ErrorTypes;
import dev.dbops.workflows.common.InstanceClassOffer;
import dev.dbops.workflows.common.OrderableQuery;
import dev.dbops.workflows.common.ProcedureRun;
import dev.dbops.workflows.staging.StagingActivities;
import dev.dbops.workflows.staging.TargetFacts;
import dev.dbops.workflows.staging.TargetQuery;
import dev.dbops.workflows.upgrade.RdsUpgradeActivities;
import io.temporal.failure.ActivityFailure;
import io.temporal.workflow.Workflow;
import java.util.List;
import java.util.stream.Stream;

/**
 * Every read a migration makes before its first change (issue 19 item 1), each through the adapter
 * that already owns it, then judged by {@link MigrationValidator}: a refusal is INVALID_INPUT
 * naming the field, and nothing was changed.
 *
 * @param before the zone and record as they are (the CNAME's value is kept for revert)
 */
record MigrationInputs(
    SourceInstanceFacts source, TargetFacts before, MigrationValidator.Judgement judgement) {

  /** Local activities: read only, one marker each. */
  static MigrationInputs read(MigrationRequest req, MigrationNames names, String workflowId) {
    MigrationActivities aws =
        Workflow.newLocalActivityStub(MigrationActivities.class, ActivityStubs.LOCAL_CALL);
    List<String> groups =
        Stream.of(
                req.clusterParameterGroup(),
                req.instanceParameterGroup(),
                req.sourceUpgradeParameterGroup())
            .filter(g -> g != null)
            .toList();
    SourceInstanceFacts source;
    try {
      source = aws.inspectSource(new SourceQuery(req.sourceInstanceId(), groups));
    } catch (ActivityFailure f) {
      if (!ErrorTypes.NOT_FOUND.equals(ProcedureRun.causeType(f))) throw f;
      throw ProcedureRun.invalid(
          "sourceInstanceId: '"
              + req.sourceInstanceId()
              + "' not found ("
              + ProcedureRun.message(f)
              + ")");
    }
    SourceSqlFacts sql =
        aws.inspectSourceSql(new DbTarget(source.endpoint(), source.port(), req.login()));
    TargetFacts before =
        Workflow.newLocalActivityStub(StagingActivities.class, ActivityStubs.LOCAL_CALL)
            .inspectTarget(
                new TargetQuery(req.accountOrWorker(), req.dns(), null, names.clusterId()));
    List<InstanceClassOffer> offers =
        Workflow.newLocalActivityStub(RdsUpgradeActivities.class, ActivityStubs.LOCAL_CALL)
            .instanceClassOffers(
                new OrderableQuery(
                    ReplicaClusterSpec.ENGINE,
                    req.engineVersion(),
                    List.of(req.instanceClassOrDefault())));
    MigrationValidator.Judgement j =
        MigrationValidator.judge(req, source, sql, before, offers, names, workflowId);
    if (!j.problems().isEmpty()) throw ProcedureRun.invalid(String.join("; ", j.problems()));
    return new MigrationInputs(source, before, j);
  }
}
