package dev.dbops.starter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.util.Timestamps;
import dev.dbops.workflows.catalog.Phases;
import dev.dbops.workflows.catalog.Procedure;
import dev.dbops.workflows.catalog.Procedures;
import dev.dbops.workflows.common.Printable;
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
          "only runs whose workflow id contains TEXT (ids are business keys: upgrade/<cluster>,"
              + " restore/<bucket>/<prefix>, ...)")
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
    Predicate<WorkflowExecutionInfo> keep = matching(procedure, target);
    try (Session session = connection.connect()) {
      String ns = session.config().namespace();
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
   * Runs of procedures (not the helper workflows), of {@code procedure} if given, whose id contains
   * {@code target} if given.
   */
  static Predicate<WorkflowExecutionInfo> matching(String procedure, String target) {
    return r ->
        Procedures.byWorkflowType(r.getType().getName())
                .filter(p -> procedure == null || p.name().equals(procedure))
                .isPresent()
            && (target == null || r.getExecution().getWorkflowId().contains(target));
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
