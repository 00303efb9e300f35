package dev.dbops.workflows.staging;

import dev.dbops.workflows.common.ApprovalRecord;
import dev.dbops.workflows.common.StepRecord;
import java.util.List;

/**
 * What {@code status()} answers.
 *
 * @param retireAt when the grace period ends (ISO instant), while in GRACE
 */
public record StagingStatus(
    String phase,
    String waitingFor,
    List<String> approvers,
    String sourceClusterId,
    String snapshotId,
    String sharedSnapshotId,
    String newClusterId,
    String newEndpoint,
    String oldClusterId,
    String previousCname,
    String maskingSha256,
    List<VerifyResult> verification,
    String retireAt,
    List<ResourceRecord> resources,
    List<String> warnings,
    List<ApprovalRecord> approvals,
    List<StepRecord> timeline) {}
