package dev.dbops.starter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dbops.client.DbopsConfig;
import dev.dbops.client.TemporalConnection;
import dev.dbops.worker.DbopsWorker;
import dev.dbops.worker.DevServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 6, item 2: the Temporal server unreachable for a while. The CLI says so in one line; a
 * one-shot {@link DbopsWorker#start} refuses at once with the same clear message, while the worker
 * process ({@link DbopsWorker#startWhenReachable}, what {@code dbops worker} runs) says so and
 * waits for the server; a running worker whose server goes away and comes back on the same address
 * picks up new runs.
 */
@Tag("devstack")
class TemporalOutageTest {
  static final String QUEUE = "temporal-outage";

  /**
   * How long Temporal stays away: several of the waiting worker's 1 s retries, and several failed
   * polls, each followed by a longer backoff, of a running worker's pollers.
   */
  static final Duration OUTAGE = Duration.ofSeconds(5);

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static DbopsConfig workerConfig(String temporalAddress, String awsEndpoint) {
    return DbopsConfig.from(
        Map.of(
            DbopsConfig.TEMPORAL_ADDRESS, temporalAddress,
            DbopsConfig.DBOPS_TASK_QUEUE, QUEUE,
            DbopsConfig.DBOPS_AWS_ENDPOINT, awsEndpoint,
            DbopsConfig.DBOPS_METRICS_PORT, "0"));
  }

  @Test
  void givenTemporalUnreachable_whenStartWait_thenExit3WithOneClearLineAndNothingStarted()
      throws Exception {
    int closedPort = freePort();
    Cli.Result r =
        Cli.run(
            "start",
            "glacier-restore",
            "--bucket",
            "outage",
            "--prefix",
            "x/",
            "--tier",
            "EXPEDITED",
            "--wait",
            "--address",
            "127.0.0.1:" + closedPort,
            "--task-queue",
            QUEUE);
    assertEquals(ExitCodes.UNREACHABLE, r.exit(), r.toString());
    assertTrue(
        r.err().startsWith("cannot reach Temporal at 127.0.0.1:" + closedPort), r.toString());
    assertEquals(1, r.err().strip().lines().count(), r.toString());
  }

  @Test
  void givenTemporalDown_whenWorkerStarts_thenRefusesAtOnceNamingTheAddress() throws Exception {
    int closedPort = freePort();
    long t0 = System.nanoTime();
    TemporalConnection.UnreachableException e =
        assertThrows(
            TemporalConnection.UnreachableException.class,
            () ->
                DbopsWorker.start(
                        workerConfig("127.0.0.1:" + closedPort, "http://127.0.0.1:" + freePort()))
                    .close());
    Duration took = Duration.ofNanos(System.nanoTime() - t0);
    System.out.println(
        "worker start with Temporal down: refused in "
            + took.toMillis()
            + " ms: "
            + e.getMessage());
    assertTrue(
        e.getMessage().startsWith("cannot reach Temporal at 127.0.0.1:" + closedPort),
        e.getMessage());
    assertTrue(took.compareTo(Duration.ofSeconds(60)) < 0, "took " + took);
  }

  @Test
  @Timeout(300)
  void givenTemporalDown_whenWorkerProcessStarts_thenWaitsAndOnceServerIsUpCompletesARun()
      throws Exception {
    int temporalPort = freePort();
    int sandboxPort = freePort();
    String address = "127.0.0.1:" + temporalPort;
    CompletableFuture<DbopsWorker> started =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return DbopsWorker.startWhenReachable(
                    workerConfig(address, "http://127.0.0.1:" + sandboxPort),
                    Duration.ofSeconds(1));
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
              }
            });
    Thread.sleep(OUTAGE.toMillis());
    assertFalse(started.isDone(), "the worker gave up while Temporal was down");

    try (DevServer dev = DevServer.start(temporalPort, sandboxPort, DevStack.RDS_TIMINGS)) {
      long t0 = System.nanoTime();
      try (DbopsWorker worker = started.get(120, TimeUnit.SECONDS)) {
        Duration upAfter = Duration.ofNanos(System.nanoTime() - t0);
        dev.sandbox().s3().createBucket("outage");
        dev.sandbox().s3().putObject("outage", "late/x.csv", "x".getBytes(), "GLACIER");
        Cli.Result r =
            Cli.run(
                "start",
                "glacier-restore",
                "--bucket",
                "outage",
                "--prefix",
                "late/",
                "--tier",
                "EXPEDITED",
                "--poll-interval",
                "1s",
                "--id",
                "outage/late",
                "--wait",
                "--address",
                address,
                "--task-queue",
                QUEUE);
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        System.out.println(
            "worker waited "
                + OUTAGE.toSeconds()
                + " s for Temporal; started "
                + upAfter.toMillis()
                + " ms after the server was up; run completed "
                + took.toMillis()
                + " ms after the server was up");
        assertEquals(ExitCodes.OK, r.exit(), r.toString());
        assertTrue(r.out().contains("COMPLETED outage/late"), r.toString());
      }
    } finally {
      started.cancel(true);
    }
  }

  @Test
  @Timeout(300)
  void
      givenRunningWorker_whenServerGoesAwayAndComesBackOnSamePort_thenWorkerPicksUpAndCompletesARun()
          throws Exception {
    int temporalPort = freePort();
    int sandboxPort = freePort();
    DevServer first = DevServer.start(temporalPort, sandboxPort, DevStack.RDS_TIMINGS);
    String address = first.temporalAddress();
    DevServer second = null;
    try (DbopsWorker worker =
        DbopsWorker.start(workerConfig(address, first.sandboxEndpoint().toString()))) {
      first.close();
      Thread.sleep(OUTAGE.toMillis()); // the worker's pollers see UNAVAILABLE and back off

      second = DevServer.start(temporalPort, sandboxPort, DevStack.RDS_TIMINGS);
      assertEquals(address, second.temporalAddress());
      second.sandbox().s3().createBucket("outage");
      second.sandbox().s3().putObject("outage", "back/x.csv", "x".getBytes(), "GLACIER");
      long t0 = System.nanoTime();
      Cli.Result r =
          Cli.run(
              "start",
              "glacier-restore",
              "--bucket",
              "outage",
              "--prefix",
              "back/",
              "--tier",
              "EXPEDITED",
              "--poll-interval",
              "1s",
              "--id",
              "outage/back",
              "--wait",
              "--address",
              address,
              "--task-queue",
              QUEUE);
      Duration took = Duration.ofNanos(System.nanoTime() - t0);
      System.out.println(
          "server back on "
              + address
              + " after "
              + OUTAGE.toSeconds()
              + " s down: run completed "
              + took.toMillis()
              + " ms after it was started");
      assertEquals(ExitCodes.OK, r.exit(), r.toString());
      assertTrue(r.out().contains("COMPLETED outage/back"), r.toString());
    } finally {
      if (second != null) second.close();
    }
  }
}
