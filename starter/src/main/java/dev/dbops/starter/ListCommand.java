package dev.dbops.starter;

import com.google.protobuf.util.Timestamps;
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
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code dbops list}: open runs, then recently closed ones. Uses ListOpen / ListClosed
 * WorkflowExecutions, which the embedded test server implements (it has no
 * ListWorkflowExecutions).
 */
@Command(name = "list", description = "List runs: open ones first, then closed ones.")
final class ListCommand extends DbopsCommand {
  @Option(names = "--limit", paramLabel = "N", defaultValue = "50",
      description = "at most N open and N closed runs (default ${DEFAULT-VALUE})")
  int limit;

  @Option(names = "--open", description = "only open runs")
  boolean openOnly;

  @Mixin
  ConnectionOptions connection;

  @Override
  protected int run() {
    if (limit < 1) throw CliException.invalid("--limit: must be at least 1, was " + limit);
    try (Session session = connection.connect()) {
      String ns = session.config().namespace();
      StartTimeFilter always = StartTimeFilter.newBuilder()
          .setEarliestTime(Timestamps.fromMillis(0))
          .setLatestTime(Timestamps.fromMillis(Instant.now().plusSeconds(60).toEpochMilli()))
          .build();
      var stub = session.stubs().blockingStub();
      List<WorkflowExecutionInfo> runs = procedureRuns(token -> {
        var r = stub.listOpenWorkflowExecutions(ListOpenWorkflowExecutionsRequest.newBuilder().setNamespace(ns)
            .setMaximumPageSize(limit).setStartTimeFilter(always).setNextPageToken(token).build());
        return new Page(r.getExecutionsList(), r.getNextPageToken());
      }, limit);
      if (!openOnly) {
        runs.addAll(procedureRuns(token -> {
          var r = stub.listClosedWorkflowExecutions(ListClosedWorkflowExecutionsRequest.newBuilder().setNamespace(ns)
              .setMaximumPageSize(limit).setStartTimeFilter(always).setNextPageToken(token).build());
          return new Page(r.getExecutionsList(), r.getNextPageToken());
        }, limit));
      }
      print(out(), runs);
      return ExitCodes.OK;
    }
  }

  record Page(List<WorkflowExecutionInfo> runs, com.google.protobuf.ByteString next) {}

  /**
   * Up to {@code limit} runs of procedures, page after page: the helper workflows the worker
   * starts beside them (a target's lock, a journal export) are no procedure and not listed.
   */
  static List<WorkflowExecutionInfo> procedureRuns(
      java.util.function.Function<com.google.protobuf.ByteString, Page> fetch, int limit) {
    List<WorkflowExecutionInfo> out = new ArrayList<>();
    com.google.protobuf.ByteString token = com.google.protobuf.ByteString.EMPTY;
    do {
      Page page = fetch.apply(token);
      for (WorkflowExecutionInfo r : page.runs()) {
        if (out.size() < limit && Procedures.byWorkflowType(r.getType().getName()).isPresent()) out.add(r);
      }
      token = page.next();
    } while (out.size() < limit && !token.isEmpty());
    return out;
  }

  private static void print(PrintWriter out, List<WorkflowExecutionInfo> runs) {
    if (runs.isEmpty()) {
      out.println("no runs");
      return;
    }
    int idWidth = Math.max(11, runs.stream().mapToInt(r -> Printable.escape(r.getExecution().getWorkflowId()).length())
        .max().orElse(0));
    String format = "%-" + idWidth + "s  %-16s  %-15s  %-20s  %s%n";
    out.printf(format, "WORKFLOW ID", "PROCEDURE", "STATE", "STARTED", "CLOSED");
    for (WorkflowExecutionInfo r : runs) {
      String type = r.getType().getName();
      out.printf(format, Printable.escape(r.getExecution().getWorkflowId()),
          Printable.escape(Procedures.byWorkflowType(type).map(Procedure::name).orElseThrow()),
          r.getStatus().name().replace("WORKFLOW_EXECUTION_STATUS_", ""),
          r.hasStartTime() ? Render.time(Timestamps.toString(r.getStartTime())) : "",
          r.hasCloseTime() ? Render.time(Timestamps.toString(r.getCloseTime())) : "");
    }
  }
}
