package dev.dbops.activities.binlog;

import static dev.dbops.workflows.common.MysqlErrno.ER_MASTER_FATAL_ERROR_READING_BINLOG;
import static dev.dbops.workflows.common.MysqlErrno.ER_SERVER_MASTER_FATAL_ERROR_READING_BINLOG;
import static dev.dbops.workflows.common.MysqlErrno.ER_SLAVE_FATAL_ERROR;
import static dev.dbops.workflows.common.MysqlErrno.ER_SLAVE_RELAY_LOG_WRITE_FAILURE;

import dev.dbops.workflows.common.MysqlErrno;
import java.util.Set;

/** Which replication error numbers mean what to the monitor. Pure. */
final class ReplicaErrors {
  private ReplicaErrors() {}

  /**
   * IO-thread errors replication cannot get past by waiting: 1236 (fatal error reading the binlog,
   * e.g. the source purged the file the replica needs; 13114 on MySQL 8), 1593 (fatal replica
   * error, e.g. equal server ids), 1595 (relay log write failure).
   */
  static final Set<Integer> FATAL_IO =
      Set.copyOf(
          MysqlErrno.codes(
              ER_MASTER_FATAL_ERROR_READING_BINLOG,
              ER_SERVER_MASTER_FATAL_ERROR_READING_BINLOG,
              ER_SLAVE_FATAL_ERROR,
              ER_SLAVE_RELAY_LOG_WRITE_FAILURE));

  /**
   * The binlog the replica or a reader needs is gone or unreadable on the source (MySQL 5.7 /
   * MariaDB, MySQL 8).
   */
  static final Set<Integer> BINLOG_GONE =
      Set.copyOf(
          MysqlErrno.codes(
              ER_MASTER_FATAL_ERROR_READING_BINLOG, ER_SERVER_MASTER_FATAL_ERROR_READING_BINLOG));

  /** Whether the source no longer has (or cannot send) the binlog asked for: typically purged. */
  static boolean binlogGone(int errno) {
    return BINLOG_GONE.contains(errno);
  }

  /**
   * Fatal when the errno is one of {@link #FATAL_IO}, or the IO thread has stopped on an error (it
   * no longer retries: nothing will change without a person). An IO thread still "Connecting" with
   * an error (network, refused login) retries by itself.
   */
  static boolean ioFatal(int errno, String ioRunning) {
    if (errno == 0) return false;
    return FATAL_IO.contains(errno) || "No".equalsIgnoreCase(ioRunning);
  }
}
