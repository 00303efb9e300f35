package dev.dbops.activities.binlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dbops.activities.sql.ReplicationSql;
import dev.dbops.workflows.binlog.DbTarget;
import dev.dbops.workflows.binlog.JournalEntry;
import dev.dbops.workflows.binlog.JournalPage;
import dev.dbops.workflows.binlog.JournalPageRequest;
import dev.dbops.workflows.binlog.ReplicationActivities;
import dev.dbops.workflows.common.ErrorTypes;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code journalPage} against a real replica's journal tables, written directly: a run's entries
 * page by page, once each and in order, scoped to its source and workflow id, with the conflicts a
 * catch-up would read with them.
 */
@Tag("mariadb")
class JournalPageTest {
  private static final String RUN = "binlog/replica-a";
  private static final String OTHER_RUN = "binlog/replica-b";
  private static final String OTHER_SOURCE = "10.9.9.9:3306";
  private static final int ENTRIES = 450;

  private static ReplicationFixture fx;
  private static ReplicationActivities sql;

  @BeforeAll
  static void start() {
    fx = ReplicationFixture.start();
    TestActivityEnvironment env = fx.environment(SkipHooks.NONE);
    sql = fx.activities(env, ReplicationFixture.ONE_ATTEMPT);
  }

  @AfterAll
  static void stop() {
    if (fx != null) fx.close();
  }

  @BeforeEach
  void reset() throws Exception {
    fx.reset();
  }

  @Test
  void
      givenARunWithMoreEntriesThanAPage_whenPagedBy200_thenEveryEntryOnceInIdOrderWithItsConflicts()
          throws Exception {
    List<Long> runIds = new ArrayList<>();
    long statementEntry;
    long lostRowsEntry;
    try (Connection c = fx.pair.connectReplica();
        Statement s = c.createStatement()) {
      s.execute(ReplicationSql.CREATE_JOURNAL_SCHEMA);
      s.execute(ReplicationSql.CREATE_JOURNAL_TABLE);
      s.execute(ReplicationSql.CREATE_CONFLICT_TABLE);
      for (int i = 0; i < ENTRIES; i++) {
        String action = i == 250 ? SkipJournal.APPLIED_EXCEPT_CONFLICTS : SkipJournal.SKIPPED;
        runIds.add(journal(c, fx.source().address(), RUN, i, action));
        // Other runs' rows between this run's: same source, another run; another source, same id.
        if (i % 3 == 0)
          journal(c, fx.source().address(), OTHER_RUN, 100_000 + i, SkipJournal.SKIPPED);
        if (i % 5 == 0) journal(c, OTHER_SOURCE, RUN, i, SkipJournal.SKIPPED);
      }
      statementEntry = runIds.get(250);
      lostRowsEntry = runIds.get(260);
      conflict(c, statementEntry, 0, "KEPT_REPLICA_ROW");
      conflict(c, statementEntry, 1, "APPLIED");
      conflict(c, lostRowsEntry, 0, LostRows.LOST_WITH_TRANSACTION);
      long otherRunsEntry =
          journal(c, fx.source().address(), OTHER_RUN, 200_000, SkipJournal.SKIPPED);
      conflict(c, otherRunsEntry, 0, LostRows.LOST_WITH_TRANSACTION);
    }

    List<JournalEntry> read = new ArrayList<>();
    List<Boolean> more = new ArrayList<>();
    long after = 0;
    do {
      JournalPage page =
          sql.journalPage(new JournalPageRequest(fx.replica(), fx.source(), RUN, after, 200));
      read.addAll(page.entries());
      more.add(page.more());
      after = page.entries().get(page.entries().size() - 1).id();
    } while (more.get(more.size() - 1) && more.size() < 10);

    assertEquals(List.of(true, true, false), more, "three pages, the last says no more");
    assertEquals(
        runIds,
        read.stream().map(JournalEntry::id).toList(),
        "this run's entries, once each, in id order");
    assertTrue(
        read.stream().allMatch(e -> e.source().position() < ENTRIES),
        "no other run's or source's entries");
    JournalEntry statement = read.get(250);
    assertEquals(
        List.of("KEPT_REPLICA_ROW", "APPLIED"),
        statement.conflictsOrEmpty().stream()
            .map(dev.dbops.workflows.binlog.Conflict::resolution)
            .toList());
    assertEquals(1, statement.rowsLost(), "the row whose source version was kept out");
    JournalEntry lost = read.get(260);
    assertEquals(1, lost.conflictsOrEmpty().size());
    assertEquals(1, lost.rowsLost(), "a whole-transaction skip of row events loses its rows");
    JournalEntry plain = read.get(100);
    assertTrue(plain.conflictsOrEmpty().isEmpty());
    assertNull(plain.rowsLost());
    assertEquals(List.of("Write_rows: app.orders (1 row)"), plain.events());
  }

  @Test
  void givenNoConflictsTable_whenPaged_thenTheEntriesWithoutConflicts() throws Exception {
    try (Connection c = fx.pair.connectReplica();
        Statement s = c.createStatement()) {
      s.execute(ReplicationSql.CREATE_JOURNAL_SCHEMA);
      s.execute(ReplicationSql.CREATE_JOURNAL_TABLE);
      journal(c, fx.source().address(), RUN, 1, SkipJournal.APPLIED_EXCEPT_CONFLICTS);
      journal(c, fx.source().address(), RUN, 2, SkipJournal.SKIPPED);
    }

    JournalPage page =
        sql.journalPage(new JournalPageRequest(fx.replica(), fx.source(), RUN, 0, 1));

    assertEquals(1, page.entries().size());
    assertTrue(page.more());
    assertTrue(page.entries().get(0).conflictsOrEmpty().isEmpty());
  }

  @Test
  void
      givenAJournalTableFromBeforeTheGtidColumn_whenPagedThenEnsured_thenReadAsItIsThenTheColumnIsAddedOnce()
          throws Exception {
    // The table as catch-ups created it before GTIDs were journaled, with one entry.
    String before = ReplicationSql.CREATE_JOURNAL_TABLE.replaceAll("(?m)^\\s*gtid VARCHAR.*\n", "");
    assertTrue(
        !before.equals(ReplicationSql.CREATE_JOURNAL_TABLE) && !before.contains("gtid"), before);
    try (Connection c = fx.pair.connectReplica();
        Statement s = c.createStatement()) {
      s.execute(ReplicationSql.CREATE_JOURNAL_SCHEMA);
      s.execute(before);
      s.execute(
          "INSERT INTO dbops_journal.skipped_events (source, source_file, source_pos, relay_log, errno, error,"
              + " events, action, decided_by, workflow_id) VALUES ('"
              + fx.source().address()
              + "', 'mysql-bin.000001', 4,"
              + " 'relay-bin.000002:4', 1062, 'Duplicate entry', '[]', 'SKIPPED', 'policy', '"
              + RUN
              + "')");
    }

    JournalPage old =
        sql.journalPage(new JournalPageRequest(fx.replica(), fx.source(), RUN, 0, 200));

    assertEquals(1, old.entries().size(), "a read does not need the column");
    assertNull(old.entries().get(0).gtid());
    assertEquals(
        List.of("0"), fx.onReplica(ReplicationSql.JOURNAL_HAS_GTID), "a read alters nothing");

    try (SqlSession replica =
        SqlSession.open(
            new dev.dbops.activities.mysql.MySqlConnector(ReplicationFixture.SETTINGS),
            fx.replica(),
            fx.pair.adminPassword())) {
      SkipJournal journal = new SkipJournal(replica, fx.source().address(), RUN);
      journal.ensure();
      journal.ensure();
      assertEquals(List.of("1"), fx.onReplica(ReplicationSql.JOURNAL_HAS_GTID), "added once");
      try (Connection c = fx.pair.connectReplica()) {
        journal(c, fx.source().address(), RUN, 5, SkipJournal.SKIPPED);
        c.createStatement()
            .execute("UPDATE dbops_journal.skipped_events SET gtid = '0-1-5' WHERE source_pos = 5");
      }
      assertEquals(
          java.util.Arrays.asList(null, "0-1-5"),
          journal.after(0).stream().map(JournalEntry::gtid).toList(),
          "the old entry kept, the new one with its GTID");
    }
  }

  @Test
  void givenNoJournalTable_whenPaged_thenAnEmptyLastPage() {
    JournalPage page =
        sql.journalPage(new JournalPageRequest(fx.replica(), fx.source(), RUN, 0, 200));

    assertTrue(page.entries().isEmpty());
    assertFalse(page.more());
  }

  @Test
  void givenALimitOutOfRange_whenPaged_thenInvalidInputBeforeConnecting() {
    // Nothing listens on port 1: a connection attempt would fail as DbUnavailable instead.
    DbTarget nowhere = new DbTarget("127.0.0.1", 1, fx.admin());
    for (int limit : List.of(0, JournalPage.MAX_LIMIT + 1)) {
      ActivityFailure f =
          assertThrows(
              ActivityFailure.class,
              () -> sql.journalPage(new JournalPageRequest(nowhere, fx.source(), RUN, 0, limit)));
      ApplicationFailure af = (ApplicationFailure) f.getCause();
      assertEquals(ErrorTypes.INVALID_INPUT, af.getType(), af.toString());
      assertTrue(af.isNonRetryable());
      assertTrue(af.getOriginalMessage().contains("limit"), af.getOriginalMessage());
    }
  }

  /** A journal row as a catch-up writes it; its id. */
  private static long journal(
      Connection c, String source, String workflowId, int pos, String action) throws Exception {
    try (PreparedStatement ps =
        c.prepareStatement(ReplicationSql.JOURNAL_INSERT, Statement.RETURN_GENERATED_KEYS)) {
      Object[] args = {
        source,
        "mysql-bin.000001",
        pos,
        "relay-bin.000002:" + pos,
        1062,
        "Duplicate entry",
        SkipJournal.json(List.of("Write_rows: app.orders (1 row)")),
        action,
        "policy",
        workflowId,
        null
      };
      for (int i = 0; i < args.length; i++) ps.setObject(i + 1, args[i]);
      assertEquals(1, ps.executeUpdate());
      try (ResultSet keys = ps.getGeneratedKeys()) {
        assertTrue(keys.next());
        return keys.getLong(1);
      }
    }
  }

  private static void conflict(Connection c, long journalId, int seq, String resolution)
      throws Exception {
    try (PreparedStatement ps = c.prepareStatement(ReplicationSql.CONFLICT_INSERT)) {
      Object[] args = {
        journalId,
        seq,
        1062,
        "app.orders",
        "INSERT",
        "{\"id\": " + seq + "}",
        null,
        resolution,
        "policy"
      };
      for (int i = 0; i < args.length; i++) ps.setObject(i + 1, args[i]);
      ps.executeUpdate();
    }
  }
}
