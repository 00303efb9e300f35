package dev.dbops.workflows.upgrade;

/** Phase names reported by {@code status()}. */
public final class UpgradePhase {
  private UpgradePhase() {}

  public static final String PROCEDURE = "upgrade";
  public static final String VALIDATING = "VALIDATING";
  public static final String PRECHECKING = "PRECHECKING";
  public static final String AWAITING_APPROVAL = "AWAITING_APPROVAL";
  public static final String SNAPSHOTTING = "SNAPSHOTTING";
  public static final String UPGRADING = "UPGRADING";
  public static final String VERIFYING = "VERIFYING";
  public static final String COMPLETED = "COMPLETED";
  public static final String FAILED = "FAILED";
}
