package dev.dbops.activities.migration;

/** The SQL text the migration activities run, in one place (the plan can show it as is). */
final class MigrationSql {
  private MigrationSql() {}

  /** RDS's own procedure; {@code name} / {@code value} rows. */
  static final String SHOW_CONFIGURATION = "CALL mysql.rds_show_configuration";

  static final String BINLOG_RETENTION_HOURS = "binlog retention hours";

  /** On the Aurora writer of a read replica cluster: the replication from the source. */
  static final String SHOW_SLAVE_STATUS = "SHOW SLAVE STATUS";

  static final String CREATE_SCHEMA = "CREATE DATABASE IF NOT EXISTS dbops";

  static final String CREATE_TABLE =
      "CREATE TABLE IF NOT EXISTS dbops.migration_check ("
          + "token VARCHAR(255) NOT NULL PRIMARY KEY, "
          + "written_at DATETIME(6) NOT NULL, "
          + "server_id BIGINT UNSIGNED NOT NULL)";

  /** Keyed by the token (the workflow id), so a retry writes the same row. */
  static final String REPLACE_ROW =
      "REPLACE INTO dbops.migration_check (token, written_at, server_id) "
          + "VALUES (?, UTC_TIMESTAMP(6), @@server_id)";

  static final String READ_ROW =
      "SELECT CAST(written_at AS CHAR), server_id FROM dbops.migration_check WHERE token = ?";
}
