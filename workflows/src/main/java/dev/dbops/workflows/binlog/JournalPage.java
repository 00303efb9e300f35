package dev.dbops.workflows.binlog;

import java.util.List;

/**
 * A page of a binlog catch-up's journal, read from the replica's journal table.
 *
 * @param entries oldest first, with their conflicts
 * @param more another entry exists after the last one: ask again from its id
 */
public record JournalPage(List<JournalEntry> entries, boolean more) {
  /**
   * The most entries one page may hold: a page is one activity result and one workflow result, both
   * under Temporal's 2 MB payload limit, and an entry lists every event of its transaction.
   */
  public static final int MAX_LIMIT = 500;
}
