package dev.dbops.workflows.restore;

import dev.dbops.workflows.common.ApprovalRecord;
import dev.dbops.workflows.common.StepRecord;
import java.util.List;

/**
 * What {@code status()} answers while the run goes on.
 *
 * @param phase VALIDATING, LISTING, ESTIMATING, AWAITING_APPROVAL, RESTORING, DELIVERING,
 *     COMPLETED, FAILED
 * @param waitingFor what the run waits for (a person, S3), or null
 */
public record GlacierRestoreStatus(
    String phase,
    String waitingFor,
    List<String> approvers,
    int objectsTotal,
    int objectsToRestore,
    int restoresRequested,
    int restored,
    int delivered,
    int failed,
    long bytesToRestore,
    CostEstimate cost,
    List<String> warnings,
    List<ApprovalRecord> approvals,
    List<StepRecord> timeline) {}
