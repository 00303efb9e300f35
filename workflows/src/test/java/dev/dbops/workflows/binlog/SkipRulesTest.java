package dev.dbops.workflows.binlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The one skip decision the monitor, the re-applier and the activity share. */
class SkipRulesTest {
  private static SkipPolicy policy(SkipMode mode, ForeignKeyMode fk, Integer... errnos) {
    return new SkipPolicy(List.of(errnos), null, 10, fk, mode, null, null);
  }

  @Test
  void givenNoPolicy_whenAsked_thenNothingIsSkippedAndWholeTransactionsAreTheMode() {
    SkipRules none = SkipRules.of(null);

    assertEquals(SkipMode.TRANSACTION, none.mode());
    assertFalse(none.reappliesStatements());
    assertEquals(SkipRules.NOT_ALLOWED, none.refusal(1062, "Duplicate entry", 0, 10));
  }

  @Test
  void givenAPolicyRecordedWithoutMode_whenAsked_thenTransactionAsItsRunsHadIt() {
    SkipRules recorded =
        SkipRules.of(new SkipPolicy(List.of(1062), null, 10, ForeignKeyMode.STOP_AND_ASK));

    assertEquals(SkipMode.TRANSACTION, recorded.mode());
    assertEquals(SkipRules.Action.SKIP, recorded.action(1062));
  }

  @Test
  void givenAnSqlThreadError_whenDecided_thenForeignKeyThenAllowedThenBudget() {
    SkipRules stop =
        SkipRules.of(policy(SkipMode.STATEMENT, ForeignKeyMode.STOP_AND_ASK, 1062, 1146));

    assertEquals(SkipRules.FOREIGN_KEY, stop.refusal(1452, "no parent", 0, 10));
    assertEquals(SkipRules.FOREIGN_KEY, stop.refusal(1451, "referenced", 0, 10));
    assertEquals(SkipRules.NOT_ALLOWED, stop.refusal(1032, "no row", 0, 10));
    assertEquals(SkipRules.BUDGET_SPENT, stop.refusal(1062, "dup", 10, 10));
    assertNull(stop.refusal(1062, "dup", 9, 10));
    assertEquals(SkipRules.Action.REAPPLY, stop.action(1062));
    assertEquals(
        SkipRules.Action.SKIP,
        stop.action(1146),
        "STATEMENT mode skips what it cannot resolve row by row");
    assertTrue(stop.reappliesStatements());
  }

  @Test
  void givenForeignKeyChecksMayBeDisabled_whenAForeignKeyErrorIsAllowed_thenItIsNotRefused() {
    SkipRules disable =
        SkipRules.of(policy(SkipMode.TRANSACTION, ForeignKeyMode.DISABLE_CHECKS, 1451, 1452));

    assertNull(disable.refusal(1452, "no parent", 0, 10));
    assertTrue(disable.appliesWithoutForeignKeyChecks());
    assertEquals(SkipRules.Action.SKIP, disable.action(1452), "TRANSACTION mode skips");
  }

  /**
   * The re-applier once refused only 1452 as FOREIGN_KEY under STOP_AND_ASK and called a 1451
   * NOT_ALLOWED, while the monitor refused both as FOREIGN_KEY. One rule now: a foreign-key error
   * under STOP_AND_ASK waits for a person as FOREIGN_KEY, wherever it is met.
   */
  @Test
  void
      givenStopAndAsk_whenAStatementAppliedAgainHitsEitherForeignKeyError_thenForeignKeyAsTheMonitorSays() {
    SkipRules stop = SkipRules.of(policy(SkipMode.STATEMENT, ForeignKeyMode.STOP_AND_ASK, 1062));

    assertEquals(SkipRules.FOREIGN_KEY, stop.statementRefusal(1452, "no parent"));
    assertEquals(SkipRules.FOREIGN_KEY, stop.statementRefusal(1451, "referenced"));
    assertEquals(
        stop.refusal(1451, "referenced", 0, 10), stop.statementRefusal(1451, "referenced"));
  }

  @Test
  void givenAStatementAppliedAgain_whenItsErrnoIsNotResolvableOrNotAllowed_thenNotAllowed() {
    SkipRules disable =
        SkipRules.of(policy(SkipMode.STATEMENT, ForeignKeyMode.DISABLE_CHECKS, 1062, 1452, 1146));

    assertNull(disable.statementRefusal(1062, "dup"));
    assertNull(disable.statementRefusal(1452, "no parent"));
    assertEquals(
        SkipRules.NOT_ALLOWED, disable.statementRefusal(1032, "no row"), "not in the policy");
    assertEquals(
        SkipRules.NOT_ALLOWED,
        disable.statementRefusal(1146, "no table"),
        "not resolvable row by row");
    assertEquals(
        SkipRules.NOT_ALLOWED,
        disable.statementRefusal(1451, "referenced"),
        "not resolvable row by row");
  }
}
