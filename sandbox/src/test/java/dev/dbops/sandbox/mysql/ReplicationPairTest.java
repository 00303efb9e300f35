package dev.dbops.sandbox.mysql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Replication options of LocalMariaDb and a pair whose servers report Aurora MySQL 2's version. */
@Tag("mariadb")
class ReplicationPairTest {

  @Test
  void givenReplicationOptions_whenServerArgs_thenFlagsInOrderAndExtraArgsLast() {
    LocalMariaDb.Options options =
        LocalMariaDb.Options.defaults()
            .serverId(7)
            .logBin(true)
            .binlogFormat("row")
            .logSlaveUpdates(true)
            .relayLogPurge(false)
            .extraArgs(List.of("--skip-slave-start"));

    List<String> args = options.serverArgs();

    assertEquals("ROW", options.binlogFormat());
    assertTrue(
        args.containsAll(
            List.of(
                "--server-id=7",
                "--log-bin=mysql-bin-changelog",
                "--binlog-format=ROW",
                "--log-slave-updates",
                "--relay-log=relaylog",
                "--relay-log-purge=0",
                "--performance-schema=ON")),
        args.toString());
    assertEquals("--skip-slave-start", args.get(args.size() - 1));
    assertFalse(
        LocalMariaDb.Options.defaults().serverArgs().stream()
            .anyMatch(a -> a.startsWith("--log-bin") || a.startsWith("--server-id")),
        "defaults: no binary log, MariaDB's default server id");
    assertEquals(
        LocalMariaDb.Options.defaults(),
        new LocalMariaDb.Options(null, null, Duration.ofSeconds(60)),
        "the three-argument constructor keeps its meaning");
    assertThrows(
        IllegalArgumentException.class, () -> LocalMariaDb.Options.defaults().binlogFormat("FAST"));
    assertThrows(IllegalArgumentException.class, () -> LocalMariaDb.Options.defaults().serverId(0));
    assertThrows(
        IllegalArgumentException.class,
        () -> ReplicationPair.Options.defaults().source(LocalMariaDb.Options.defaults()));
  }

  @Test
  void givenPairReportingAurora2Versions_whenReplicating_thenServersAreSetUpAndRowsArrive()
      throws SQLException {
    ReplicationPair.Options options = ReplicationPair.Options.defaults();
    try (ReplicationPair pair =
        ReplicationPair.start(
            options
                .source(options.source().reportedVersion("5.7.12"))
                .replica(options.replica().reportedVersion("5.7.12")))) {
      try (Connection src = pair.connectSource();
          Connection rep = pair.connectReplica()) {
        assertEquals(
            "5.7.12|1|ON|MIXED|ON",
            row(
                src,
                "SELECT CONCAT_WS('|', VERSION(), @@server_id, @@log_bin, @@binlog_format, @@performance_schema)"));
        assertEquals(
            "5.7.12|2|ON|OFF",
            row(
                rep,
                "SELECT CONCAT_WS('|', VERSION(), @@server_id, @@log_bin, @@log_slave_updates)"));
        assertTrue(row(rep, "SELECT @@relay_log").endsWith("relaylog"));
      }
      pair.replicateFrom(pair.sourceStatus());
      try (Connection src = pair.connectSource();
          Statement s = src.createStatement()) {
        s.execute("CREATE DATABASE app");
        s.execute("CREATE TABLE app.t (id INT PRIMARY KEY)");
        s.execute("INSERT INTO app.t VALUES (1), (2), (3)");
      }

      pair.awaitCaughtUp(Duration.ofSeconds(20));

      try (Connection rep = pair.connectReplica()) {
        assertEquals("3", row(rep, "SELECT COUNT(*) FROM app.t"));
      }
    }
  }

  private static String row(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      assertTrue(rs.next(), sql);
      return rs.getString(1);
    }
  }
}
