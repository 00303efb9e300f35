package dev.dbops.workflows.migration;

import dev.dbops.workflows.common.ApprovalRecord;
import dev.dbops.workflows.common.StepRecord;
import java.util.List;

/**
 * What {@code status()} answers.
 *
 * @param lag the replica's last reported look (a new one is written when its lag band changes, at
 *     most every {@code progressEvery}; live detail is the poll's last NOT_READY message)
 * @param lagReportedAt workflow time of that look
 * @param stalled not caught up after the stall threshold (a notice went out; still waiting)
 * @param previousCname the CNAME's value before the cut-over (what a revert puts back)
 * @param cname the value it has now as far as the run knows
 */
public record MigrationStatus(
    MigrationPhase phase,
    String waitingFor,
    List<String> approvers,
    String sourceInstanceId,
    String sourceVersion,
    String clusterId,
    List<String> instances,
    ReplicaLag lag,
    String lagReportedAt,
    boolean stalled,
    String previousCname,
    String cname,
    List<String> warnings,
    List<ApprovalRecord> approvals,
    List<StepRecord> timeline) {}
