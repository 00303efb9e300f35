package dev.dbops.sandbox;

/**
 * Where an object stands in the archive/restore cycle, as {@link S3Sandbox#restoreState} names it.
 */
enum RestoreState {
  /** Archived, no restore requested (or the restored copy expired). */
  NONE,
  /** Archived, restore requested and not finished. */
  IN_PROGRESS,
  /** Archived, a temporary readable copy exists until its expiry. */
  RESTORED,
  /** Not in an archive storage class (STANDARD, GLACIER_IR, …): readable, nothing to restore. */
  NOT_ARCHIVED
}
