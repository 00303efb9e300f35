package dev.dbops.workflows.staging;

/** The phases of a staging rebuild; {@code status().phase()} reports {@link #name()}. */
public enum StagingPhase {
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
  FAILED;

  public static final String PROCEDURE = "staging-rebuild";
}
