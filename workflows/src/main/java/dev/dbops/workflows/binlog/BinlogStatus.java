package dev.dbops.workflows.binlog;

import dev.dbops.workflows.common.ApprovalRecord;
import dev.dbops.workflows.common.StepRecord;
import java.util.List;

/**
 * @param phase VALIDATING, CHECKING_SOURCE, SETTING_UP, CATCHING_UP, AWAITING_DECISION,
 *     AWAITING_CUTOVER, CUTTING_OVER, COMPLETED, FAILED
 * @param pendingError the error waiting for a person (errno and text), or null
 * @param journal the newest skipped event groups ({@link BinlogCatchUpWorkflowImpl#JOURNAL_KEPT} at
 *     most)
 * @param journaled every skipped event group so far, counted; when more than {@code journal} holds,
 *     {@code dbops journal} reads the rest from the replica's journal table ({@code replicaTarget},
 *     scoped to {@code sourceTarget} and the workflow id)
 */
public record BinlogStatus(
    String phase,
    String waitingFor,
    List<String> approvers,
    long lagSeconds,
    String lagSource,
    ReplicaState replica,
    BinlogPosition sourcePosition,
    int skippedByPolicy,
    int budgetRemaining,
    String pendingError,
    List<JournalEntry> journal,
    List<ApprovalRecord> decisions,
    int runs,
    List<String> warnings,
    List<StepRecord> timeline,
    int journaled,
    DbTarget replicaTarget,
    DbTarget sourceTarget) {}
