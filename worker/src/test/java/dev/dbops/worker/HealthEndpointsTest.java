package dev.dbops.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dbops.client.DbopsConfig;
import io.temporal.testserver.TestServer;
import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code /healthz} and {@code /readyz} of a real worker on the Temporal test server: ready only
 * while polling, neither once shutdown begins.
 */
@Tag("process")
class HealthEndpointsTest {
  static TestServer.PortBoundTestServer temporal;
  static int temporalPort;
  static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  DbopsWorker worker;

  @BeforeAll
  static void startTemporal() throws IOException {
    temporalPort = freePort();
    temporal = TestServer.createPortBoundServer(temporalPort);
  }

  @AfterAll
  static void stopTemporal() {
    if (temporal != null) temporal.close();
  }

  @AfterEach
  void stopWorker() {
    if (worker != null) worker.close();
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  DbopsWorker connect() throws IOException {
    worker =
        DbopsWorker.connect(
            DbopsConfig.from(
                Map.of(
                    DbopsConfig.TEMPORAL_ADDRESS,
                    "127.0.0.1:" + temporalPort,
                    DbopsConfig.DBOPS_TASK_QUEUE,
                    "health-test",
                    DbopsConfig.DBOPS_METRICS_PORT,
                    Integer.toString(freePort()))));
    return worker;
  }

  int status(String path) throws IOException, InterruptedException {
    return get(path).statusCode();
  }

  HttpResponse<String> get(String path) throws IOException, InterruptedException {
    URI uri = URI.create("http://127.0.0.1:" + worker.metricsAddress().getPort() + path);
    return HTTP.send(
        HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void givenAConnectedWorker_whenItHasNotStartedPolling_thenLiveButNotReady() throws Exception {
    connect();
    assertEquals(200, status(WorkerHealth.LIVE_PATH));
    HttpResponse<String> ready = get(WorkerHealth.READY_PATH);
    assertEquals(503, ready.statusCode());
    assertEquals("not ok: starting\n", ready.body());
  }

  @Test
  void givenAConnectedWorker_whenItStartsPolling_thenReady() throws Exception {
    connect().startPolling();
    assertEquals(200, status(WorkerHealth.LIVE_PATH));
    HttpResponse<String> ready = get(WorkerHealth.READY_PATH);
    assertEquals(200, ready.statusCode());
    assertEquals("ok: polling\n", ready.body());
  }

  @Test
  void givenAPollingWorker_whenShutdownBegins_thenNeitherLiveNorReadyWhileMetricsStillServe()
      throws Exception {
    connect().startPolling();
    assertEquals(200, status(WorkerHealth.READY_PATH));
    worker.beginShutdown();
    assertEquals(503, status(WorkerHealth.LIVE_PATH));
    assertEquals(503, status(WorkerHealth.READY_PATH));
    assertEquals(200, status("/metrics"), "Prometheus still sees the draining worker");
    assertThrows(
        IllegalStateException.class,
        () -> {
          worker.close();
          worker.startPolling();
        },
        "a shut-down worker does not poll again");
    assertThrows(
        ConnectException.class,
        () -> status(WorkerHealth.LIVE_PATH),
        "the endpoint is gone once the worker stopped");
  }

  /** The Dockerfile's HEALTHCHECK command (exec form), as Docker would run it in the container. */
  static List<String> dockerHealthcheck() throws IOException {
    String text = Files.readString(DeploymentFilesTest.ROOT.resolve("Dockerfile"));
    Matcher m = Pattern.compile("HEALTHCHECK[^\\n]*\\\\\\n\\s*CMD (\\[.*\\])").matcher(text);
    assertTrue(m.find(), "HEALTHCHECK … CMD [exec form] in the Dockerfile");
    return List.of(new ObjectMapper().readValue(m.group(1), String[].class));
  }

  int runHealthcheck(List<String> command) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment()
        .put(DbopsConfig.DBOPS_METRICS_PORT, Integer.toString(worker.metricsAddress().getPort()));
    Process p = pb.start();
    assertTrue(p.waitFor(10, TimeUnit.SECONDS), "the healthcheck finished");
    return p.exitValue();
  }

  @Test
  void givenTheImagesHealthcheck_whenRunAgainstARealWorker_thenHealthyUntilShutdownBegins()
      throws Exception {
    List<String> command = dockerHealthcheck();
    Assumptions.assumeTrue(Files.isExecutable(Path.of("/bin/bash")), "bash, as in the JRE image");
    connect();
    assertEquals(0, runHealthcheck(command), "healthy while connected, before polling");
    worker.startPolling();
    assertEquals(0, runHealthcheck(command));
    worker.beginShutdown();
    assertTrue(runHealthcheck(command) != 0, "unhealthy once shutdown begins");
  }

  @Test
  void givenTheProbes_whenAskedForAnotherPathOrMethod_thenRefused() throws Exception {
    connect().startPolling();
    assertEquals(404, status(WorkerHealth.READY_PATH + "/x"));
    URI uri =
        URI.create(
            "http://127.0.0.1:" + worker.metricsAddress().getPort() + WorkerHealth.LIVE_PATH);
    assertEquals(
        405,
        HTTP.send(
                HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.discarding())
            .statusCode());
    assertTrue(worker.metricsAddress().getAddress().isLoopbackAddress());
  }
}
