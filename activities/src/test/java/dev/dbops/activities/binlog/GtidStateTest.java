package dev.dbops.activities.binlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The MySQL side of {@link GtidState} on recorded SHOW SLAVE STATUS rows
 * (src/test/resources/slave-status; no MySQL server runs here), and the GTID events of both
 * servers. The MariaDB side runs on real MariaDB in the gtid-* folders of {@link ScenarioTest}.
 */
class GtidStateTest {
  private static final String SOURCE = "3e11fa47-71ca-11e1-9e33-c80aa9429562";

  @Test
  void
      givenARecordedMySqlReplicaRunningByAutoPosition_whenRead_thenItIsPositionedByGtidAtItsExecutedSet()
          throws IOException {
    GtidState g = GtidState.of(recorded("mysql57-running.txt"), null);

    assertEquals(GtidState.MYSQL, g.flavor());
    assertTrue(g.positioned());
    assertEquals(SOURCE + ":1-5", g.position());
    assertEquals(SOURCE + ":1-5", g.received());
    assertEquals(SOURCE, g.sourceUuid());
    assertNull(g.failing(List.of()), "everything retrieved was executed: no failing transaction");
  }

  @Test
  void
      givenARecordedMySqlReplicaStoppedOnAnError_whenItsEventsAreNotRead_thenTheFailingGtidIsTheFirstRetrievedNotExecuted()
          throws IOException {
    GtidState g = GtidState.of(recorded("mysql80-stopped-on-1062.txt"), null);

    // The set wraps after its comma as the server prints it; the replica's own GTIDs do not count.
    assertEquals(SOURCE + ":1-3,8c3b4a5e-1f2d-11ee-9a1b-0a1b2c3d4e5f:1-12", g.executed());
    assertEquals(SOURCE + ":4", g.failing(List.of()));
  }

  @Test
  void givenTheFailingGroupsGtidEvent_whenTheGtidIsAsked_thenTheEventDecidesOverTheSets()
      throws IOException {
    GtidState g = GtidState.of(recorded("mysql80-stopped-on-1062.txt"), null);

    // SHOW RELAYLOG EVENTS on MySQL, and the binlog reader's line for a MySQL GTID event.
    assertEquals(
        SOURCE + ":6",
        g.failing(
            List.of(
                "Gtid: SET @@SESSION.GTID_NEXT= '3E11FA47-71CA-11E1-9E33-C80AA9429562:6'",
                "Query: BEGIN",
                "Xid: COMMIT /* xid=9 */")));
    assertEquals(
        SOURCE + ":23",
        g.failing(
            List.of(
                "GTID: GtidEventData{flags=1, gtid='"
                    + SOURCE
                    + ":23', last_committed='0', sequence_number='1'}",
                "Query: BEGIN")));
  }

  @Test
  void givenGapsInTheExecutedSet_whenTheFailingGtidIsDerived_thenTheFirstGapOfTheSourcesUuidIsIt() {
    GtidState g =
        new GtidState(GtidState.MYSQL, true, SOURCE + ":1-3:5-6", SOURCE + ":1-9", SOURCE);
    assertEquals(SOURCE + ":4", g.failing(List.of()));

    GtidState noUuid = new GtidState(GtidState.MYSQL, true, SOURCE + ":1-6", SOURCE + ":1-9", null);
    assertEquals(
        SOURCE + ":7", noUuid.failing(List.of()), "the only UUID retrieved is the source's");

    GtidState allDone =
        new GtidState(GtidState.MYSQL, true, SOURCE + ":1-9", SOURCE + ":3-9", SOURCE);
    assertNull(allDone.failing(List.of()));
  }

  @Test
  void
      givenARecordedMySqlReplicaByFileAndPosition_whenRead_thenItIsNotPositionedByGtidAndStatusShowsNoGtid()
          throws IOException {
    GtidState g = GtidState.of(recorded("mysql57-file-position.txt"), null);

    assertEquals(GtidState.MYSQL, g.flavor());
    assertFalse(g.positioned());
    assertNull(g.position());
    assertFalse(g.skipsByGtid(), "anonymous transactions: rds_skip_repl_error");

    GtidState gtidsByPosition =
        new GtidState(GtidState.MYSQL, false, SOURCE + ":1-3", SOURCE + ":1-4", SOURCE);
    assertTrue(
        gtidsByPosition.skipsByGtid(),
        "GTID transactions by file and position: MySQL refuses the skip counter");
    assertEquals(SOURCE + ":4", gtidsByPosition.failing(List.of()));
  }

  @Test
  void
      givenAMariaDbRowPositionedBySlavePos_whenRead_thenExecutedIsGtidSlavePosAndTheFailingGtidComesOnlyFromTheEvent() {
    Map<String, String> row = Map.of("Using_Gtid", "Slave_Pos", "Gtid_IO_Pos", "0-1-7");
    GtidState g = GtidState.of(row, null);
    assertTrue(g.needsSlavePos());
    g = g.withSlavePos("0-1-4");

    assertEquals(GtidState.MARIADB, g.flavor());
    assertEquals("0-1-4", g.position());
    assertEquals("0-1-7", g.received());
    assertEquals(
        "0-1-5",
        g.failing(List.of("Gtid: BEGIN GTID 0-1-5", "Table_map: `app`.`t`", "Xid: COMMIT")));
    assertEquals(
        "0-1-11",
        g.failing(List.of("Gtid: GTID 0-1-11", "Query: use `app`; CREATE TABLE x (id INT)")));
    assertNull(g.failing(List.of()), "MariaDB's sequence numbers are not guessed");

    assertTrue(g.skipsByGtid());
    GtidState byPosition = GtidState.of(Map.of("Using_Gtid", "No", "Gtid_IO_Pos", ""), null);
    assertFalse(byPosition.positioned());
    assertFalse(byPosition.skipsByGtid(), "MariaDB by file and position skips by counter");
    assertFalse(byPosition.needsSlavePos());
    assertNull(byPosition.position());
  }

  /**
   * A recorded {@code SHOW SLAVE STATUS\G} row: {@code Name: value} lines; a line without a name
   * goes on the last value.
   */
  private static Map<String, String> recorded(String file) throws IOException {
    String text;
    try (InputStream in =
        Objects.requireNonNull(
            GtidStateTest.class.getResourceAsStream("/slave-status/" + file), file)) {
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    Pattern field = Pattern.compile("^\\s*([A-Za-z_]+): ?(.*)$");
    Map<String, String> row = new LinkedHashMap<>();
    String last = null;
    for (String line : text.split("\n")) {
      if (line.startsWith("***")) continue;
      Matcher m = field.matcher(line);
      if (m.matches()) {
        last = m.group(1);
        row.put(last, m.group(2));
      } else if (last != null && !line.isBlank()) {
        row.put(last, row.get(last) + "\n" + line);
      }
    }
    return row;
  }
}
