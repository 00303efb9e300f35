package dev.dbops.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.sun.net.httpserver.HttpServer;
import dev.dbops.client.DbopsConfig;
import dev.dbops.workflows.catalog.Procedures;
import dev.dbops.workflows.common.Approval;
import dev.dbops.workflows.common.ApprovalPolicy;
import dev.dbops.workflows.restore.GlacierRestoreRequest;
import dev.dbops.workflows.restore.GlacierRestoreResult;
import dev.dbops.workflows.restore.GlacierRestoreWorkflow;
import dev.dbops.workflows.restore.RestorePhase;
import dev.dbops.workflows.restore.RestoreTier;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real worker, configured as docker-compose.yml configures it (webhook reference, Temporal UI
 * URL, /metrics), runs a restore that waits for approval while the chat webhook fails once, and a
 * restore whose bucket does not exist. Then: the webhook got the notice, and every metric name the
 * Grafana dashboard queries is one this worker served at /metrics — or one listed below as pending
 * or as Prometheus's own.
 */
@Tag("devstack")
class DashboardMetricsTest {
  static final String QUEUE = "dashboard-test";
  static final String BUCKET = "dashboard-test-bucket";

  /**
   * Series that appear only once a binlog catch-up has run on this worker (lag per run, skipped
   * events by errno), which this test does not start; ReplicationActivitiesTest checks them against
   * real MariaDB replication.
   */
  static final Set<String> PENDING =
      Set.of(
          "dbops_replication_lag_seconds", // {workflow_id}
          "dbops_replication_skipped_events_total"); // {workflow_id, errno}

  /** Series Prometheus makes itself for every scrape target. */
  static final Set<String> PROMETHEUS_OWN = Set.of("up");

  /**
   * The Temporal server's own metrics (scrape job temporal): the dev stack's server is the SDK's
   * test server, which exports none, so these names are listed, not checked.
   */
  static final Set<String> TEMPORAL_SERVER_OWN =
      Set.of("service_requests", "service_errors", "service_latency_bucket", "no_poller_tasks");

  /** A task queue no worker polls: a run started there stays open and answers no query. */
  static final String NOBODY_POLLS = "dashboard-test-nobody-polls";

  static final String UPGRADE_ID = "upgrade/dashboard-test";
  static final String RESTORE_ID = "restore/" + BUCKET + "/logs/";

  /** A lag gauge as another worker's binlog activity left it, of a run that is closed. */
  static final String CLOSED_RUN = "binlog/closed-elsewhere";

  @TempDir static Path dir;

  static DevServer dev;
  static DbopsWorker worker;
  static HttpServer webhook;
  static final List<JsonNode> posted = new CopyOnWriteArrayList<>();
  static final AtomicInteger answers = new AtomicInteger();
  static String scraped;
  static int openWhileWaiting;
  static String scrapedWhileWaiting;
  static String scrapedAfterTheRunEnded;

  @BeforeAll
  static void runTheScenarioAndScrape() throws Exception {
    dev = DevServer.start(0, 0);
    dev.sandbox().s3().createBucket(BUCKET);
    dev.sandbox().s3().putObject(BUCKET, "logs/a.gz", "a".repeat(1000).getBytes(), "GLACIER");

    // A chat webhook that answers 500 to the first post (Temporal retries it) and 200 after.
    webhook = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
    webhook.createContext(
        "/hooks/T0/s3cr3t",
        exchange -> {
          try (exchange;
              InputStream in = exchange.getRequestBody()) {
            posted.add(new ObjectMapper().readTree(in));
            exchange.sendResponseHeaders(answers.getAndIncrement() == 0 ? 500 : 200, -1);
          }
        });
    webhook.start();
    Path url = dir.resolve("webhook-url");
    Files.writeString(
        url, "http://127.0.0.1:" + webhook.getAddress().getPort() + "/hooks/T0/s3cr3t\n");

    int metricsPort;
    try (ServerSocket s = new ServerSocket(0)) {
      metricsPort = s.getLocalPort();
    }
    worker =
        DbopsWorker.start(
            DbopsConfig.from(
                Map.of(
                    DbopsConfig.TEMPORAL_ADDRESS,
                    dev.temporalAddress(),
                    DbopsConfig.DBOPS_TASK_QUEUE,
                    QUEUE,
                    DbopsConfig.DBOPS_AWS_ENDPOINT,
                    dev.sandboxEndpoint().toString(),
                    DbopsConfig.DBOPS_METRICS_PORT,
                    Integer.toString(metricsPort),
                    DbopsConfig.DBOPS_NOTIFY_WEBHOOK_URL_REF,
                    "file:" + url,
                    DbopsConfig.DBOPS_TEMPORAL_UI_URL,
                    "http://localhost:8080")));

    // A second procedure open: an upgrade on a queue nobody polls (it never runs).
    worker
        .client()
        .newUntypedWorkflowStub(
            Procedures.UPGRADE.workflowType(),
            WorkflowOptions.newBuilder()
                .setWorkflowId(UPGRADE_ID)
                .setTaskQueue(NOBODY_POLLS)
                .build())
        .start(Map.of("clusterId", "dashboard-test"));
    GlacierRestoreWorkflow approved = stub(RESTORE_ID);
    WorkflowClient.start(
        approved::run,
        GlacierRestoreRequest.Builder.of(BUCKET, "logs/")
            .tier(RestoreTier.EXPEDITED)
            .pollInterval(Duration.ofSeconds(1))
            .requestedBy("bob")
            .requireApproval(true)
            .approval(new ApprovalPolicy(List.of("alice"), 1, Duration.ofHours(1)))
            .build());
    await(
        "the run waits for approval",
        () -> RestorePhase.AWAITING_APPROVAL.equals(approved.status().phase()));
    await("the waiting notice is delivered", () -> answers.get() >= 2);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    new OpenProcedures(worker.client(), registry).refresh();
    openWhileWaiting =
        (int) registry.get(OpenProcedures.OPEN).tag("procedure", "glacier-restore").gauge().value();
    HttpClient http = HttpClient.newHttpClient();
    URI metrics = URI.create("http://127.0.0.1:" + metricsPort + "/metrics");
    io.micrometer.core.instrument.Gauge.builder("dbops_replication_lag_seconds", () -> 7)
        .tag("workflow_id", CLOSED_RUN)
        .register(worker.metrics().registry());
    worker.refreshOpenProcedures();
    scrapedWhileWaiting = get(http, metrics);
    approved.approve(new Approval("alice", "ok"));
    assertEquals(
        GlacierRestoreResult.COMPLETED,
        WorkflowClient.newInstance(worker.client().getWorkflowServiceStubs())
            .newUntypedWorkflowStub("restore/" + BUCKET + "/logs/")
            .getResult(GlacierRestoreResult.class)
            .outcome());

    // An activity that fails: the bucket does not exist.
    assertThrows(
        WorkflowFailedException.class,
        () ->
            stub("restore/missing/x")
                .run(
                    GlacierRestoreRequest.Builder.of("dashboard-test-missing", "x/")
                        .tier(RestoreTier.EXPEDITED)
                        .requestedBy("bob")
                        .build()));

    worker.refreshOpenProcedures();
    scrapedAfterTheRunEnded = get(http, metrics);
    // The SDK's tally scope flushes every second.
    await(
        "SDK failure metrics",
        () -> {
          scraped = get(http, metrics);
          return scraped.contains("temporal_activity_execution_failed_total")
              && scraped.contains("temporal_local_activity_execution_failed_total")
              && scraped.contains("temporal_workflow_failed_total");
        });
  }

  @AfterAll
  static void stop() {
    if (worker != null) worker.close();
    if (dev != null) dev.close();
    if (webhook != null) webhook.stop(0);
  }

  static GlacierRestoreWorkflow stub(String id) {
    return worker
        .client()
        .newWorkflowStub(
            GlacierRestoreWorkflow.class,
            WorkflowOptions.newBuilder().setWorkflowId(id).setTaskQueue(QUEUE).build());
  }

  static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "timed out waiting for " + what);
      Thread.sleep(200);
    }
  }

  static String get(HttpClient http, URI uri) {
    try {
      return http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString())
          .body();
    } catch (IOException e) {
      throw new AssertionError(uri + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Names of the series in a Prometheus text exposition. */
  static Set<String> seriesNames(String exposition) {
    Set<String> names = new TreeSet<>();
    exposition
        .lines()
        .filter(l -> !l.isBlank() && !l.startsWith("#"))
        .forEach(l -> names.add(l.split("[{ ]", 2)[0]));
    return names;
  }

  /** The dashboard's queries and the alert rules' expressions. */
  static Map<String, String> allExpressions() throws IOException {
    Map<String, String> all = new java.util.LinkedHashMap<>(DeploymentFilesTest.expressions());
    all.putAll(DeploymentFilesTest.ruleExpressions());
    return all;
  }

  /** Everything the worker served: per-run series exist only while a run is open. */
  static String allScraped() {
    return scraped + "\n" + scrapedWhileWaiting;
  }

  @Test
  void givenTheDashboardAndTheRules_whenEveryQueryIsRead_thenTheyReadOnlyMetricsTheWorkerExports()
      throws IOException {
    Set<String> exported = seriesNames(allScraped());
    Map<String, String> expressions = allExpressions();
    assertFalse(DeploymentFilesTest.ruleExpressions().isEmpty());
    assertFalse(expressions.isEmpty());
    Set<String> used = new TreeSet<>();
    StringBuilder unknown = new StringBuilder();
    expressions.forEach(
        (where, expr) -> {
          Set<String> names = PromQl.metricNames(expr);
          assertFalse(names.isEmpty(), where + " reads no metric: " + expr);
          for (String name : names) {
            used.add(name);
            if (!exported.contains(name)
                && !PENDING.contains(name)
                && !PROMETHEUS_OWN.contains(name)
                && !TEMPORAL_SERVER_OWN.contains(name)) {
              unknown.append(where).append(": ").append(name).append('\n');
            }
          }
        });
    assertEquals(
        "",
        unknown.toString(),
        "the worker does not export these; it served:\n" + String.join("\n", exported));
    // Every pending or server name is still queried, so the lists cannot rot unnoticed.
    assertTrue(used.containsAll(PENDING), "pending but unused: " + PENDING + " vs " + used);
    assertTrue(
        used.containsAll(TEMPORAL_SERVER_OWN),
        "server names unused: " + TEMPORAL_SERVER_OWN + " vs " + used);
  }

  /** Label names each series name carries in a Prometheus text exposition. */
  static Map<String, Set<String>> labelsByName(String exposition) {
    Map<String, Set<String>> labels = new HashMap<>();
    Pattern label = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"");
    exposition
        .lines()
        .filter(l -> !l.isBlank() && !l.startsWith("#"))
        .forEach(
            l -> {
              String name = l.split("[{ ]", 2)[0];
              Set<String> set = labels.computeIfAbsent(name, n -> new TreeSet<>());
              int open = l.indexOf('{');
              if (open > 0) {
                Matcher m = label.matcher(l.substring(open, l.lastIndexOf('}') + 1));
                while (m.find()) set.add(m.group(1));
              }
            });
    return labels;
  }

  @Test
  void givenTheDashboardAndTheRules_whenQueriesGroupByLabels_thenTheMetricsCarryThoseLabels()
      throws IOException {
    Map<String, Set<String>> labels = labelsByName(allScraped());
    Pattern by = Pattern.compile("\\bby\\s*\\(([^)]*)\\)");
    StringBuilder missing = new StringBuilder();
    allExpressions()
        .forEach(
            (where, expr) -> {
              Set<String> names = PromQl.metricNames(expr);
              if (names.stream()
                  .anyMatch(n -> PENDING.contains(n) || TEMPORAL_SERVER_OWN.contains(n))) return;
              Set<String> available = new TreeSet<>();
              names.forEach(n -> available.addAll(labels.getOrDefault(n, Set.of())));
              Matcher m = by.matcher(expr);
              while (m.find()) {
                for (String l : m.group(1).split(",")) {
                  if (!available.contains(l.strip()))
                    missing.append(where).append(": ").append(l.strip()).append('\n');
                }
              }
            });
    assertEquals("", missing.toString(), "grouped by labels the metrics do not have");
  }

  @Test
  void givenTheIssueList_whenTheDashboardIsRead_thenEachTopicHasAPanel() throws IOException {
    String all = String.join("\n", DeploymentFilesTest.expressions().values());
    for (String metric :
        List.of(
            OpenProcedures.OPEN,
            OpenProcedures.WAITING,
            OpenProcedures.OLDEST_WAIT,
            OpenProcedures.RUN_PHASE,
            OpenProcedures.RUN_STALLED,
            "dbops_staging_masking_seconds_count",
            "no_poller_tasks",
            "dbops_replication_lag_seconds",
            "dbops_replication_skipped_events_total",
            "dbops_restore_objects_total",
            "dbops_aws_calls_total",
            "temporal_activity_execution_failed_total")) {
      assertTrue(all.contains(metric), "no panel reads " + metric);
    }
  }

  @Test
  void givenAWebhookReference_whenARunWaitsForApproval_thenTheChannelGetsTheCommandAndTheUiLink() {
    assertTrue(posted.size() >= 2, "posts: " + posted.size());
    String first = posted.get(0).toString();
    assertEquals(first, posted.get(1).toString(), "the retry posts the same message");
    assertTrue(
        first.contains("restore/" + BUCKET + "/logs/")
            && first.contains("alice")
            && first.contains("./dbops approve restore/" + BUCKET + "/logs/ --by"),
        first);
    assertTrue(
        first.contains(
            "http://localhost:8080/namespaces/default/workflows/restore%2F"
                + BUCKET
                + "%2Flogs%2F"),
        first);
    assertInstanceOf(ArrayNode.class, posted.get(0).get("blocks"));
    assertTrue(
        posted.stream().anyMatch(p -> p.get("text").asText().contains("no longer waits")),
        "the approval closes the wait in the channel");
    assertTrue(
        scraped.contains(
            "dbops_notify_webhook_posts_total{notice=\"waiting\",outcome=\"http_500\"}"),
        "the failed post is counted");
  }

  @Test
  void givenRunsThatCompleteAndFail_whenTheyEnd_thenTheChannelIsToldByTheWorkersInterceptor() {
    assertTrue(
        posted.stream()
            .anyMatch(
                p -> p.toString().contains("restore/missing/x") && p.toString().contains("failed")),
        "the failed restore is announced: " + posted);
    assertTrue(
        posted.stream()
            .anyMatch(
                p ->
                    p.toString().contains("restore/" + BUCKET + "/logs/")
                        && p.toString().contains("completed")),
        "the completed restore is announced: " + posted);
  }

  @Test
  void givenARunWaiting_whenOpenProceduresAreCounted_thenItIsOpen() {
    assertEquals(1, openWhileWaiting);
    assertTrue(
        scraped.contains(OpenProcedures.OPEN + "{procedure=\"glacier-restore\"}"), "gauge served");
  }

  /** The value of the one series named {@code series} (name and labels as served), or null. */
  static Double value(String exposition, String series) {
    return exposition
        .lines()
        .filter(l -> l.startsWith(series + " "))
        .findFirst()
        .map(l -> Double.parseDouble(l.substring(series.length() + 1).strip()))
        .orElse(null);
  }

  @Test
  void givenRunsOfTwoProceduresOpen_whenTheWorkerCounts_thenEachProcedureCountsOnlyItsOwn() {
    Map<String, Double> open = new java.util.TreeMap<>();
    for (var p : Procedures.ALL) {
      open.put(
          p.name(),
          value(scrapedWhileWaiting, OpenProcedures.OPEN + "{procedure=\"" + p.name() + "\"}"));
    }
    // every procedure of the catalog is counted; only the two with an open run count 1
    Map<String, Double> expected = new java.util.TreeMap<>();
    for (var p : Procedures.ALL) expected.put(p.name(), 0.0);
    expected.put("glacier-restore", 1.0);
    expected.put("upgrade", 1.0);
    assertEquals(expected, open);
    assertEquals(
        0.0,
        value(scrapedAfterTheRunEnded, OpenProcedures.OPEN + "{procedure=\"glacier-restore\"}"));
    assertEquals(
        1.0, value(scrapedAfterTheRunEnded, OpenProcedures.OPEN + "{procedure=\"upgrade\"}"));
  }

  @Test
  void
      givenARunWaitingForApproval_whenTheWorkerCounts_thenTheWaitComesFromItsStatusNotFromMemory() {
    assertEquals(
        1.0,
        value(scrapedWhileWaiting, OpenProcedures.WAITING + "{procedure=\"glacier-restore\"}"));
    assertEquals(
        0.0,
        value(scrapedWhileWaiting, OpenProcedures.WAITING + "{procedure=\"upgrade\"}"),
        "a run that answers no query is open, not waiting");
    Double oldest =
        value(scrapedWhileWaiting, OpenProcedures.OLDEST_WAIT + "{procedure=\"glacier-restore\"}");
    assertTrue(oldest != null && oldest >= 0 && oldest < 120, "oldest wait: " + oldest);
    assertTrue(
        scrapedWhileWaiting
            .lines()
            .anyMatch(
                l ->
                    l.startsWith(OpenProcedures.RUN_PHASE + "{")
                        && l.contains("phase=\"AWAITING_APPROVAL\"")
                        && l.contains("waiting_for_person=\"true\"")
                        && l.contains("workflow_id=\"" + RESTORE_ID + "\"")),
        scrapedWhileWaiting);
    assertEquals(
        0.0,
        value(scrapedAfterTheRunEnded, OpenProcedures.WAITING + "{procedure=\"glacier-restore\"}"));
  }

  @Test
  void givenPerRunGauges_whenTheirRunIsClosed_thenTheyAreGoneWhicheverWorkerRegisteredThem() {
    assertFalse(scrapedWhileWaiting.contains(CLOSED_RUN), "a closed run's lag gauge is removed");
    assertTrue(
        scrapedWhileWaiting.contains("workflow_id=\"" + RESTORE_ID + "\""),
        "the open run's are served");
    assertFalse(
        scrapedAfterTheRunEnded.contains("workflow_id=\"" + RESTORE_ID + "\""),
        scrapedAfterTheRunEnded);
  }
}
