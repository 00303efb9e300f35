package dev.dbops.workflows.binlog;

/** How much a skip by policy throws away. */
public enum SkipMode {
  /**
   * {@code mysql.rds_skip_repl_error}: the whole transaction that hit the error is skipped (every
   * statement of it, conflicting or not) and journaled in full, with the rows that went with it
   * ({@code rowsLost}). An explicit choice; what a policy without a mode meant before STATEMENT
   * became the default, so runs recorded then keep it.
   */
  TRANSACTION,
  /**
   * Zero collateral: the failing transaction is read from the source's binlog and applied again on
   * the replica minus only the conflicting statement or row (resolved per errno by the policy), in
   * one replica transaction with a marker row, then the original is skipped. Anything that cannot
   * be split safely waits for a person. The default for new runs ({@link SkipPolicy#DEFAULT_MODE}).
   */
  STATEMENT
}
