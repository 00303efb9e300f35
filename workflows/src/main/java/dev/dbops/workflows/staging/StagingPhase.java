package dev.dbops.workflows.staging;

/** The phase names {@code status()} reports. */
public final class StagingPhase {
  private StagingPhase() {}

  public static final String PROCEDURE = "staging-rebuild";
  public static final String VALIDATING = "VALIDATING";
  public static final String SNAPSHOTTING = "SNAPSHOTTING";
  public static final String COPYING = "COPYING";
  public static final String SHARING = "SHARING";
  public static final String RESTORING = "RESTORING";
  public static final String MASKING = "MASKING";
  public static final String CHECKING_DRIFT = "CHECKING_DRIFT";
  public static final String CUTTING_OVER = "CUTTING_OVER";
  public static final String GRACE = "GRACE";
  public static final String AWAITING_APPROVAL = "AWAITING_APPROVAL";
  public static final String RETIRING = "RETIRING";
  public static final String CLEANING_UP = "CLEANING_UP";
  public static final String COMPENSATING = "COMPENSATING";
  public static final String COMPLETED = "COMPLETED";
  public static final String FAILED = "FAILED";
}
