package dev.dbops.workflows.binlog;

import java.util.List;

/**
 * Journal entries counted, where the entries themselves are not all kept (a monitor outcome or a
 * run carries only the newest; the replica's journal table holds every one).
 *
 * @param entries how many
 * @param byPolicy of them, skipped by the policy (the rest: by people)
 * @param lastId the newest entry's id, 0 for none
 */
public record JournalCounts(int entries, int byPolicy, long lastId) {
  public static final JournalCounts NONE = new JournalCounts(0, 0, 0);

  public static JournalCounts of(List<JournalEntry> entries) {
    int policy = 0;
    long last = 0;
    for (JournalEntry e : entries) {
      if ("policy".equals(e.decidedBy())) policy++;
      last = Math.max(last, e.id());
    }
    return new JournalCounts(entries.size(), policy, last);
  }
}
