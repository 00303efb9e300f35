package dev.dbops.workflows.binlog;

/**
 * What proves, at cut-over, that the source takes no more writes before its final position is read
 * (docs/procedures.md, binlog step 6). Either way the cut-over itself refuses when the source has
 * moved past the position it read, so a writer that was missed fails the run instead of losing its
 * rows.
 */
public enum WritesStopped {
  /**
   * Default: the source must report {@code read_only} (or MySQL's {@code super_read_only}) ON;
   * until then the run waits (up to the decision timeout). It is set by the {@code before-cutover}
   * hook or by hand (RDS / Aurora: {@code read_only} in the parameter group). The only state the
   * source itself can confirm.
   */
  READ_ONLY,
  /**
   * The {@code before-cutover} hook stops the writers (e.g. maintenance mode); read_only is not
   * checked.
   */
  HOOK
}
