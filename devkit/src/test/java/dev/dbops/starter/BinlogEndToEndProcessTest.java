package dev.dbops.starter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dbops.client.DbopsConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Binlog catch-up end to end with separate processes on 127.0.0.1: {@code dbops dev --no-worker}
 * (its replication pair with drift), a worker process, the catch-up started with the command dev
 * mode prints, a stream of duplicate-key conflicts, the worker killed with SIGKILL while they are
 * being skipped, a new worker: the run reaches AWAITING_CUTOVER and the journal holds every
 * conflict exactly once.
 */
@Tag("process")
class BinlogEndToEndProcessTest {
  static final String QUEUE = "e2e-binlog";
  static final Duration STARTUP = ChildProcesses.STARTUP;

  /**
   * Conflicts the test writes besides the demo's own; with them, within the printed budget of 100.
   */
  static final int CONFLICTS = 60;

  static final int FIRST_ID = 1000;

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
      givenWorkerKilledWhileConflictsAreSkipped_whenNewWorkerStarts_thenEachConflictJournaledExactlyOnce()
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
    // Whole-transaction skips across the kill (statement mode, the default:
    // BinlogStatementModeProcessTest).
    startArgs.addAll(List.of("--skip-mode", "transaction"));
    Map<String, String> flags = BinlogDevRuns.flags(startArgs);
    String id = "binlog/" + flags.get("--replica");
    String adminPassword =
        Files.readString(Path.of(flags.get("--source-password-ref").substring("file:".length())))
            .strip();

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

    // Conflicts while the run replicates: a row on the replica first, then a source transaction
    // that inserts it again (with a row that does not conflict).
    AtomicReference<Throwable> writerFailed = new AtomicReference<>();
    AtomicInteger written = new AtomicInteger();
    Thread writer =
        new Thread(
            () -> {
              try (Connection source =
                      BinlogDevRuns.connect(
                          flags.get("--source"), flags.get("--source-user"), adminPassword);
                  Connection replica =
                      BinlogDevRuns.connect(
                          flags.get("--replica"), flags.get("--replica-user"), adminPassword);
                  Statement src = source.createStatement();
                  Statement rep = replica.createStatement()) {
                for (int k = FIRST_ID; k < FIRST_ID + CONFLICTS; k++) {
                  rep.execute(
                      "INSERT INTO " + BinlogDemo.TABLE + " VALUES (" + k + ", 'replica drift')");
                  src.execute("BEGIN");
                  src.execute(
                      "INSERT INTO " + BinlogDemo.TABLE + " VALUES (" + (k + 10_000) + ", 'fine')");
                  src.execute(
                      "INSERT INTO " + BinlogDemo.TABLE + " VALUES (" + k + ", 'conflict')");
                  src.execute("COMMIT");
                  written.incrementAndGet();
                  Thread.sleep(100);
                }
              } catch (Throwable t) {
                writerFailed.set(t);
              }
            },
            "conflict-writer");
    writer.start();

    // The monitor skips each conflict as it arrives; kill its worker a third of the way in.
    children.awaitTrue(
        "conflicts being written and skipped",
        Duration.ofSeconds(30),
        () -> written.get() >= CONFLICTS / 3 || writerFailed.get() != null);
    String phaseAtKill = BinlogDevRuns.phase(id, address);
    firstWorker.destroyForcibly();
    assertTrue(firstWorker.waitFor(10, TimeUnit.SECONDS));
    assertEquals("CATCHING_UP", phaseAtKill, "killed outside the catch-up\n" + children.allLogs());
    children.spawn("worker-2", workerEnv, "worker");

    writer.join(60_000);
    if (writerFailed.get() != null)
      throw new AssertionError("conflict writer failed", writerFailed.get());

    Process watch = children.spawn("watch", cliEnv, "watch", id, "--interval", "500ms");
    if (!watch.waitFor(120, TimeUnit.SECONDS))
      fail("run did not reach the cut-over\n" + children.allLogs());
    assertEquals(4, watch.exitValue(), children.allLogs()); // waits for a person
    assertTrue(children.log("watch.out").contains("[AWAITING_CUTOVER]"), children.log("watch.out"));

    Cli.Result journal = Cli.run("journal", id, "--format", "jsonl", "--address", address);
    assertEquals(0, journal.exit(), journal.toString());
    List<JsonNode> entries = new ArrayList<>();
    for (String line : journal.out().lines().filter(l -> !l.isBlank()).toList()) {
      entries.add(Render.MAPPER.readTree(line));
    }
    assertEquals(
        BinlogDemo.DRIFT_IDS.size() + CONFLICTS,
        entries.size(),
        journal.out() + children.allLogs());
    Set<String> positions = new HashSet<>();
    for (JsonNode e : entries) {
      assertEquals(1062, e.path("errno").asInt(), e.toString());
      assertTrue(positions.add(e.path("source").toString()), "journaled twice: " + e);
    }
    for (int k = FIRST_ID; k < FIRST_ID + CONFLICTS; k++) {
      String statement = "VALUES (" + k + ", 'conflict')";
      long n =
          entries.stream().filter(e -> e.path("events").toString().contains(statement)).count();
      assertEquals(1, n, "conflict " + k + " journaled " + n + " times");
    }
  }
}
