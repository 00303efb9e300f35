package dev.dbops.sandbox.mysql;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Objects;

/**
 * Local stand-ins for the replication and configuration stored procedures that exist only on RDS /
 * Aurora MySQL, installed into the {@code mysql} schema of a {@link LocalMariaDb} so the same
 * RDS-style JDBC code ({@code CALL mysql.rds_set_external_master(…)}) runs unchanged against it. A
 * test double: names and parameters follow AWS's documentation, the bodies are ours.
 *
 * <pre>{@code
 * try (Connection root = DriverManager.getConnection(db.jdbcUrl(""), db.rootUser(), db.rootPassword())) {
 *     RdsProcedures.install(root);
 *     RdsProcedures.createRdsAdmin(root, "admin", "admin-secret");   // RDS's "master user": no SUPER
 * }
 * // as admin: CALL mysql.rds_set_external_master('127.0.0.1', 3306, 'repl', 'pw', 'mysql-bin-changelog.000001', 4, 0)
 * }</pre>
 *
 * <p>The procedures run as the locked account {@code 'rdsadmin'@'localhost'} ({@code SQL SECURITY
 * DEFINER}, like RDS's), so a caller needs only EXECUTE. They use MariaDB's replication statements
 * through PREPARE/EXECUTE. Their own bookkeeping ({@code mysql.rds_history}, {@code
 * mysql.rds_configuration}) is kept out of the binary log, as is everything {@link #install} and
 * {@link #createRdsAdmin} create, so it never replicates.
 *
 * <p>Call them with plain {@code CALL} statements ({@code Statement.execute} or a client-side
 * {@code prepareStatement("CALL mysql.rds_set_external_master(?, ?, ?, ?, ?, ?, ?)")}).
 * Connector/J's {@code prepareCall} reads procedure metadata that an EXECUTE-only user may not see.
 */
public final class RdsProcedures {

  /** Every procedure {@link #install} creates, in schema {@code mysql}. */
  public static final List<String> PROCEDURES =
      List.of(
          "rds_set_external_master",
          "rds_start_replication",
          "rds_stop_replication",
          "rds_skip_repl_error",
          "rds_reset_external_master",
          "rds_set_configuration",
          "rds_show_configuration",
          "rds_set_external_master_with_auto_position",
          "rds_skip_transaction_with_gtid");

  /**
   * The only configuration name {@code rds_set_configuration} accepts (Aurora MySQL has no other).
   */
  public static final String BINLOG_RETENTION_HOURS = "binlog retention hours";

  /**
   * Aurora MySQL 2.11+ and 3 allow up to 2160 h (90 days); older Aurora and RDS for MySQL 168 h.
   */
  public static final int MAX_BINLOG_RETENTION_HOURS = 2160;

  /**
   * Definer of the procedures: a locked account with every privilege, as RDS's {@code rdsadmin}.
   */
  public static final String DEFINER = "'rdsadmin'@'localhost'";

  /** What {@code rds_skip_repl_error} answers (column {@code Message}). */
  public static final String SKIPPED = "Statement in error has been skipped";

  public static final String SKIPPED_NEW_ERROR =
      "Statement in error has been skipped. Slave has encountered a new error. "
          + "Please use SHOW SLAVE STATUS to see the error.";
  public static final String RUNNING_NORMALLY = "Slave is running normally. No errors to skip.";
  public static final String DOWN_OR_DISABLED = "Slave is down or disabled";

  /**
   * What {@code rds_skip_transaction_with_gtid} answers when the GTID is already in {@code
   * gtid_slave_pos}.
   */
  public static final String GTID_ALREADY_EXECUTED = "GTID already executed: nothing to skip";

  /**
   * The privileges of RDS's master user, minus SUPER: DML/DDL on every schema, EXECUTE (the
   * procedures), REPLICATION SLAVE, REPLICATION CLIENT (MariaDB: BINLOG MONITOR, for SHOW MASTER
   * STATUS / SHOW BINLOG EVENTS) and SLAVE MONITOR (SHOW SLAVE STATUS / SHOW RELAYLOG EVENTS). Not
   * granted: SUPER, REPLICATION SLAVE ADMIN (CHANGE MASTER, START/STOP SLAVE,
   * sql_slave_skip_counter), BINLOG ADMIN (PURGE BINARY LOGS), FILE, SHUTDOWN.
   */
  public static final String RDS_ADMIN_PRIVILEGES =
      "SELECT, INSERT, UPDATE, DELETE, CREATE, DROP, RELOAD, PROCESS, "
          + "REFERENCES, INDEX, ALTER, SHOW DATABASES, CREATE TEMPORARY TABLES, LOCK TABLES, EXECUTE, REPLICATION SLAVE, "
          + "REPLICATION CLIENT, SLAVE MONITOR, CREATE VIEW, SHOW VIEW, CREATE ROUTINE, ALTER ROUTINE, CREATE USER, "
          + "EVENT, TRIGGER";

  private static final String TABLES =
      """
            CREATE TABLE IF NOT EXISTS mysql.rds_configuration (
              name VARCHAR(100) NOT NULL PRIMARY KEY,
              value VARCHAR(100) NULL,
              description VARCHAR(300) NOT NULL
            ) ENGINE=InnoDB
            ;;
            INSERT IGNORE INTO mysql.rds_configuration VALUES ('binlog retention hours', NULL,
              'binlog retention hours specifies the duration in hours before binary logs are automatically deleted.')
            ;;
            CREATE TABLE IF NOT EXISTS mysql.rds_history (
              action_timestamp TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
              called_by_user VARCHAR(200) NOT NULL,
              action VARCHAR(50) NOT NULL,
              mysql_version VARCHAR(50) NOT NULL,
              master_host VARCHAR(255) NULL,
              master_port INT NULL,
              master_user VARCHAR(96) NULL,
              master_log_file VARCHAR(255) NULL,
              master_log_pos BIGINT UNSIGNED NULL,
              master_ssl TINYINT NULL
            ) ENGINE=InnoDB
            """;

  /**
   * One history row, written with the binary log off for this session and the previous setting
   * restored.
   */
  private static String history(String action, String masterColumns, String masterValues) {
    return """
                  SET SESSION sql_log_bin = 0;
                  INSERT INTO mysql.rds_history (called_by_user, action, mysql_version%s)
                    VALUES (USER(), '%s', VERSION()%s);
                  SET SESSION sql_log_bin = saved_log_bin;
                """
        .formatted(masterColumns, action, masterValues);
  }

  private static final String SET_EXTERNAL_MASTER =
      """
            CREATE OR REPLACE DEFINER = %s PROCEDURE mysql.rds_set_external_master(
              IN host_name VARCHAR(255), IN host_port INT, IN replication_user_name VARCHAR(128),
              IN replication_user_password TEXT, IN mysql_binary_log_file_name VARCHAR(255),
              IN mysql_binary_log_file_location BIGINT UNSIGNED, IN ssl_encryption TINYINT)
              SQL SECURITY DEFINER
              COMMENT 'dbops sandbox stand-in for RDS: CHANGE MASTER TO <file/pos>, MASTER_USE_GTID = no'
            BEGIN
              DECLARE saved_log_bin INT DEFAULT @@session.sql_log_bin;
              IF host_name IS NULL OR host_port IS NULL OR replication_user_name IS NULL
                  OR mysql_binary_log_file_name IS NULL OR mysql_binary_log_file_location IS NULL THEN
                SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'Invalid arguments: host, port, user, log file and position are required';
              END IF;
              SET @rds_cmd = CONCAT('CHANGE MASTER TO MASTER_HOST = ', QUOTE(TRIM(host_name)),
                ', MASTER_PORT = ', host_port,
                ', MASTER_USER = ', QUOTE(TRIM(replication_user_name)),
                ', MASTER_PASSWORD = ', QUOTE(IFNULL(replication_user_password, '')),
                ', MASTER_LOG_FILE = ', QUOTE(TRIM(mysql_binary_log_file_name)),
                ', MASTER_LOG_POS = ', mysql_binary_log_file_location,
                ', MASTER_SSL = ', IF(IFNULL(ssl_encryption, 0), 1, 0),
                ', MASTER_SSL_VERIFY_SERVER_CERT = 0, MASTER_USE_GTID = no');
              PREPARE rds_stmt FROM @rds_cmd;
              SET @rds_cmd = NULL;
              EXECUTE rds_stmt;
              DEALLOCATE PREPARE rds_stmt;
            %s
            END
            """
          .formatted(
              DEFINER,
              history(
                  "set master",
                  ", master_host, master_port, master_user, master_log_file, master_log_pos, master_ssl",
                  ", TRIM(host_name), host_port, TRIM(replication_user_name), TRIM(mysql_binary_log_file_name), "
                      + "mysql_binary_log_file_location, IF(IFNULL(ssl_encryption, 0), 1, 0)"));

  private static final String START_REPLICATION =
      """
            CREATE OR REPLACE DEFINER = %s PROCEDURE mysql.rds_start_replication()
              SQL SECURITY DEFINER
              COMMENT 'dbops sandbox stand-in for RDS: START SLAVE'
            BEGIN
              DECLARE saved_log_bin INT DEFAULT @@session.sql_log_bin;
              PREPARE rds_stmt FROM 'START SLAVE';
              EXECUTE rds_stmt;
              DEALLOCATE PREPARE rds_stmt;
            %s
              SELECT 'Slave running normally.' AS Message;
            END
            """
          .formatted(DEFINER, history("start slave", "", ""));

  private static final String STOP_REPLICATION =
      """
            CREATE OR REPLACE DEFINER = %s PROCEDURE mysql.rds_stop_replication()
              SQL SECURITY DEFINER
              COMMENT 'dbops sandbox stand-in for RDS: STOP SLAVE'
            BEGIN
              DECLARE saved_log_bin INT DEFAULT @@session.sql_log_bin;
              PREPARE rds_stmt FROM 'STOP SLAVE';
              EXECUTE rds_stmt;
              DEALLOCATE PREPARE rds_stmt;
            %s
              SELECT 'Slave is down or disabled' AS Message;
            END
            """
          .formatted(DEFINER, history("stop slave", "", ""));

  private static final String RESET_EXTERNAL_MASTER =
      """
            CREATE OR REPLACE DEFINER = %s PROCEDURE mysql.rds_reset_external_master()
              SQL SECURITY DEFINER
              COMMENT 'dbops sandbox stand-in for RDS: STOP SLAVE, RESET SLAVE ALL'
            BEGIN
              DECLARE saved_log_bin INT DEFAULT @@session.sql_log_bin;
              PREPARE rds_stmt FROM 'STOP SLAVE';
              EXECUTE rds_stmt;
              DEALLOCATE PREPARE rds_stmt;
              PREPARE rds_stmt FROM 'RESET SLAVE ALL';
              EXECUTE rds_stmt;
              DEALLOCATE PREPARE rds_stmt;
            %s
              SELECT 'Replication configuration removed' AS Message;
            END
            """
          .formatted(DEFINER, history("reset master", "", ""));

  /**
   * Skips one event group (a whole transaction) when, and only when, the SQL thread stopped on an
   * error; then starts replication again and waits (at most 5 s) until the SQL thread has taken the
   * skip over, so a SHOW SLAVE STATUS right after the CALL shows the position past the skipped
   * group or the next error.
   */
  private static final String SKIP_REPL_ERROR =
      """
            CREATE OR REPLACE DEFINER = %s PROCEDURE mysql.rds_skip_repl_error()
              SQL SECURITY DEFINER
              COMMENT 'dbops sandbox stand-in for RDS: sql_slave_skip_counter = 1 if the SQL thread stopped on an error'
            BEGIN
              DECLARE saved_log_bin INT DEFAULT @@session.sql_log_bin;
              DECLARE sql_thread VARCHAR(16) DEFAULT NULL;
              DECLARE sql_errno INT DEFAULT 0;
              DECLARE waited INT DEFAULT 0;
              IF @@global.performance_schema = 0 THEN
                SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'rds_skip_repl_error (sandbox) needs performance_schema = ON';
              END IF;
              SET sql_thread = (SELECT SERVICE_STATE FROM performance_schema.replication_applier_status_by_coordinator
                                WHERE CHANNEL_NAME = '' LIMIT 1);
              SET sql_errno = (SELECT LAST_ERROR_NUMBER FROM performance_schema.replication_applier_status_by_coordinator
                               WHERE CHANNEL_NAME = '' LIMIT 1);
              IF sql_thread IS NULL THEN
                SELECT '%s' AS Message;
              ELSEIF sql_thread = 'ON' THEN
                SELECT '%s' AS Message;
              ELSEIF sql_errno = 0 THEN
                SELECT '%s' AS Message;
              ELSE
                SET GLOBAL sql_slave_skip_counter = 1;
                PREPARE rds_stmt FROM 'START SLAVE';
                EXECUTE rds_stmt;
                DEALLOCATE PREPARE rds_stmt;
                WHILE @@global.sql_slave_skip_counter > 0 AND waited < 25000 DO
                  DO SLEEP(0.0002);
                  SET waited = waited + 1;
                END WHILE;
            %s
                SELECT IF(SERVICE_STATE = 'OFF' AND LAST_ERROR_NUMBER <> 0, '%s', '%s') AS Message
                  FROM performance_schema.replication_applier_status_by_coordinator
                  WHERE CHANNEL_NAME = '' LIMIT 1;
              END IF;
            END
            """
          .formatted(
              DEFINER,
              DOWN_OR_DISABLED,
              RUNNING_NORMALLY,
              DOWN_OR_DISABLED,
              history("skip repl error", "", ""),
              SKIPPED_NEW_ERROR,
              SKIPPED);

  /**
   * RDS for MySQL's {@code (host_name, host_port, replication_user_name, replication_user_password,
   * ssl_encryption, delay)}: replication positioned by GTID instead of a file and position. On
   * MariaDB that is {@code MASTER_USE_GTID = slave_pos}: the replica asks the source for everything
   * after its {@code gtid_slave_pos}, as a MySQL replica with {@code MASTER_AUTO_POSITION = 1} asks
   * for everything not in its {@code gtid_executed} (a restored snapshot carries it).
   */
  private static final String SET_EXTERNAL_MASTER_WITH_AUTO_POSITION =
      """
            CREATE OR REPLACE DEFINER = %s PROCEDURE mysql.rds_set_external_master_with_auto_position(
              IN host_name VARCHAR(255), IN host_port INT, IN replication_user_name VARCHAR(128),
              IN replication_user_password TEXT, IN ssl_encryption TINYINT, IN delay INT)
              SQL SECURITY DEFINER
              COMMENT 'dbops sandbox stand-in for RDS: CHANGE MASTER TO … MASTER_USE_GTID = slave_pos'
            BEGIN
              DECLARE saved_log_bin INT DEFAULT @@session.sql_log_bin;
              IF host_name IS NULL OR host_port IS NULL OR replication_user_name IS NULL THEN
                SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'Invalid arguments: host, port and user are required';
              END IF;
              IF delay IS NOT NULL AND (delay < 0 OR delay > 86400) THEN
                SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'delay must be between 0 and 86400 seconds';
              END IF;
              SET @rds_cmd = CONCAT('CHANGE MASTER TO MASTER_HOST = ', QUOTE(TRIM(host_name)),
                ', MASTER_PORT = ', host_port,
                ', MASTER_USER = ', QUOTE(TRIM(replication_user_name)),
                ', MASTER_PASSWORD = ', QUOTE(IFNULL(replication_user_password, '')),
                ', MASTER_SSL = ', IF(IFNULL(ssl_encryption, 0), 1, 0),
                ', MASTER_SSL_VERIFY_SERVER_CERT = 0, MASTER_DELAY = ', IFNULL(delay, 0),
                ', MASTER_USE_GTID = slave_pos');
              PREPARE rds_stmt FROM @rds_cmd;
              SET @rds_cmd = NULL;
              EXECUTE rds_stmt;
              DEALLOCATE PREPARE rds_stmt;
            %s
            END
            """
          .formatted(
              DEFINER,
              history(
                  "set master",
                  ", master_host, master_port, master_user, master_ssl",
                  ", TRIM(host_name), host_port, TRIM(replication_user_name), IF(IFNULL(ssl_encryption, 0), 1, 0)"));

  /**
   * {@code (gtid_to_skip)}. MySQL commits an empty transaction under that GTID, so the applier
   * finds it executed and passes over it. The MariaDB equivalent is to skip exactly that event
   * group with {@code sql_slave_skip_counter = 1}: in GTID mode MariaDB records the skipped group's
   * GTID in {@code gtid_slave_pos}, as MySQL's empty transaction adds it to {@code gtid_executed}.
   * Moving {@code gtid_slave_pos} to the GTID by hand would be wrong: a domain keeps one sequence
   * number, so it would also pass over every transaction of the domain before it. Hence the
   * stand-in skips only the transaction the SQL thread stopped on (its {@code
   * LAST_SEEN_TRANSACTION}) and refuses any other GTID; a GTID already in {@code gtid_slave_pos} is
   * a no-op, as on MySQL. Waits (at most 5 s) until the SQL thread has taken the skip over, like
   * {@code rds_skip_repl_error}.
   */
  private static final String SKIP_TRANSACTION_WITH_GTID =
      """
            CREATE OR REPLACE DEFINER = %s PROCEDURE mysql.rds_skip_transaction_with_gtid(IN gtid_to_skip VARCHAR(200))
              SQL SECURITY DEFINER
              COMMENT 'dbops sandbox stand-in for RDS: skip the failing transaction if it has this MariaDB GTID'
            BEGIN
              DECLARE saved_log_bin INT DEFAULT @@session.sql_log_bin;
              DECLARE sql_thread VARCHAR(16) DEFAULT NULL;
              DECLARE sql_errno INT DEFAULT 0;
              DECLARE failing VARCHAR(200) DEFAULT NULL;
              DECLARE domain_pos VARCHAR(200) DEFAULT NULL;
              DECLARE waited INT DEFAULT 0;
              IF gtid_to_skip IS NULL OR gtid_to_skip NOT REGEXP '^[0-9]+-[0-9]+-[0-9]+$' THEN
                SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'Invalid GTID: expected domain-server-sequence';
              END IF;
              IF @@global.performance_schema = 0 THEN
                SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'rds_skip_transaction_with_gtid (sandbox) needs performance_schema = ON';
              END IF;
              SET domain_pos = SUBSTRING(REGEXP_SUBSTR(CONCAT(',', @@global.gtid_slave_pos),
                                 CONCAT(',', SUBSTRING_INDEX(gtid_to_skip, '-', 1), '-[0-9]+-[0-9]+')), 2);
              IF domain_pos <> '' AND CAST(SUBSTRING_INDEX(domain_pos, '-', -1) AS UNSIGNED)
                  >= CAST(SUBSTRING_INDEX(gtid_to_skip, '-', -1) AS UNSIGNED) THEN
                SELECT '%s' AS Message;
              ELSE
                SELECT SERVICE_STATE, LAST_ERROR_NUMBER, LAST_SEEN_TRANSACTION INTO sql_thread, sql_errno, failing
                  FROM performance_schema.replication_applier_status_by_coordinator WHERE CHANNEL_NAME = '' LIMIT 1;
                IF sql_thread IS NULL OR sql_thread = 'ON' OR sql_errno = 0 THEN
                  SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'The SQL thread is not stopped on an error: the sandbox skips only the failing transaction by GTID';
                END IF;
                IF failing IS NULL OR failing <> gtid_to_skip THEN
                  SET @rds_msg = CONCAT('GTID ', gtid_to_skip, ' is not the failing transaction (', IFNULL(failing, 'unknown'), ')');
                  SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = @rds_msg;
                END IF;
                SET GLOBAL sql_slave_skip_counter = 1;
                PREPARE rds_stmt FROM 'START SLAVE';
                EXECUTE rds_stmt;
                DEALLOCATE PREPARE rds_stmt;
                WHILE @@global.sql_slave_skip_counter > 0 AND waited < 25000 DO
                  DO SLEEP(0.0002);
                  SET waited = waited + 1;
                END WHILE;
            %s
                SELECT IF(SERVICE_STATE = 'OFF' AND LAST_ERROR_NUMBER <> 0, '%s', '%s') AS Message
                  FROM performance_schema.replication_applier_status_by_coordinator
                  WHERE CHANNEL_NAME = '' LIMIT 1;
              END IF;
            END
            """
          .formatted(
              DEFINER,
              GTID_ALREADY_EXECUTED,
              history("skip transaction with gtid", "", ""),
              SKIPPED_NEW_ERROR,
              SKIPPED);

  private static final String SET_CONFIGURATION =
      """
            CREATE OR REPLACE DEFINER = %s PROCEDURE mysql.rds_set_configuration(IN name VARCHAR(100), IN value INT)
              SQL SECURITY DEFINER
              COMMENT 'dbops sandbox stand-in for RDS: binlog retention hours, also as binlog_expire_logs_seconds'
            BEGIN
              DECLARE saved_log_bin INT DEFAULT @@session.sql_log_bin;
              IF name IS NULL OR name <> '%s' THEN
                SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'Invalid configuration name: only ''binlog retention hours'' is supported';
              END IF;
              IF value IS NOT NULL AND (value < 1 OR value > %d) THEN
                SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'binlog retention hours must be between 1 and %d, or NULL';
              END IF;
              SET SESSION sql_log_bin = 0;
              UPDATE mysql.rds_configuration c SET c.value = value WHERE c.name = name;
              SET SESSION sql_log_bin = saved_log_bin;
              SET GLOBAL binlog_expire_logs_seconds = IFNULL(value, 0) * 3600;
            END
            """
          .formatted(
              DEFINER,
              BINLOG_RETENTION_HOURS,
              MAX_BINLOG_RETENTION_HOURS,
              MAX_BINLOG_RETENTION_HOURS);

  private static final String SHOW_CONFIGURATION =
      """
            CREATE OR REPLACE DEFINER = %s PROCEDURE mysql.rds_show_configuration()
              SQL SECURITY DEFINER
              COMMENT 'dbops sandbox stand-in for RDS'
            BEGIN
              SELECT name, value, description FROM mysql.rds_configuration ORDER BY name;
            END
            """
          .formatted(DEFINER);

  private RdsProcedures() {}

  /**
   * Creates (or replaces, keeping grants) the {@link #PROCEDURES}, their tables and the definer
   * account. Idempotent; nothing of it reaches the binary log. {@code root} needs every privilege.
   */
  public static void install(Connection root) throws SQLException {
    Objects.requireNonNull(root, "root");
    withoutBinlog(
        root,
        s -> {
          s.execute("CREATE USER IF NOT EXISTS " + DEFINER + " ACCOUNT LOCK");
          s.execute("GRANT ALL PRIVILEGES ON *.* TO " + DEFINER + " WITH GRANT OPTION");
          for (String sql : TABLES.split(";;")) {
            s.execute(sql.strip());
          }
          for (String sql :
              List.of(
                  SET_EXTERNAL_MASTER,
                  START_REPLICATION,
                  STOP_REPLICATION,
                  SKIP_REPL_ERROR,
                  RESET_EXTERNAL_MASTER,
                  SET_CONFIGURATION,
                  SHOW_CONFIGURATION,
                  SET_EXTERNAL_MASTER_WITH_AUTO_POSITION,
                  SKIP_TRANSACTION_WITH_GTID)) {
            s.execute(sql);
          }
        });
  }

  /**
   * {@link #install} as one script for the {@code mariadb} client (procedure bodies between {@code
   * DELIMITER} lines), for servers the sandbox starts without a JDBC driver ({@link
   * MariaDbCli#script}). The caller runs it outside the binary log.
   */
  public static String installScript() {
    StringBuilder sb = new StringBuilder();
    sb.append("CREATE USER IF NOT EXISTS ").append(DEFINER).append(" ACCOUNT LOCK;\n");
    sb.append("GRANT ALL PRIVILEGES ON *.* TO ").append(DEFINER).append(" WITH GRANT OPTION;\n");
    for (String sql : TABLES.split(";;")) {
      if (!sql.isBlank()) sb.append(sql.strip()).append(";\n");
    }
    sb.append("DELIMITER $$\n");
    for (String sql :
        List.of(
            SET_EXTERNAL_MASTER,
            START_REPLICATION,
            STOP_REPLICATION,
            SKIP_REPL_ERROR,
            RESET_EXTERNAL_MASTER,
            SET_CONFIGURATION,
            SHOW_CONFIGURATION,
            SET_EXTERNAL_MASTER_WITH_AUTO_POSITION,
            SKIP_TRANSACTION_WITH_GTID)) {
      sb.append(sql.strip()).append("$$\n");
    }
    sb.append("DELIMITER ;\n");
    return sb.toString();
  }

  /**
   * Creates (or updates) {@code 'user'@'127.0.0.1'} like RDS's master user: {@link
   * #RDS_ADMIN_PRIVILEGES} on {@code *.*} with GRANT OPTION, no SUPER. It can drive replication
   * only through the procedures. User and password must not contain quotes or backslashes.
   */
  public static void createRdsAdmin(Connection root, String user, String password)
      throws SQLException {
    Objects.requireNonNull(root, "root");
    checkPlain("user", user);
    checkPlain("password", password);
    withoutBinlog(
        root,
        s -> {
          s.execute(
              "CREATE USER IF NOT EXISTS '"
                  + user
                  + "'@'127.0.0.1' IDENTIFIED BY '"
                  + password
                  + "'");
          s.execute("ALTER USER '" + user + "'@'127.0.0.1' IDENTIFIED BY '" + password + "'");
          s.execute(
              "GRANT "
                  + RDS_ADMIN_PRIVILEGES
                  + " ON *.* TO '"
                  + user
                  + "'@'127.0.0.1' WITH GRANT OPTION");
        });
  }

  /**
   * Creates (or updates) {@code 'user'@'127.0.0.1'} with REPLICATION SLAVE and REPLICATION CLIENT,
   * the account a replica's IO thread logs in with ({@code replication_user_name}).
   */
  public static void createReplicationUser(Connection root, String user, String password)
      throws SQLException {
    Objects.requireNonNull(root, "root");
    checkPlain("user", user);
    checkPlain("password", password);
    withoutBinlog(
        root,
        s -> {
          s.execute(
              "CREATE USER IF NOT EXISTS '"
                  + user
                  + "'@'127.0.0.1' IDENTIFIED BY '"
                  + password
                  + "'");
          s.execute("ALTER USER '" + user + "'@'127.0.0.1' IDENTIFIED BY '" + password + "'");
          s.execute(
              "GRANT REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO '" + user + "'@'127.0.0.1'");
        });
  }

  private interface StatementWork {
    void run(Statement s) throws SQLException;
  }

  private static void withoutBinlog(Connection root, StatementWork work) throws SQLException {
    try (Statement s = root.createStatement()) {
      s.execute("SET @dbops_saved_log_bin = @@session.sql_log_bin, SESSION sql_log_bin = 0");
      try {
        work.run(s);
      } finally {
        s.execute("SET SESSION sql_log_bin = @dbops_saved_log_bin");
      }
    }
  }

  private static void checkPlain(String what, String value) {
    Objects.requireNonNull(value, what);
    if (value.isEmpty() || value.contains("'") || value.contains("\\")) {
      throw new IllegalArgumentException(
          what + " must be non-empty, without quotes or backslashes");
    }
  }
}
