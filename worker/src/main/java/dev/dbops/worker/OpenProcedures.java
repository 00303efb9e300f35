package dev.dbops.worker;

import dev.dbops.workflows.catalog.Procedure;
import dev.dbops.workflows.catalog.Procedures;

import com.google.protobuf.ByteString;
import com.google.protobuf.util.Timestamps;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.temporal.api.filter.v1.StartTimeFilter;
import io.temporal.api.filter.v1.WorkflowTypeFilter;
import io.temporal.api.workflowservice.v1.ListOpenWorkflowExecutionsRequest;
import io.temporal.api.workflowservice.v1.ListOpenWorkflowExecutionsResponse;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * "Procedures running" for Prometheus: {@value #OPEN}{@code {procedure}}, the open runs of each
 * catalog procedure in the namespace, counted from Temporal's visibility (ListOpen
 * WorkflowExecutions, which the embedded dev server implements too) every {@link #REFRESH}. The
 * SDK's own metrics count only what happens in this worker; a run that sleeps for a day has no
 * event there. Every worker reports the same number: a dashboard takes {@code max}. Unknown
 * (Temporal unreachable) is NaN, not a stale count.
 */
final class OpenProcedures implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(OpenProcedures.class);

  static final String OPEN = "dbops_procedures_open";
  static final Duration REFRESH = Duration.ofSeconds(30);
  static final int PAGE_SIZE = 1000;
  private static final long UNKNOWN = -1;

  private final WorkflowServiceStubs stubs;
  private final String namespace;
  /** Workflow type → open runs, by procedure. */
  private final Map<String, AtomicLong> byType = new LinkedHashMap<>();
  private ScheduledExecutorService timer;
  private volatile boolean failing;

  OpenProcedures(WorkflowServiceStubs stubs, String namespace, MeterRegistry registry) {
    this.stubs = stubs;
    this.namespace = namespace;
    for (Procedure<?> p : Procedures.ALL) {
      AtomicLong count = new AtomicLong(UNKNOWN);
      byType.put(p.workflowType(), count);
      Gauge.builder(OPEN, count, c -> c.get() == UNKNOWN ? Double.NaN : c.get())
          .description("Open runs of the procedure in the namespace (from Temporal visibility)")
          .tag("procedure", p.name())
          .register(registry);
    }
  }

  /** Counts now, then every {@code every} on a daemon thread. */
  OpenProcedures start(Duration every) {
    timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "dbops-open-procedures");
      t.setDaemon(true);
      return t;
    });
    timer.scheduleWithFixedDelay(this::refresh, 0, every.toMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  /** One count of every procedure; on failure all become unknown until the next success. */
  void refresh() {
    try {
      Map<String, Long> counts = new LinkedHashMap<>();
      for (String type : byType.keySet()) counts.put(type, count(type));
      counts.forEach((type, n) -> byType.get(type).set(n));
      if (failing) log.info("counting open procedures works again");
      failing = false;
    } catch (RuntimeException e) {
      byType.values().forEach(c -> c.set(UNKNOWN));
      if (!failing) log.warn("cannot count open procedures ({}); {} is NaN until Temporal answers",
          e.toString(), OPEN);
      failing = true;
    }
  }

  private long count(String workflowType) {
    StartTimeFilter always = StartTimeFilter.newBuilder()
        .setEarliestTime(Timestamps.fromMillis(0))
        .setLatestTime(Timestamps.fromMillis(Instant.now().plusSeconds(60).toEpochMilli()))
        .build();
    long n = 0;
    ByteString page = ByteString.EMPTY;
    do {
      ListOpenWorkflowExecutionsResponse r = stubs.blockingStub()
          .withDeadlineAfter(10, TimeUnit.SECONDS)
          .listOpenWorkflowExecutions(ListOpenWorkflowExecutionsRequest.newBuilder()
              .setNamespace(namespace)
              .setMaximumPageSize(PAGE_SIZE)
              .setStartTimeFilter(always)
              .setTypeFilter(WorkflowTypeFilter.newBuilder().setName(workflowType))
              .setNextPageToken(page)
              .build());
      // Counted by type here too: a server that answers the type filter loosely (the test server)
      // must not count helper workflows (journal pages, target locks) as procedures.
      n += r.getExecutionsList().stream().filter(e -> workflowType.equals(e.getType().getName())).count();
      page = r.getNextPageToken();
    } while (!page.isEmpty());
    return n;
  }

  @Override
  public void close() {
    if (timer != null) timer.shutdownNow();
  }
}
