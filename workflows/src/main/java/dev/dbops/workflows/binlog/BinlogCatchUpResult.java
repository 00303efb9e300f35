package dev.dbops.workflows.binlog;

import dev.dbops.workflows.common.ApprovalRecord;
import dev.dbops.workflows.common.StepRecord;
import java.util.List;

/**
 * The journal of skipped events is the part someone may need to reconcile: the newest {@link
 * BinlogCatchUpWorkflowImpl#JOURNAL_KEPT} entries here, {@code journaled} counts them all (every
 * one is in the replica's journal table; {@code dbops journal} exports them).
 */
public record BinlogCatchUpResult(
    CutoverReport cutover,
    List<JournalEntry> journal,
    int skippedByPolicy,
    int skippedByPeople,
    List<ApprovalRecord> decisions,
    List<String> warnings,
    List<StepRecord> timeline,
    int journaled) {}
