package dev.dbops.workflows.binlog;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConflictTotalsTest {

  @Test
  void
      givenAJournalOfBothModes_whenTotalled_thenConflictsLostRowsAndSkippedTransactionsAreByErrno() {
    BinlogPosition at = new BinlogPosition("b.000001", 4);
    JournalEntry whole =
        new JournalEntry(
            1, at, "r:4", 1062, "dup", List.of("Query: INSERT …"), "SKIPPED", "policy", "t");
    JournalEntry split =
        new JournalEntry(
            2,
            at,
            "r:9",
            1062,
            "dup",
            List.of(),
            "APPLIED_EXCEPT_CONFLICTS",
            "policy",
            "t",
            List.of(
                new Conflict(1062, "app.t", "INSERT", "{}", "{}", "KEPT_REPLICA_ROW", "policy"),
                new Conflict(1032, "app.t", "UPDATE", "{}", null, "REINSERTED", "policy"),
                new Conflict(1032, "app.t", "DELETE", "{}", null, "SKIPPED_MISSING_ROW", "policy"),
                new Conflict(1032, "app.t", "UPDATE", "{}", null, "SKIPPED_MISSING_ROW", "policy"),
                new Conflict(1062, "app.t", "INSERT", "{}", "{}", "ALREADY_ON_REPLICA", "policy")),
            2);

    ConflictTotals t = ConflictTotals.of(List.of(whole, split));

    assertEquals(Map.of(1062, 2, 1032, 3), t.conflictsByErrno());
    // Lost: the kept replica row and the update that found no row; not the delete that found none
    // (neither side has the row) nor the row the replica already had value for value.
    assertEquals(Map.of(1062, 1, 1032, 1), t.sourceRowsLostByErrno());
    assertEquals(Map.of(1062, 1), t.transactionsSkippedByErrno());
  }
}
