package dev.dbops.activities.binlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Event groups as MariaDB (and MySQL) write them into relay logs and binlogs. */
class EventGroupTest {
  private static BinlogEvent e(long pos, String type, String info) {
    return new BinlogEvent("relaylog.000002", pos, type, 1, 0, info);
  }

  private static EventGroup feed(BinlogEvent... events) {
    EventGroup g = new EventGroup();
    for (BinlogEvent e : events) {
      if (!g.add(e)) break;
    }
    return g;
  }

  @Test
  void givenATransactionAndTheNextOne_whenFed_thenTheGroupEndsAtItsXid() {
    EventGroup g =
        feed(
            e(728, "Gtid", "BEGIN GTID 0-1-6"),
            e(770, "Query", "INSERT INTO app.orders VALUES (3,'x')"),
            e(870, "Query", "INSERT INTO app.orders VALUES (2,'dup')"),
            e(1076, "Xid", "COMMIT /* xid=12 */"),
            e(1107, "Gtid", "BEGIN GTID 0-1-7"),
            e(1149, "Query", "INSERT INTO app.orders VALUES (9,'next')"));

    assertTrue(g.complete());
    assertEquals(
        List.of(
            "Gtid: BEGIN GTID 0-1-6",
            "Query: INSERT INTO app.orders VALUES (3,'x')",
            "Query: INSERT INTO app.orders VALUES (2,'dup')",
            "Xid: COMMIT /* xid=12 */"),
        g.journalLines("x"));
  }

  @Test
  void givenTheStartOfARelayLog_whenFed_thenBookkeepingIsLeftOutAndARotateIsRemembered() {
    EventGroup g =
        feed(
            e(4, "Format_desc", "Server ver: 11.4.5"),
            e(256, "Rotate", "mysql-bin.000001;pos=975"),
            e(303, "Gtid_list", "[]"),
            e(555, "Gtid", "GTID 0-1-11"),
            e(597, "Query", "use `app`; CREATE TABLE t2 (id int primary key)"));

    assertTrue(g.complete());
    assertEquals(2, g.events().size());
    assertEquals("mysql-bin.000001", g.nextFile());
  }

  @Test
  void givenMySqlStyleBeginAndCommit_whenFed_thenTheGroupIsTheTransaction() {
    EventGroup g =
        feed(
            e(4, "Anonymous_Gtid", "SET @@SESSION.GTID_NEXT= 'ANONYMOUS'"),
            e(5, "Query", "BEGIN"),
            e(6, "Query", "use `app`; UPDATE t SET a = 1"),
            e(7, "Query", "COMMIT"),
            e(8, "Query", "BEGIN"));

    assertTrue(g.complete());
    assertEquals(4, g.events().size());
  }

  @Test
  void givenAGroupThatDoesNotEndInTheRows_whenJournaled_thenANoteSaysWhereTheRestIs() {
    EventGroup g =
        feed(e(1, "Gtid", "BEGIN GTID 0-1-6"), e(2, "Query", "INSERT INTO t VALUES (1)"));

    assertFalse(g.complete());
    assertTrue(
        g.journalLines("SHOW RELAYLOG EVENTS IN 'r' FROM 1")
            .get(2)
            .contains("SHOW RELAYLOG EVENTS IN 'r' FROM 1"));
    assertEquals("the transaction was not read to its end", g.reapply().refusal());
  }

  @Test
  void givenMoreEventsThanKept_whenFed_thenTruncatedWithANote() {
    EventGroup g = new EventGroup();
    g.add(e(1, "Gtid", "BEGIN GTID 0-1-6"));
    int n = 1;
    while (g.add(e(++n, "Query", "INSERT INTO t VALUES (" + n + ")"))) {
      // until the cap
    }

    assertTrue(g.truncated());
    assertEquals(EventGroup.MAX_EVENTS, g.events().size());
    assertTrue(g.journalLines("there").get(EventGroup.MAX_EVENTS).startsWith("… more than"));
  }

  @Test
  void givenStatementEvents_whenReapplied_thenUseAndSetStatementsPrecedeTheDml() {
    EventGroup g =
        feed(
            e(1, "Gtid", "BEGIN GTID 0-1-5"),
            e(2, "Intvar", "INSERT_ID=7"),
            e(3, "Query", "use `app`; INSERT INTO child (parent_id) VALUES (5)"),
            e(4, "Query", "UPDATE app.parent SET n = n + 1 WHERE id = 5"),
            e(5, "Xid", "COMMIT /* xid=42 */"));

    EventGroup.Reapply r = g.reapply();

    assertNull(r.refusal());
    assertEquals(
        List.of(
            "SET INSERT_ID=7",
            "USE `app`",
            "INSERT INTO child (parent_id) VALUES (5)",
            "UPDATE app.parent SET n = n + 1 WHERE id = 5"),
        r.statements());
  }

  @Test
  void givenRowEventsOrDdl_whenReapplied_thenRefused() {
    EventGroup rows =
        feed(
            e(1, "Gtid", "BEGIN GTID 0-1-9"),
            e(2, "Table_map", "table_id: 18 (app.orders)"),
            e(3, "Update_rows_v1", "table_id: 18 flags: STMT_END_F"),
            e(4, "Xid", "COMMIT /* xid=33 */"));
    EventGroup ddl =
        feed(e(1, "Gtid", "GTID 0-1-11"), e(2, "Query", "use `app`; ALTER TABLE child ADD x INT"));

    assertTrue(rows.rowsWithoutStatement());
    assertTrue(rows.reapply().refusal().contains("Table_map"), rows.reapply().refusal());
    assertTrue(
        ddl.reapply().refusal().contains("not INSERT/UPDATE/DELETE/REPLACE"),
        ddl.reapply().refusal());
  }

  @Test
  void
      givenJournalLines_whenAskedForRowChangingStatements_thenQueryDmlWithOrWithoutItsDefaultSchema() {
    assertTrue(EventGroup.isDmlLine("Query: INSERT INTO app.orders VALUES (1)"));
    assertTrue(EventGroup.isDmlLine("Query: use `app`; UPDATE orders SET note = 'x'"));
    assertTrue(EventGroup.isDmlLine("Query: /* app */ DELETE FROM app.orders"));
    assertFalse(EventGroup.isDmlLine("Query: BEGIN"));
    assertFalse(EventGroup.isDmlLine("Query: use `app`; ALTER TABLE orders ADD COLUMN c INT"));
    assertFalse(EventGroup.isDmlLine("Annotate_rows: INSERT INTO app.orders VALUES (1)"));
    assertFalse(EventGroup.isDmlLine("Write_rows: table_id: 42 flags: STMT_END_F"));
  }

  @Test
  void givenLostRowsOfATransactionWithAStatementEventToo_whenMerged_thenRowsLostIsUnknown() {
    dev.dbops.workflows.binlog.Conflict lost =
        new dev.dbops.workflows.binlog.Conflict(
            0,
            "app.orders",
            "INSERT",
            "{\"id\":1}",
            null,
            LostRows.LOST_WITH_TRANSACTION,
            "policy");
    dev.dbops.workflows.binlog.JournalEntry rowsOnly =
        entry(
            List.of(
                "Annotate_rows: INSERT INTO app.orders VALUES (1)",
                "Write_rows: table_id: 42 flags: STMT_END_F"));
    dev.dbops.workflows.binlog.JournalEntry withStatement =
        entry(
            List.of(
                "Query: use `app`; INSERT INTO audit VALUES (7)",
                "Write_rows: table_id: 42 flags: STMT_END_F"));

    assertEquals(1, SkipJournal.merged(rowsOnly, List.of(lost)).rowsLost());
    assertNull(
        SkipJournal.merged(withStatement, List.of(lost)).rowsLost(),
        "the statement's rows are not among the images: how many were lost is not known");
  }

  private static dev.dbops.workflows.binlog.JournalEntry entry(List<String> events) {
    return new dev.dbops.workflows.binlog.JournalEntry(
        1,
        new dev.dbops.workflows.binlog.BinlogPosition("b.000001", 4),
        "relay.000002:4",
        1062,
        "Duplicate entry",
        events,
        SkipJournal.SKIPPED,
        "policy",
        "t");
  }
}
