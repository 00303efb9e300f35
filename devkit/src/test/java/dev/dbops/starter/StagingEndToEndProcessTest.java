package dev.dbops.starter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dbops.client.DbopsConfig;
import dev.dbops.client.TemporalConnection;
import dev.dbops.sandbox.StagingDemo;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.workflow.v1.PendingActivityInfo;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The staging rebuild end to end with separate processes on 127.0.0.1: {@code dbops dev
 * --no-worker} seeding its staging demo, a worker process, the rebuild started with the command dev
 * mode prints (grace and poll interval shortened), the worker killed with SIGKILL while the
 * restored cluster is still being created, a new worker, and the run completes: the sandbox saw
 * exactly one snapshot, one restore and one CNAME change.
 */
@Tag("process")
class StagingEndToEndProcessTest {
  static final String QUEUE = "e2e-staging";
  static final Duration STARTUP = ChildProcesses.STARTUP;

  /**
   * The restore, and then the new instance, take this long: long enough to find the run waiting for
   * the restored cluster, kill the worker and see the cluster still creating.
   */
  static final String RESTORE_DURATION = "12s";

  static final Pattern STARTED = Pattern.compile("started staging-rebuild (\\S+) \\(run");
  static final String CHECK = "StagingCheckRestoredClusterReady";

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
      givenWorkerKilledWhileRestoreWaits_whenNewWorkerStarts_thenRebuildCompletesWithOneSnapshotRestoreAndCnameChange()
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
        "staging-rebuild",
        "--no-worker",
        "--temporal-port",
        Integer.toString(temporalPort),
        "--sandbox-port",
        Integer.toString(sandboxPort),
        "--snapshot-duration",
        "2s",
        "--restore-duration",
        RESTORE_DURATION);
    children.awaitLine("dev.out", "dev: ready", STARTUP);
    String token = children.sandboxAdminToken("dev.out");
    List<String> startArgs = printedStartStaging(children.log("dev.out"));
    startArgs.set(startArgs.indexOf("--grace") + 1, "2s");
    startArgs.set(startArgs.indexOf("--poll-interval") + 1, "1s");

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
    Matcher started = STARTED.matcher(children.log("start.out"));
    assertTrue(started.find(), children.log("start.out"));
    String id = started.group(1);

    // Kill the worker while the run waits for the restored cluster: RESTORING, and the readiness
    // check has answered NOT_READY at least twice. A check takes milliseconds and they come 1 s
    // apart, so killing a moment after a new attempt appears lands between checks.
    WorkflowServiceStubs stubs =
        TemporalConnection.stubs(
            DbopsConfig.from(Map.of(DbopsConfig.TEMPORAL_ADDRESS, address)), null);
    String newCluster;
    try {
      children.awaitTrue(
          "the run waits for the restored cluster",
          Duration.ofSeconds(60),
          () ->
              "RESTORING".equals(status(address, id).path("phase").asText())
                  && checkAttempt(stubs, id) >= 2);
      newCluster = status(address, id).path("newClusterId").asText();
      int attempt = checkAttempt(stubs, id);
      children.awaitTrue(
          "the next readiness check",
          Duration.ofSeconds(10),
          () -> checkAttempt(stubs, id) > attempt);
      Thread.sleep(300);
      assertEquals(
          "creating",
          cluster(sandbox, token, newCluster).path("status").asText(),
          "too late to kill");
      firstWorker.destroyForcibly();
      assertTrue(firstWorker.waitFor(10, TimeUnit.SECONDS));
      assertEquals(ChildProcesses.KILLED, firstWorker.exitValue());
    } finally {
      stubs.shutdownNow();
    }

    children.spawn("worker-2", workerEnv, "worker");
    Process result = children.spawn("result", cliEnv, "result", id, "--json");
    if (!result.waitFor(180, TimeUnit.SECONDS)) {
      fail("the rebuild did not finish after the worker restart\n" + children.allLogs());
    }
    assertEquals(0, result.exitValue(), children.allLogs());
    JsonNode outcome = Render.MAPPER.readTree(children.log("result.out"));
    assertEquals("COMPLETED", outcome.path("outcome").asText(), outcome.toString());
    assertEquals("RETIRED", outcome.path("retirement").asText(), outcome.toString());
    assertEquals(newCluster, outcome.path("newClusterId").asText());

    assertEquals("available", cluster(sandbox, token, newCluster).path("status").asText());
    JsonNode restores = calls(sandbox, token, "RestoreDBClusterFromSnapshot");
    assertEquals(1, restores.size(), "one restore, none re-sent by the new worker: " + restores);
    assertEquals(newCluster, restores.get(0).path("bucket").asText(), restores.toString());
    JsonNode snapshots = calls(sandbox, token, "CreateDBClusterSnapshot");
    assertEquals(1, snapshots.size(), "one snapshot of production and no other: " + snapshots);
    JsonNode dnsChanges = calls(sandbox, token, "ChangeResourceRecordSets");
    assertEquals(1, dnsChanges.size(), "one CNAME change: " + dnsChanges);
    assertEquals(
        1, calls(sandbox, token, "CreateDBInstance").size(), "one instance for the new cluster");
  }

  /**
   * The {@code ./dbops start staging-rebuild …} line dev mode prints, as arguments (sh quoting
   * undone).
   */
  private static List<String> printedStartStaging(String devOut) {
    String line =
        devOut
            .lines()
            .map(String::strip)
            .filter(l -> l.startsWith("./dbops start staging-rebuild "))
            .findFirst()
            .orElseThrow(
                () ->
                    new AssertionError("dev printed no start staging-rebuild command:\n" + devOut));
    List<String> args = shellWords(line.substring("./dbops ".length()));
    assertTrue(
        args.stream().anyMatch(a -> a.startsWith("file:")),
        "expected a file: password reference: " + line);
    assertTrue(args.contains("--masking-sql") && args.contains("--verify-sql"), line);
    return args;
  }

  /**
   * Splits a line as sh would: whitespace separates words, single quotes protect, {@code '\''} is a
   * quote.
   */
  static List<String> shellWords(String line) {
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    boolean inWord = false;
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quoted) {
        if (c == '\'') quoted = false;
        else word.append(c);
      } else if (c == '\'') {
        quoted = true;
        inWord = true;
      } else if (c == '\\' && i + 1 < line.length()) {
        word.append(line.charAt(++i));
        inWord = true;
      } else if (Character.isWhitespace(c)) {
        if (inWord) words.add(word.toString());
        word.setLength(0);
        inWord = false;
      } else {
        word.append(c);
        inWord = true;
      }
    }
    if (inWord) words.add(word.toString());
    return words;
  }

  private static JsonNode status(String address, String id) {
    Cli.Result r = Cli.run("status", id, "--json", "--address", address);
    try {
      return r.exit() == 0
          ? Render.MAPPER.readTree(r.out()).path("status")
          : Render.MAPPER.createObjectNode();
    } catch (Exception e) {
      return Render.MAPPER.createObjectNode();
    }
  }

  /** The readiness check's current attempt number (0 when it is not scheduled). */
  private static int checkAttempt(WorkflowServiceStubs stubs, String id) {
    var response =
        stubs
            .blockingStub()
            .describeWorkflowExecution(
                DescribeWorkflowExecutionRequest.newBuilder()
                    .setNamespace("default")
                    .setExecution(WorkflowExecution.newBuilder().setWorkflowId(id))
                    .build());
    return response.getPendingActivitiesList().stream()
        .filter(a -> a.getActivityType().getName().equals(CHECK))
        .mapToInt(PendingActivityInfo::getAttempt)
        .max()
        .orElse(0);
  }

  private static JsonNode cluster(String sandbox, String token, String id) throws Exception {
    return Render.MAPPER.readTree(
        get(
            sandbox + "/_sandbox/rds/clusters/" + id + "?account=" + StagingDemo.STAGING_ACCOUNT,
            token));
  }

  private static JsonNode calls(String sandbox, String token, String operation) throws Exception {
    return Render.MAPPER.readTree(
        get(
            sandbox
                + "/_sandbox/calls?operation="
                + URLEncoder.encode(operation, StandardCharsets.UTF_8),
            token));
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
