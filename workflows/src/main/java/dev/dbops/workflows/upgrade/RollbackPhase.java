package dev.dbops.workflows.upgrade;

/** Phase names reported by {@link UpgradeRollbackWorkflow#status()}. */
public final class RollbackPhase {
  private RollbackPhase() {}

  public static final String PROCEDURE = "upgrade-rollback";
  public static final String VALIDATING = "VALIDATING";
  public static final String RESTORING = "RESTORING";
  public static final String CREATING_INSTANCES = "CREATING_INSTANCES";
  public static final String AWAITING_APPROVAL = "AWAITING_APPROVAL";
  public static final String REPOINTING = "REPOINTING";
  public static final String COMPLETED = "COMPLETED";
  public static final String FAILED = "FAILED";
}
