package dev.dbops.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.util.Timestamps;
import dev.dbops.workflows.catalog.Phases;
import dev.dbops.workflows.catalog.Procedure;
import dev.dbops.workflows.catalog.Procedures;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.filter.v1.StartTimeFilter;
import io.temporal.api.filter.v1.WorkflowTypeFilter;
import io.temporal.api.query.v1.WorkflowQuery;
import io.temporal.api.workflow.v1.WorkflowExecutionInfo;
import io.temporal.api.workflowservice.v1.ListOpenWorkflowExecutionsRequest;
import io.temporal.api.workflowservice.v1.ListOpenWorkflowExecutionsResponse;
import io.temporal.api.workflowservice.v1.QueryWorkflowRequest;
import io.temporal.api.workflowservice.v1.QueryWorkflowResponse;
import io.temporal.client.WorkflowClient;
import io.temporal.common.converter.DataConverter;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What runs are doing, for Prometheus, from Temporal rather than from this worker's memory: every
 * {@link #REFRESH} the open runs of each catalog procedure (ListOpenWorkflowExecutions, which the
 * embedded dev server implements too; results are filtered by type here because a dev or test
 * server answers the type filter loosely) and, for up to {@link #MAX_QUERIED} runs per procedure,
 * their {@code status} query:
 *
 * <ul>
 *   <li>{@value #OPEN}{@code {procedure}}: open runs;
 *   <li>{@value #WAITING}{@code {procedure}}: runs whose phase is one of {@link
 *       Phases#WAITING_FOR_PERSON}, and {@value #OLDEST_WAIT}{@code {procedure}}, the longest such
 *       wait in seconds (0 when none waits);
 *   <li>{@value #RUN_PHASE}{@code {procedure, workflow_id, phase, waiting_for_person}}: seconds the
 *       run has been in its current phase ({@code waiting_for_person="true"} for the phases of
 *       {@link Phases#WAITING_FOR_PERSON}, so alert rules name no phase); {@value
 *       #RUN_STALLED}{@code {procedure, workflow_id}}: 1 while the status says {@code stalled}
 *       (upgrade: past the request's stall threshold), else 0.
 * </ul>
 *
 * A phase starts at the run's last timeline step when first seen (nothing is added to a timeline
 * while a run waits for a person, so a restarted worker reads the same wait age), or now when the
 * phase changed since the last refresh.
 *
 * <p>The one rule for per-run gauges: a gauge tagged {@code workflow_id} lives while its run is
 * open. After each complete listing every such gauge in the registry whose run is not open is
 * removed — the replication lag gauge too, whichever worker's activity registered it. Every worker
 * reports the same numbers: a dashboard takes {@code max}. Unknown (Temporal unreachable) is NaN,
 * not a stale count.
 */
final class OpenProcedures implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(OpenProcedures.class);

  static final String OPEN = "dbops_procedures_open";
  static final String WAITING = "dbops_procedures_waiting";
  static final String OLDEST_WAIT = "dbops_procedures_oldest_wait_seconds";
  static final String RUN_PHASE = "dbops_run_phase_seconds";
  static final String RUN_STALLED = "dbops_run_stalled";
  static final String WORKFLOW_ID = "workflow_id";

  /** "true" on {@value #RUN_PHASE} while the phase waits for a person: alert rules match on it. */
  static final String WAITING_FOR_PERSON = "waiting_for_person";

  static final Duration REFRESH = Duration.ofSeconds(30);
  static final int PAGE_SIZE = 1000;

  /** Status queries per procedure and refresh: a flood of runs costs a bounded number of calls. */
  static final int MAX_QUERIED = 100;

  static final Duration QUERY_DEADLINE = Duration.ofSeconds(5);

  /**
   * Time one refresh may spend on status queries: runs nobody answers (no worker on their queue)
   * cost a deadline each; past the budget a run keeps what it last answered.
   */
  static final Duration QUERY_BUDGET = Duration.ofSeconds(20);

  static final String STATUS_QUERY = "status";
  private static final long UNKNOWN = -1;

  /** One procedure's numbers. */
  private static final class Counts {
    final AtomicLong open = new AtomicLong(UNKNOWN);
    final AtomicLong waiting = new AtomicLong(UNKNOWN);
    final AtomicLong oldestWait = new AtomicLong(UNKNOWN);
  }

  /** One open run as last seen. */
  private static final class Run {
    final String procedure;
    final String workflowId;
    volatile String phase;
    volatile Instant since;
    volatile double stalled;
    Gauge phaseGauge;
    Gauge stalledGauge;

    Run(String procedure, String workflowId) {
      this.procedure = procedure;
      this.workflowId = workflowId;
    }
  }

  private final WorkflowServiceStubs stubs;
  private final String namespace;
  private final DataConverter converter;
  private final MeterRegistry registry;
  private final Clock clock;

  /** Workflow type → counts, by procedure. */
  private final Map<String, Counts> byType = new LinkedHashMap<>();

  private final Map<String, String> procedureByType = Procedures.namesByWorkflowType();
  private final Map<String, Run> runs = new ConcurrentHashMap<>();
  private ScheduledExecutorService timer;
  private volatile boolean failing;

  OpenProcedures(WorkflowClient client, MeterRegistry registry) {
    this(client, registry, Clock.systemUTC());
  }

  OpenProcedures(WorkflowClient client, MeterRegistry registry, Clock clock) {
    this.stubs = client.getWorkflowServiceStubs();
    this.namespace = client.getOptions().getNamespace();
    this.converter = client.getOptions().getDataConverter();
    this.registry = registry;
    this.clock = clock;
    for (Procedure<?> p : Procedures.ALL) {
      Counts c = new Counts();
      byType.put(p.workflowType(), c);
      gauge(
          OPEN,
          c.open,
          p,
          "Open runs of the procedure in the namespace (from Temporal visibility)");
      gauge(
          WAITING,
          c.waiting,
          p,
          "Open runs waiting for a person: an approval or a decision (status query)");
      gauge(
          OLDEST_WAIT,
          c.oldestWait,
          p,
          "Seconds the longest current wait for a person has lasted; 0 when none waits");
    }
  }

  private void gauge(String name, AtomicLong value, Procedure<?> p, String description) {
    Gauge.builder(name, value, v -> v.get() == UNKNOWN ? Double.NaN : v.get())
        .description(description)
        .tag("procedure", p.name())
        .register(registry);
  }

  /** Counts now, then every {@code every} on a daemon thread. */
  OpenProcedures start(Duration every) {
    timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "dbops-open-procedures");
              t.setDaemon(true);
              return t;
            });
    timer.scheduleWithFixedDelay(this::refresh, 0, every.toMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  /** One count of every procedure; on failure all become unknown until the next success. */
  synchronized void refresh() {
    Map<String, List<WorkflowExecutionInfo>> open = new LinkedHashMap<>();
    try {
      for (String type : byType.keySet()) open.put(type, list(type));
    } catch (RuntimeException e) {
      byType
          .values()
          .forEach(
              c -> {
                c.open.set(UNKNOWN);
                c.waiting.set(UNKNOWN);
                c.oldestWait.set(UNKNOWN);
              });
      if (!failing)
        log.warn(
            "cannot count open procedures ({}); {} is NaN until Temporal answers",
            e.toString(),
            OPEN);
      failing = true;
      return;
    }
    if (failing) log.info("counting open procedures works again");
    failing = false;
    Instant now = clock.instant();
    long budgetEnds = System.nanoTime() + QUERY_BUDGET.toNanos();
    Set<String> openIds = new HashSet<>();
    open.forEach(
        (type, executions) -> {
          long waiting = 0;
          long oldest = 0;
          int queried = 0;
          for (WorkflowExecutionInfo e : executions) {
            String id = e.getExecution().getWorkflowId();
            openIds.add(id);
            if (queried++ >= MAX_QUERIED) continue;
            Run run =
                System.nanoTime() < budgetEnds
                    ? observe(procedureByType.get(type), e.getExecution(), now)
                    : runs.get(id);
            if (run != null && Phases.WAITING_FOR_PERSON.contains(run.phase)) {
              waiting++;
              oldest = Math.max(oldest, Duration.between(run.since, now).toSeconds());
            }
          }
          Counts c = byType.get(type);
          c.open.set(executions.size());
          c.waiting.set(waiting);
          c.oldestWait.set(oldest);
        });
    removeGaugesOfClosedRuns(openIds);
  }

  /** The run's phase from its status query, its gauges updated; null when it does not answer. */
  private Run observe(String procedure, WorkflowExecution execution, Instant now) {
    JsonNode status;
    try {
      QueryWorkflowResponse r =
          stubs
              .blockingStub()
              .withDeadlineAfter(QUERY_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)
              .queryWorkflow(
                  QueryWorkflowRequest.newBuilder()
                      .setNamespace(namespace)
                      .setExecution(execution)
                      .setQuery(WorkflowQuery.newBuilder().setQueryType(STATUS_QUERY))
                      .build());
      status =
          converter.fromPayloads(
              0, Optional.of(r.getQueryResult()), JsonNode.class, JsonNode.class);
    } catch (RuntimeException e) {
      log.debug("status of {}: {}", execution.getWorkflowId(), e.toString());
      return runs.get(execution.getWorkflowId());
    }
    String phase = status == null ? null : status.path("phase").asText(null);
    if (phase == null) return null;
    Run run = runs.computeIfAbsent(execution.getWorkflowId(), id -> new Run(procedure, id));
    synchronized (run) {
      if (!phase.equals(run.phase)) {
        run.since = run.phase == null ? lastStep(status).orElse(now) : now;
        run.phase = phase;
        if (run.phaseGauge != null) registry.remove(run.phaseGauge);
        run.phaseGauge =
            Gauge.builder(
                    RUN_PHASE,
                    run,
                    x -> Duration.between(x.since, clock.instant()).toMillis() / 1000.0)
                .description("Seconds the run has been in its current phase (status query)")
                .tags(
                    "procedure",
                    procedure,
                    WORKFLOW_ID,
                    run.workflowId,
                    "phase",
                    phase,
                    WAITING_FOR_PERSON,
                    Boolean.toString(Phases.WAITING_FOR_PERSON.contains(phase)))
                .register(registry);
      }
      run.stalled = status.path("stalled").asBoolean(false) ? 1 : 0;
      run.stalledGauge =
          Gauge.builder(RUN_STALLED, run, x -> x.stalled)
              .description(
                  "1 while the run's status says it is stalled (upgrade: past its stall threshold)")
              .tags("procedure", procedure, WORKFLOW_ID, run.workflowId)
              .register(registry);
    }
    return run;
  }

  /** When the last timeline step happened, if the status has a timeline. */
  private static Optional<Instant> lastStep(JsonNode status) {
    JsonNode timeline = status.path("timeline");
    if (!timeline.isArray() || timeline.isEmpty()) return Optional.empty();
    try {
      return Optional.of(Instant.parse(timeline.get(timeline.size() - 1).path("at").asText()));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /** The rule: a gauge tagged {@value #WORKFLOW_ID} lives while its run is open. */
  private void removeGaugesOfClosedRuns(Set<String> openIds) {
    runs.keySet().removeIf(id -> !openIds.contains(id));
    List<Meter> closed = new ArrayList<>();
    for (Meter m : registry.getMeters()) {
      String id = m.getId().getTag(WORKFLOW_ID);
      if (m instanceof Gauge && id != null && !openIds.contains(id)) closed.add(m);
    }
    closed.forEach(registry::remove);
  }

  private List<WorkflowExecutionInfo> list(String workflowType) {
    StartTimeFilter always =
        StartTimeFilter.newBuilder()
            .setEarliestTime(Timestamps.fromMillis(0))
            .setLatestTime(Timestamps.fromMillis(clock.instant().plusSeconds(60).toEpochMilli()))
            .build();
    List<WorkflowExecutionInfo> out = new ArrayList<>();
    ByteString page = ByteString.EMPTY;
    do {
      ListOpenWorkflowExecutionsResponse r =
          stubs
              .blockingStub()
              .withDeadlineAfter(10, TimeUnit.SECONDS)
              .listOpenWorkflowExecutions(
                  ListOpenWorkflowExecutionsRequest.newBuilder()
                      .setNamespace(namespace)
                      .setMaximumPageSize(PAGE_SIZE)
                      .setStartTimeFilter(always)
                      .setTypeFilter(WorkflowTypeFilter.newBuilder().setName(workflowType))
                      .setNextPageToken(page)
                      .build());
      // Filtered by type here too: a server that answers the type filter loosely (the dev and
      // test servers) must not count other procedures or helper workflows (journal pages,
      // target locks) as this one.
      r.getExecutionsList().stream()
          .filter(e -> workflowType.equals(e.getType().getName()))
          .forEach(out::add);
      page = r.getNextPageToken();
    } while (!page.isEmpty());
    return out;
  }

  @Override
  public void close() {
    if (timer != null) timer.shutdownNow();
  }
}
