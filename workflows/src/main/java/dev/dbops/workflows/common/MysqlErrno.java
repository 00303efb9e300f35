package dev.dbops.workflows.common;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every MySQL / MariaDB error number dbops names (server ER_* and client CR_*), in one place. Pure
 * data: what each number means to a rule lives with the rule ({@link ErrorTypes#classifySql}, the
 * skip policy, the replication monitor), which names the constant rather than the number.
 */
public enum MysqlErrno {
  // Server: schema and data errors a replica's SQL thread may stop on.
  ER_DB_CREATE_EXISTS(1007),
  ER_DB_DROP_EXISTS(1008),
  ER_DUP_KEY(1022),
  /** An update or delete finds no row (row events). */
  ER_KEY_NOT_FOUND(1032),
  ER_CON_COUNT_ERROR(1040),
  ER_HANDSHAKE_ERROR(1043),
  ER_DBACCESS_DENIED_ERROR(1044),
  ER_ACCESS_DENIED_ERROR(1045),
  ER_BAD_DB_ERROR(1049),
  ER_TABLE_EXISTS_ERROR(1050),
  ER_BAD_TABLE_ERROR(1051),
  ER_SERVER_SHUTDOWN(1053),
  /** Unknown column (e.g. reading a journal table created before a column was added). */
  ER_BAD_FIELD_ERROR(1054),
  /** Duplicate column name (another session added the column first). */
  ER_DUP_FIELDNAME(1060),
  ER_DUP_KEYNAME(1061),
  /** Duplicate key: the row is already there. */
  ER_DUP_ENTRY(1062),
  ER_MULTIPLE_PRI_KEY(1068),
  ER_IPSOCK_ERROR(1081),
  ER_CANT_DROP_FIELD_OR_KEY(1091),
  ER_CANT_CREATE_THREAD(1135),
  ER_WRONG_VALUE_COUNT_ON_ROW(1136),
  ER_TABLEACCESS_DENIED_ERROR(1142),
  ER_COLUMNACCESS_DENIED_ERROR(1143),
  /** Table doesn't exist. */
  ER_NO_SUCH_TABLE(1146),
  ER_ABORTING_CONNECTION(1152),
  ER_NET_READ_ERROR(1158),
  ER_NET_READ_INTERRUPTED(1159),
  ER_NET_ERROR_ON_WRITE(1160),
  ER_NET_WRITE_INTERRUPTED(1161),
  ER_NEW_ABORTING_CONNECTION(1184),
  ER_LOCK_WAIT_TIMEOUT(1205),
  ER_LOCK_DEADLOCK(1213),
  ER_SPECIFIC_ACCESS_DENIED_ERROR(1227),
  /** Fatal error reading the binlog (e.g. the source purged the file the replica needs). */
  ER_MASTER_FATAL_ERROR_READING_BINLOG(1236),
  ER_WARN_DATA_OUT_OF_RANGE(1264),
  /** --read-only (e.g. during a failover). */
  ER_OPTION_PREVENTS_STATEMENT(1290),
  /** Killed by a shutdown or an operator. */
  ER_QUERY_INTERRUPTED(1317),
  ER_NO_DEFAULT_FOR_FIELD(1364),
  ER_DATA_TOO_LONG(1406),
  /** A delete or update of a parent row a child row references. */
  ER_ROW_IS_REFERENCED_2(1451),
  /** An insert or update of a child row with no parent row. */
  ER_NO_REFERENCED_ROW_2(1452),
  /** Fatal replica error (e.g. equal server ids). */
  ER_SLAVE_FATAL_ERROR(1593),
  ER_SLAVE_RELAY_LOG_WRITE_FAILURE(1595),
  ER_ACCESS_DENIED_NO_PASSWORD_ERROR(1698),
  ER_READ_ONLY_MODE(1836),
  /** MariaDB: the connection was killed. */
  ER_CONNECTION_KILLED(1927),
  /** MySQL 8's number for a fatal error reading the binlog. */
  ER_SERVER_MASTER_FATAL_ERROR_READING_BINLOG(13114),
  // Client (Connector/J reports these as the SQLException's error code too).
  CR_CONNECTION_ERROR(2002),
  CR_CONN_HOST_ERROR(2003),
  /** Unknown host: e.g. a new endpoint's DNS name not there yet. */
  CR_UNKNOWN_HOST(2005),
  CR_SERVER_GONE_ERROR(2006),
  CR_SERVER_LOST(2013),
  CR_SERVER_LOST_EXTENDED(2055);

  private static final Map<Integer, MysqlErrno> BY_CODE =
      Arrays.stream(values())
          .collect(Collectors.toUnmodifiableMap(MysqlErrno::code, Function.identity()));

  private final int code;

  MysqlErrno(int code) {
    this.code = code;
  }

  /** The number the server or driver reports. */
  public int code() {
    return code;
  }

  /** Whether {@code errno} is this error. */
  public boolean is(int errno) {
    return code == errno;
  }

  /** The named error with this number, if dbops names it. */
  public static Optional<MysqlErrno> of(int errno) {
    return Optional.ofNullable(BY_CODE.get(errno));
  }

  /**
   * The numbers of these errors, in the order given (for records and messages that carry numbers).
   */
  public static List<Integer> codes(MysqlErrno... errors) {
    return Arrays.stream(errors).map(MysqlErrno::code).toList();
  }
}
