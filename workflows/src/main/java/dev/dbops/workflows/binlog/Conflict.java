package dev.dbops.workflows.binlog;

/**
 * One conflicting statement or row of a transaction applied again in STATEMENT mode: what the
 * source wanted, what the replica has, and what was done about it. Also, for a whole-transaction
 * skip of row events (TRANSACTION mode, or a person's SKIP), each row it left out.
 *
 * @param errno 1062, 1032 or 1452 (as the re-apply met it); 0 for a row lost with its transaction
 * @param table schema.table
 * @param change INSERT, UPDATE or DELETE
 * @param sourceRow the source's row version as JSON (after image; before image for a delete; {@code
 *     before} and {@code after} for an update), null when unknown
 * @param replicaRow the replica's row with the same key as JSON, null when it has none
 * @param resolution KEPT_REPLICA_ROW, ALREADY_ON_REPLICA, TOOK_SOURCE_ROW, SKIPPED_MISSING_ROW,
 *     REINSERTED, APPLIED_WITHOUT_FK_CHECKS; a whole-transaction skip: LOST_WITH_TRANSACTION,
 *     ALREADY_ON_REPLICA, CHANGED_AGAIN_IN_TRANSACTION, LOST_NO_KEY, LOST_NOT_COMPARED
 * @param decidedBy "policy" or the person who decided
 */
public record Conflict(
    int errno,
    String table,
    String change,
    String sourceRow,
    String replicaRow,
    String resolution,
    String decidedBy) {
  /** 1062: the replica's row stays, the source's version of it is left out. */
  public static final String KEPT_REPLICA_ROW = "KEPT_REPLICA_ROW";

  /**
   * 1062: the replica already had the source's row, value for value: nothing changed, nothing left
   * out.
   */
  public static final String ALREADY_ON_REPLICA = "ALREADY_ON_REPLICA";

  /** 1032: the update or delete found no row and was left out. */
  public static final String SKIPPED_MISSING_ROW = "SKIPPED_MISSING_ROW";

  /**
   * A row of a whole transaction skipped: not applied, and the replica does not hold it as the
   * source has it after the transaction (the replica's version, if any, is in {@code replicaRow}).
   * Entries journaled before rows were compared list every row of the skip so.
   */
  public static final String LOST_WITH_TRANSACTION = "LOST_WITH_TRANSACTION";

  /**
   * A row of a whole transaction skipped whose key the same transaction changes again: the later
   * change of that key says whether the source's row is on the replica (counted there, once).
   */
  public static final String CHANGED_AGAIN_IN_TRANSACTION = "CHANGED_AGAIN_IN_TRANSACTION";

  /**
   * A row of a whole transaction skipped that cannot be looked up on the replica (its table has no
   * primary or unique key there, or the key is NULL in the row): counted as lost.
   */
  public static final String LOST_NO_KEY = "LOST_NO_KEY";

  /**
   * A row of a whole transaction skipped whose image could not be compared with the replica's (the
   * table is not there or has other columns, a value cannot be bound, the row does not fit a copy
   * of the table, the transaction changes more rows than one skip compares): counted as lost.
   */
  public static final String LOST_NOT_COMPARED = "LOST_NOT_COMPARED";

  /**
   * The one rule for rows lost: whether, because of this conflict, the replica does not hold this
   * row as the source does after the transaction. A kept replica row or a row skipped with its
   * transaction: yes. An update that found no row: yes (the source has its after image, the replica
   * nothing). A delete that found no row: no — neither side has the row. Taken, re-inserted,
   * applied without foreign-key checks, or already there value for value: no. A row skipped with
   * its transaction that could not be looked up or compared: yes (not known to be there); one whose
   * key the transaction changes again: no (its last change counts).
   */
  public boolean losesSourceRow() {
    if (resolution == null) return false;
    return switch (resolution) {
      case KEPT_REPLICA_ROW, LOST_WITH_TRANSACTION, LOST_NO_KEY, LOST_NOT_COMPARED -> true;
      case SKIPPED_MISSING_ROW -> !"DELETE".equals(change);
      default -> false;
    };
  }
}
