package dev.dbops.workflows.upgrade;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns the SQL pre-check numbers into blockers and warnings (docs/procedures.md, upgrade step 2).
 * Pure.
 */
public final class PrecheckPolicy {
  public record Verdict(List<String> blockers, List<String> warnings) {}

  private PrecheckPolicy() {}

  public static Verdict judge(PrecheckReport p, PrecheckLimits limits) {
    List<String> blockers = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    if (!p.preparedXa().isEmpty()) {
      blockers.add(
          p.preparedXa().size()
              + " prepared XA transaction(s) "
              + p.preparedXa()
              + ": the upgrade fails with them; XA COMMIT or XA ROLLBACK each first");
    }
    if (!p.runningDdl().isEmpty()) {
      blockers.add(
          p.runningDdl().size()
              + " DDL statement(s) running "
              + p.runningDdl()
              + ": wait for them to finish");
    }
    if (p.largestTrxRowsModified() > limits.maxTrxRowsModifiedOrDefault()) {
      blockers.add(
          "transaction "
              + p.largestTrxId()
              + " has modified "
              + p.largestTrxRowsModified()
              + " rows (limit "
              + limits.maxTrxRowsModifiedOrDefault()
              + "): its rollback would stretch the upgrade");
    }
    if (p.historyListLength() > limits.maxHistoryListLengthOrDefault()) {
      blockers.add(
          "history list length "
              + p.historyListLength()
              + " (limit "
              + limits.maxHistoryListLengthOrDefault()
              + "): the upgrade purges it first and would take hours");
    } else if (p.historyListLength() > limits.warnHistoryListLengthOrDefault()) {
      warnings.add(
          "history list length "
              + p.historyListLength()
              + " (warn above "
              + limits.warnHistoryListLengthOrDefault()
              + "): purging undo records will lengthen the upgrade");
    }
    return new Verdict(blockers, warnings);
  }
}
