package dev.dbops.workflows.binlog;

/**
 * What SHOW SLAVE STATUS says (the fields that matter).
 *
 * @param secondsBehindMaster null while the SQL or IO thread is stopped
 */
public record ReplicaState(
    boolean ioRunning, boolean sqlRunning, int lastSqlErrno, String lastSqlError, int lastIoErrno,
    String lastIoError, BinlogPosition executed, BinlogPosition read, Long secondsBehindMaster) {}
