package dev.dbops.workflows.binlog;

import java.util.List;

/**
 * One skipped event group, written to the replica's journal table before the skip and read
 * back by id, so a crash neither loses nor repeats an entry.
 *
 * @param id the journal table's id (monotonic per replica)
 * @param source where the skipped group starts on the source (Relay_Master_Log_File /
 *     Exec_Master_Log_Pos): the entry's identity
 * @param relayLog relay log file:position of the group on the replica
 * @param events the statements / row events of the whole skipped transaction, as read with
 *     SHOW RELAYLOG EVENTS (sql_slave_skip_counter=1 skips all of them)
 * @param decidedBy "policy" or the person who decided
 */
public record JournalEntry(
    long id, BinlogPosition source, String relayLog, int errno, String error, List<String> events,
    String action, String decidedBy, String at) {}
