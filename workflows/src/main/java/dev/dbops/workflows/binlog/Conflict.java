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
 * @param resolution KEPT_REPLICA_ROW, ALREADY_ON_REPLICA, TOOK_SOURCE_ROW, SKIPPED_MISSING_ROW,
 *     REINSERTED, APPLIED_WITHOUT_FK_CHECKS; LOST_WITH_TRANSACTION
 * @param decidedBy "policy" or the person who decided
 */
public record Conflict(int errno, String table, String change, String sourceRow, String replicaRow,
    String resolution, String decidedBy) {
  /** 1062: the replica's row stays, the source's version of it is left out. */
  public static final String KEPT_REPLICA_ROW = "KEPT_REPLICA_ROW";
  /** 1062: the replica already had the source's row, value for value: nothing changed, nothing left out. */
  public static final String ALREADY_ON_REPLICA = "ALREADY_ON_REPLICA";
  /** 1032: the update or delete found no row and was left out. */
  public static final String SKIPPED_MISSING_ROW = "SKIPPED_MISSING_ROW";
  /** A row of a whole transaction skipped: not applied. */
  public static final String LOST_WITH_TRANSACTION = "LOST_WITH_TRANSACTION";

  /**
   * The one rule for rows lost: whether, because of this conflict, the replica does not hold this
   * row as the source does after the transaction. A kept replica row or a row skipped with its
   * transaction: yes. An update that found no row: yes (the source has its after image, the replica
   * nothing). A delete that found no row: no — neither side has the row. Taken, re-inserted,
   * applied without foreign-key checks, or already there value for value: no.
   */
  public boolean losesSourceRow() {
    if (resolution == null) return false;
    return switch (resolution) {
      case KEPT_REPLICA_ROW, LOST_WITH_TRANSACTION -> true;
      case SKIPPED_MISSING_ROW -> !"DELETE".equals(change);
      default -> false;
    };
  }
}
