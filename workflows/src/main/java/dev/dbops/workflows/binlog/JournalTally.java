package dev.dbops.workflows.binlog;

import dev.dbops.workflows.common.ApprovalRecord;
import dev.dbops.workflows.common.StepRecord;
import java.util.ArrayList;
import java.util.List;

/**
 * A catch-up's journal as the workflow keeps it: the newest {@link
 * BinlogCatchUpWorkflowImpl#JOURNAL_KEPT} entries, and counts of every entry journaled for the run
 * (its continuations too), by the policy and by people, with the newest id. Plain state: no
 * commands.
 */
final class JournalTally {
  private final List<JournalEntry> journal = new ArrayList<>();
  private int skippedByPolicy;
  private int journaled;
  private int byPeople;
  private long lastId;

  /** The counts an earlier run handed over (continue-as-new). */
  void resume(CarryOver c) {
    journal.addAll(c.journal());
    skippedByPolicy = c.skippedByPolicy();
    JournalCounts counts =
        c.journalCounts() != null ? c.journalCounts() : JournalCounts.of(c.journal());
    journaled = counts.entries();
    byPeople = counts.entries() - counts.byPolicy();
    lastId = counts.lastId();
  }

  /** What the next run takes over. */
  CarryOver carryOver(int runs, List<ApprovalRecord> decisions, List<StepRecord> timeline) {
    return new CarryOver(
        List.copyOf(journal),
        skippedByPolicy,
        runs,
        List.copyOf(decisions),
        List.copyOf(timeline),
        new JournalCounts(journaled, journaled - byPeople, lastId));
  }

  /**
   * A monitor slice's new entries kept and counted ({@code lastIdBefore}: the newest known when it
   * started).
   */
  void account(MonitorOutcome o, long lastIdBefore) {
    if (o.newCounts() == null) {
      // Recorded before outcomes were counted: the entries are all of them.
      for (JournalEntry e : o.newEntries()) {
        // Ids come from the replica's journal table: a resumed monitor may report an entry again.
        if (e.id() > lastId) counted(e);
      }
      return;
    }
    for (JournalEntry e : o.newEntries()) {
      if (e.id() > lastIdBefore) keep(e);
    }
    JournalCounts n = o.newCounts();
    journaled += n.entries();
    skippedByPolicy += n.byPolicy();
    byPeople += n.entries() - n.byPolicy();
    lastId = Math.max(lastId, n.lastId());
  }

  /** The entry a person's decision made (null for RETRY), kept and counted once. */
  void decided(JournalEntry e) {
    if (e != null && e.id() > lastId) counted(e);
  }

  private void counted(JournalEntry e) {
    keep(e);
    journaled++;
    if ("policy".equals(e.decidedBy())) skippedByPolicy++;
    else byPeople++;
    lastId = e.id();
  }

  private void keep(JournalEntry e) {
    journal.add(e);
    if (journal.size() > BinlogCatchUpWorkflowImpl.JOURNAL_KEPT) journal.remove(0);
  }

  int budgetRemaining(SkipPolicy policy) {
    return Math.max(0, policy.budgetOrDefault() - skippedByPolicy);
  }

  List<JournalEntry> journal() {
    return List.copyOf(journal);
  }

  int skippedByPolicy() {
    return skippedByPolicy;
  }

  int journaled() {
    return journaled;
  }

  int byPeople() {
    return byPeople;
  }

  long lastId() {
    return lastId;
  }
}
