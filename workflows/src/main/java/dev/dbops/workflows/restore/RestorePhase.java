package dev.dbops.workflows.restore;

/**
 * Phase names reported by {@code status()}; the CLI keys off VALIDATING..ESTIMATING and the
 * terminal ones.
 */
public final class RestorePhase {
  private RestorePhase() {}

  public static final String PROCEDURE = "glacier-restore";
  public static final String VALIDATING = "VALIDATING";
  public static final String LISTING = "LISTING";
  public static final String ESTIMATING = "ESTIMATING";
  public static final String AWAITING_APPROVAL = "AWAITING_APPROVAL";
  public static final String RESTORING = "RESTORING";
  public static final String COMPLETED = "COMPLETED";
  public static final String FAILED = "FAILED";
}
