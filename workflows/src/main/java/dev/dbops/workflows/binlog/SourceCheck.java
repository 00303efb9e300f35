package dev.dbops.workflows.binlog;

/**
 * Source pre-flight: log_bin ON, binlog_format MIXED/ROW, retention hours (set when asked via
 * mysql.rds_set_configuration, bounded by the source's engine and version), replication user with
 * REPLICATION SLAVE (created when asked, password from its reference).
 */
public record SourceCheck(
    DbTarget source, ReplicationUser replicationUser, Integer setRetentionHours) {}
