package dev.dbops.activities.binlog;

import dev.dbops.activities.sql.SqlSecrets;
import dev.dbops.workflows.binlog.BinlogPosition;
import dev.dbops.workflows.binlog.ReplicaState;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * One row of {@code SHOW SLAVE STATUS} (MySQL 5.6–8.0 and MariaDB keep these column names). {@code
 * ioRunning} is Yes, No or Connecting; {@code secondsBehindMaster} is null while a thread is
 * stopped. {@code Relay_Master_Log_File} / {@code Exec_Master_Log_Pos} name where the next group to
 * execute starts on the source: the failing one when the SQL thread stopped on an error. The error
 * texts are read with their password literals masked ({@link SqlSecrets}): a failing {@code CREATE
 * USER … IDENTIFIED BY} quotes its statement, and the text goes everywhere. {@code gtid} is the
 * replica's GTID state, MySQL's or MariaDB's ({@link GtidState}).
 */
record SlaveStatus(
    String masterHost,
    int masterPort,
    String ioRunning,
    String sqlRunning,
    int lastSqlErrno,
    String lastSqlError,
    int lastIoErrno,
    String lastIoError,
    String relayLogFile,
    long relayLogPos,
    String relayMasterLogFile,
    long execMasterLogPos,
    String masterLogFile,
    long readMasterLogPos,
    Long secondsBehindMaster,
    GtidState gtid) {

  /** The row without MariaDB's @@gtid_slave_pos (not a column): {@link ReplicaReads} adds it. */
  static SlaveStatus read(ResultSet rs) throws SQLException {
    long behind = rs.getLong("Seconds_Behind_Master");
    Long secondsBehind = rs.wasNull() ? null : behind;
    return new SlaveStatus(
        rs.getString("Master_Host"),
        rs.getInt("Master_Port"),
        rs.getString("Slave_IO_Running"),
        rs.getString("Slave_SQL_Running"),
        rs.getInt("Last_SQL_Errno"),
        SqlSecrets.redact(rs.getString("Last_SQL_Error")),
        rs.getInt("Last_IO_Errno"),
        SqlSecrets.redact(rs.getString("Last_IO_Error")),
        rs.getString("Relay_Log_File"),
        rs.getLong("Relay_Log_Pos"),
        rs.getString("Relay_Master_Log_File"),
        rs.getLong("Exec_Master_Log_Pos"),
        rs.getString("Master_Log_File"),
        rs.getLong("Read_Master_Log_Pos"),
        secondsBehind,
        GtidState.of(GtidState.columns(rs), null));
  }

  SlaveStatus withGtid(GtidState g) {
    return new SlaveStatus(
        masterHost,
        masterPort,
        ioRunning,
        sqlRunning,
        lastSqlErrno,
        lastSqlError,
        lastIoErrno,
        lastIoError,
        relayLogFile,
        relayLogPos,
        relayMasterLogFile,
        execMasterLogPos,
        masterLogFile,
        readMasterLogPos,
        secondsBehindMaster,
        g);
  }

  /** Replication is positioned by GTID. */
  boolean gtidPositioned() {
    return gtid != null && gtid.positioned();
  }

  /** A skip names the failing transaction's GTID ({@link GtidState#skipsByGtid}). */
  boolean skipsByGtid() {
    return gtid != null && gtid.skipsByGtid();
  }

  /** The GTID of the group the SQL thread stopped on ({@link GtidState#failing}), or null. */
  String failingGtid(java.util.List<String> groupLines) {
    return gtid == null ? GtidState.ofGroup(groupLines) : gtid.failing(groupLines);
  }

  /** False after rds_reset_external_master on servers that keep an empty row. */
  boolean configured() {
    return masterHost != null && !masterHost.isBlank();
  }

  boolean replicatesFrom(String host, int port) {
    return configured() && masterHost.equalsIgnoreCase(host) && masterPort == port;
  }

  boolean ioThreadRunning() {
    return "Yes".equalsIgnoreCase(ioRunning);
  }

  boolean sqlThreadRunning() {
    return "Yes".equalsIgnoreCase(sqlRunning);
  }

  boolean sqlStoppedOnError() {
    return !sqlThreadRunning() && lastSqlErrno != 0;
  }

  /**
   * A thread is stopped and neither has an error: someone stopped replication (START SLAVE resumes
   * it).
   */
  boolean stoppedWithoutError() {
    return lastSqlErrno == 0
        && lastIoErrno == 0
        && (!sqlThreadRunning() || "No".equalsIgnoreCase(ioRunning));
  }

  boolean ioFatal() {
    return ReplicaErrors.ioFatal(lastIoErrno, ioRunning);
  }

  BinlogPosition executed() {
    return new BinlogPosition(relayMasterLogFile, execMasterLogPos);
  }

  BinlogPosition received() {
    return new BinlogPosition(masterLogFile, readMasterLogPos);
  }

  /** {@code relay-bin.000002:728}: where the group to execute starts in the relay log. */
  String relayLog() {
    return relayLogFile + ":" + relayLogPos;
  }

  ReplicaState state() {
    return new ReplicaState(
        ioThreadRunning(),
        sqlThreadRunning(),
        lastSqlErrno,
        lastSqlError,
        lastIoErrno,
        lastIoError,
        executed(),
        received(),
        secondsBehindMaster,
        gtid == null ? null : gtid.position(),
        gtid == null || !gtid.positioned() ? null : gtid.received());
  }

  @Override
  public String toString() {
    return "IO "
        + ioRunning
        + (lastIoErrno != 0 ? " (" + lastIoErrno + ")" : "")
        + ", SQL "
        + sqlRunning
        + (lastSqlErrno != 0 ? " (" + lastSqlErrno + ")" : "")
        + ", executed "
        + executed()
        + ", received "
        + received()
        + (gtidPositioned() ? " (GTID " + gtid.executed() + ")" : "")
        + ", behind "
        + secondsBehindMaster;
  }
}
