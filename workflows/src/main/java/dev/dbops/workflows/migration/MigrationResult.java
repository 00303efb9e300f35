package dev.dbops.workflows.migration;

import dev.dbops.workflows.common.ApprovalRecord;
import dev.dbops.workflows.common.HookReport;
import dev.dbops.workflows.common.PlanStep;
import dev.dbops.workflows.common.StepRecord;
import dev.dbops.workflows.staging.ResourceRecord;
import java.util.List;

/**
 * The audit trail of a migration.
 *
 * @param outcome COMPLETED, REVERTED (a person asked within the revert window: the CNAME is back on
 *     the source, the cluster kept) or PLANNED (dry run); failures end the run with a typed failure
 * @param clusterEndpoint the promoted cluster's writer endpoint (what the CNAME points at)
 * @param previousCname the CNAME's value before the cut-over
 * @param resources what the run created, adopted, changed or reverted (the source: KEPT)
 */
public record MigrationResult(
    String outcome,
    String sourceInstanceId,
    String sourceVersion,
    String clusterId,
    String clusterEndpoint,
    List<String> instances,
    String promoteAction,
    String previousCname,
    String cname,
    WriteCheck writeCheck,
    List<String> warnings,
    List<ApprovalRecord> approvals,
    List<HookReport.HookRun> hooks,
    List<ResourceRecord> resources,
    List<StepRecord> timeline,
    List<PlanStep> plan) {
  public static final String COMPLETED = "COMPLETED";
  public static final String REVERTED = "REVERTED";
  public static final String PLANNED = "PLANNED";
}
