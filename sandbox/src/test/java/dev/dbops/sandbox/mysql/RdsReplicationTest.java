package dev.dbops.sandbox.mysql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Replication driven only through RDS-style CALLs by the non-SUPER admin user, against a real
 * source and replica. One pair for the class: every test starts from a reset replica, replicates
 * from the source's current position and works in its own schema, so the order does not matter.
 */
@Tag("mariadb")
class RdsReplicationTest {

  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String DESCRIPTION =
      "binlog retention hours specifies the duration in hours before binary logs are automatically deleted.";

  private static ReplicationPair pair;

  @BeforeAll
  static void start() {
    pair = ReplicationPair.start();
  }

  @AfterAll
  static void stop() {
    if (pair != null) {
      pair.close();
    }
  }

  @BeforeEach
  void resetReplica() throws SQLException {
    pair.resetReplica();
  }

  @Test
  void givenExternalMasterSetByAdmin_whenSourceWrites_thenRowsAppearOnReplica()
      throws SQLException {
    BinlogPosition from = pair.sourceStatus();
    try (Connection admin = pair.connectReplicaAsAdmin();
        Statement s = admin.createStatement()) {
      s.execute(
          "CALL mysql.rds_set_external_master('127.0.0.1', "
              + pair.source().port()
              + ", '"
              + pair.replicationUser()
              + "', '"
              + pair.replicationPassword()
              + "', '"
              + from.file()
              + "', "
              + from.position()
              + ", 0)");
      assertEquals("Slave running normally.", message(s, "CALL mysql.rds_start_replication"));
    }
    source(
        "CREATE DATABASE basic",
        "CREATE TABLE basic.t (id INT PRIMARY KEY, v VARCHAR(20))",
        "INSERT INTO basic.t VALUES (1, 'one'), (2, 'two')");

    ReplicaStatus status = pair.awaitCaughtUp(WAIT);

    assertEquals(
        List.of("1:one", "2:two"),
        replicaRows("SELECT CONCAT(id, ':', v) FROM basic.t ORDER BY id"));
    assertEquals(0, status.lastSqlErrno());
    assertEquals(0, status.lastIoErrno());
    assertEquals(0L, status.secondsBehindMaster());
    assertEquals(pair.sourceStatus(), status.executedUpTo());
    assertTrue(status.relayLogFile().startsWith("relaylog."), status.relayLogFile());
    assertTrue(from.file().startsWith("mysql-bin-changelog."), from.file());
    assertEquals(
        List.of("set master|admin@127.0.0.1|" + from.file() + "|" + from.position()),
        replicaRows(
            "SELECT CONCAT_WS('|', action, called_by_user, master_log_file, master_log_pos) "
                + "FROM mysql.rds_history WHERE action = 'set master' ORDER BY action_timestamp DESC LIMIT 1"));
  }

  @Test
  void
      givenDuplicateKeyInsideThreeStatementTransaction_whenSkipReplError_thenWholeTransactionIsSkippedAndReplicationContinues()
          throws SQLException {
    pair.replicateFrom(pair.sourceStatus());
    source("CREATE DATABASE dup", "CREATE TABLE dup.t (id INT PRIMARY KEY, v VARCHAR(20))");
    pair.awaitCaughtUp(WAIT);
    replica("INSERT INTO dup.t VALUES (2, 'replica')");
    source(
        "BEGIN",
        "INSERT INTO dup.t VALUES (10, 'before')",
        "INSERT INTO dup.t VALUES (2, 'conflict')",
        "INSERT INTO dup.t VALUES (11, 'after')",
        "COMMIT",
        "INSERT INTO dup.t VALUES (3, 'next transaction')");

    ReplicaStatus failed = pair.awaitSqlError(WAIT);

    assertEquals(1062, failed.lastSqlErrno());
    assertTrue(
        failed.lastSqlError().contains("Duplicate entry '2' for key 'PRIMARY'"),
        failed.lastSqlError());
    assertEquals("No", failed.slaveSqlRunning());
    assertEquals("Yes", failed.slaveIoRunning());
    assertNull(failed.secondsBehindMaster());

    // The journal: the failing event group, from the replica's relay log and from the source's
    // binlog.
    List<Event> relay =
        eventGroup(
            pair.connectReplicaAsAdmin(),
            "SHOW RELAYLOG EVENTS IN ? FROM ? LIMIT ?",
            failed.relayLogFile(),
            failed.relayLogPos());
    List<Event> binlog =
        eventGroup(
            pair.connectSourceAsAdmin(),
            "SHOW BINLOG EVENTS IN ? FROM ? LIMIT ?",
            failed.relayMasterLogFile(),
            failed.execMasterLogPos());
    List<String> statements =
        List.of(
            "INSERT INTO dup.t VALUES (10, 'before')",
            "INSERT INTO dup.t VALUES (2, 'conflict')",
            "INSERT INTO dup.t VALUES (11, 'after')");
    for (List<Event> group : List.of(relay, binlog)) {
      assertEquals("Gtid", group.get(0).type(), group.toString());
      assertTrue(group.get(0).info().startsWith("BEGIN GTID "), group.toString());
      assertEquals(
          statements,
          group.stream().filter(e -> e.type().equals("Query")).map(Event::info).toList());
      assertEquals("Xid", group.get(group.size() - 1).type());
      assertTrue(group.get(group.size() - 1).info().startsWith("COMMIT"), group.toString());
    }
    assertEquals(failed.execMasterLogPos(), binlog.get(0).pos());
    assertEquals(failed.relayLogPos(), relay.get(0).pos());

    try (Connection admin = pair.connectReplicaAsAdmin();
        Statement s = admin.createStatement()) {
      assertEquals(RdsProcedures.SKIPPED, message(s, "CALL mysql.rds_skip_repl_error"));
    }
    ReplicaStatus resumed = pair.awaitCaughtUp(WAIT);

    assertEquals(
        List.of("2:replica", "3:next transaction"),
        replicaRows("SELECT CONCAT(id, ':', v) FROM dup.t ORDER BY id"),
        "ids 10 and 11 went with the skipped transaction");
    assertEquals(0, resumed.lastSqlErrno());
    try (Connection admin = pair.connectReplicaAsAdmin();
        Statement s = admin.createStatement()) {
      assertEquals(RdsProcedures.RUNNING_NORMALLY, message(s, "CALL mysql.rds_skip_repl_error"));
    }
  }

  @Test
  void
      givenReplicationByGtid_whenTheFailingTransactionIsSkippedByItsGtid_thenOnlyItIsSkippedAndNoOtherGtidIs()
          throws SQLException {
    // A replica restored from a snapshot of the source has executed what the source had.
    String restoredAt = sourceRows("SELECT @@global.gtid_binlog_pos").get(0);
    replica("SET GLOBAL gtid_slave_pos = '" + restoredAt + "'");
    try (Connection admin = pair.connectReplicaAsAdmin();
        Statement s = admin.createStatement()) {
      s.execute(
          "CALL mysql.rds_set_external_master_with_auto_position('127.0.0.1', "
              + pair.source().port()
              + ", '"
              + pair.replicationUser()
              + "', '"
              + pair.replicationPassword()
              + "', 0, 0)");
      s.execute("CALL mysql.rds_start_replication");
    }
    source("CREATE DATABASE gt", "CREATE TABLE gt.t (id INT PRIMARY KEY, v VARCHAR(20))");
    pair.awaitCaughtUp(WAIT);
    try (Connection root = pair.connectReplica();
        Statement s = root.createStatement();
        ResultSet rs = s.executeQuery("SHOW SLAVE STATUS")) {
      assertTrue(rs.next());
      assertEquals(
          "Slave_Pos", rs.getString("Using_Gtid"), "positioned by GTID, not by file and position");
    }
    replica("INSERT INTO gt.t VALUES (2, 'replica')");
    source(
        "BEGIN",
        "INSERT INTO gt.t VALUES (1, 'with the conflict')",
        "INSERT INTO gt.t VALUES (2, 'conflict')",
        "COMMIT",
        "INSERT INTO gt.t VALUES (3, 'next')");

    ReplicaStatus failed = pair.awaitSqlError(WAIT);
    List<Event> group =
        eventGroup(
            pair.connectSourceAsAdmin(),
            "SHOW BINLOG EVENTS IN ? FROM ? LIMIT ?",
            failed.relayMasterLogFile(),
            failed.execMasterLogPos());
    String gtid = group.get(0).info().replace("BEGIN GTID ", "");
    String[] dss = gtid.split("-");
    String next = dss[0] + "-" + dss[1] + "-" + (Long.parseLong(dss[2]) + 1);

    try (Connection admin = pair.connectReplicaAsAdmin();
        Statement s = admin.createStatement()) {
      SQLException refused =
          assertThrows(
              SQLException.class,
              () -> s.execute("CALL mysql.rds_skip_transaction_with_gtid('" + next + "')"));
      assertTrue(
          refused.getMessage().contains("is not the failing transaction (" + gtid + ")"),
          refused.getMessage());
      assertEquals(
          RdsProcedures.SKIPPED,
          message(s, "CALL mysql.rds_skip_transaction_with_gtid('" + gtid + "')"));
    }
    pair.awaitCaughtUp(WAIT);

    assertEquals(
        List.of("2:replica", "3:next"),
        replicaRows("SELECT CONCAT(id, ':', v) FROM gt.t ORDER BY id"),
        "only the failing transaction was skipped");
    assertEquals(
        sourceRows("SELECT @@global.gtid_binlog_pos"),
        replicaRows("SELECT @@global.gtid_slave_pos"),
        "the skipped GTID counts as executed");
    try (Connection admin = pair.connectReplicaAsAdmin();
        Statement s = admin.createStatement()) {
      assertEquals(
          RdsProcedures.GTID_ALREADY_EXECUTED,
          message(s, "CALL mysql.rds_skip_transaction_with_gtid('" + gtid + "')"),
          "again: nothing to do");
    }
    assertEquals(
        List.of("skip transaction with gtid"),
        replicaRows(
            "SELECT action FROM mysql.rds_history WHERE action LIKE 'skip%' ORDER BY action_timestamp DESC LIMIT 1"));
  }

  @Test
  void
      givenRowFormatUpdateOfRowDeletedOnReplica_whenApplied_then1032AndAnnotatedRowEventsAndSkipContinues()
          throws SQLException {
    pair.replicateFrom(pair.sourceStatus());
    source(
        "CREATE DATABASE gone",
        "CREATE TABLE gone.t (id INT PRIMARY KEY, v VARCHAR(20))",
        "INSERT INTO gone.t VALUES (1, 'a'), (2, 'b')");
    pair.awaitCaughtUp(WAIT);
    replica("DELETE FROM gone.t WHERE id = 2");
    try (Connection src = pair.connectSource();
        Statement s = src.createStatement()) {
      s.execute("SET SESSION binlog_format = 'ROW'");
      s.execute("UPDATE gone.t SET v = 'changed' WHERE id = 2");
      s.execute("INSERT INTO gone.t VALUES (3, 'c')");
    }

    ReplicaStatus failed = pair.awaitSqlError(WAIT);

    assertEquals(1032, failed.lastSqlErrno());
    assertTrue(failed.lastSqlError().contains("Can't find record in 't'"), failed.lastSqlError());
    List<Event> group =
        eventGroup(
            pair.connectSourceAsAdmin(),
            "SHOW BINLOG EVENTS IN ? FROM ? LIMIT ?",
            failed.relayMasterLogFile(),
            failed.execMasterLogPos());
    assertEquals(
        List.of("Gtid", "Annotate_rows", "Table_map", "Update_rows_v1", "Xid"),
        group.stream().map(Event::type).toList());
    assertEquals(
        "UPDATE gone.t SET v = 'changed' WHERE id = 2",
        group.get(1).info(),
        "the row event's statement");
    List<Event> relay =
        eventGroup(
            pair.connectReplicaAsAdmin(),
            "SHOW RELAYLOG EVENTS IN ? FROM ? LIMIT ?",
            failed.relayLogFile(),
            failed.relayLogPos());
    assertEquals(
        group.stream().filter(e -> !e.type().equals("Annotate_rows")).map(Event::info).toList(),
        relay.stream().map(Event::info).toList(),
        "the relay log has the row events but not the Annotate_rows statement (even with replicate_annotate_row_events=ON)");

    try (Connection admin = pair.connectReplicaAsAdmin();
        Statement s = admin.createStatement()) {
      assertEquals(RdsProcedures.SKIPPED, message(s, "CALL mysql.rds_skip_repl_error"));
    }
    pair.awaitCaughtUp(WAIT);

    assertEquals(
        List.of("1:a", "3:c"), replicaRows("SELECT CONCAT(id, ':', v) FROM gone.t ORDER BY id"));
  }

  @Test
  void
      givenTwoConflictingTransactions_whenSkipReplErrorTwice_thenEachCallSkipsExactlyOneTransaction()
          throws SQLException {
    pair.replicateFrom(pair.sourceStatus());
    source("CREATE DATABASE twice", "CREATE TABLE twice.t (id INT PRIMARY KEY)");
    pair.awaitCaughtUp(WAIT);
    replica("INSERT INTO twice.t VALUES (1), (2)");
    source(
        "INSERT INTO twice.t VALUES (1)",
        "INSERT INTO twice.t VALUES (2)",
        "INSERT INTO twice.t VALUES (3)");

    ReplicaStatus first = pair.awaitSqlError(WAIT);
    skip();
    ReplicaStatus second =
        pair.awaitReplica(
            s -> s.sqlStoppedOnError() && s.execMasterLogPos() != first.execMasterLogPos(), WAIT);
    skip();
    pair.awaitCaughtUp(WAIT);

    assertEquals(1062, first.lastSqlErrno());
    assertEquals(1062, second.lastSqlErrno());
    assertTrue(
        first.lastSqlError().contains("'1'") && second.lastSqlError().contains("'2'"),
        first + " / " + second);
    assertEquals(List.of("1", "2", "3"), replicaRows("SELECT id FROM twice.t ORDER BY id"));
  }

  @Test
  void givenSourceBinlogsPurgedBeforeReplicaStarts_whenReplicationStarts_thenIoError1236()
      throws SQLException, InterruptedException {
    BinlogPosition old = pair.sourceStatus();
    source("CREATE DATABASE purged", "FLUSH BINARY LOGS");
    BinlogPosition current = pair.sourceStatus();
    assertNotEquals(old.file(), current.file());
    // The dump thread of the replica the last test stopped can still hold the old log for a
    // moment, and a log in use is left in place with only a warning: purge until it is gone.
    long deadline = System.nanoTime() + WAIT.toNanos();
    source("PURGE BINARY LOGS TO '" + current.file() + "'");
    while (sourceRows("SHOW BINARY LOGS").stream().anyMatch(l -> l.startsWith(old.file() + "|"))) {
      assertTrue(System.nanoTime() < deadline, old.file() + " was never purged");
      Thread.sleep(100);
      source("PURGE BINARY LOGS TO '" + current.file() + "'");
    }

    pair.replicateFrom(old);
    ReplicaStatus status = pair.awaitReplica(s -> s.lastIoErrno() != 0, WAIT);

    assertEquals(1236, status.lastIoErrno());
    assertTrue(
        status
            .lastIoError()
            .contains("Could not find first log file name in binary log index file"),
        status.lastIoError());
    assertEquals("No", status.slaveIoRunning());
    assertEquals(0, status.lastSqlErrno());
    try (Connection admin = pair.connectReplicaAsAdmin();
        Statement s = admin.createStatement()) {
      assertEquals(
          RdsProcedures.RUNNING_NORMALLY,
          message(s, "CALL mysql.rds_skip_repl_error"),
          "an IO error is not the SQL thread's: nothing to skip");
    }
  }

  @Test
  void givenBinlogRetention168_whenShowConfiguration_thenValueShownAndExpiryMapped()
      throws SQLException {
    try (Connection admin = pair.connectSourceAsAdmin();
        Statement s = admin.createStatement()) {
      s.execute("CALL mysql.rds_set_configuration('binlog retention hours', 168)");

      assertEquals(
          List.of("binlog retention hours|168|" + DESCRIPTION),
          rows(s, "CALL mysql.rds_show_configuration"));
      assertEquals(List.of("604800"), rows(s, "SELECT @@global.binlog_expire_logs_seconds"));
      SQLException unknown =
          assertThrows(
              SQLException.class,
              () -> s.execute("CALL mysql.rds_set_configuration('target delay', 10)"));
      assertEquals("45000", unknown.getSQLState());
      assertThrows(
          SQLException.class,
          () -> s.execute("CALL mysql.rds_set_configuration('binlog retention hours', 0)"));
      assertThrows(
          SQLException.class,
          () -> s.execute("CALL mysql.rds_set_configuration('binlog retention hours', 2161)"));
      assertEquals(
          List.of("binlog retention hours|168|" + DESCRIPTION),
          rows(s, "CALL mysql.rds_show_configuration"));

      s.execute("CALL mysql.rds_set_configuration('binlog retention hours', NULL)");
      assertEquals(
          List.of("binlog retention hours||" + DESCRIPTION),
          rows(s, "CALL mysql.rds_show_configuration"));
      assertEquals(List.of("0"), rows(s, "SELECT @@global.binlog_expire_logs_seconds"));
      s.execute("CALL mysql.rds_set_configuration('binlog retention hours', 168)");
    }
    BinlogPosition before = pair.sourceStatus();
    source("FLUSH BINARY LOGS");
    try (Connection src = pair.connectSource()) {
      List<String> events =
          rows(src, "SHOW BINLOG EVENTS IN '" + before.file() + "' FROM " + before.position());
      assertEquals(
          List.of(),
          events.stream().filter(e -> e.contains("rds_configuration")).toList(),
          "the configuration table is not replicated");
    }
  }

  @Test
  void
      givenRunningReplication_whenStopStartAndResetExternalMaster_thenThreadsFollowAndConfigurationIsGone()
          throws SQLException {
    pair.replicateFrom(pair.sourceStatus());
    pair.awaitReplica(s -> s.ioRunning() && s.sqlRunning(), WAIT);

    try (Connection admin = pair.connectReplicaAsAdmin();
        Statement s = admin.createStatement()) {
      s.execute("CALL mysql.rds_stop_replication");
      ReplicaStatus stopped = ReplicaStatus.query(admin).orElseThrow();
      assertEquals("No", stopped.slaveIoRunning());
      assertEquals("No", stopped.slaveSqlRunning());
      assertNull(stopped.secondsBehindMaster());
      assertEquals(
          RdsProcedures.DOWN_OR_DISABLED,
          message(s, "CALL mysql.rds_skip_repl_error"),
          "stopped without an error: nothing to skip");

      s.execute("CALL mysql.rds_start_replication");
      source("CREATE DATABASE restarted");
      pair.awaitCaughtUp(WAIT);

      s.execute("CALL mysql.rds_reset_external_master");
      assertTrue(ReplicaStatus.query(admin).isEmpty());
      assertEquals(RdsProcedures.DOWN_OR_DISABLED, message(s, "CALL mysql.rds_skip_repl_error"));
      assertEquals(
          List.of("stop slave", "start slave", "reset master"),
          rows(
              admin,
              "SELECT action FROM (SELECT action, action_timestamp FROM mysql.rds_history ORDER BY action_timestamp DESC LIMIT 3) h "
                  + "ORDER BY action_timestamp"));
    }
  }

  @Test
  void givenAdminWithoutSuper_whenReplicationStatementsRunDirectly_thenAccessDenied()
      throws SQLException {
    pair.replicateFrom(pair.sourceStatus());
    try (Connection admin = pair.connectReplicaAsAdmin();
        Statement s = admin.createStatement()) {
      for (String sql :
          List.of(
              "STOP SLAVE",
              "START SLAVE",
              "SET GLOBAL sql_slave_skip_counter = 1",
              "CHANGE MASTER TO MASTER_HOST = '127.0.0.1'",
              "SET GLOBAL binlog_expire_logs_seconds = 0")) {
        SQLException denied = assertThrows(SQLException.class, () -> s.execute(sql), sql);
        assertEquals(1227, denied.getErrorCode(), sql + ": " + denied.getMessage());
      }
      String grants = String.join("\n", rows(admin, "SHOW GRANTS"));
      assertFalse(grants.contains("SUPER"), grants);
      assertFalse(grants.contains("REPLICATION SLAVE ADMIN"), grants);
      assertTrue(ReplicaStatus.query(admin).isPresent(), "SLAVE MONITOR: SHOW SLAVE STATUS works");
      assertEquals(
          List.of("rdsadmin@localhost"),
          rows(
              admin,
              "SELECT DISTINCT DEFINER FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = 'mysql' AND ROUTINE_NAME LIKE 'rds\\_%'"));
    }
  }

  @Test
  void givenProceduresInstalledAgain_whenAdminCalls_thenStillAllowedAndConfigurationKept()
      throws SQLException {
    try (Connection admin = pair.connectSourceAsAdmin();
        Statement s = admin.createStatement()) {
      s.execute("CALL mysql.rds_set_configuration('binlog retention hours', 24)");
    }
    try (Connection root = pair.connectSource()) {
      RdsProcedures.install(root);
      RdsProcedures.createRdsAdmin(root, pair.adminUser(), pair.adminPassword());
    }
    try (Connection admin = pair.connectSourceAsAdmin();
        Statement s = admin.createStatement()) {
      assertEquals(
          List.of("binlog retention hours|24|" + DESCRIPTION),
          rows(s, "CALL mysql.rds_show_configuration"));
      assertEquals(
          RdsProcedures.PROCEDURES.stream().sorted().toList(),
          rows(
              admin,
              "SELECT ROUTINE_NAME FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = 'mysql' "
                  + "AND ROUTINE_NAME LIKE 'rds\\_%' ORDER BY ROUTINE_NAME"));
      s.execute("CALL mysql.rds_set_configuration('binlog retention hours', 168)");
    }
  }

  /** One row of SHOW BINLOG EVENTS / SHOW RELAYLOG EVENTS. */
  record Event(String logName, long pos, String type, long serverId, long endLogPos, String info) {}

  /**
   * The event group starting at {@code pos}: events up to and including the first Xid (InnoDB
   * commit) or Query COMMIT / ROLLBACK. Client-side prepared statements fill the placeholders.
   */
  static List<Event> eventGroup(Connection c, String showEventsInFromLimit, String file, long pos)
      throws SQLException {
    try (c;
        PreparedStatement ps = c.prepareStatement(showEventsInFromLimit)) {
      ps.setString(1, file);
      ps.setLong(2, pos);
      ps.setInt(3, 100);
      List<Event> group = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          Event e =
              new Event(
                  rs.getString("Log_name"),
                  rs.getLong("Pos"),
                  rs.getString("Event_type"),
                  rs.getLong("Server_id"),
                  rs.getLong("End_log_pos"),
                  rs.getString("Info"));
          group.add(e);
          if (e.type().equals("Xid")
              || (e.type().equals("Query")
                  && (e.info().equals("COMMIT") || e.info().equals("ROLLBACK")))) {
            return group;
          }
        }
      }
      throw new AssertionError("no end of the event group within 100 events: " + group);
    }
  }

  private static void skip() throws SQLException {
    try (Connection admin = pair.connectReplicaAsAdmin();
        Statement s = admin.createStatement()) {
      s.execute("CALL mysql.rds_skip_repl_error");
    }
  }

  private static void source(String... sql) throws SQLException {
    try (Connection c = pair.connectSource();
        Statement s = c.createStatement()) {
      for (String statement : sql) {
        s.execute(statement);
      }
    }
  }

  private static void replica(String... sql) throws SQLException {
    try (Connection c = pair.connectReplica();
        Statement s = c.createStatement()) {
      for (String statement : sql) {
        s.execute(statement);
      }
    }
  }

  /** The Message column of the first result set a CALL returns. */
  private static String message(Statement s, String call) throws SQLException {
    assertTrue(s.execute(call), call + " returned no result set");
    try (ResultSet rs = s.getResultSet()) {
      assertTrue(rs.next(), call + " returned no row");
      return rs.getString("Message");
    }
  }

  /** Rows of the first result set, columns joined with '|' (NULL as empty). */
  private static List<String> rows(Statement s, String sql) throws SQLException {
    assertTrue(s.execute(sql), sql + " returned no result set");
    try (ResultSet rs = s.getResultSet()) {
      List<String> out = new ArrayList<>();
      int columns = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        List<String> values = new ArrayList<>();
        for (int i = 1; i <= columns; i++) {
          values.add(rs.getString(i) == null ? "" : rs.getString(i));
        }
        out.add(String.join("|", values));
      }
      return out;
    }
  }

  private static List<String> replicaRows(String sql) throws SQLException {
    try (Connection c = pair.connectReplica()) {
      return rows(c, sql);
    }
  }

  private static List<String> sourceRows(String sql) throws SQLException {
    try (Connection c = pair.connectSource()) {
      return rows(c, sql);
    }
  }

  private static List<String> rows(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      return rows(s, sql);
    }
  }
}
