package dev.dbops.workflows.upgrade;

/**
 * Phase names reported by {@link UpgradeRollbackWorkflow#status()}: the names of {@link Phase},
 * which the run moves through.
 */
public final class RollbackPhase {
  private RollbackPhase() {}

  /** The phases of a rollback, in order. */
  public enum Phase {
    VALIDATING,
    RESTORING,
    CREATING_INSTANCES,
    AWAITING_APPROVAL,
    REPOINTING,
    COMPLETED,
    FAILED
  }

  public static final String PROCEDURE = "upgrade-rollback";
  public static final String VALIDATING = Phase.VALIDATING.name();
  public static final String RESTORING = Phase.RESTORING.name();
  public static final String CREATING_INSTANCES = Phase.CREATING_INSTANCES.name();
  public static final String AWAITING_APPROVAL = Phase.AWAITING_APPROVAL.name();
  public static final String REPOINTING = Phase.REPOINTING.name();
  public static final String COMPLETED = Phase.COMPLETED.name();
  public static final String FAILED = Phase.FAILED.name();
}
