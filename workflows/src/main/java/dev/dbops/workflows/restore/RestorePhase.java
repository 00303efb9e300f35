package dev.dbops.workflows.restore;

/**
 * Phase names reported by {@code status()}; the CLI keys off VALIDATING..ESTIMATING and the
 * terminal ones. The workflow moves through {@link Phase}; the strings are its names.
 */
public final class RestorePhase {
  private RestorePhase() {}

  /** The phases of a restore, in order. */
  public enum Phase {
    VALIDATING,
    LISTING,
    ESTIMATING,
    AWAITING_APPROVAL,
    RESTORING,
    COMPLETED,
    FAILED
  }

  public static final String PROCEDURE = "glacier-restore";
  public static final String VALIDATING = Phase.VALIDATING.name();
  public static final String LISTING = Phase.LISTING.name();
  public static final String ESTIMATING = Phase.ESTIMATING.name();
  public static final String AWAITING_APPROVAL = Phase.AWAITING_APPROVAL.name();
  public static final String RESTORING = Phase.RESTORING.name();
  public static final String COMPLETED = Phase.COMPLETED.name();
  public static final String FAILED = Phase.FAILED.name();
}
