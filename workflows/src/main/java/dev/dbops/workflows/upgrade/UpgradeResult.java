package dev.dbops.workflows.upgrade;

import dev.dbops.workflows.common.ApprovalRecord;
import dev.dbops.workflows.common.PlanStep;
import dev.dbops.workflows.common.StepRecord;
import java.util.List;

/**
 * The audit trail of an upgrade.
 *
 * @param outcome COMPLETED or PLANNED (dry run); failures end the run with a typed failure whose
 *     message names the pre-upgrade snapshot
 * @param snapshotAdopted the snapshot already existed (a resumed run) and was not created again
 * @param modifyAction what startUpgrade did (STARTED, or ALREADY_… on a resumed run)
 */
public record UpgradeResult(
    String outcome,
    String clusterId,
    String fromVersion,
    String toVersion,
    String reportedVersion,
    String snapshotId,
    boolean snapshotAdopted,
    String modifyAction,
    PrecheckReport precheck,
    List<String> smokeResults,
    List<String> warnings,
    List<ApprovalRecord> approvals,
    List<StepRecord> timeline,
    List<PlanStep> plan) {
  public static final String COMPLETED = "COMPLETED";
  public static final String PLANNED = "PLANNED";
}
