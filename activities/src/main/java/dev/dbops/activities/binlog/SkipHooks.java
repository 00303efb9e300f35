package dev.dbops.activities.binlog;

/**
 * Test seam: called right after a journal row is written (or found) and before the skip, so a
 * test can end an attempt exactly there, as a worker crash would. Production uses {@link #NONE}.
 */
interface SkipHooks {
  SkipHooks NONE = id -> { };

  void journaled(long journalId);
}
