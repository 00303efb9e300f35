package dev.dbops.sandbox.mysql;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;

/**
 * The fields of {@code SHOW SLAVE STATUS} a binlog catch-up looks at (MariaDB 11.4 keeps the
 * classic column names). {@code Slave_IO_Running} is {@code Yes}, {@code No} or {@code Connecting};
 * {@code secondsBehindMaster} is null while a thread is stopped.
 */
public record ReplicaStatus(
    String slaveIoRunning,
    String slaveSqlRunning,
    int lastSqlErrno,
    String lastSqlError,
    int lastIoErrno,
    String lastIoError,
    String relayLogFile,
    long relayLogPos,
    String relayMasterLogFile,
    long execMasterLogPos,
    long readMasterLogPos,
    String masterLogFile,
    Long secondsBehindMaster) {

  /**
   * {@code SHOW SLAVE STATUS}; empty when the server is not configured as a replica. Needs SLAVE
   * MONITOR.
   */
  public static Optional<ReplicaStatus> query(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SHOW SLAVE STATUS")) {
      if (!rs.next()) {
        return Optional.empty();
      }
      long behind = rs.getLong("Seconds_Behind_Master");
      Long secondsBehind = rs.wasNull() ? null : behind;
      return Optional.of(
          new ReplicaStatus(
              rs.getString("Slave_IO_Running"),
              rs.getString("Slave_SQL_Running"),
              rs.getInt("Last_SQL_Errno"),
              rs.getString("Last_SQL_Error"),
              rs.getInt("Last_IO_Errno"),
              rs.getString("Last_IO_Error"),
              rs.getString("Relay_Log_File"),
              rs.getLong("Relay_Log_Pos"),
              rs.getString("Relay_Master_Log_File"),
              rs.getLong("Exec_Master_Log_Pos"),
              rs.getLong("Read_Master_Log_Pos"),
              rs.getString("Master_Log_File"),
              secondsBehind));
    }
  }

  public boolean ioRunning() {
    return "Yes".equals(slaveIoRunning);
  }

  public boolean sqlRunning() {
    return "Yes".equals(slaveSqlRunning);
  }

  /**
   * The SQL thread stopped on an error ({@code Last_SQL_Errno} set): what rds_skip_repl_error acts
   * on.
   */
  public boolean sqlStoppedOnError() {
    return !sqlRunning() && lastSqlErrno != 0;
  }

  /**
   * Source coordinates of the next event group the SQL thread will execute (the failing one when
   * stopped).
   */
  public BinlogPosition executedUpTo() {
    return new BinlogPosition(relayMasterLogFile, execMasterLogPos);
  }

  /** Both threads run and everything received from {@code source} has been executed. */
  public boolean caughtUpWith(BinlogPosition source) {
    return ioRunning()
        && sqlRunning()
        && source.file().equals(relayMasterLogFile)
        && execMasterLogPos == source.position()
        && readMasterLogPos == source.position()
        && source.file().equals(masterLogFile);
  }
}
