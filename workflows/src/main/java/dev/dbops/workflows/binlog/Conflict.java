package dev.dbops.workflows.binlog;

/**
 * One conflicting statement or row of a transaction applied again in STATEMENT mode: what the
 * source wanted, what the replica has, and what was done about it. Also, for a whole-transaction
 * skip of row events (TRANSACTION mode, or a person's SKIP), each row it left out.
 *
 * @param errno 1062, 1032 or 1452 (as the re-apply met it); 0 for a row lost with its transaction
 * @param table schema.table
 * @param change INSERT, UPDATE or DELETE
 * @param sourceRow the source's row version as JSON (after image; before image for a delete;
 *     {@code before} and {@code after} for an update), null when unknown
 * @param replicaRow the replica's row with the same key as JSON, null when it has none
 * @param resolution KEPT_REPLICA_ROW, TOOK_SOURCE_ROW, SKIPPED_MISSING_ROW, REINSERTED,
 *     APPLIED_WITHOUT_FK_CHECKS; LOST_WITH_TRANSACTION
 * @param decidedBy "policy" or the person who decided
 */
public record Conflict(int errno, String table, String change, String sourceRow, String replicaRow,
    String resolution, String decidedBy) {}
