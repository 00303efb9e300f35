package dev.dbops.workflows.upgrade;

import dev.dbops.workflows.common.ApprovalRecord;
import dev.dbops.workflows.common.StepRecord;
import java.util.List;

/**
 * What {@code status()} answers.
 *
 * @param upgradePhase the latest RDS upgrade phase from DescribeEvents
 * @param recordsRemaining undo records left to purge (-1 when not reported)
 * @param stalled the upgrade has run past the request's stall threshold
 */
public record UpgradeStatus(
    String phase,
    String waitingFor,
    List<String> approvers,
    String clusterId,
    String fromVersion,
    String targetVersion,
    String snapshotId,
    String upgradePhase,
    long recordsRemaining,
    String lastEvent,
    boolean stalled,
    PrecheckReport precheck,
    List<String> warnings,
    List<ApprovalRecord> approvals,
    List<StepRecord> timeline) {}
