package dev.dbops.workflows.catalog;

import java.util.Set;

/**
 * Phase names every procedure's {@code status()} shares. Which phases only validate differs per
 * procedure: see {@link Procedure#validatingPhases()}.
 */
public final class Phases {
  private Phases() {}

  public static final String AWAITING_APPROVAL = "AWAITING_APPROVAL";
  public static final String COMPLETED = "COMPLETED";
  public static final String FAILED = "FAILED";

  /** Shown (never reported by a run) before a run's first status: it has not reported one yet. */
  public static final String STARTING = "STARTING";

  /** Phases a run ends in (an Aurora migration may also end REVERTED: the CNAME put back). */
  public static final Set<String> TERMINAL =
      Set.of(COMPLETED, FAILED, Procedures.MIGRATION_REVERTED);

  /**
   * Phases in which a run waits for a person: an approval, or (binlog catch-up) a decision on a
   * replication error or the cut-over approval.
   */
  public static final Set<String> WAITING_FOR_PERSON =
      Set.of(
          AWAITING_APPROVAL,
          Procedures.BINLOG_AWAITING_DECISION,
          Procedures.BINLOG_AWAITING_CUTOVER,
          Procedures.MIGRATION_AWAITING_UPGRADE_APPROVAL);
}
