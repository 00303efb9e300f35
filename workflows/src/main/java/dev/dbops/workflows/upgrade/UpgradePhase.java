package dev.dbops.workflows.upgrade;

/**
 * Phase names reported by {@code status()}: the names of {@link Phase}, which the run moves
 * through.
 */
public final class UpgradePhase {
  private UpgradePhase() {}

  /** The phases of an in-place upgrade, in order. */
  public enum Phase {
    VALIDATING,
    PRECHECKING,
    AWAITING_APPROVAL,
    SNAPSHOTTING,
    UPGRADING,
    VERIFYING,
    COMPLETED,
    FAILED
  }

  public static final String PROCEDURE = "upgrade";
  public static final String VALIDATING = Phase.VALIDATING.name();
  public static final String PRECHECKING = Phase.PRECHECKING.name();
  public static final String AWAITING_APPROVAL = Phase.AWAITING_APPROVAL.name();
  public static final String SNAPSHOTTING = Phase.SNAPSHOTTING.name();
  public static final String UPGRADING = Phase.UPGRADING.name();
  public static final String VERIFYING = Phase.VERIFYING.name();
  public static final String COMPLETED = Phase.COMPLETED.name();
  public static final String FAILED = Phase.FAILED.name();
}
