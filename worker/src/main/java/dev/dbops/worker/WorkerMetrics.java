package dev.dbops.worker;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.uber.m3.tally.RootScopeBuilder;
import com.uber.m3.tally.Scope;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.temporal.common.reporter.MicrometerClientStatsReporter;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Prometheus registry for the SDK's metrics (through a tally scope and {@link
 * MicrometerClientStatsReporter}) and dbops's own ({@code dbops_*}, recorded by the activities),
 * served as text at {@code /metrics} by the JDK's HTTP server, next to the {@link WorkerHealth}
 * probes {@code /healthz} and {@code /readyz} (200, or 503 with the state).
 */
public final class WorkerMetrics implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WorkerMetrics.class);

  /** How often the SDK's tally scope flushes into the registry. */
  static final com.uber.m3.util.Duration SDK_REPORT_INTERVAL =
      com.uber.m3.util.Duration.ofSeconds(1);

  static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Scope sdkScope =
      new RootScopeBuilder()
          .reporter(new MicrometerClientStatsReporter(registry))
          .reportEvery(SDK_REPORT_INTERVAL);
  private final WorkerHealth health = new WorkerHealth();
  private HttpServer server;

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** What {@code /healthz} and {@code /readyz} answer. */
  public WorkerHealth health() {
    return health;
  }

  /** Pass to {@code WorkflowServiceStubsOptions.setMetricsScope}. */
  public Scope sdkScope() {
    return sdkScope;
  }

  /**
   * Serves {@code /metrics}, {@code /healthz} and {@code /readyz} on {@code host:port}; port 0
   * means no endpoint.
   *
   * @return the bound address, or null when off
   */
  public InetSocketAddress serve(String host, int port) throws IOException {
    if (port == 0) return null;
    server = HttpServer.create(new InetSocketAddress(host, port), 16);
    server.createContext("/metrics", this::scrape);
    server.createContext(WorkerHealth.LIVE_PATH, exchange -> probe(exchange, health.live()));
    server.createContext(WorkerHealth.READY_PATH, exchange -> probe(exchange, health.ready()));
    server.setExecutor(
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "dbops-metrics");
              t.setDaemon(true);
              return t;
            }));
    server.start();
    log.info("Prometheus metrics at http://{}:{}/metrics", host, server.getAddress().getPort());
    return server.getAddress();
  }

  private void scrape(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!"GET".equals(exchange.getRequestMethod())) {
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  /** 200 "ok" or 503 with the state, for GET and HEAD; an exact path only. */
  private void probe(HttpExchange exchange, boolean ok) throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      if (!"GET".equals(method) && !"HEAD".equals(method)) {
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      if (!exchange.getRequestURI().getPath().equals(exchange.getHttpContext().getPath())) {
        exchange.sendResponseHeaders(404, -1);
        return;
      }
      byte[] body =
          ((ok ? "ok" : "not ok")
                  + ": "
                  + health.state().name().toLowerCase(java.util.Locale.ROOT)
                  + "\n")
              .getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
      if ("HEAD".equals(method)) {
        exchange.sendResponseHeaders(ok ? 200 : 503, -1);
        return;
      }
      exchange.sendResponseHeaders(ok ? 200 : 503, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  @Override
  public void close() {
    if (server != null) {
      server.stop(0);
    }
    try {
      sdkScope.close();
    } catch (Exception e) {
      log.warn("closing the SDK metrics scope: {}", e.toString());
    }
    registry.close();
  }
}
