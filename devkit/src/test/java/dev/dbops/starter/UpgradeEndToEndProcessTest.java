package dev.dbops.starter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dbops.client.DbopsConfig;
import dev.dbops.client.TemporalConnection;
import dev.dbops.workflows.upgrade.UpgradeRequest;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.workflow.v1.PendingActivityInfo;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The upgrade's end-to-end scenario with separate processes on 127.0.0.1: {@code dbops dev
 * --no-worker} seeding its demo Aurora MySQL 5.6 cluster bound to a local MariaDB, a worker
 * process, the upgrade started with the command dev mode prints, the worker killed with SIGKILL
 * while RDS upgrades, a new worker, and the run completes: MariaDB reports 5.7, and the sandbox saw
 * exactly one snapshot and one ModifyDBCluster.
 */
@Tag("process")
class UpgradeEndToEndProcessTest {
  static final String QUEUE = "e2e-upgrade";
  static final String ID = "upgrade/" + UpgradeDemo.CLUSTER;
  static final Duration STARTUP = ChildProcesses.STARTUP;

  /** Long enough to find the run upgrading, kill the worker and start another in the middle. */
  static final String UPGRADE_DURATION = "25s";

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
      givenWorkerKilledWhileRdsUpgrades_whenNewWorkerStarts_thenUpgradeCompletesWithOneSnapshotAndOneModify()
          throws Exception {
    int temporalPort = ChildProcesses.freePort();
    int sandboxPort = ChildProcesses.freePort();
    String address = "127.0.0.1:" + temporalPort;
    String sandbox = "http://127.0.0.1:" + sandboxPort;

    children.spawn(
        "dev",
        Map.of(),
        "dev",
        "--demos", // only the local MariaDB servers this test uses
        "upgrade",
        "--no-worker",
        "--temporal-port",
        Integer.toString(temporalPort),
        "--sandbox-port",
        Integer.toString(sandboxPort),
        "--upgrade-duration",
        UPGRADE_DURATION,
        "--snapshot-duration",
        "2s");
    children.awaitLine("dev.out", "dev: ready", STARTUP);
    String token = children.sandboxAdminToken("dev.out");
    List<String> startArgs = printedStartUpgrade(children.log("dev.out"));

    Map<String, String> workerEnv =
        Map.of(
            DbopsConfig.TEMPORAL_ADDRESS,
            address,
            DbopsConfig.DBOPS_TASK_QUEUE,
            QUEUE,
            DbopsConfig.DBOPS_AWS_ENDPOINT,
            sandbox,
            DbopsConfig.DBOPS_METRICS_PORT,
            "0");
    Process firstWorker = children.spawn("worker-1", workerEnv, "worker");
    children.awaitLine("worker-1.err", "worker polling task queue", STARTUP);

    Map<String, String> cliEnv =
        Map.of(DbopsConfig.TEMPORAL_ADDRESS, address, DbopsConfig.DBOPS_TASK_QUEUE, QUEUE);
    Process start = children.spawn("start", cliEnv, startArgs.toArray(String[]::new));
    assertTrue(start.waitFor(STARTUP.toSeconds(), TimeUnit.SECONDS), "start did not return");
    assertEquals(0, start.exitValue(), children.log("start.out") + children.log("start.err"));

    // Kill the worker while the run waits for RDS: UPGRADING, and the upgrade check has answered
    // NOT_READY at least once. A check takes milliseconds and they come 2 s apart, so killing a
    // moment after a new attempt appears lands between checks (one killed inside a check would
    // only be retried after the activity's start-to-close timeout).
    WorkflowServiceStubs stubs =
        TemporalConnection.stubs(
            DbopsConfig.from(Map.of(DbopsConfig.TEMPORAL_ADDRESS, address)), null);
    try {
      children.awaitTrue(
          "the run waits for RDS to upgrade",
          Duration.ofSeconds(30),
          () -> "UPGRADING".equals(phase(address)) && checkAttempt(stubs) >= 2);
      int attempt = checkAttempt(stubs);
      children.awaitTrue(
          "the next upgrade check", Duration.ofSeconds(10), () -> checkAttempt(stubs) > attempt);
      Thread.sleep(300);
      assertEquals(
          "upgrading", cluster(sandbox, token).path("status").asText(), "too late to kill");
      firstWorker.destroyForcibly();
      assertTrue(firstWorker.waitFor(10, TimeUnit.SECONDS));
    } finally {
      stubs.shutdownNow();
    }

    children.spawn("worker-2", workerEnv, "worker");
    Process result = children.spawn("result", cliEnv, "result", ID, "--json");
    if (!result.waitFor(120, TimeUnit.SECONDS)) {
      fail("upgrade did not finish after the worker restart\n" + children.allLogs());
    }
    assertEquals(0, result.exitValue(), children.allLogs());
    JsonNode outcome = Render.MAPPER.readTree(children.log("result.out"));
    assertEquals("COMPLETED", outcome.path("outcome").asText(), outcome.toString());
    assertTrue(outcome.path("reportedVersion").asText().startsWith("5.7"), outcome.toString());
    assertEquals(
        UpgradeDemo.TARGET_VERSION, cluster(sandbox, token).path("engineVersion").asText());

    JsonNode snapshots =
        Render.MAPPER.readTree(
            get(sandbox + "/_sandbox/calls?operation=CreateDBClusterSnapshot", token));
    assertEquals(1, snapshots.size(), "one pre-upgrade snapshot: " + snapshots);
    assertEquals(
        UpgradeRequest.snapshotIdFor(ID),
        snapshots.get(0).path("key").asText(),
        snapshots.toString());
    JsonNode modifies =
        Render.MAPPER.readTree(get(sandbox + "/_sandbox/calls?operation=ModifyDBCluster", token));
    assertEquals(
        1, modifies.size(), "one ModifyDBCluster, none re-sent by the new worker: " + modifies);
  }

  /** The {@code ./dbops start upgrade …} line dev mode prints, as arguments. */
  private static List<String> printedStartUpgrade(String devOut) {
    String line =
        devOut
            .lines()
            .map(String::strip)
            .filter(l -> l.startsWith("./dbops start upgrade "))
            .findFirst()
            .orElseThrow(
                () -> new AssertionError("dev printed no start upgrade command:\n" + devOut));
    List<String> args = new ArrayList<>(List.of(line.substring("./dbops ".length()).split(" +")));
    assertTrue(
        args.stream().anyMatch(a -> a.startsWith("file:")) && !line.contains("'"),
        "expected an unquoted file: reference: " + line);
    return args;
  }

  private static String phase(String address) {
    Cli.Result r = Cli.run("status", ID, "--json", "--address", address);
    try {
      return r.exit() == 0
          ? Render.MAPPER.readTree(r.out()).path("status").path("phase").asText()
          : "";
    } catch (Exception e) {
      return "";
    }
  }

  /** The upgrade check's current attempt number (0 when it is not scheduled). */
  private static int checkAttempt(WorkflowServiceStubs stubs) {
    var response =
        stubs
            .blockingStub()
            .describeWorkflowExecution(
                DescribeWorkflowExecutionRequest.newBuilder()
                    .setNamespace("default")
                    .setExecution(WorkflowExecution.newBuilder().setWorkflowId(ID))
                    .build());
    return response.getPendingActivitiesList().stream()
        .filter(a -> a.getActivityType().getName().equals("CheckUpgrade"))
        .mapToInt(PendingActivityInfo::getAttempt)
        .max()
        .orElse(0);
  }

  private static JsonNode cluster(String sandbox, String token) throws Exception {
    return Render.MAPPER.readTree(
        get(sandbox + "/_sandbox/rds/clusters/" + UpgradeDemo.CLUSTER, token));
  }

  private static String get(String url, String token) throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                ChildProcesses.sandboxAdmin(url, token).build(),
                HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), url + ": " + r.body());
    return r.body();
  }
}
