package dev.dbops.workflows.binlog;

/**
 * Stop replication and reset the external master only with the replica at exactly {@code
 * finalPosition}, the source's position read after its writes stopped; anything else is refused
 * with both positions named and replication left running.
 */
public record CutoverRequest(DbTarget replica, DbTarget source, BinlogPosition finalPosition) {}
