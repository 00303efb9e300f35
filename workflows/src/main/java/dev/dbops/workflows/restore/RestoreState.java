package dev.dbops.workflows.restore;

public enum RestoreState {
  /** Archived, no restore requested (or the restored copy expired). */
  NONE,
  IN_PROGRESS,
  RESTORED,
  /** Readable as is (STANDARD, GLACIER_IR, …): nothing to restore. */
  NOT_ARCHIVED
}
