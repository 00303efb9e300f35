package dev.dbops.workflows.binlog;

/** A source binlog coordinate, e.g. mysql-bin-changelog.000118 / 245880. */
public record BinlogPosition(String file, long position) {
  @Override
  public String toString() {
    return file + ":" + position;
  }
}
