package dev.dbops.activities.binlog;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dbops.workflows.binlog.BinlogPosition;
import dev.dbops.workflows.binlog.Conflict;
import dev.dbops.workflows.binlog.JournalEntry;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The pure half of TRANSACTION mode's lost-rows rule ({@link LostRows#judge}) on row images as the
 * binlog decoder gives them (ints as Integer, character columns as bytes): which key each change is
 * judged on and what the source has there after the transaction, or why it is not compared. The
 * comparison with the replica's rows runs on real replication in {@code ScenarioTest} ({@code
 * transaction-mode-*}).
 */
class LostRowsTest {
  private static final TableShape ORDERS =
      new TableShape(
          "app",
          "orders",
          List.of(
              new TableShape.Column("id", "int", false, null),
              new TableShape.Column("note", "varchar", false, "utf8mb4")),
          List.of("id"),
          List.of(List.of("id")));
  private static final TableShape NOTES =
      new TableShape(
          "app",
          "notes",
          List.of(new TableShape.Column("what", "varchar", false, "utf8mb4")),
          List.of(),
          List.of());
  private static final TableShape CODES =
      new TableShape(
          "app",
          "codes",
          List.of(
              new TableShape.Column("code", "varchar", false, "utf8mb4"),
              new TableShape.Column("n", "int", false, null)),
          List.of(),
          List.of(List.of("code")));

  @Test
  void
      givenAnUpdateKeepingItsKey_whenJudged_thenTheAfterImageIsWhatTheReplicaMustHoldUnderTheKey() {
    List<LostRows.Judgement> j = judge(update("orders", 1, "one", 1, "one, updated"));

    assertNull(j.get(0).resolution(), "compared");
    assertEquals(
        1, j.get(0).targets().size(), "one key: its after image replaces its before image");
    LostRows.Target t = j.get(0).targets().get(0);
    assertEquals(List.of("id"), t.key());
    assertArrayEquals(new Object[] {1L, "one, updated"}, t.row());
    assertEquals(
        "{\"before\":{\"id\":1,\"note\":\"one\"},\"after\":{\"id\":1,\"note\":\"one, updated\"}}",
        j.get(0).source());
  }

  @Test
  void
      givenAnUpdateMovingTheRowToAnotherKey_whenJudged_thenTheOldKeyMustBeEmptyAndTheNewHoldTheAfterImage() {
    LostRows.Judgement j = judge(update("orders", 1, "one", 7, "one")).get(0);

    assertEquals(2, j.targets().size());
    assertNull(j.targets().get(0).row(), "no row under the old key");
    assertArrayEquals(new Object[] {1L, "one"}, j.targets().get(0).keyRow());
    assertArrayEquals(new Object[] {7L, "one"}, j.targets().get(1).row());
  }

  @Test
  void givenADelete_whenJudged_thenTheReplicaMustHaveNoRowUnderItsKey() {
    LostRows.Target t = judge(delete("orders", 3, "three")).get(0).targets().get(0);

    assertNull(t.row());
    assertArrayEquals(new Object[] {3L, "three"}, t.keyRow());
  }

  @Test
  void
      givenARowInsertedUpdatedThenAnotherDeleted_whenJudged_thenEachKeyIsJudgedOnceByItsLastChange() {
    List<LostRows.Judgement> j =
        judge(
            insert("orders", 5, "five"),
            update("orders", 5, "five", 5, "five, updated"),
            delete("orders", 1, "one"),
            insert("orders", 1, "one again"));

    assertEquals(Conflict.CHANGED_AGAIN_IN_TRANSACTION, j.get(0).resolution());
    assertEquals(List.of(), j.get(0).targets());
    assertArrayEquals(new Object[] {5L, "five, updated"}, j.get(1).targets().get(0).row());
    assertEquals(
        Conflict.CHANGED_AGAIN_IN_TRANSACTION,
        j.get(2).resolution(),
        "the row is inserted again after it");
    assertArrayEquals(new Object[] {1L, "one again"}, j.get(3).targets().get(0).row());
  }

  @Test
  void givenATableWithoutPrimaryKeyButAUniqueKey_whenJudged_thenLookedUpByTheUniqueKey() {
    LostRows.Judgement j =
        judge(row(SourceTransaction.Row.Kind.INSERT, "codes", null, image("a", 1))).get(0);

    assertNull(j.resolution());
    assertEquals(List.of("code"), j.targets().get(0).key());
  }

  @Test
  void givenNoKeyToLookTheRowUpBy_whenJudged_thenCountedLostAndTheResolutionSaysWhy() {
    LostRows.Judgement noKey =
        judge(
                row(
                    SourceTransaction.Row.Kind.UPDATE,
                    "notes",
                    image("gone"),
                    image("gone, updated")))
            .get(0);
    LostRows.Judgement nullKey =
        judge(row(SourceTransaction.Row.Kind.INSERT, "codes", null, image(null, 1))).get(0);

    assertEquals(Conflict.LOST_NO_KEY, noKey.resolution());
    assertTrue(noKey.why().contains("no primary or unique key"), noKey.why());
    assertEquals(Conflict.LOST_NO_KEY, nullKey.resolution());
    assertTrue(nullKey.why().contains("NULL"), nullKey.why());
    assertTrue(conflict(Conflict.LOST_NO_KEY, "UPDATE").losesSourceRow());
  }

  @Test
  void givenATableNotOnTheReplicaOrWithOtherColumns_whenJudged_thenNotComparedAndCountedLost() {
    SourceTransaction.Row gone =
        row(SourceTransaction.Row.Kind.INSERT, "archive", null, image(1, "x"));
    SourceTransaction.Row wider =
        new SourceTransaction.Row(
            SourceTransaction.Row.Kind.INSERT, "app", "orders", 3, null, image(1, "x", 2));

    List<LostRows.Judgement> j =
        LostRows.judge(
            List.of(gone, wider),
            r -> r == gone ? Optional.empty() : Optional.of(ORDERS),
            LostRows.COMPARED_AT_MOST);

    assertEquals(Conflict.LOST_NOT_COMPARED, j.get(0).resolution());
    assertTrue(j.get(0).why().contains("not on the replica"), j.get(0).why());
    assertEquals(Conflict.LOST_NOT_COMPARED, j.get(1).resolution());
    assertEquals("{\"@1\":1,\"@2\":\"0x78\",\"@3\":2}", j.get(1).source(), "shown by position");
    assertTrue(conflict(Conflict.LOST_NOT_COMPARED, "INSERT").losesSourceRow());
  }

  @Test
  void givenMoreRowsThanOneSkipCompares_whenJudged_thenTheRestCountLostAndSayWhy() {
    List<LostRows.Judgement> j =
        judge(
            2,
            insert("orders", 1, "one"),
            insert("orders", 2, "two"),
            update("orders", 1, "one", 1, "one, updated"),
            insert("orders", 3, "three"));

    assertEquals(Conflict.CHANGED_AGAIN_IN_TRANSACTION, j.get(0).resolution(), "not a comparison");
    assertNull(j.get(1).resolution());
    assertNull(j.get(2).resolution());
    assertEquals(Conflict.LOST_NOT_COMPARED, j.get(3).resolution());
    assertEquals(List.of(), j.get(3).targets());
    assertTrue(j.get(3).why().contains("more rows than the 2 compared"), j.get(3).why());
  }

  @Test
  void
      givenRowsAlreadyOnTheReplicaAmongLostOnes_whenTheEntryIsRead_thenRowsLostCountsOnlyTheLost() {
    JournalEntry e =
        new JournalEntry(
            1,
            new BinlogPosition("b.000001", 4),
            "relay.000002:4",
            1062,
            "Duplicate entry",
            List.of("Write_rows: table_id: 42 flags: STMT_END_F"),
            SkipJournal.SKIPPED,
            "policy",
            "t");

    JournalEntry merged =
        SkipJournal.merged(
            e,
            List.of(
                conflict(Conflict.ALREADY_ON_REPLICA, "INSERT"),
                conflict(Conflict.CHANGED_AGAIN_IN_TRANSACTION, "INSERT"),
                conflict(Conflict.LOST_WITH_TRANSACTION, "UPDATE"),
                conflict(Conflict.ALREADY_ON_REPLICA, "DELETE")));

    assertEquals(1, merged.rowsLost());
    assertEquals(
        0,
        SkipJournal.merged(e, List.of(conflict(Conflict.ALREADY_ON_REPLICA, "INSERT"))).rowsLost(),
        "every row already there: nothing lost, and known so");
    assertFalse(conflict(Conflict.CHANGED_AGAIN_IN_TRANSACTION, "INSERT").losesSourceRow());
  }

  private static List<LostRows.Judgement> judge(SourceTransaction.Row... rows) {
    return judge(LostRows.COMPARED_AT_MOST, rows);
  }

  private static List<LostRows.Judgement> judge(int comparedAtMost, SourceTransaction.Row... rows) {
    return LostRows.judge(
        Arrays.asList(rows),
        r ->
            Optional.of(
                switch (r.table()) {
                  case "orders" -> ORDERS;
                  case "notes" -> NOTES;
                  default -> CODES;
                }),
        comparedAtMost);
  }

  private static SourceTransaction.Row insert(String table, int id, String note) {
    return row(SourceTransaction.Row.Kind.INSERT, table, null, image(id, note));
  }

  private static SourceTransaction.Row update(
      String table, int id, String note, int newId, String newNote) {
    return row(SourceTransaction.Row.Kind.UPDATE, table, image(id, note), image(newId, newNote));
  }

  private static SourceTransaction.Row delete(String table, int id, String note) {
    return row(SourceTransaction.Row.Kind.DELETE, table, image(id, note), null);
  }

  private static SourceTransaction.Row row(
      SourceTransaction.Row.Kind kind, String table, Serializable[] before, Serializable[] after) {
    int columns = (before != null ? before : after).length;
    return new SourceTransaction.Row(kind, "app", table, columns, before, after);
  }

  /** A row image as the decoder gives it: strings as their UTF-8 bytes. */
  private static Serializable[] image(Object... values) {
    Serializable[] out = new Serializable[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] =
          values[i] instanceof String s
              ? s.getBytes(StandardCharsets.UTF_8)
              : (Serializable) values[i];
    }
    return out;
  }

  private static Conflict conflict(String resolution, String change) {
    return new Conflict(0, "app.orders", change, "{}", null, resolution, "policy");
  }
}
