package dev.dbops.workflows.binlog;

import dev.dbops.workflows.common.ApprovalRecord;
import dev.dbops.workflows.common.PlanStep;
import dev.dbops.workflows.common.StepRecord;
import java.util.List;

/**
 * The journal of skipped events is the part someone may need to reconcile: the newest {@link
 * BinlogCatchUpWorkflowImpl#JOURNAL_KEPT} entries here, {@code journaled} counts them all (every
 * one is in the replica's journal table; {@code dbops journal} exports them).
 *
 * @param plan a dry run's steps with the exact SQL and API calls ({@link BinlogSteps}); null for a
 *     run that acted
 * @param sourceCheck what the read-only source check found (a dry run), or null
 */
public record BinlogCatchUpResult(
    CutoverReport cutover,
    List<JournalEntry> journal,
    int skippedByPolicy,
    int skippedByPeople,
    List<ApprovalRecord> decisions,
    List<String> warnings,
    List<StepRecord> timeline,
    int journaled,
    List<PlanStep> plan,
    SourceReport sourceCheck) {

  /** A result without the fields added since (a run that acted). */
  public BinlogCatchUpResult(
      CutoverReport cutover,
      List<JournalEntry> journal,
      int skippedByPolicy,
      int skippedByPeople,
      List<ApprovalRecord> decisions,
      List<String> warnings,
      List<StepRecord> timeline,
      int journaled) {
    this(
        cutover,
        journal,
        skippedByPolicy,
        skippedByPeople,
        decisions,
        warnings,
        timeline,
        journaled,
        null,
        null);
  }
}
