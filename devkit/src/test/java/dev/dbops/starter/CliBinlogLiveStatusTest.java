package dev.dbops.starter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dbops.sandbox.mysql.BinlogPosition;
import dev.dbops.sandbox.mysql.ReplicationPair;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dbops status} of a binlog catch-up between monitor slices: the run's own numbers are as of
 * the last slice's end (five minutes apart by default), so status also shows the running monitor's
 * last heartbeat — where the replica is and how many it skipped — with its age.
 */
@DevStackTest
@Tag("mariadb")
class CliBinlogLiveStatusTest {
  static ReplicationPair pair;
  @TempDir static Path secrets;
  static Path adminPassword;
  static Path replPassword;
  static BinlogPosition start;

  @BeforeAll
  static void startPair() throws Exception {
    pair = ReplicationPair.start();
    for (Connection c : java.util.List.of(pair.connectSource(), pair.connectReplica())) {
      try (c;
          Statement s = c.createStatement()) {
        s.execute("CREATE DATABASE app");
        s.execute("CREATE TABLE app.orders (id INT PRIMARY KEY, note VARCHAR(60)) ENGINE=InnoDB");
      }
    }
    try (Connection c = pair.connectReplica();
        Statement s = c.createStatement()) {
      s.execute("INSERT INTO app.orders VALUES (2, 'replica only')");
    }
    start = pair.sourceStatus();
    try (Connection c = pair.connectSource();
        Statement s = c.createStatement()) {
      for (int id = 1; id <= 3; id++)
        s.execute("INSERT INTO app.orders VALUES (" + id + ", 'source')");
    }
    adminPassword = Files.writeString(secrets.resolve("admin"), pair.adminPassword());
    replPassword = Files.writeString(secrets.resolve("repl"), pair.replicationPassword());
  }

  @AfterAll
  static void stopPair() {
    if (pair != null) pair.close();
  }

  @Test
  void givenAMonitorSliceRunning_whenStatusIsAsked_thenItShowsTheMonitorsLastHeartbeat()
      throws Exception {
    String id = "binlog/cli-live";
    // A caught-up window longer than the test: the first slice is still running when status is
    // asked.
    Cli.Result started =
        DevStack.cli(
            "start",
            "binlog-catch-up",
            "--id",
            id,
            "--source",
            "127.0.0.1:" + pair.source().port(),
            "--source-user",
            pair.adminUser(),
            "--source-password-ref",
            "file:" + adminPassword,
            "--replica",
            "127.0.0.1:" + pair.replica().port(),
            "--replica-user",
            pair.adminUser(),
            "--replica-password-ref",
            "file:" + adminPassword,
            "--repl-user",
            pair.replicationUser(),
            "--repl-password-ref",
            "file:" + replPassword,
            "--approver",
            "alice",
            "--requested-by",
            "bob",
            "--poll-interval",
            "1s",
            "--caught-up-window",
            "10m",
            "--skip-errno",
            "duplicate-key",
            "--retention-hours",
            "168",
            "--start-file",
            start.file(),
            "--start-pos",
            Long.toString(start.position()));
    assertEquals(ExitCodes.OK, started.exit(), started.toString());
    try {
      Cli.Result status = null;
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (System.nanoTime() < deadline) {
        status = DevStack.cli("status", id);
        if (status.out().contains("live: ") && status.out().contains("1 skipped this slice")) break;
        Thread.sleep(500);
      }
      assertEquals(ExitCodes.OK, status.exit(), status.toString());
      assertTrue(status.out().contains("live: replica at mysql-bin"), status.toString());
      assertTrue(
          status.out().contains("1 skipped this slice"),
          "the monitor skipped the one conflict: " + status);
      assertTrue(status.out().contains("monitor heartbeat "), status.toString());
      assertTrue(
          status.out().contains("skipped 0 "),
          "the run's own count waits for the slice to end: " + status);

      Cli.Result json = DevStack.cli("status", id, "--json");
      JsonNode monitor = Render.MAPPER.readTree(json.out()).path("monitor");
      assertEquals(1, monitor.path("skipped").asInt(), json.toString());
      assertTrue(monitor.path("executed").asText().startsWith("mysql-bin"), json.toString());
      assertTrue(monitor.hasNonNull("heartbeatAt"), json.toString());
    } finally {
      DevStack.cli("cancel", id);
    }
  }
}
