package dev.dbops.workflows.staging;

import dev.dbops.workflows.common.ApprovalRecord;
import dev.dbops.workflows.common.PlanStep;
import dev.dbops.workflows.common.StepRecord;
import java.util.List;

/**
 * The audit trail of a staging rebuild. Failures end the run with a typed failure after the
 * compensation (what was cleaned up is in its message and in the timeline).
 *
 * @param outcome COMPLETED or PLANNED (dry run)
 * @param retirement RETIRED, KEPT (mode KEEP, or nothing to retire), KEPT_REJECTED,
 *     KEPT_APPROVAL_TIMEOUT
 * @param mask what masking ran and what verification returned
 * @param drift the schema comparison, when asked for
 */
public record StagingRebuildResult(
    String outcome,
    String sourceClusterId,
    String snapshotId,
    String sharedSnapshotId,
    String newClusterId,
    String newEndpoint,
    String recordName,
    String previousCname,
    String oldClusterId,
    String retirement,
    String maskingSha256,
    MaskReport mask,
    DriftReport drift,
    List<ResourceRecord> resources,
    List<String> warnings,
    List<ApprovalRecord> approvals,
    List<StepRecord> timeline,
    List<PlanStep> plan) {
  public static final String COMPLETED = "COMPLETED";
  public static final String PLANNED = "PLANNED";
  public static final String RETIRED = "RETIRED";
  public static final String KEPT = "KEPT";
  public static final String KEPT_REJECTED = "KEPT_REJECTED";
  public static final String KEPT_APPROVAL_TIMEOUT = "KEPT_APPROVAL_TIMEOUT";
}
