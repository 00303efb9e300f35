package dev.dbops.workflows.restore;

import dev.dbops.workflows.common.ApprovalRecord;
import dev.dbops.workflows.common.PlanStep;
import dev.dbops.workflows.common.StepRecord;
import java.util.List;
import java.util.Map;

/**
 * The audit trail of a run.
 *
 * @param outcome COMPLETED, COMPLETED_WITH_FAILURES or PLANNED (dry run)
 * @param counts objects per outcome (DELIVERED, RESTORED, NOT_NEEDED, FAILED)
 * @param objects per-object outcomes: every failure, then the rest up to a cap (history payloads
 *     are bounded); {@code objectsOmitted} says how many were left out
 */
public record GlacierRestoreResult(
    String outcome,
    List<PlanStep> plan,
    CostEstimate cost,
    Map<String, Integer> counts,
    List<ObjectOutcome> objects,
    int objectsOmitted,
    List<String> warnings,
    List<ApprovalRecord> approvals,
    List<StepRecord> timeline) {
  public static final String COMPLETED = "COMPLETED";
  public static final String COMPLETED_WITH_FAILURES = "COMPLETED_WITH_FAILURES";
  public static final String PLANNED = "PLANNED";
}
