package dev.dbops.workflows.binlog;

/**
 * Carry out a person's SKIP (journal, then mysql.rds_skip_repl_error) or RETRY
 * (mysql.rds_start_replication) for the error stopped at {@code at}. Idempotent: if the replica has
 * already moved past {@code at}, nothing is done again.
 */
public record DecisionRequest(
    DbTarget replica, DbTarget source, ErrorDecision decision, BinlogPosition at) {}
