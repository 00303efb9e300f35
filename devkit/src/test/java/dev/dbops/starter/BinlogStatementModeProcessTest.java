package dev.dbops.starter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dbops.client.DbopsConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 8's crash test for STATEMENT skip mode, with separate processes on 127.0.0.1: {@code dbops
 * dev --no-worker} (its replication pair with drift), the catch-up started with the command dev
 * mode prints plus {@code --skip-mode statement}, and source transactions that each insert one row
 * the replica already has between two rows it does not. Each such transaction is applied again on
 * the replica minus the conflicting row, in one replica transaction with its journal row and its
 * conflict rows. The worker is killed with SIGKILL twice: first while its re-apply waits,
 * uncommitted, on its last statement (held there by a lock this test takes on {@code
 * dbops_journal.conflicts}, which nothing but the re-apply writes), then right after a re-apply
 * committed and before its skip (its COMMIT held by MariaDB's BACKUP STAGE BLOCK_COMMIT, the worker
 * killed, the COMMIT let through: the server carries it out for the dead session). New workers
 * finish the run; at AWAITING_CUTOVER every source row is on the replica exactly once, every
 * conflicting row keeps the replica's version, and the journal holds every conflicting transaction
 * exactly once. Process-level, because a crash of the worker JVM (its open transaction rolled back
 * by the server, not by the worker) is what the marker-in-the-same-transaction design must survive.
 */
@Tag("process")
class BinlogStatementModeProcessTest {
  static final String QUEUE = "e2e-binlog-statement";
  static final Duration STARTUP = ChildProcesses.STARTUP;

  /** Conflicts the test writes besides the demo's own; with them, within the printed budget. */
  static final int CONFLICTS = 30;

  static final int FIRST_ID = 1000;
  static final String CONFLICT_INSERT = "INSERT INTO dbops_journal.conflicts";

  /**
   * Kill #2 waits for worker 2 to commit this many re-applies, so it lands mid-stream, not at the
   * start.
   */
  static final int COMMITS_BEFORE_SECOND_KILL = 3;

  @TempDir Path dir;
  ChildProcesses children;

  @BeforeEach
  void children() {
    children = new ChildProcesses(dir);
  }

  @AfterEach
  void stopChildren() throws InterruptedException {
    children.close();
  }

  @Test
  void
      givenWorkerKilledMidReapplyAndAfterACommit_whenNewWorkersStart_thenEveryRowArrivesOnceAndEachConflictIsJournaledOnce()
          throws Exception {
    int temporalPort = ChildProcesses.freePort();
    int sandboxPort = ChildProcesses.freePort();
    String address = "127.0.0.1:" + temporalPort;

    children.spawn(
        "dev",
        Map.of(),
        "dev",
        "--no-worker",
        "--no-demo",
        "--temporal-port",
        Integer.toString(temporalPort),
        "--sandbox-port",
        Integer.toString(sandboxPort));
    children.awaitLine("dev.out", "dev: ready", STARTUP);
    List<String> startArgs = BinlogDevRuns.printedStartBinlog(children.log("dev.out"));
    Map<String, String> flags = BinlogDevRuns.flags(startArgs);
    // Every conflict must be skipped by policy: a person asked to decide would leave the run
    // waiting.
    assertTrue(
        startArgs.contains("duplicate-key") || startArgs.contains("1062"),
        "1062 not allowed: " + startArgs);
    int budget = Integer.parseInt(flags.getOrDefault("--skip-budget", "100"));
    assertTrue(
        BinlogDemo.DRIFT_IDS.size() + CONFLICTS <= budget, "budget " + budget + " is too small");
    startArgs.addAll(List.of("--skip-mode", "statement"));
    String id = "binlog/" + flags.get("--replica");
    String adminPassword =
        Files.readString(Path.of(flags.get("--source-password-ref").substring("file:".length())))
            .strip();
    String table = BinlogDemo.TABLE;

    Map<String, String> workerEnv =
        Map.of(
            DbopsConfig.TEMPORAL_ADDRESS,
            address,
            DbopsConfig.DBOPS_TASK_QUEUE,
            QUEUE,
            DbopsConfig.DBOPS_AWS_ENDPOINT,
            "http://127.0.0.1:" + sandboxPort,
            DbopsConfig.DBOPS_METRICS_PORT,
            "0");
    Process firstWorker = children.spawn("worker-1", workerEnv, "worker");
    children.awaitLine("worker-1.err", "worker polling task queue", STARTUP);

    Map<String, String> cliEnv =
        Map.of(DbopsConfig.TEMPORAL_ADDRESS, address, DbopsConfig.DBOPS_TASK_QUEUE, QUEUE);
    Process start = children.spawn("start", cliEnv, startArgs.toArray(String[]::new));
    assertTrue(start.waitFor(STARTUP.toSeconds(), TimeUnit.SECONDS), "start did not return");
    assertEquals(0, start.exitValue(), children.log("start.out") + children.log("start.err"));

    try (Connection source =
            BinlogDevRuns.connect(
                flags.get("--source"), flags.get("--source-user"), adminPassword);
        Connection replica =
            BinlogDevRuns.connect(
                flags.get("--replica"), flags.get("--replica-user"), adminPassword);
        Connection locker =
            BinlogDevRuns.connect(
                flags.get("--replica"), flags.get("--replica-user"), adminPassword)) {
      // The demo's own conflicts come first; locking only after they committed puts kill #1 on
      // ours. count() is -1 until the run has created the table.
      int demo = BinlogDemo.DRIFT_IDS.size();
      children.awaitTrue(
          "the demo's conflicts re-applied",
          Duration.ofSeconds(90),
          () -> count(replica, "dbops_journal.conflicts") == demo);

      // ---------------------------------------------------------------- kill #1: mid re-apply
      // Under REPEATABLE READ a locking read of the whole table takes next-key locks up to the
      // supremum: every INSERT into it waits, and the re-apply's conflict rows are its last step
      // before COMMIT, after the marker and the re-applied rows.
      locker.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
      locker.setAutoCommit(false);
      try (Statement s = locker.createStatement();
          ResultSet rs = s.executeQuery("SELECT * FROM dbops_journal.conflicts FOR UPDATE")) {
        while (rs.next()) {
          // only the locks matter
        }
      }

      AtomicReference<Throwable> writerFailed = new AtomicReference<>();
      Thread writer =
          new Thread(
              () -> {
                try (Connection src =
                        BinlogDevRuns.connect(
                            flags.get("--source"), flags.get("--source-user"), adminPassword);
                    Connection rep =
                        BinlogDevRuns.connect(
                            flags.get("--replica"), flags.get("--replica-user"), adminPassword);
                    Statement onSource = src.createStatement();
                    Statement onReplica = rep.createStatement()) {
                  for (int k = FIRST_ID; k < FIRST_ID + CONFLICTS; k++) {
                    onReplica.execute(
                        "INSERT INTO " + table + " VALUES (" + k + ", 'replica drift')");
                    onSource.execute("BEGIN");
                    onSource.execute(
                        "INSERT INTO " + table + " VALUES (" + (k + 10_000) + ", 'fine-before')");
                    onSource.execute("INSERT INTO " + table + " VALUES (" + k + ", 'conflict')");
                    onSource.execute(
                        "INSERT INTO " + table + " VALUES (" + (k + 20_000) + ", 'fine-after')");
                    onSource.execute("COMMIT");
                    Thread.sleep(50);
                  }
                } catch (Throwable t) {
                  writerFailed.set(t);
                }
              },
              "conflict-writer");
      writer.start();

      AtomicReference<Long> blocked = new AtomicReference<>();
      children.awaitTrue(
          "the re-apply of " + FIRST_ID + " waiting in " + CONFLICT_INSERT,
          Duration.ofSeconds(30),
          () -> {
            blocked.set(sessionRunning(replica, CONFLICT_INSERT));
            return blocked.get() != null || writerFailed.get() != null;
          });
      if (writerFailed.get() != null)
        throw new AssertionError("conflict writer failed", writerFailed.get());
      String phaseAtFirstKill = BinlogDevRuns.phase(id, address);
      firstWorker.destroyForcibly();
      assertTrue(firstWorker.waitFor(10, TimeUnit.SECONDS));
      assertEquals(
          "CATCHING_UP", phaseAtFirstKill, "killed outside the catch-up\n" + children.allLogs());
      // The dead worker's server session finishes its INSERT once the lock is gone; only then
      // does it find its client gone and roll back, marker included.
      locker.rollback();
      children.awaitTrue(
          "the dead worker's session gone",
          Duration.ofSeconds(30),
          () -> !sessionAlive(replica, blocked.get()));
      assertEquals(
          demo,
          count(replica, "dbops_journal.skipped_events"),
          "the killed re-apply left its journal row");
      assertEquals(
          demo,
          count(replica, "dbops_journal.conflicts"),
          "the killed re-apply left its conflict row");
      assertEquals(
          0,
          count(
              replica,
              table + " WHERE id IN (" + (FIRST_ID + 10_000) + ", " + (FIRST_ID + 20_000) + ")"),
          "the killed re-apply left rows behind");

      // ------------------------------------------------------- kill #2: right after a commit
      Process secondWorker = children.spawn("worker-2", workerEnv, "worker");
      children.awaitLine("worker-2.err", "worker polling task queue", STARTUP);
      // Asked before worker 2 takes the monitor over (after the 30 s heartbeat timeout), so that
      // the query cannot delay the kill below.
      String phaseAtSecondKill = BinlogDevRuns.phase(id, address);
      // MariaDB's BACKUP STAGE BLOCK_COMMIT holds every COMMIT but lets the writes before it run:
      // the re-apply waits with its marker, rows and conflicts written. The worker is killed there;
      // the server then carries out the COMMIT it had received, so the transaction is committed
      // and the worker that sent it never learnt so, nor skipped it: a crash right after the
      // commit.
      // Polled without pause: worker 2 goes through the queued conflicts in a burst.
      long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
      while (count(replica, "dbops_journal.skipped_events") < demo + COMMITS_BEFORE_SECOND_KILL) {
        if (System.nanoTime() > deadline || !secondWorker.isAlive()) {
          fail(
              "worker 2 did not commit "
                  + COMMITS_BEFORE_SECOND_KILL
                  + " re-applies\n"
                  + children.allLogs());
        }
      }
      locker.setAutoCommit(true);
      long committing = awaitReapplyHeldAtCommit(locker, replica);
      long committed = count(replica, "dbops_journal.skipped_events");
      secondWorker.destroyForcibly();
      assertTrue(secondWorker.waitFor(10, TimeUnit.SECONDS));
      assertEquals(
          "CATCHING_UP", phaseAtSecondKill, "killed outside the catch-up\n" + children.allLogs());
      try (Statement s = locker.createStatement()) {
        s.execute("BACKUP STAGE END");
      }
      children.awaitTrue(
          "the dead worker's session gone",
          Duration.ofSeconds(30),
          () -> !sessionAlive(replica, committing));
      assertEquals(
          committed + 1,
          count(replica, "dbops_journal.skipped_events"),
          "the COMMIT sent before the kill did not commit\n" + children.allLogs());
      String newest = "SELECT %s FROM dbops_journal.skipped_events ORDER BY id DESC LIMIT 1";
      assertEquals(
          "0", single(replica, newest.formatted("skips")), "the committed transaction was skipped");
      assertEquals(
          single(replica, newest.formatted("CONCAT(source_file, ':', source_pos)")) + " error 1062",
          stoppedAt(replica),
          "the replica is not stopped on the committed transaction");

      children.spawn("worker-3", workerEnv, "worker");
      writer.join(60_000);
      if (writerFailed.get() != null)
        throw new AssertionError("conflict writer failed", writerFailed.get());

      Process watch = children.spawn("watch", cliEnv, "watch", id, "--interval", "500ms");
      if (!watch.waitFor(180, TimeUnit.SECONDS))
        fail("run did not reach the cut-over\n" + children.allLogs());
      assertEquals(4, watch.exitValue(), children.allLogs()); // waits for a person
      assertTrue(
          children.log("watch.out").contains("[AWAITING_CUTOVER]"), children.log("watch.out"));

      // Rows: the replica is the source, except that every conflicting id keeps the replica's row.
      Set<Integer> conflictIds = new HashSet<>(BinlogDemo.DRIFT_IDS);
      for (int k = FIRST_ID; k < FIRST_ID + CONFLICTS; k++) conflictIds.add(k);
      Map<Integer, String> onSource = rows(source, table);
      assertEquals(
          BinlogDemo.SOURCE_ROWS + 3 * CONFLICTS, onSource.size(), "source rows: " + onSource);
      Map<Integer, String> expected = new TreeMap<>(onSource);
      for (int k : conflictIds) {
        assertTrue(onSource.containsKey(k), "the source has no row " + k);
        expected.put(k, "replica drift");
      }
      assertEquals(expected, rows(replica, table), "replica rows\n" + children.allLogs());

      // Journal: each conflicting transaction once, applied but for its one kept replica row.
      Cli.Result journal = Cli.run("journal", id, "--format", "jsonl", "--address", address);
      assertEquals(0, journal.exit(), journal.toString());
      List<JsonNode> entries = new ArrayList<>();
      for (String line : journal.out().lines().filter(l -> !l.isBlank()).toList()) {
        entries.add(Render.MAPPER.readTree(line));
      }
      assertEquals(conflictIds.size(), entries.size(), journal.out() + children.allLogs());
      Set<String> positions = new HashSet<>();
      Map<Integer, Integer> journaled = new HashMap<>();
      for (JsonNode e : entries) {
        assertTrue(positions.add(e.path("source").toString()), "journaled twice: " + e);
        assertEquals(1062, e.path("errno").asInt(), e.toString());
        assertEquals("APPLIED_EXCEPT_CONFLICTS", e.path("action").asText(), e.toString());
        JsonNode conflicts = e.path("conflicts");
        assertEquals(1, conflicts.size(), e.toString());
        JsonNode c = conflicts.get(0);
        assertEquals("KEPT_REPLICA_ROW", c.path("resolution").asText(), e.toString());
        assertEquals(table, c.path("table").asText(), e.toString());
        assertTrue(c.path("replicaRow").asText().contains("replica drift"), e.toString());
        JsonNode sourceRow = Render.MAPPER.readTree(c.path("sourceRow").asText());
        journaled.merge(sourceRow.path("id").asInt(), 1, Integer::sum);
      }
      for (int k : conflictIds) {
        assertEquals(
            1,
            journaled.getOrDefault(k, 0),
            "conflict " + k + " journaled " + journaled.get(k) + " times");
      }

      // The tables behind the journal: one conflict row per entry, each transaction skipped once.
      assertEquals(entries.size(), count(replica, "dbops_journal.conflicts"), "conflict rows");
      assertEquals(entries.size(), count(replica, "dbops_journal.skipped_events"), "journal rows");
      assertEquals(
          0,
          count(replica, "dbops_journal.skipped_events WHERE skips <> 1"),
          "journal rows not skipped once");
    }
  }

  /** {@code SELECT COUNT(*) FROM <from>}, -1 when it cannot be read (the table not there yet). */
  private static long count(Connection c, String from) {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + from)) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      return -1;
    }
  }

  /** The id of another session running a statement that starts with {@code prefix}, or null. */
  private static Long sessionRunning(Connection c, String prefix) {
    try (Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT ID FROM information_schema.PROCESSLIST WHERE INFO LIKE '"
                    + prefix
                    + "%'")) {
      return rs.next() ? rs.getLong(1) : null;
    } catch (SQLException e) {
      return null;
    }
  }

  private static boolean sessionAlive(Connection c, long sessionId) {
    return count(c, "information_schema.PROCESSLIST WHERE ID = " + sessionId) != 0;
  }

  /** id → note of the whole table, by id. */
  private static Map<Integer, String> rows(Connection c, String table) throws SQLException {
    Map<Integer, String> out = new TreeMap<>();
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT id, note FROM " + table)) {
      while (rs.next()) out.put(rs.getInt(1), rs.getString(2));
    }
    return out;
  }

  /**
   * Takes BACKUP STAGE BLOCK_COMMIT on {@code locker} until a re-apply's COMMIT waits behind it,
   * and returns that session's id. The worker also commits on its own (counting skips, once a
   * second); held there instead, it is let go and caught at the next re-apply.
   */
  private static long awaitReapplyHeldAtCommit(Connection locker, Connection replica)
      throws Exception {
    for (int attempt = 1; attempt <= 10; attempt++) {
      try (Statement s = locker.createStatement()) {
        s.execute("BACKUP STAGE START");
        s.execute("BACKUP STAGE BLOCK_COMMIT");
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
          Long commit = sessionRunning(replica, "COMMIT");
          if (commit != null) return commit;
          if (sessionRunning(replica, "UPDATE dbops_journal.") != null) break;
          Thread.sleep(5);
        }
        s.execute("BACKUP STAGE END");
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no re-apply was held at its COMMIT");
  }

  /** The one value {@code sql} selects (null for no row). */
  private static String single(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      return rs.next() ? rs.getString(1) : null;
    }
  }

  /** Where the replica's SQL thread stopped, and on which error. */
  private static String stoppedAt(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SHOW SLAVE STATUS")) {
      if (!rs.next()) return "not a replica";
      String at = rs.getString("Relay_Master_Log_File") + ":" + rs.getLong("Exec_Master_Log_Pos");
      return "No".equals(rs.getString("Slave_SQL_Running"))
          ? at + " error " + rs.getInt("Last_SQL_Errno")
          : "SQL thread running at " + at;
    }
  }
}
