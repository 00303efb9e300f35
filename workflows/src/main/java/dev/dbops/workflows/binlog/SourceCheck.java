package dev.dbops.workflows.binlog;

/**
 * Source pre-flight: log_bin ON, binlog_format MIXED/ROW, retention hours (set when asked via
 * mysql.rds_set_configuration, bounded by the source's engine and version), replication user with
 * REPLICATION SLAVE (created when asked, password from its reference).
 *
 * @param readOnly a dry run's check: reads only — the retention is not set, the user neither
 *     created nor granted (what would be is left to the plan), and neither is a problem
 */
public record SourceCheck(
    DbTarget source, ReplicationUser replicationUser, Integer setRetentionHours, Boolean readOnly) {

  public SourceCheck(DbTarget source, ReplicationUser replicationUser, Integer setRetentionHours) {
    this(source, replicationUser, setRetentionHours, null);
  }

  public boolean isReadOnly() {
    return Boolean.TRUE.equals(readOnly);
  }
}
