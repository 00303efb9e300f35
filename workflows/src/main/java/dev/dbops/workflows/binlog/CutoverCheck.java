package dev.dbops.workflows.binlog;

/**
 * The source whose writes must have stopped before its final position is read, and what proves it.
 */
public record CutoverCheck(DbTarget source, WritesStopped writesStopped) {
  public WritesStopped writesStoppedOrDefault() {
    return writesStopped == null ? WritesStopped.READ_ONLY : writesStopped;
  }
}
