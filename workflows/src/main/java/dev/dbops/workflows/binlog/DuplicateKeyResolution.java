package dev.dbops.workflows.binlog;

/** STATEMENT mode, errno 1062: which version of a row that exists on both sides stays. */
public enum DuplicateKeyResolution {
  /** The replica's row stays; the source's insert of it is left out (journaled). The default. */
  KEEP_REPLICA_ROW,
  /** The source's row replaces the replica's (REPLACE), the replica's version journaled. */
  TAKE_SOURCE_ROW
}
