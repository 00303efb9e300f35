package dev.dbops.workflows.binlog;

import dev.dbops.workflows.common.ApprovalRecord;
import dev.dbops.workflows.common.StepRecord;
import java.util.List;

/**
 * State a monitoring run hands to its continuation (continue-as-new): replication is already set
 * up; the journal, counters and decisions go on.
 */
public record CarryOver(
    List<JournalEntry> journal,
    int skippedByPolicy,
    int runs,
    List<ApprovalRecord> decisions,
    List<StepRecord> timeline,
    JournalCounts journalCounts) {

  /** A carry-over whose journal is all of it (recorded before {@code journalCounts}). */
  public CarryOver(
      List<JournalEntry> journal,
      int skippedByPolicy,
      int runs,
      List<ApprovalRecord> decisions,
      List<StepRecord> timeline) {
    this(journal, skippedByPolicy, runs, decisions, timeline, null);
  }
}
