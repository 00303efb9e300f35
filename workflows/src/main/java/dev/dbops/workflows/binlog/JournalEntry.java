package dev.dbops.workflows.binlog;

import java.util.List;

/**
 * One skipped event group, written to the replica's journal table before the skip and read back by
 * id, so a crash neither loses nor repeats an entry.
 *
 * @param id the journal table's id (monotonic per replica)
 * @param source where the skipped group starts on the source (Relay_Master_Log_File /
 *     Exec_Master_Log_Pos): the entry's identity
 * @param relayLog relay log file:position of the group on the replica
 * @param events the statements / row events of the whole skipped transaction, as read with SHOW
 *     RELAYLOG EVENTS (sql_slave_skip_counter=1 skips all of them)
 * @param decidedBy "policy" or the person who decided
 * @param conflicts STATEMENT mode: the statements / rows left out or resolved, each with both row
 *     versions; a whole-transaction skip: the rows of its row events, with their images from the
 *     source's binlog, each compared with the replica's row under its key (LOST_WITH_TRANSACTION,
 *     ALREADY_ON_REPLICA, …; none for statement events, listed in {@code events})
 * @param rowsLost rows of the source's transaction that are not on the replica as the source has
 *     them because of this entry, each conflict counted by {@link Conflict#losesSourceRow()} (0 for
 *     a re-apply without foreign-key checks); null when unknown (a whole-transaction skip whose
 *     rows could not be read, or with statement events: every statement listed in {@code events} is
 *     lost)
 * @param gtid the skipped transaction's GTID (MySQL {@code uuid:n}, MariaDB {@code
 *     domain-server-seq}); null when it has none or it is not known (entries written before the
 *     column)
 */
public record JournalEntry(
    long id,
    BinlogPosition source,
    String relayLog,
    int errno,
    String error,
    List<String> events,
    String action,
    String decidedBy,
    String at,
    List<Conflict> conflicts,
    Integer rowsLost,
    String gtid) {

  /** An entry without a GTID (file-and-position replication; entries recorded before GTIDs). */
  public JournalEntry(
      long id,
      BinlogPosition source,
      String relayLog,
      int errno,
      String error,
      List<String> events,
      String action,
      String decidedBy,
      String at,
      List<Conflict> conflicts,
      Integer rowsLost) {
    this(
        id, source, relayLog, errno, error, events, action, decidedBy, at, conflicts, rowsLost,
        null);
  }

  /**
   * An entry without conflicts: a whole-transaction skip (histories recorded before STATEMENT
   * mode).
   */
  public JournalEntry(
      long id,
      BinlogPosition source,
      String relayLog,
      int errno,
      String error,
      List<String> events,
      String action,
      String decidedBy,
      String at) {
    this(id, source, relayLog, errno, error, events, action, decidedBy, at, List.of(), null, null);
  }

  public List<Conflict> conflictsOrEmpty() {
    return conflicts == null ? List.of() : conflicts;
  }
}
