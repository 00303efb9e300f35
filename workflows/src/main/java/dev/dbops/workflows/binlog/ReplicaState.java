package dev.dbops.workflows.binlog;

/**
 * What SHOW SLAVE STATUS says (the fields that matter).
 *
 * @param secondsBehindMaster null while the SQL or IO thread is stopped
 * @param gtidExecuted replication positioned by GTID: the GTIDs the replica executed (MySQL
 *     Executed_Gtid_Set, MariaDB gtid_slave_pos); null otherwise (and in states recorded before it)
 * @param gtidReceived likewise, the GTIDs it received (MySQL Retrieved_Gtid_Set, MariaDB
 *     Gtid_IO_Pos)
 */
public record ReplicaState(
    boolean ioRunning,
    boolean sqlRunning,
    int lastSqlErrno,
    String lastSqlError,
    int lastIoErrno,
    String lastIoError,
    BinlogPosition executed,
    BinlogPosition read,
    Long secondsBehindMaster,
    String gtidExecuted,
    String gtidReceived) {

  /** A state of file-and-position replication (states recorded before GTIDs). */
  public ReplicaState(
      boolean ioRunning,
      boolean sqlRunning,
      int lastSqlErrno,
      String lastSqlError,
      int lastIoErrno,
      String lastIoError,
      BinlogPosition executed,
      BinlogPosition read,
      Long secondsBehindMaster) {
    this(
        ioRunning,
        sqlRunning,
        lastSqlErrno,
        lastSqlError,
        lastIoErrno,
        lastIoError,
        executed,
        read,
        secondsBehindMaster,
        null,
        null);
  }
}
