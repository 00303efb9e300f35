package dev.dbops.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dbops.client.DbopsConfig;
import dev.dbops.workflows.common.ApprovalPolicy;
import dev.dbops.workflows.common.ErrorTypes;
import dev.dbops.workflows.restore.GlacierRestoreRequest;
import dev.dbops.workflows.restore.GlacierRestoreResult;
import dev.dbops.workflows.restore.GlacierRestoreWorkflow;
import dev.dbops.workflows.restore.RestorePhase;
import dev.dbops.workflows.restore.RestoreTier;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.failure.ApplicationFailure;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** A real worker against the loopback dev server and the sandbox. */
@Tag("devstack")
class DbopsWorkerTest {
  static final String QUEUE = "worker-test";
  static final String BUCKET = "worker-test-bucket";

  static DevServer dev;
  static DbopsWorker worker;
  static int metricsPort;

  @BeforeAll
  static void start() throws Exception {
    dev = DevServer.start(0, 0);
    dev.sandbox().s3().createBucket(BUCKET);
    dev.sandbox().s3().putObject(BUCKET, "logs/a.gz", "a".repeat(1000).getBytes(), "GLACIER");
    dev.sandbox().s3().putObject(BUCKET, "logs/b.gz", "b".repeat(2000).getBytes(), "GLACIER");
    try (ServerSocket s = new ServerSocket(0)) {
      metricsPort = s.getLocalPort();
    }
    worker =
        DbopsWorker.start(
            DbopsConfig.from(
                Map.of(
                    DbopsConfig.TEMPORAL_ADDRESS, dev.temporalAddress(),
                    DbopsConfig.DBOPS_TASK_QUEUE, QUEUE,
                    DbopsConfig.DBOPS_AWS_ENDPOINT, dev.sandboxEndpoint().toString(),
                    DbopsConfig.DBOPS_METRICS_PORT, Integer.toString(metricsPort))));
  }

  @AfterAll
  static void stop() {
    if (worker != null) worker.close();
    if (dev != null) dev.close();
  }

  private static GlacierRestoreWorkflow stub(String id) {
    return worker
        .client()
        .newWorkflowStub(
            GlacierRestoreWorkflow.class,
            WorkflowOptions.newBuilder().setWorkflowId(id).setTaskQueue(QUEUE).build());
  }

  @Test
  void givenARestoreRan_whenMetricsScraped_thenSdkAndDomainMetricsAreServedOnLoopback()
      throws Exception {
    GlacierRestoreResult result =
        stub("worker-test/metrics")
            .run(
                GlacierRestoreRequest.Builder.of(BUCKET, "logs/")
                    .tier(RestoreTier.EXPEDITED)
                    .pollInterval(Duration.ofSeconds(1))
                    .requestedBy("test")
                    .build());
    assertEquals(GlacierRestoreResult.COMPLETED, result.outcome());

    assertTrue(
        worker.metricsAddress().getAddress().isLoopbackAddress(),
        "metrics bound to " + worker.metricsAddress());
    HttpClient http = HttpClient.newHttpClient();
    String body = "";
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + "/metrics"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode());
      assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
      body = r.body();
      // The SDK's tally scope flushes every second; wait for its workflow metrics.
      if (body.contains("temporal_workflow_completed")) break;
      Thread.sleep(200);
    }
    assertTrue(body.contains("temporal_workflow_completed"), "SDK metrics missing:\n" + body);
    assertTrue(body.contains("temporal_request"), "SDK request metrics missing");
    assertTrue(
        body.contains("dbops_aws_calls_total{") && body.contains("operation=\"RestoreObject\""),
        "AWS call metrics missing");
    assertTrue(body.contains("dbops_restore_objects_total"), "restore progress missing");
    // Runs waiting for a person are counted from Temporal (dbops_procedures_waiting), not by a
    // gauge in this worker's memory that a restart empties.
    assertFalse(body.contains("dbops_approvals_waiting"), "in-memory approvals gauge is back");
  }

  @Test
  void givenApprovalTimeout_whenNobodyApproves_thenRunWaitsRealTimeThenFails() throws Exception {
    Duration timeout = Duration.ofSeconds(4);
    GlacierRestoreWorkflow run = stub("worker-test/approval-timeout");
    WorkflowClient.start(
        run::run,
        GlacierRestoreRequest.Builder.of(BUCKET, "logs/")
            .tier(RestoreTier.STANDARD)
            .requireApproval(true)
            .requestedBy("test")
            .approval(new ApprovalPolicy(List.of("alice"), 1, timeout))
            .build());
    long started = System.nanoTime();

    // Time skipping would fire the timer as soon as the run waits; the dev server runs on the
    // wall clock, so the run is still waiting a second after it started to.
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!RestorePhase.AWAITING_APPROVAL.equals(run.status().phase())) {
      assertTrue(System.nanoTime() < deadline, "never waited for approval: " + run.status());
      Thread.sleep(100);
    }
    Thread.sleep(1000);
    assertEquals(RestorePhase.AWAITING_APPROVAL, run.status().phase());

    var e =
        assertThrows(
            WorkflowFailedException.class,
            () ->
                WorkflowClient.newInstance(worker.client().getWorkflowServiceStubs())
                    .newUntypedWorkflowStub("worker-test/approval-timeout")
                    .getResult(Void.class));
    Duration waited = Duration.ofNanos(System.nanoTime() - started);
    ApplicationFailure failure = assertInstanceOf(ApplicationFailure.class, e.getCause());
    assertEquals(ErrorTypes.APPROVAL_TIMEOUT, failure.getType());
    assertTrue(waited.compareTo(timeout.minusMillis(200)) >= 0, "failed after only " + waited);
  }
}
