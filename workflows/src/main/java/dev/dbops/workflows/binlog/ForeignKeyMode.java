package dev.dbops.workflows.binlog;

/** What to do when the replica stops on a foreign-key error (1451 / 1452). Never silent. */
public enum ForeignKeyMode {
  /** Wait for a person's decision, like any error outside the allow-list. */
  STOP_AND_ASK,
  /** Re-apply with FOREIGN_KEY_CHECKS=0 (what the seed did), journaled as such. */
  DISABLE_CHECKS
}
