package dev.dbops.starter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dbops.client.DbopsConfig;
import dev.dbops.client.TemporalConnection;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.workflow.v1.PendingActivityInfo;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The end-to-end scenario with separate processes on 127.0.0.1: {@code dbops dev
 * --no-worker}, a worker process, a restore started from the CLI, the worker killed with SIGKILL
 * while the run polls S3, a new worker, and the restore completes with the downloaded files
 * matching their checksums.
 */
@Tag("process")
class EndToEndProcessTest {
  static final String QUEUE = "e2e";
  static final String BUCKET = "e2e-bucket";
  static final String ID = "e2e/restore";
  static final Duration STARTUP = ChildProcesses.STARTUP;

  @TempDir Path dir;

  /** SIGTERM first (dev mode stops its MariaDB only on a normal exit), then SIGKILL. */
  private ChildProcesses children;

  @BeforeEach
  void children() {
    children = new ChildProcesses(dir);
  }

  @AfterEach
  void stopProcesses() throws InterruptedException {
    children.close();
  }

  @Test
  void givenWorkerKilledWhilePolling_whenNewWorkerStarts_thenRestoreCompletesWithMatchingChecksums()
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
        DevCommand.NO_DEMOS,
        "--no-worker",
        "--temporal-port",
        Integer.toString(temporalPort),
        "--sandbox-port",
        Integer.toString(sandboxPort));
    children.awaitLine("dev.out", "dev: ready", STARTUP);
    String token = children.sandboxAdminToken("dev.out");

    Map<String, byte[]> seeded = seed(sandbox, token);

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

    Path downloads = dir.resolve("downloads");
    Map<String, String> cliEnv =
        Map.of(DbopsConfig.TEMPORAL_ADDRESS, address, DbopsConfig.DBOPS_TASK_QUEUE, QUEUE);
    Process start =
        children.spawn(
            "start",
            cliEnv,
            "start",
            "glacier-restore",
            "--bucket",
            BUCKET,
            "--prefix",
            "data/",
            "--tier",
            "STANDARD",
            "--download-dir",
            downloads.toString(),
            "--poll-interval",
            "1s",
            "--id",
            ID);
    assertTrue(start.waitFor(STARTUP.toSeconds(), TimeUnit.SECONDS), "start did not return");
    assertEquals(0, start.exitValue(), children.log("start.out") + children.log("start.err"));

    // Kill the worker while the run waits for S3: the readiness check has answered NOT_READY
    // at least twice. An attempt takes milliseconds and they come a second apart, so killing
    // a moment after a new attempt number appears lands between attempts (one killed inside an
    // attempt would only be retried after the activity's 5-minute start-to-close timeout).
    WorkflowServiceStubs stubs =
        TemporalConnection.stubs(
            DbopsConfig.from(Map.of(DbopsConfig.TEMPORAL_ADDRESS, address)), null);
    try {
      children.awaitTrue(
          "the run polls for restore readiness",
          Duration.ofSeconds(30),
          () -> checkAttempt(stubs) >= 2);
      JsonNode status = statusJson(address).path("status");
      assertEquals("RESTORING", status.path("phase").asText(), status.toString());
      assertTrue(status.path("restored").asInt() < 4, "too late to kill: " + status);
      int attempt = checkAttempt(stubs);
      children.awaitTrue(
          "the next readiness check", Duration.ofSeconds(5), () -> checkAttempt(stubs) > attempt);
      Thread.sleep(300);
      firstWorker.destroyForcibly();
      assertTrue(firstWorker.waitFor(10, TimeUnit.SECONDS));
    } finally {
      stubs.shutdownNow();
    }

    children.spawn("worker-2", workerEnv, "worker");
    Process result = children.spawn("result", cliEnv, "result", ID, "--json");
    if (!result.waitFor(120, TimeUnit.SECONDS)) {
      fail("restore did not finish after the worker restart\n" + children.log("worker-2.err"));
    }
    assertEquals(
        0,
        result.exitValue(),
        children.log("result.out") + children.log("result.err") + children.log("worker-2.err"));
    JsonNode outcome = Render.MAPPER.readTree(children.log("result.out"));
    assertEquals("COMPLETED", outcome.path("outcome").asText(), outcome.toString());
    assertEquals(
        seeded.size(), outcome.path("counts").path("DELIVERED").asInt(), outcome.toString());

    for (Map.Entry<String, byte[]> e : seeded.entrySet()) {
      Path file = downloads.resolve(e.getKey());
      assertTrue(Files.exists(file), "missing download " + file);
      assertEquals(md5(e.getValue()), md5(Files.readAllBytes(file)), "checksum of " + e.getKey());
    }
    JsonNode restores =
        Render.MAPPER.readTree(get(sandbox + "/_sandbox/calls?operation=RestoreObject", token));
    assertEquals(
        4, restores.size(), "each archived object restored once, none re-requested: " + restores);
  }

  /** 2 GLACIER (5 s Standard restore in the sandbox), 2 DEEP_ARCHIVE (15 s), 1 STANDARD. */
  private static Map<String, byte[]> seed(String sandbox, String token) throws Exception {
    Random random = new Random(42);
    Map<String, String> classes = new LinkedHashMap<>();
    classes.put("data/glacier-1.bin", "GLACIER");
    classes.put("data/glacier-2.bin", "GLACIER");
    classes.put("data/deep-1.bin", "DEEP_ARCHIVE");
    classes.put("data/deep-2.bin", "DEEP_ARCHIVE");
    classes.put("data/standard.bin", "STANDARD");
    HttpClient http = HttpClient.newHttpClient();
    send(
        http,
        ChildProcesses.sandboxAdmin(sandbox + "/_sandbox/s3/buckets/" + BUCKET, token)
            .POST(HttpRequest.BodyPublishers.noBody())
            .build());
    Map<String, byte[]> seeded = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : classes.entrySet()) {
      byte[] bytes = new byte[64 * 1024 + random.nextInt(4096)];
      random.nextBytes(bytes);
      send(
          http,
          ChildProcesses.sandboxAdmin(
                  sandbox
                      + "/_sandbox/s3/objects/"
                      + BUCKET
                      + "/"
                      + e.getKey()
                      + "?storageClass="
                      + e.getValue(),
                  token)
              .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes))
              .build());
      seeded.put(e.getKey(), bytes);
    }
    return seeded;
  }

  /** The readiness check's current attempt number (0 before it is scheduled). */
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
        .filter(a -> a.getActivityType().getName().equals("CheckRestored"))
        .mapToInt(PendingActivityInfo::getAttempt)
        .max()
        .orElse(0);
  }

  private JsonNode statusJson(String address) throws IOException {
    Cli.Result r = Cli.run("status", ID, "--json", "--address", address);
    assertEquals(0, r.exit(), r.toString());
    return Render.MAPPER.readTree(r.out());
  }

  private static String get(String url, String token) throws Exception {
    return send(HttpClient.newHttpClient(), ChildProcesses.sandboxAdmin(url, token).build());
  }

  private static String send(HttpClient http, HttpRequest request) throws Exception {
    HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), request + ": " + r.body());
    return r.body();
  }

  private static String md5(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
  }
}
