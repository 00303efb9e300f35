package dev.dbops.workflows.migration;

import java.util.List;

/**
 * The source seen through SQL as its master user (read only): what the replica cluster needs from
 * the binary log.
 *
 * @param version {@code SELECT VERSION()}
 * @param binlogRetentionHours {@code binlog retention hours} from {@code
 *     mysql.rds_show_configuration} (null when it is NULL or the server has no such procedure: see
 *     {@code warnings})
 * @param readOnly {@code read_only} is ON now
 */
public record SourceSqlFacts(
    String version,
    boolean logBin,
    String binlogFormat,
    Integer binlogRetentionHours,
    boolean readOnly,
    List<String> warnings) {}
