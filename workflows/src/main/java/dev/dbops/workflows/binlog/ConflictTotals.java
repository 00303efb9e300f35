package dev.dbops.workflows.binlog;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Totals of a journal for reconciliation: per errno, the conflicts STATEMENT mode resolved and the
 * whole transactions skipped. Pure (safe in workflow code and in the CLI).
 *
 * @param conflictsByErrno STATEMENT mode: conflicting statements / rows, by errno
 * @param sourceRowsLostByErrno STATEMENT mode: of those, rows whose source version is not on the
 *     replica ({@link Conflict#losesSourceRow()}), by errno
 * @param transactionsSkippedByErrno whole transactions skipped (TRANSACTION mode, or a person's
 *     SKIP), by the errno they stopped on: every event of each is lost (listed in the entry)
 */
public record ConflictTotals(
    Map<Integer, Integer> conflictsByErrno,
    Map<Integer, Integer> sourceRowsLostByErrno,
    Map<Integer, Integer> transactionsSkippedByErrno) {

  public static ConflictTotals of(List<JournalEntry> journal) {
    Map<Integer, Integer> conflicts = new TreeMap<>();
    Map<Integer, Integer> lost = new TreeMap<>();
    Map<Integer, Integer> skipped = new TreeMap<>();
    for (JournalEntry e : journal) {
      if (e.conflicts() == null
          || e.conflicts().isEmpty() && !"APPLIED_EXCEPT_CONFLICTS".equals(e.action())) {
        skipped.merge(e.errno(), 1, Integer::sum);
        continue;
      }
      for (Conflict c : e.conflicts()) {
        conflicts.merge(c.errno(), 1, Integer::sum);
        if (c.losesSourceRow()) lost.merge(c.errno(), 1, Integer::sum);
      }
    }
    return new ConflictTotals(conflicts, lost, skipped);
  }
}
