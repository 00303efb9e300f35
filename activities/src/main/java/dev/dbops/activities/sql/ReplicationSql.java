package dev.dbops.activities.sql;

import java.util.regex.Pattern;

/**
 * The SQL text of the binlog catch-up (docs/procedures.md, binlog): RDS's replication procedures,
 * the status reads, and the skip journal kept on the replica. No I/O: {@code
 * dev.dbops.activities.binlog} runs these.
 *
 * <p>The replica login is an RDS "master user" without SUPER, so replication is driven only through
 * the {@code mysql.rds_*} procedures, with plain {@code CALL} statements (client-side prepared
 * where they take arguments): Connector/J's {@code prepareCall} reads procedure metadata that an
 * EXECUTE-only user cannot see.
 */
public final class ReplicationSql {
  private ReplicationSql() {}

  // ---------------------------------------------------------------------------- the source

  public static final String LOG_BIN_AND_FORMAT = "SELECT @@global.log_bin, @@global.binlog_format";

  /**
   * Which server answers: "…-MariaDB…" or a MySQL version (5.7.12 on Aurora MySQL 2, 8.0.28 on 3).
   */
  public static final String VERSION = "SELECT @@global.version";

  /** MySQL: OFF, OFF_PERMISSIVE, ON_PERMISSIVE or ON; only ON allows auto-position. */
  public static final String MYSQL_GTID_MODE = "SELECT @@global.gtid_mode";

  /**
   * MariaDB (every server writes GTIDs): a source that promises GTID order (1) is a GTID source for
   * dbops, as MySQL's gtid_mode=ON is (which needs enforce_gtid_consistency).
   */
  public static final String MARIADB_GTID_STRICT_MODE = "SELECT @@global.gtid_strict_mode";

  public static final String SHOW_MASTER_STATUS = "SHOW MASTER STATUS";

  /** Rows of (name, value, description); 'binlog retention hours' is NULL until set. */
  public static final String SHOW_CONFIGURATION = "CALL mysql.rds_show_configuration";

  public static final String RETENTION_HOURS_NAME = "binlog retention hours";

  /** One parameter: the hours. */
  public static final String SET_RETENTION_HOURS =
      "CALL mysql.rds_set_configuration('" + RETENTION_HOURS_NAME + "', ?)";

  /** The hosts a user name has accounts for (the RDS master user may read mysql.user). */
  public static final String USER_HOSTS =
      "SELECT Host FROM mysql.user WHERE User = ? ORDER BY Host";

  /** Parameters: user, host. The answer holds the password hash: never log it. */
  public static final String SHOW_GRANTS_FOR = "SHOW GRANTS FOR ?@?";

  /**
   * Host of a replication user dbops creates: any, as RDS replicas connect from changing addresses.
   */
  public static final String NEW_USER_HOST = "%";

  /** Parameters: user, host, password. */
  public static final String CREATE_USER = "CREATE USER ?@? IDENTIFIED BY ?";

  /** Parameters: user, host. */
  public static final String GRANT_REPLICATION = "GRANT REPLICATION SLAVE ON *.* TO ?@?";

  /** Parameter: a MariaDB role's name (MySQL 8 roles are accounts: {@link #SHOW_GRANTS_FOR}). */
  public static final String SHOW_GRANTS_FOR_ROLE = "SHOW GRANTS FOR ?";

  /** One row (aurora_version, 2.11.2 / 3.04.0) on Aurora MySQL, none elsewhere. */
  public static final String AURORA_VERSION = "SHOW GLOBAL VARIABLES LIKE 'aurora_version'";

  // ---------------------------------------------------------------------------- the replica

  public static final String SHOW_SLAVE_STATUS = "SHOW SLAVE STATUS";

  /** MariaDB: the GTIDs the replica executed (SHOW SLAVE STATUS has Gtid_IO_Pos only). */
  public static final String GTID_SLAVE_POS = "SELECT @@global.gtid_slave_pos";

  /**
   * MySQL: every GTID the server executed (its own writes too): empty on a server no snapshot
   * carried GTIDs to.
   */
  public static final String MYSQL_GTID_EXECUTED = "SELECT @@global.gtid_executed";

  /**
   * Parameters: host, port, user, password, file, position, ssl (0/1). Holds the password: never
   * log it.
   */
  public static final String SET_EXTERNAL_MASTER =
      "CALL mysql.rds_set_external_master(?, ?, ?, ?, ?, ?, ?)";

  /** How {@link #SET_EXTERNAL_MASTER} appears in messages. */
  public static final String SET_EXTERNAL_MASTER_SHOWN =
      "CALL mysql.rds_set_external_master(host, port, user, <password>, file, position, ssl)";

  /**
   * GTID sources: parameters host, port, user, password, ssl (0/1), delay (RDS for MySQL's six;
   * Aurora MySQL 2 takes the first five, {@link #SET_EXTERNAL_MASTER_AUTO_POSITION_AURORA}). The
   * replica asks for every transaction its executed GTIDs lack: no file or position. Holds the
   * password: never log it.
   */
  public static final String SET_EXTERNAL_MASTER_AUTO_POSITION =
      "CALL mysql.rds_set_external_master_with_auto_position(?, ?, ?, ?, ?, ?)";

  /** Aurora MySQL 2's form: host, port, user, password, ssl. */
  public static final String SET_EXTERNAL_MASTER_AUTO_POSITION_AURORA =
      "CALL mysql.rds_set_external_master_with_auto_position(?, ?, ?, ?, ?)";

  /** How {@link #SET_EXTERNAL_MASTER_AUTO_POSITION} appears in messages. */
  public static final String SET_EXTERNAL_MASTER_AUTO_POSITION_SHOWN =
      "CALL mysql.rds_set_external_master_with_auto_position(host, port, user, <password>, ssl, delay)";

  /**
   * ER_SP_WRONG_NO_OF_ARGS: the procedure has the other form (RDS's six parameters or Aurora's
   * five).
   */
  public static final int WRONG_NUMBER_OF_ARGUMENTS = 1318;

  public static final String START_REPLICATION = "CALL mysql.rds_start_replication";
  public static final String STOP_REPLICATION = "CALL mysql.rds_stop_replication";
  public static final String SKIP_REPL_ERROR = "CALL mysql.rds_skip_repl_error";

  /**
   * Parameter: the GTID of the failing transaction. Replication positioned by GTID skips only so.
   */
  public static final String SKIP_TRANSACTION_WITH_GTID =
      "CALL mysql.rds_skip_transaction_with_gtid(?)";

  public static final String RESET_EXTERNAL_MASTER = "CALL mysql.rds_reset_external_master";

  /**
   * Session settings of every dbops connection: times in UTC (journal {@code at}, heartbeat lag).
   */
  public static final String SESSION_UTC = "SET SESSION time_zone = '+00:00'";

  /**
   * The re-apply of a foreign-key failure, in the journal's transaction (a session variable: no
   * SUPER needed).
   */
  public static final String FOREIGN_KEY_CHECKS_OFF = "SET SESSION foreign_key_checks = 0";

  public static final String FOREIGN_KEY_CHECKS_ON = "SET SESSION foreign_key_checks = 1";

  /**
   * Parameters: source binlog file, position, timeout in whole seconds (MariaDB rounds a fraction,
   * and 0 means no timeout: 0.4 would wait for ever). Blocks until the SQL thread has executed up
   * to the position (answers the number of events waited for), the timeout passes (-1), or the SQL
   * thread is not running or stops while waiting (NULL) — so it also wakes at once when the SQL
   * thread stops on an error. A wait, never proof of anything (docs/procedures.md, binlog step 6).
   */
  public static final String MASTER_POS_WAIT = "SELECT MASTER_POS_WAIT(?, ?, ?)";

  /**
   * Rows (Variable_name, Value) for read_only and, on MySQL, super_read_only (MariaDB has no such
   * variable).
   */
  public static final String SHOW_READ_ONLY =
      "SHOW GLOBAL VARIABLES WHERE Variable_name IN ('read_only', 'super_read_only')";

  /**
   * Up to {@code count} events of a relay log from {@code position}, skipping the first {@code
   * offset}.
   */
  public static String relayLogEvents(String relayLogFile, long position, int offset, int count) {
    return "SHOW RELAYLOG EVENTS IN "
        + literal(logFile(relayLogFile))
        + " FROM "
        + position
        + " LIMIT "
        + offset
        + ", "
        + count;
  }

  /** The same from the source's binary log (the fallback when the relay log cannot be read). */
  public static String binlogEvents(String binlogFile, long position, int offset, int count) {
    return "SHOW BINLOG EVENTS IN "
        + literal(logFile(binlogFile))
        + " FROM "
        + position
        + " LIMIT "
        + offset
        + ", "
        + count;
  }

  /**
   * The newest pt-heartbeat timestamp in {@code schemaTable} (its {@code ts} column, a VARCHAR(26)
   * or DATETIME(6) holding the writer's UTC time), as DATETIME(6).
   */
  public static String heartbeatTimestamp(String schemaTable) {
    int dot = schemaTable == null ? -1 : schemaTable.indexOf('.');
    if (dot < 0)
      throw new IllegalArgumentException("heartbeat table must be schema.table: " + schemaTable);
    return "SELECT CAST(MAX(ts) AS DATETIME(6)) FROM "
        + identifier(schemaTable.substring(0, dot))
        + "."
        + identifier(schemaTable.substring(dot + 1));
  }

  // ---------------------------------------------------------------------------- the journal

  public static final String JOURNAL_SCHEMA = "dbops_journal";
  public static final String JOURNAL_TABLE = JOURNAL_SCHEMA + ".skipped_events";
  public static final String CUTOVER_TABLE = JOURNAL_SCHEMA + ".cutovers";

  public static final String CREATE_JOURNAL_SCHEMA =
      "CREATE DATABASE IF NOT EXISTS " + JOURNAL_SCHEMA;

  /**
   * One row per skipped event group, written before the skip and read back by id. The unique key is
   * the group's source coordinates: INSERT IGNORE makes journaling idempotent, so an attempt
   * resumed after a crash finds its row and only skips. ASCII key columns keep the key under
   * InnoDB's 767-byte limit of older row formats (Aurora MySQL 5.6).
   */
  public static final String CREATE_JOURNAL_TABLE =
      """
      CREATE TABLE IF NOT EXISTS dbops_journal.skipped_events (
        id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
        source VARCHAR(300) CHARACTER SET ascii NOT NULL COMMENT 'host:port replicated from',
        source_file VARCHAR(255) CHARACTER SET ascii NOT NULL COMMENT 'Relay_Master_Log_File',
        source_pos BIGINT UNSIGNED NOT NULL COMMENT 'Exec_Master_Log_Pos: where the group starts',
        relay_log VARCHAR(300) NULL COMMENT 'relay log file:position of the group',
        errno INT NOT NULL,
        error TEXT NOT NULL,
        events MEDIUMTEXT NOT NULL COMMENT 'JSON array: every event of the skipped transaction',
        action VARCHAR(40) NOT NULL COMMENT 'SKIPPED or REAPPLIED_WITHOUT_FK_CHECKS',
        decided_by VARCHAR(255) NOT NULL COMMENT 'policy, or the person who decided',
        workflow_id VARCHAR(255) NULL,
        skips INT NOT NULL DEFAULT 0 COMMENT 'rds_skip_repl_error calls made for this group',
        `at` TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
        gtid VARCHAR(120) CHARACTER SET ascii NULL COMMENT 'GTID of the skipped transaction',
        PRIMARY KEY (id),
        UNIQUE KEY source_coordinates (source, source_file, source_pos)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4""";

  /**
   * Where the replica stood when replication was stopped for the cut-over, kept for a retried
   * cut-over.
   */
  public static final String CREATE_CUTOVER_TABLE =
      """
      CREATE TABLE IF NOT EXISTS dbops_journal.cutovers (
        id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
        source VARCHAR(300) CHARACTER SET ascii NOT NULL,
        replica_file VARCHAR(255) CHARACTER SET ascii NOT NULL,
        replica_pos BIGINT UNSIGNED NOT NULL,
        source_file VARCHAR(255) CHARACTER SET ascii NULL,
        source_pos BIGINT UNSIGNED NULL,
        `at` TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
        PRIMARY KEY (id),
        KEY source (source, id)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4""";

  /** Whether a journal table has the {@code gtid} column (tables created before it lack it). */
  public static final String JOURNAL_HAS_GTID =
      "SELECT COUNT(*) FROM information_schema.COLUMNS"
          + " WHERE TABLE_SCHEMA = '"
          + JOURNAL_SCHEMA
          + "' AND TABLE_NAME = 'skipped_events' AND COLUMN_NAME = 'gtid'";

  /**
   * Adds the {@code gtid} column to a journal table created before it (as {@link
   * #CREATE_JOURNAL_TABLE} has it).
   */
  public static final String JOURNAL_ADD_GTID =
      "ALTER TABLE "
          + JOURNAL_TABLE
          + " ADD COLUMN gtid VARCHAR(120) CHARACTER SET ascii NULL COMMENT 'GTID of the skipped transaction'";

  /**
   * Parameters: source, file, pos, relay log, errno, error, events JSON, action, decided by,
   * workflow id, gtid.
   */
  public static final String JOURNAL_INSERT =
      "INSERT IGNORE INTO "
          + JOURNAL_TABLE
          + " (source, source_file, source_pos, relay_log, errno, error, events, action, decided_by, workflow_id, gtid)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

  private static final String JOURNAL_COLUMNS_BEFORE_GTID =
      "id, source_file, source_pos, relay_log, errno, error,"
          + " events, action, decided_by, skips, DATE_FORMAT(`at`, '%Y-%m-%dT%H:%i:%s.%fZ') AS at_utc";
  private static final String JOURNAL_COLUMNS = JOURNAL_COLUMNS_BEFORE_GTID + ", gtid";

  /** Parameters: source, file, pos. */
  public static final String JOURNAL_AT =
      "SELECT "
          + JOURNAL_COLUMNS
          + " FROM "
          + JOURNAL_TABLE
          + " WHERE source = ? AND source_file = ? AND source_pos = ?";

  /**
   * Parameters: source, workflow id, id. Entries after the workflow's last known one, oldest first.
   */
  public static final String JOURNAL_AFTER =
      "SELECT "
          + JOURNAL_COLUMNS
          + " FROM "
          + JOURNAL_TABLE
          + " WHERE source = ? AND workflow_id <=> ? AND id > ? ORDER BY id";

  /**
   * Parameters: source, workflow id, id. Up to {@code limit} entries after {@code id}, oldest first
   * (the primary key orders them: no sort of the whole journal).
   */
  public static String journalPage(int limit) {
    if (limit < 1) throw new IllegalArgumentException("limit must be positive, was " + limit);
    return JOURNAL_AFTER + " LIMIT " + limit;
  }

  /**
   * {@link #journalPage} of a journal table created before the {@code gtid} column (read only: not
   * altered).
   */
  public static String journalPageBeforeGtid(int limit) {
    return journalPage(limit)
        .replace(JOURNAL_COLUMNS, JOURNAL_COLUMNS_BEFORE_GTID + ", NULL AS gtid");
  }

  /**
   * Parameters: source, workflow id, id. Skips the policy made after the workflow's last known
   * entry.
   */
  public static final String POLICY_SKIPS_AFTER =
      "SELECT COUNT(*) FROM "
          + JOURNAL_TABLE
          + " WHERE source = ? AND workflow_id <=> ? AND id > ? AND decided_by = 'policy'";

  /**
   * Parameters: {@code count} ids. One rds_skip_repl_error made for each of the entries (the loop
   * guard reads it).
   */
  public static String journalSkipped(int count) {
    return "UPDATE "
        + JOURNAL_TABLE
        + " SET skips = skips + 1 WHERE id IN ("
        + String.join(", ", java.util.Collections.nCopies(count, "?"))
        + ")";
  }

  /** Parameters: source, workflow id. Entries no skip was counted for yet, oldest first. */
  public static final String JOURNAL_UNCOUNTED =
      "SELECT "
          + JOURNAL_COLUMNS
          + " FROM "
          + JOURNAL_TABLE
          + " WHERE source = ? AND workflow_id <=> ? AND skips = 0 ORDER BY id";

  /**
   * Parameter: id. The skip an attempt made and died before counting (once: only while still 0).
   */
  public static final String JOURNAL_SKIP_COUNTED_LATE =
      "UPDATE " + JOURNAL_TABLE + " SET skips = 1 WHERE id = ? AND skips = 0";

  /** Parameters: source, replica file, replica pos, source file, source pos. */
  public static final String CUTOVER_INSERT =
      "INSERT INTO "
          + CUTOVER_TABLE
          + " (source, replica_file, replica_pos, source_file, source_pos) VALUES (?, ?, ?, ?, ?)";

  /** Parameter: source. The latest cut-over record. */
  public static final String CUTOVER_LATEST =
      "SELECT replica_file, replica_pos, source_file, source_pos FROM "
          + CUTOVER_TABLE
          + " WHERE source = ? ORDER BY id DESC LIMIT 1";

  // ------------------------------------------------------- STATEMENT mode: the conflicts

  public static final String CONFLICT_TABLE = JOURNAL_SCHEMA + ".conflicts";

  /**
   * One row per conflicting statement or row of a transaction applied again in STATEMENT mode,
   * written in the same replica transaction as the re-apply and its journal row (the marker). No
   * AUTO_INCREMENT: a re-applied statement's INSERT_ID must have nothing else to land on.
   */
  public static final String CREATE_CONFLICT_TABLE =
      """
      CREATE TABLE IF NOT EXISTS dbops_journal.conflicts (
        journal_id BIGINT UNSIGNED NOT NULL COMMENT 'skipped_events.id of the transaction',
        seq INT NOT NULL,
        errno INT NOT NULL,
        table_name VARCHAR(200) NOT NULL,
        change_kind VARCHAR(10) NOT NULL COMMENT 'INSERT, UPDATE or DELETE',
        source_row MEDIUMTEXT NULL COMMENT 'JSON: the source version (before/after for an update)',
        replica_row MEDIUMTEXT NULL COMMENT 'JSON: the replica rows with the same key, before the re-apply',
        resolution VARCHAR(40) NOT NULL,
        decided_by VARCHAR(255) NOT NULL,
        PRIMARY KEY (journal_id, seq)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4""";

  /**
   * Parameters: journal id, seq, errno, table, change, source row, replica row, resolution, decided
   * by.
   */
  public static final String CONFLICT_INSERT =
      "INSERT INTO "
          + CONFLICT_TABLE
          + " (journal_id, seq, errno, table_name, change_kind, source_row, replica_row, resolution, decided_by)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";

  private static final String CONFLICT_COLUMNS =
      "c.journal_id, c.errno, c.table_name, c.change_kind, c.source_row,"
          + " c.replica_row, c.resolution, c.decided_by";

  /** Parameters: source, workflow id, id. Conflicts of the entries {@link #JOURNAL_AFTER} reads. */
  public static final String CONFLICTS_AFTER =
      "SELECT "
          + CONFLICT_COLUMNS
          + " FROM "
          + CONFLICT_TABLE
          + " c JOIN "
          + JOURNAL_TABLE
          + " e ON e.id = c.journal_id WHERE e.source = ? AND e.workflow_id <=> ? AND e.id > ?"
          + " ORDER BY c.journal_id, c.seq";

  /**
   * Parameters: source, workflow id, first id, last id. Conflicts of a page of {@link #journalPage}
   * entries: only the page's id range, not every conflict after it.
   */
  public static final String CONFLICTS_BETWEEN =
      "SELECT "
          + CONFLICT_COLUMNS
          + " FROM "
          + CONFLICT_TABLE
          + " c JOIN "
          + JOURNAL_TABLE
          + " e ON e.id = c.journal_id WHERE e.source = ? AND e.workflow_id <=> ?"
          + " AND c.journal_id BETWEEN ? AND ? ORDER BY c.journal_id, c.seq";

  /** Parameter: journal id. */
  public static final String CONFLICTS_OF =
      "SELECT "
          + CONFLICT_COLUMNS
          + " FROM "
          + CONFLICT_TABLE
          + " c WHERE c.journal_id = ? ORDER BY c.seq";

  /** Parameters: schema, table. Columns in their order, as a row image lists them. */
  public static final String TABLE_COLUMNS =
      "SELECT COLUMN_NAME, DATA_TYPE, COLUMN_TYPE, CHARACTER_SET_NAME"
          + " FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION";

  /** Parameters: schema, table. Unique keys' columns (PRIMARY first), each key's in order. */
  public static final String TABLE_UNIQUE_KEYS =
      "SELECT INDEX_NAME, COLUMN_NAME FROM information_schema.STATISTICS"
          + " WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND NON_UNIQUE = 0"
          + " ORDER BY INDEX_NAME <> 'PRIMARY', INDEX_NAME, SEQ_IN_INDEX";

  public static final String SAVEPOINT = "SAVEPOINT dbops_change";
  public static final String ROLLBACK_TO_SAVEPOINT = "ROLLBACK TO SAVEPOINT dbops_change";

  /** Parameter: seconds since the epoch (the source event's time, for NOW()). */
  public static final String SET_TIMESTAMP = "SET TIMESTAMP = ?";

  public static final String TIMESTAMP_DEFAULT = "SET TIMESTAMP = DEFAULT";

  /** A scratch copy of a table, to see the one row a conflicting INSERT statement inserts. */
  public static final String SCRATCH_TABLE = JOURNAL_SCHEMA + ".conflict_row";

  public static String use(String schema) {
    return "USE " + quoted(schema);
  }

  /** `name` with backticks doubled: for names read from the server (information_schema, binlog). */
  public static String quoted(String name) {
    return "`" + name.replace("`", "``") + "`";
  }

  // ---------------------------------------------------------------------------- quoting

  private static final Pattern LOG_FILE = Pattern.compile("^[A-Za-z0-9._/-]{1,255}$");
  private static final Pattern IDENTIFIER = Pattern.compile("^[A-Za-z0-9_$]{1,64}$");

  /** A binlog / relay log file name as the server reports it; anything else is refused. */
  static String logFile(String name) {
    if (name == null || !LOG_FILE.matcher(name).matches()) {
      throw new IllegalArgumentException("not a binlog file name: " + name);
    }
    return name;
  }

  /** `name`, for the plain identifiers a request may name. */
  static String identifier(String name) {
    if (name == null || !IDENTIFIER.matcher(name).matches()) {
      throw new IllegalArgumentException("not a plain identifier: " + name);
    }
    return "`" + name + "`";
  }

  /** A single-quoted SQL string literal (backslashes and quotes escaped). */
  public static String literal(String s) {
    return "'" + s.replace("\\", "\\\\").replace("'", "''") + "'";
  }
}
