package dev.dbops.workflows.staging;

/**
 * Phase names reported by {@code status()}: the names of {@link Phase}, which the run moves
 * through.
 */
public final class StagingPhase {
  private StagingPhase() {}

  /** The phases of a staging rebuild, in order. */
  public enum Phase {
    VALIDATING,
    SNAPSHOTTING,
    COPYING,
    SHARING,
    RESTORING,
    MASKING,
    CHECKING_DRIFT,
    CUTTING_OVER,
    GRACE,
    AWAITING_APPROVAL,
    RETIRING,
    CLEANING_UP,
    COMPENSATING,
    COMPLETED,
    FAILED
  }

  public static final String PROCEDURE = "staging-rebuild";
  public static final String VALIDATING = Phase.VALIDATING.name();
  public static final String SNAPSHOTTING = Phase.SNAPSHOTTING.name();
  public static final String COPYING = Phase.COPYING.name();
  public static final String SHARING = Phase.SHARING.name();
  public static final String RESTORING = Phase.RESTORING.name();
  public static final String MASKING = Phase.MASKING.name();
  public static final String CHECKING_DRIFT = Phase.CHECKING_DRIFT.name();
  public static final String CUTTING_OVER = Phase.CUTTING_OVER.name();
  public static final String GRACE = Phase.GRACE.name();
  public static final String AWAITING_APPROVAL = Phase.AWAITING_APPROVAL.name();
  public static final String RETIRING = Phase.RETIRING.name();
  public static final String CLEANING_UP = Phase.CLEANING_UP.name();
  public static final String COMPENSATING = Phase.COMPENSATING.name();
  public static final String COMPLETED = Phase.COMPLETED.name();
  public static final String FAILED = Phase.FAILED.name();
}
