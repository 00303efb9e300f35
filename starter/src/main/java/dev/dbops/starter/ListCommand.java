package dev.dbops.starter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.util.Timestamps;
import dev.dbops.workflows.catalog.Phases;
import dev.dbops.workflows.catalog.Procedure;
import dev.dbops.workflows.catalog.Procedures;
import dev.dbops.workflows.common.Printable;
import dev.dbops.workflows.common.SearchAttributesInterceptor;
import io.temporal.api.filter.v1.StartTimeFilter;
import io.temporal.api.workflow.v1.WorkflowExecutionInfo;
import io.temporal.api.workflowservice.v1.ListClosedWorkflowExecutionsRequest;
import io.temporal.api.workflowservice.v1.ListOpenWorkflowExecutionsRequest;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code dbops list}: open runs, then recently closed ones. Uses ListOpen / ListClosed
 * WorkflowExecutions, which the embedded test server implements (it has no ListWorkflowExecutions,
 * so no visibility query either): the filters apply here, to the pages the server returns.
 */
@Command(name = "list", description = "List runs: open ones first, then closed ones.")
final class ListCommand extends DbopsCommand {
  /** Status queries in flight at once for --phase / --waiting. */
  static final int STATUS_QUERIES_AT_ONCE = 4;

  @Option(
      names = "--limit",
      paramLabel = "N",
      defaultValue = "50",
      description =
          "at most N open and N closed runs (default ${DEFAULT-VALUE}); with --phase or --waiting,"
              + " at most N status queries")
  int limit;

  @Option(names = "--open", description = "only open runs")
  boolean openOnly;

  @Option(
      names = "--procedure",
      paramLabel = "NAME",
      completionCandidates = ProcedureNames.class,
      description = "only runs of this procedure: ${COMPLETION-CANDIDATES}")
  String procedure;

  /** The catalog's procedure names, for --help and shell completion. */
  static final class ProcedureNames implements Iterable<String> {
    @Override
    public java.util.Iterator<String> iterator() {
      return Procedures.ALL.stream().<String>map(Procedure::name).iterator();
    }
  }

  @Option(
      names = "--target",
      paramLabel = "TEXT",
      description =
          "only runs whose target (what the request acts on: its DbopsTarget search attribute)"
              + " or workflow id contains TEXT")
  String target;

  @Option(
      names = "--phase",
      paramLabel = "PHASE",
      description = "only open runs in this phase (asks each run's status; implies --open)")
  String phase;

  @Option(
      names = "--waiting",
      description =
          "only open runs waiting for a person: an approval or a decision"
              + " (asks each run's status; implies --open)")
  boolean waiting;

  @Option(
      names = "--json",
      description =
          "print a JSON array of {workflowId, runId, procedure, state, started,"
              + " closed, phase, waitingFor}")
  boolean json;

  @Mixin ConnectionOptions connection;

  /**
   * A listed run and, when --phase / --waiting asked for it, its status (null: not asked, or no
   * answer).
   */
  record Listed(WorkflowExecutionInfo info, JsonNode status) {}

  @Override
  protected int run() {
    if (limit < 1) throw CliException.invalid("--limit: must be at least 1, was " + limit);
    if (procedure != null && Procedures.byName(procedure).isEmpty()) {
      throw CliException.invalid(
          "--procedure: '"
              + Printable.escape(procedure)
              + "' is none of "
              + Procedures.ALL.stream().map(Procedure::name).collect(Collectors.joining(", ")));
    }
    if (phase != null && phase.isBlank())
      throw CliException.invalid("--phase: name a phase (see `dbops status`)");
    boolean byStatus = phase != null || waiting;
    try (Session session = connection.connect()) {
      String ns = session.config().namespace();
      var described = new Described(session, limit);
      Predicate<WorkflowExecutionInfo> keep = matching(procedure, target, described);
      StartTimeFilter always =
          StartTimeFilter.newBuilder()
              .setEarliestTime(Timestamps.fromMillis(0))
              .setLatestTime(Timestamps.fromMillis(Instant.now().plusSeconds(60).toEpochMilli()))
              .build();
      var stub = session.stubs().blockingStub();
      List<WorkflowExecutionInfo> open =
          procedureRuns(
              token -> {
                var r =
                    stub.listOpenWorkflowExecutions(
                        ListOpenWorkflowExecutionsRequest.newBuilder()
                            .setNamespace(ns)
                            .setMaximumPageSize(limit)
                            .setStartTimeFilter(always)
                            .setNextPageToken(token)
                            .build());
                return new Page(r.getExecutionsList(), r.getNextPageToken());
              },
              limit,
              keep);
      List<Listed> runs = new ArrayList<>();
      if (byStatus) {
        Runs queries = session.runs();
        runs.addAll(
            withStatus(open, queries::status, STATUS_QUERIES_AT_ONCE).stream()
                .filter(l -> inPhase(l.status(), phase, waiting))
                .toList());
      } else {
        open.forEach(r -> runs.add(new Listed(r, null)));
      }
      if (!openOnly && !byStatus) {
        procedureRuns(
                token -> {
                  var r =
                      stub.listClosedWorkflowExecutions(
                          ListClosedWorkflowExecutionsRequest.newBuilder()
                              .setNamespace(ns)
                              .setMaximumPageSize(limit)
                              .setStartTimeFilter(always)
                              .setNextPageToken(token)
                              .build());
                  return new Page(r.getExecutionsList(), r.getNextPageToken());
                },
                limit,
                keep)
            .forEach(r -> runs.add(new Listed(r, null)));
      }
      if (described.cutShort()) {
        err()
            .println(
                "list: --target read the targets of "
                    + limit
                    + " runs the server listed without them (--limit); more may match");
      }
      if (json) {
        out().println(Render.json(json(runs)));
      } else {
        print(out(), runs, byStatus);
      }
      return ExitCodes.OK;
    }
  }

  record Page(List<WorkflowExecutionInfo> runs, com.google.protobuf.ByteString next) {}

  /**
   * Runs of procedures (not the helper workflows), of {@code procedure} if given, whose target or
   * workflow id contains {@code target} if given. The target is read from what the list call
   * returns (the run's {@code DbopsTarget} search attribute), so it works where the server answers
   * no visibility query (the embedded test server): a run started with {@code --id} of its own is
   * still found by what it acts on.
   */
  static Predicate<WorkflowExecutionInfo> matching(String procedure, String target) {
    return matching(procedure, target, r -> r);
  }

  /**
   * As {@link #matching(String, String)}; {@code complete} gives a run's info with its search
   * attributes when the list answer carried none (the embedded test server lists runs without them;
   * {@link Described} asks for them).
   */
  static Predicate<WorkflowExecutionInfo> matching(
      String procedure,
      String target,
      Function<WorkflowExecutionInfo, WorkflowExecutionInfo> complete) {
    return r ->
        Procedures.byWorkflowType(r.getType().getName())
                .filter(p -> procedure == null || p.name().equals(procedure))
                .isPresent()
            && (target == null
                || r.getExecution().getWorkflowId().contains(target)
                || targetOf(
                        r.getSearchAttributes().getIndexedFieldsCount() > 0 ? r : complete.apply(r))
                    .contains(target));
  }

  /**
   * A listed run's info as DescribeWorkflowExecution gives it, with the search attributes the list
   * answer left out; at most {@code budget} runs are described (the rest keep what was listed).
   */
  static final class Described implements Function<WorkflowExecutionInfo, WorkflowExecutionInfo> {
    private final Session session;
    private final int budget;
    private int asked;
    private boolean cutShort;

    Described(Session session, int budget) {
      this.session = session;
      this.budget = budget;
    }

    @Override
    public WorkflowExecutionInfo apply(WorkflowExecutionInfo r) {
      if (asked >= budget) {
        cutShort = true;
        return r;
      }
      asked++;
      try {
        return session
            .stubs()
            .blockingStub()
            .describeWorkflowExecution(
                io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest.newBuilder()
                    .setNamespace(session.config().namespace())
                    .setExecution(r.getExecution())
                    .build())
            .getWorkflowExecutionInfo();
      } catch (io.grpc.StatusRuntimeException e) {
        if (e.getStatus().getCode() == io.grpc.Status.Code.NOT_FOUND) return r; // gone since
        throw e;
      }
    }

    boolean cutShort() {
      return cutShort;
    }
  }

  /**
   * A run's {@code DbopsTarget} search attribute as the worker wrote it (its targets joined by
   * commas), or "" when the worker did not write it: a run older than search attributes, or a
   * worker that encrypts payloads and so indexes no request value.
   */
  static String targetOf(WorkflowExecutionInfo r) {
    var p =
        r.getSearchAttributes()
            .getIndexedFieldsMap()
            .get(SearchAttributesInterceptor.TARGET.getName());
    if (p == null) return "";
    try {
      Object v =
          io.temporal.common.converter.DefaultDataConverter.STANDARD_INSTANCE.fromPayload(
              p, Object.class, Object.class);
      if (v instanceof List<?> l) {
        return l.stream().map(String::valueOf).collect(Collectors.joining(","));
      }
      return v == null ? "" : String.valueOf(v);
    } catch (RuntimeException e) {
      return "";
    }
  }

  /** {@link #procedureRuns(Function, int, Predicate)} of every procedure. */
  static List<WorkflowExecutionInfo> procedureRuns(
      Function<com.google.protobuf.ByteString, Page> fetch, int limit) {
    return procedureRuns(fetch, limit, matching(null, null));
  }

  /**
   * Up to {@code limit} runs that {@code keep} accepts, page after page: the helper workflows the
   * worker starts beside procedures (a target's lock, a journal export) are never listed.
   */
  static List<WorkflowExecutionInfo> procedureRuns(
      Function<com.google.protobuf.ByteString, Page> fetch,
      int limit,
      Predicate<WorkflowExecutionInfo> keep) {
    List<WorkflowExecutionInfo> out = new ArrayList<>();
    com.google.protobuf.ByteString token = com.google.protobuf.ByteString.EMPTY;
    do {
      Page page = fetch.apply(token);
      for (WorkflowExecutionInfo r : page.runs()) {
        if (out.size() < limit && keep.test(r)) out.add(r);
      }
      token = page.next();
    } while (out.size() < limit && !token.isEmpty());
    return out;
  }

  /**
   * Each run with its status, asked {@code atOnce} at a time (each query bounded by {@link
   * Session#QUERY_TIMEOUT}), in the order given. Temporal unreachable ends the listing.
   */
  static List<Listed> withStatus(
      List<WorkflowExecutionInfo> runs, Function<String, Optional<JsonNode>> status, int atOnce) {
    if (runs.isEmpty()) return List.of();
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(atOnce, runs.size()));
    try {
      List<Callable<Listed>> asks =
          runs.stream()
              .<Callable<Listed>>map(
                  r ->
                      () ->
                          new Listed(
                              r, status.apply(r.getExecution().getWorkflowId()).orElse(null)))
              .toList();
      List<Listed> out = new ArrayList<>();
      for (Future<Listed> f : pool.invokeAll(asks)) {
        try {
          out.add(f.get());
        } catch (ExecutionException e) {
          if (e.getCause() instanceof RuntimeException re) throw re;
          throw new IllegalStateException(e.getCause());
        }
      }
      return out;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw CliException.failed("interrupted while asking runs for their status");
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * Whether a run's status is in {@code phase} (any case) and, with {@code waiting}, waits for a
   * person.
   */
  static boolean inPhase(JsonNode status, String phase, boolean waiting) {
    String current = Render.raw(status, "phase");
    if (current == null) return false;
    if (phase != null && !current.equalsIgnoreCase(phase.trim())) return false;
    return !waiting || Phases.WAITING_FOR_PERSON.contains(current);
  }

  static ArrayNode json(List<Listed> runs) {
    ArrayNode array = Render.MAPPER.createArrayNode();
    for (Listed l : runs) {
      WorkflowExecutionInfo r = l.info();
      ObjectNode o = array.addObject();
      o.put("workflowId", r.getExecution().getWorkflowId());
      o.put("runId", r.getExecution().getRunId());
      o.put("procedure", procedureName(r));
      o.put("state", state(r));
      o.put("started", r.hasStartTime() ? Timestamps.toString(r.getStartTime()) : null);
      o.put("closed", r.hasCloseTime() ? Timestamps.toString(r.getCloseTime()) : null);
      if (l.status() != null) {
        o.put("phase", Render.raw(l.status(), "phase"));
        o.put("waitingFor", Render.raw(l.status(), "waitingFor"));
      }
    }
    return array;
  }

  private static String procedureName(WorkflowExecutionInfo r) {
    return Procedures.byWorkflowType(r.getType().getName()).map(Procedure::name).orElseThrow();
  }

  private static String state(WorkflowExecutionInfo r) {
    return r.getStatus().name().replace("WORKFLOW_EXECUTION_STATUS_", "");
  }

  private static void print(PrintWriter out, List<Listed> runs, boolean withPhase) {
    if (runs.isEmpty()) {
      out.println("no runs");
      return;
    }
    int idWidth =
        Math.max(
            11,
            runs.stream()
                .mapToInt(l -> Printable.escape(l.info().getExecution().getWorkflowId()).length())
                .max()
                .orElse(0));
    String format = "%-" + idWidth + "s  %-16s  %-15s  %-20s  %s%n";
    out.printf(
        format, "WORKFLOW ID", "PROCEDURE", "STATE", "STARTED", withPhase ? "PHASE" : "CLOSED");
    for (Listed l : runs) {
      WorkflowExecutionInfo r = l.info();
      out.printf(
          format,
          Printable.escape(r.getExecution().getWorkflowId()),
          Printable.escape(procedureName(r)),
          state(r),
          r.hasStartTime() ? Render.time(Timestamps.toString(r.getStartTime())) : "",
          withPhase
              ? phaseOf(l.status())
              : r.hasCloseTime() ? Render.time(Timestamps.toString(r.getCloseTime())) : "");
    }
  }

  private static String phaseOf(JsonNode status) {
    String waitingFor = Render.text(status, "waitingFor");
    return Render.text(status, "phase")
        + (waitingFor == null ? "" : " (waiting for " + waitingFor + ")");
  }
}
