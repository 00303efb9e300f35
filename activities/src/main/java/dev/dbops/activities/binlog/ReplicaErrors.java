package dev.dbops.activities.binlog;

import java.util.Set;

/** Which replication error numbers mean what to the monitor. Pure. */
final class ReplicaErrors {
  private ReplicaErrors() {}

  /** ER_ROW_IS_REFERENCED_2 and ER_NO_REFERENCED_ROW_2: decided by the request's ForeignKeyMode. */
  static final Set<Integer> FOREIGN_KEY = Set.of(1451, 1452);

  /**
   * IO-thread errors replication cannot get past by waiting: 1236 (fatal error reading the binlog,
   * e.g. the source purged the file the replica needs; 13114 on MySQL 8), 1593 (fatal replica
   * error, e.g. equal server ids), 1595 (relay log write failure).
   */
  static final Set<Integer> FATAL_IO = Set.of(1236, 13114, 1593, 1595);

  static boolean foreignKey(int errno) {
    return FOREIGN_KEY.contains(errno);
  }

  /**
   * Fatal when the errno is one of {@link #FATAL_IO}, or the IO thread has stopped on an error
   * (it no longer retries: nothing will change without a person). An IO thread still
   * "Connecting" with an error (network, refused login) retries by itself.
   */
  static boolean ioFatal(int errno, String ioRunning) {
    if (errno == 0) return false;
    return FATAL_IO.contains(errno) || "No".equalsIgnoreCase(ioRunning);
  }
}
