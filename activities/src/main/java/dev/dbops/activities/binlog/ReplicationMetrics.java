package dev.dbops.activities.binlog;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Binlog catch-up for Prometheus: {@value #SKIPPED}{@code {workflow_id, errno}}, one per {@code
 * mysql.rds_skip_repl_error} made (by the policy or for a person's SKIP), and {@value #LAG}{@code
 * {workflow_id}}, the lag of the monitor's last poll (NaN while unknown: a thread stopped;
 * Seconds_Behind_Master is NULL then). A run's gauge goes at its cut-over here, and on every worker
 * once the run is closed (the worker's OpenProcedures).
 */
final class ReplicationMetrics {
  static final String SKIPPED = "dbops_replication_skipped_events_total";
  static final String LAG = "dbops_replication_lag_seconds";

  private static final class Lag {
    volatile double seconds = Double.NaN;
    Gauge gauge;
  }

  private final MeterRegistry registry;
  private final Map<String, Lag> lags = new ConcurrentHashMap<>();

  ReplicationMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  void skipped(String workflowId, int errno) {
    registry
        .counter(SKIPPED, "workflow_id", workflowId, "errno", Integer.toString(errno))
        .increment();
  }

  /**
   * @param seconds -1 when unknown
   */
  void lag(String workflowId, long seconds) {
    Lag l = lags.computeIfAbsent(workflowId, id -> new Lag());
    l.seconds = seconds < 0 ? Double.NaN : seconds;
    // Registered on every poll: the worker removes a run's gauges once the run is closed (in
    // Temporal, whichever worker ran it), and a still-open run gets its series back here.
    l.gauge =
        Gauge.builder(LAG, l, x -> x.seconds)
            .tag("workflow_id", workflowId)
            .description("replication lag at the binlog catch-up monitor's last poll")
            .register(registry);
  }

  /** The run is cut over: its lag is no longer watched. */
  void ended(String workflowId) {
    Lag l = lags.remove(workflowId);
    if (l != null) registry.remove(l.gauge);
  }
}
