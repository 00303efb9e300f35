package dev.dbops.starter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dbops.client.DbopsConfig;
import dev.dbops.client.TemporalConnection;
import dev.dbops.workflows.migration.MigrationNames;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.workflow.v1.PendingActivityInfo;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
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
 * The Aurora migration with separate processes on 127.0.0.1: {@code dbops dev --demos
 * aurora-migration --no-worker} (an RDS MySQL instance on a local MariaDB, its Aurora read replica
 * a real MariaDB replica), a worker process, the migration started with the command dev mode
 * prints, the worker killed with SIGKILL while the run waits for the replica to catch up (the
 * sandbox delays the replica's apply), a new worker killed while the run waits for the cut-over
 * approval, a third worker, the approval, and the run completes: the sandbox saw exactly one
 * CreateDBCluster, one PromoteReadReplicaDBCluster and at most one CNAME change, and every row is
 * on Aurora.
 */
@Tag("process")
class AuroraMigrationCrashProcessTest {
  static final String QUEUE = "e2e-aurora-migration";
  static final String ID = "aurora-migration/" + AuroraMigrationDemo.INSTANCE;
  static final String CLUSTER = MigrationNames.forWorkflow(ID).clusterId();
  static final Duration STARTUP = ChildProcesses.STARTUP;

  /** How long the replica holds back each event: the catch-up wait the first kill lands in. */
  static final Duration REPLICA_DELAY = Duration.ofSeconds(40);

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
      givenWorkerKilledInCatchUpAndAtApproval_whenNewWorkerStartsAndApproved_thenOneCreateOnePromoteAtMostOneCnameChangeRowsOnAurora()
          throws Exception {
    int temporalPort = ChildProcesses.freePort();
    int sandboxPort = ChildProcesses.freePort();
    String address = "127.0.0.1:" + temporalPort;
    String sandbox = "http://127.0.0.1:" + sandboxPort;

    children.spawn(
        "dev",
        Map.of(),
        "dev",
        "--demos", // only the local MariaDB this test uses
        "aurora-migration",
        "--no-worker",
        "--temporal-port",
        Integer.toString(temporalPort),
        "--sandbox-port",
        Integer.toString(sandboxPort));
    children.awaitLine("dev.out", "dev: ready", STARTUP);
    String token = children.sandboxAdminToken("dev.out");
    List<String> startArgs = printedStartMigration(children.log("dev.out"));
    // A person, not the requester, approves; the test stops no writers by read_only (it has no
    // root login on the dev process's MariaDB), so the gate trusts the hook; completes at once.
    startArgs.addAll(
        List.of("--requested-by", "bob", "--writes-stopped", "hook", "--revert-window", "1s"));

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
    run(cliEnv, "start", startArgs.toArray(String[]::new));

    JsonNode instance =
        get(sandbox + "/_sandbox/rds/instances/" + AuroraMigrationDemo.INSTANCE, token);
    String source = url(instance);
    String password = Files.readString(dir.resolve(passwordFile(startArgs))).strip();

    // The replica applies each event REPLICA_DELAY after the source (the sandbox's
    // delay-replication, once the replica's MariaDB runs). A row written when the run creates the
    // replica's instance, which the sandbox makes take 20 s, keeps the lag above 0 for about
    // REPLICA_DELAY - 20 s once the run waits for it.
    children.awaitTrue(
        "the replica's MariaDB running",
        Duration.ofSeconds(60),
        () ->
            post(
                    sandbox
                        + "/_sandbox/rds/clusters/"
                        + CLUSTER
                        + "/delay-replication?seconds="
                        + REPLICA_DELAY.toSeconds(),
                    token)
                == 200);
    children.awaitTrue(
        "the replica's instance requested",
        Duration.ofSeconds(60),
        () -> hasCall(sandbox, token, "CreateDBInstance"));
    execute(source, password, "INSERT INTO shop.orders VALUES (1001, 'while replicating')");

    WorkflowServiceStubs stubs =
        TemporalConnection.stubs(
            DbopsConfig.from(Map.of(DbopsConfig.TEMPORAL_ADDRESS, address)), null);
    try {
      // Kill 1 while the run waits for lag 0, between two lag checks: a check takes milliseconds
      // and they come 1 s apart, so killing a moment after a new attempt appears lands between
      // checks (one killed inside a check would only be retried after its 2 min timeout).
      children.awaitTrue(
          "the run waits for the replica to catch up",
          Duration.ofSeconds(60),
          () -> "CATCHING_UP".equals(phase(address)) && lagCheckAttempt(stubs) >= 2);
      int attempt = lagCheckAttempt(stubs);
      children.awaitTrue(
          "the next lag check", Duration.ofSeconds(10), () -> lagCheckAttempt(stubs) > attempt);
      Thread.sleep(300);
      assertEquals("CATCHING_UP", phase(address), "too late to kill in the catch-up");
      firstWorker.destroyForcibly();
      assertTrue(firstWorker.waitFor(10, TimeUnit.SECONDS));
    } finally {
      stubs.shutdownNow();
    }

    // Kill 2 while the run waits for the cut-over approval: nothing promoted yet.
    Process secondWorker = children.spawn("worker-2", workerEnv, "worker");
    children.awaitTrue(
        "the run waits for the cut-over approval",
        REPLICA_DELAY.plusSeconds(90),
        () -> "AWAITING_APPROVAL".equals(phase(address)));
    assertEquals(0, calls(sandbox, token, "PromoteReadReplicaDBCluster").size(), "too late");
    secondWorker.destroyForcibly();
    assertTrue(secondWorker.waitFor(10, TimeUnit.SECONDS));
    execute(source, password, "INSERT INTO shop.orders VALUES (1002, 'while no worker runs')");

    children.spawn("worker-3", workerEnv, "worker");
    children.awaitLine("worker-3.err", "worker polling task queue", STARTUP);
    run(cliEnv, "approve", "approve", ID, "--by", AuroraMigrationDemo.APPROVER, "--comment", "go");
    Process result = children.spawn("result", cliEnv, "result", ID, "--json");
    if (!result.waitFor(120, TimeUnit.SECONDS)) {
      fail("the migration did not finish after the worker restart\n" + children.allLogs());
    }
    assertEquals(0, result.exitValue(), children.allLogs());
    JsonNode outcome = Render.MAPPER.readTree(children.log("result.out"));
    assertEquals("COMPLETED", outcome.path("outcome").asText(), outcome.toString());

    JsonNode creates = calls(sandbox, token, "CreateDBCluster");
    assertEquals(1, creates.size(), "one CreateDBCluster, none re-sent: " + creates);
    JsonNode promotes = calls(sandbox, token, "PromoteReadReplicaDBCluster");
    assertEquals(1, promotes.size(), "one PromoteReadReplicaDBCluster: " + promotes);
    // At most one: the sandbox serves instance and cluster on one loopback host, where the CNAME
    // may already be in sync and the UPSERT is rightly skipped.
    JsonNode cnames = calls(sandbox, token, "ChangeResourceRecordSets");
    assertTrue(cnames.size() <= 1, "at most one CNAME change: " + cnames);

    JsonNode cluster =
        get(sandbox + "/_sandbox/rds/clusters/" + outcome.path("clusterId").asText(), token);
    String aurora = url(cluster);
    assertEquals(
        AuroraMigrationDemo.ORDERS + 2,
        count(aurora, password, "SELECT COUNT(*) FROM shop.orders"),
        "every source row on Aurora");
    assertEquals(
        2, count(aurora, password, "SELECT COUNT(*) FROM shop.orders WHERE id IN (1001, 1002)"));
  }

  private void run(Map<String, String> env, String name, String... args) throws Exception {
    Process p = children.spawn(name, env, args);
    assertTrue(p.waitFor(STARTUP.toSeconds(), TimeUnit.SECONDS), name + " did not return");
    assertEquals(0, p.exitValue(), children.log(name + ".out") + children.log(name + ".err"));
  }

  /** The {@code ./dbops start aurora-migration …} line dev mode prints, as arguments. */
  private static List<String> printedStartMigration(String devOut) {
    String line =
        devOut
            .lines()
            .map(String::strip)
            .filter(l -> l.startsWith("./dbops start aurora-migration "))
            .findFirst()
            .orElseThrow(
                () -> new AssertionError("dev printed no start aurora-migration:\n" + devOut));
    assertTrue(!line.contains("'"), "expected unquoted arguments: " + line);
    return new ArrayList<>(List.of(line.substring("./dbops ".length()).split(" +")));
  }

  private static Path passwordFile(List<String> args) {
    String ref = args.get(args.indexOf("--db-password-ref") + 1);
    assertTrue(ref.startsWith("file:"), ref);
    return Path.of(ref.substring("file:".length()));
  }

  private String phase(String address) {
    Cli.Result r = Cli.run("status", ID, "--json", "--address", address);
    try {
      return r.exit() == 0
          ? Render.MAPPER.readTree(r.out()).path("status").path("phase").asText()
          : "";
    } catch (Exception e) {
      return "";
    }
  }

  private static String url(JsonNode resource) {
    String host = resource.path("endpoint").asText();
    return AuroraMigrationDemo.Demo.url(host, resource.path("port").asInt());
  }

  private static void execute(String url, String password, String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(url, AuroraMigrationDemo.MASTER, password);
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  private static long count(String url, String password, String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(url, AuroraMigrationDemo.MASTER, password);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** The lag check's current attempt number (0 when it is not scheduled). */
  private static int lagCheckAttempt(WorkflowServiceStubs stubs) {
    var response =
        stubs
            .blockingStub()
            .describeWorkflowExecution(
                DescribeWorkflowExecutionRequest.newBuilder()
                    .setNamespace("default")
                    .setExecution(WorkflowExecution.newBuilder().setWorkflowId(ID))
                    .build());
    return response.getPendingActivitiesList().stream()
        .filter(a -> a.getActivityType().getName().equals("MigrationCheckReplicaLag"))
        .mapToInt(PendingActivityInfo::getAttempt)
        .max()
        .orElse(0);
  }

  private static int post(String url, String token) {
    try {
      return HttpClient.newHttpClient()
          .send(
              ChildProcesses.sandboxAdmin(url, token)
                  .POST(HttpRequest.BodyPublishers.noBody())
                  .build(),
              HttpResponse.BodyHandlers.ofString())
          .statusCode();
    } catch (Exception e) {
      return -1;
    }
  }

  private static boolean hasCall(String sandbox, String token, String operation) {
    try {
      return calls(sandbox, token, operation).size() > 0;
    } catch (Exception e) {
      return false;
    }
  }

  private static JsonNode calls(String sandbox, String token, String operation) throws Exception {
    return get(sandbox + "/_sandbox/calls?operation=" + operation, token);
  }

  private static JsonNode get(String url, String token) throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                ChildProcesses.sandboxAdmin(url, token).build(),
                HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), url + ": " + r.body());
    return Render.MAPPER.readTree(r.body());
  }
}
