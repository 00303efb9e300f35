package dev.dbops.workflows.binlog;

/** STATEMENT mode, errno 1032: a row update or delete finds no row on the replica. */
public enum MissingRowResolution {
  /** Leave the change out (journaled with its before and after image). The default. */
  SKIP_CHANGE,
  /** An update inserts its after image; a delete has nothing to insert and is left out. */
  REINSERT
}
