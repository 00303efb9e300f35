package dev.dbops.workflows.binlog;

import java.util.List;

/**
 * @param problems reasons replication from this source cannot work (non-empty fails the run)
 */
public record SourceReport(
    boolean logBin,
    String binlogFormat,
    Integer retentionHours,
    boolean replicationUserReady,
    BinlogPosition current,
    List<String> problems,
    List<String> warnings) {}
