package dev.dbops.activities.binlog;

/**
 * Test seam: called right after a journal row is written (or found) and before the skip, so a test
 * can end an attempt exactly there, as a worker crash would. Production uses {@link #NONE}.
 */
interface SkipHooks {
  SkipHooks NONE = id -> {};

  void journaled(long journalId);

  /**
   * STATEMENT mode: the transaction was read from the source and applied again in the replica's
   * open transaction, which is not committed yet. A test throws here to end the attempt as a crash
   * would (the open transaction is rolled back, as the server does for a dead session).
   */
  default void beforeReapplyCommit(dev.dbops.workflows.binlog.BinlogPosition at) {}
}
