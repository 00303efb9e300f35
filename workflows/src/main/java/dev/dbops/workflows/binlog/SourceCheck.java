package dev.dbops.workflows.binlog;

/**
 * Source pre-flight: log_bin ON, binlog_format MIXED/ROW, retention hours (set when asked via
 * mysql.rds_set_configuration), replication user with REPLICATION SLAVE / CLIENT (created when
 * asked, password from its reference).
 */
public record SourceCheck(DbTarget source, ReplicationUser replicationUser, Integer setRetentionHours) {}
