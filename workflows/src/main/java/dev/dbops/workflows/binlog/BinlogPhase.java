package dev.dbops.workflows.binlog;

/**
 * Phase names reported by {@code status()}: the names of {@link Phase}, which the run moves
 * through.
 */
public final class BinlogPhase {
  private BinlogPhase() {}

  /** The phases of a binlog catch-up. */
  public enum Phase {
    VALIDATING,
    CHECKING_SOURCE,
    SETTING_UP,
    CATCHING_UP,
    AWAITING_DECISION,
    AWAITING_CUTOVER,
    CUTTING_OVER,
    COMPLETED,
    FAILED
  }

  public static final String PROCEDURE = "binlog-catch-up";
  public static final String VALIDATING = Phase.VALIDATING.name();
  public static final String CHECKING_SOURCE = Phase.CHECKING_SOURCE.name();
  public static final String AWAITING_DECISION = Phase.AWAITING_DECISION.name();
  public static final String AWAITING_CUTOVER = Phase.AWAITING_CUTOVER.name();
}
