package dev.dbops.workflows.migration;

import dev.dbops.workflows.binlog.DbTarget;

/**
 * A write on the new writer after promotion: {@code CREATE DATABASE IF NOT EXISTS dbops}, {@code
 * CREATE TABLE IF NOT EXISTS dbops.migration_check}, {@code REPLACE} the row keyed by {@code token}
 * (the workflow id, so a retry writes the same row), then read it back.
 */
public record WriteProbe(DbTarget writer, String token) {
  public static final String TABLE = "dbops.migration_check";
}
