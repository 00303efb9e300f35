package dev.dbops.workflows.binlog;

/** Replication stopped and the external master reset; where the replica ended. */
public record CutoverReport(BinlogPosition replicaExecuted, BinlogPosition sourceAtStop) {}
