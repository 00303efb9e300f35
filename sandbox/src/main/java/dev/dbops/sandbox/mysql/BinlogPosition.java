package dev.dbops.sandbox.mysql;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Objects;

/**
 * A binary log coordinate: file and byte position, as {@code SHOW MASTER STATUS} reports it and
 * {@code mysql.rds_set_external_master} takes it.
 */
public record BinlogPosition(String file, long position) {

  public BinlogPosition {
    Objects.requireNonNull(file, "file");
    if (position < 4) {
      throw new IllegalArgumentException("a binlog position is at least 4: " + position);
    }
  }

  /**
   * {@code SHOW MASTER STATUS}; fails if the server has no binary log. Needs BINLOG MONITOR
   * (REPLICATION CLIENT).
   */
  public static BinlogPosition current(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SHOW MASTER STATUS")) {
      if (!rs.next()) {
        throw new SQLException("SHOW MASTER STATUS returned no row: binary logging is off");
      }
      return new BinlogPosition(rs.getString("File"), rs.getLong("Position"));
    }
  }

  @Override
  public String toString() {
    return file + ":" + position;
  }
}
