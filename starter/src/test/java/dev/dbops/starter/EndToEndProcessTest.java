package dev.dbops.starter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dbops.worker.TemporalConnection;
import dev.dbops.worker.WorkerConfig;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.workflow.v1.PendingActivityInfo;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The end-to-end scenario with separate processes on 127.0.0.1: {@code dbops dev
 * --no-worker}, a worker process, a restore started from the CLI, the worker killed with
 * SIGKILL while the run polls S3, a new worker, and the restore completes with the downloaded
 * files matching their checksums.
 */
class EndToEndProcessTest {
  static final String QUEUE = "e2e";
  static final String BUCKET = "e2e-bucket";
  static final String ID = "e2e/restore";
  static final Duration STARTUP = Duration.ofSeconds(60);

  private final List<Process> processes = new ArrayList<>();
  @TempDir
  Path dir;

  /**
   * SIGTERM first: dev mode stops the local MariaDB it started only on a normal exit (SIGKILL
   * would orphan it); whatever is still alive after the grace period is killed.
   */
  @AfterEach
  void stopProcesses() throws InterruptedException {
    for (Process p : processes) {
      p.destroy();
    }
    for (Process p : processes) {
      if (!p.waitFor(20, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void givenWorkerKilledWhilePolling_whenNewWorkerStarts_thenRestoreCompletesWithMatchingChecksums()
      throws Exception {
    int temporalPort = freePort();
    int sandboxPort = freePort();
    String address = "127.0.0.1:" + temporalPort;
    String sandbox = "http://127.0.0.1:" + sandboxPort;

    spawn("dev", Map.of(), "dev", "--no-worker", "--temporal-port", Integer.toString(temporalPort),
        "--sandbox-port", Integer.toString(sandboxPort));
    awaitLine("dev.out", "dev: ready");

    Map<String, byte[]> seeded = seed(sandbox);

    Map<String, String> workerEnv = Map.of(WorkerConfig.TEMPORAL_ADDRESS, address,
        WorkerConfig.DBOPS_TASK_QUEUE, QUEUE, WorkerConfig.DBOPS_AWS_ENDPOINT, sandbox,
        WorkerConfig.DBOPS_METRICS_PORT, "0");
    Process firstWorker = spawn("worker-1", workerEnv, "worker");
    awaitLine("worker-1.err", "worker polling task queue");

    Path downloads = dir.resolve("downloads");
    Map<String, String> cliEnv = Map.of(WorkerConfig.TEMPORAL_ADDRESS, address,
        WorkerConfig.DBOPS_TASK_QUEUE, QUEUE);
    Process start = spawn("start", cliEnv, "start", "glacier-restore", "--bucket", BUCKET,
        "--prefix", "data/", "--tier", "STANDARD", "--download-dir", downloads.toString(),
        "--poll-interval", "1s", "--id", ID);
    assertTrue(start.waitFor(STARTUP.toSeconds(), TimeUnit.SECONDS), "start did not return");
    assertEquals(0, start.exitValue(), log("start.out") + log("start.err"));

    // Kill the worker while the run waits for S3: the readiness check has answered NOT_READY
    // at least twice. An attempt takes milliseconds and they come a second apart, so killing
    // a moment after a new attempt number appears lands between attempts (one killed inside an
    // attempt would only be retried after the activity's 5-minute start-to-close timeout).
    WorkflowServiceStubs stubs = TemporalConnection.stubs(
        WorkerConfig.from(Map.of(WorkerConfig.TEMPORAL_ADDRESS, address)), null);
    try {
      awaitTrue("the run polls for restore readiness", Duration.ofSeconds(30),
          () -> checkAttempt(stubs) >= 2);
      JsonNode status = statusJson(address).path("status");
      assertEquals("RESTORING", status.path("phase").asText(), status.toString());
      assertTrue(status.path("restored").asInt() < 4, "too late to kill: " + status);
      int attempt = checkAttempt(stubs);
      awaitTrue("the next readiness check", Duration.ofSeconds(5),
          () -> checkAttempt(stubs) > attempt);
      Thread.sleep(300);
      firstWorker.destroyForcibly();
      assertTrue(firstWorker.waitFor(10, TimeUnit.SECONDS));
    } finally {
      stubs.shutdownNow();
    }

    spawn("worker-2", workerEnv, "worker");
    Process result = spawn("result", cliEnv, "result", ID, "--json");
    if (!result.waitFor(120, TimeUnit.SECONDS)) {
      fail("restore did not finish after the worker restart\n" + log("worker-2.err"));
    }
    assertEquals(0, result.exitValue(), log("result.out") + log("result.err") + log("worker-2.err"));
    JsonNode outcome = Render.MAPPER.readTree(log("result.out"));
    assertEquals("COMPLETED", outcome.path("outcome").asText(), outcome.toString());
    assertEquals(seeded.size(), outcome.path("counts").path("DELIVERED").asInt(), outcome.toString());

    for (Map.Entry<String, byte[]> e : seeded.entrySet()) {
      Path file = downloads.resolve(e.getKey());
      assertTrue(Files.exists(file), "missing download " + file);
      assertEquals(md5(e.getValue()), md5(Files.readAllBytes(file)), "checksum of " + e.getKey());
    }
    JsonNode restores = Render.MAPPER.readTree(get(sandbox + "/_sandbox/calls?operation=RestoreObject"));
    assertEquals(4, restores.size(), "each archived object restored once, none re-requested: " + restores);
  }

  /** 2 GLACIER (5 s Standard restore in the sandbox), 2 DEEP_ARCHIVE (15 s), 1 STANDARD. */
  private static Map<String, byte[]> seed(String sandbox) throws Exception {
    Random random = new Random(42);
    Map<String, String> classes = new LinkedHashMap<>();
    classes.put("data/glacier-1.bin", "GLACIER");
    classes.put("data/glacier-2.bin", "GLACIER");
    classes.put("data/deep-1.bin", "DEEP_ARCHIVE");
    classes.put("data/deep-2.bin", "DEEP_ARCHIVE");
    classes.put("data/standard.bin", "STANDARD");
    HttpClient http = HttpClient.newHttpClient();
    send(http, HttpRequest.newBuilder(URI.create(sandbox + "/_sandbox/s3/buckets/" + BUCKET))
        .POST(HttpRequest.BodyPublishers.noBody()).build());
    Map<String, byte[]> seeded = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : classes.entrySet()) {
      byte[] bytes = new byte[64 * 1024 + random.nextInt(4096)];
      random.nextBytes(bytes);
      send(http, HttpRequest.newBuilder(URI.create(sandbox + "/_sandbox/s3/objects/" + BUCKET + "/"
          + e.getKey() + "?storageClass=" + e.getValue()))
          .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)).build());
      seeded.put(e.getKey(), bytes);
    }
    return seeded;
  }

  /** The readiness check's current attempt number (0 before it is scheduled). */
  private static int checkAttempt(WorkflowServiceStubs stubs) {
    var response = stubs.blockingStub().describeWorkflowExecution(
        DescribeWorkflowExecutionRequest.newBuilder().setNamespace("default")
            .setExecution(WorkflowExecution.newBuilder().setWorkflowId(ID)).build());
    return response.getPendingActivitiesList().stream()
        .filter(a -> a.getActivityType().getName().equals("CheckRestored"))
        .mapToInt(PendingActivityInfo::getAttempt).max().orElse(0);
  }

  private JsonNode statusJson(String address) throws IOException {
    Cli.Result r = Cli.run("status", ID, "--json", "--address", address);
    assertEquals(0, r.exit(), r.toString());
    return Render.MAPPER.readTree(r.out());
  }

  private Process spawn(String name, Map<String, String> env, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), DbopsCli.class.getName()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command)
        .redirectOutput(dir.resolve(name + ".out").toFile())
        .redirectError(dir.resolve(name + ".err").toFile())
        .directory(dir.toFile());
    for (String v : WorkerConfig.DEFAULTS.keySet()) {
      pb.environment().remove(v);
    }
    pb.environment().remove(WorkerConfig.DBOPS_CONFIG);
    pb.environment().putAll(env);
    Process p = pb.start();
    processes.add(p);
    return p;
  }

  private void awaitLine(String file, String text) throws Exception {
    awaitTrue("'" + text + "' in " + file, STARTUP, () -> log(file).contains(text));
  }

  private void awaitTrue(String what, Duration timeout, BooleanSupplier condition) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) return;
      for (Process p : processes) {
        if (!p.isAlive() && p.exitValue() != 0 && p.exitValue() != 137) {
          fail("a process died (" + p.exitValue() + ") while waiting for " + what + "\n" + allLogs());
        }
      }
      Thread.sleep(100);
    }
    fail("timed out waiting for " + what + "\n" + allLogs());
  }

  private String log(String file) {
    try {
      Path p = dir.resolve(file);
      return Files.exists(p) ? Files.readString(p, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      return "";
    }
  }

  private String allLogs() {
    StringBuilder sb = new StringBuilder();
    File[] files = dir.toFile().listFiles((d, n) -> n.endsWith(".out") || n.endsWith(".err"));
    if (files != null) {
      for (File f : files) sb.append("--- ").append(f.getName()).append('\n').append(log(f.getName()));
    }
    return sb.toString();
  }

  private static String get(String url) throws Exception {
    return send(HttpClient.newHttpClient(), HttpRequest.newBuilder(URI.create(url)).build());
  }

  private static String send(HttpClient http, HttpRequest request) throws Exception {
    HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), request + ": " + r.body());
    return r.body();
  }

  private static String md5(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
