package dev.dbops.starter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.grpc.StatusRuntimeException;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.workflow.v1.PendingActivityInfo;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code dbops report <id> [--run-id R] [--format md|json] [--output FILE]}: a run's audit report,
 * from its history and its result (or status). Works on running and closed runs alike; exits 0
 * whenever the report was written, whatever the run's outcome. A binlog catch-up's skipped events
 * are all of them ({@link JournalExport}), or the report says how many it lacks and why.
 */
@Command(
    name = "report",
    description =
        "Audit report of a run: timeline, approvals and decisions (who, when,"
            + " why), activities called, SQL run, skipped replication events, resources created / deleted.")
final class ReportCommand extends DbopsCommand {
  @Parameters(index = "0", paramLabel = "ID", description = "workflow id")
  String id;

  @Option(
      names = "--run-id",
      paramLabel = "RUN",
      description = "a particular run (default: the latest)")
  String runId;

  @Option(
      names = "--format",
      paramLabel = "md|json",
      defaultValue = "md",
      description = "md (Markdown, for people and tickets) or json (default ${DEFAULT-VALUE})")
  String format;

  @Option(
      names = "--output",
      paramLabel = "FILE",
      description = "write the report here instead of stdout")
  Path output;

  @Mixin ConnectionOptions connection;

  @Override
  protected int run() {
    if (!format.equals("md") && !format.equals("json")) {
      throw CliException.invalid("--format: '" + format + "' is not md or json");
    }
    try (Session session = connection.connect()) {
      Runs runs = session.runs();
      Runs.RunInfo info = runs.describe(id);
      String run = runId != null ? runId : info.runId();
      AuditHistory history =
          AuditHistory.read(
              RunHistory.chain(session, id, run), session.client().getOptions().getDataConverter());
      boolean latest = run.equals(info.runId());
      // The run's own view (timeline, approvals) when there is no result: running, or failed.
      JsonNode status = history.result == null && latest ? runs.status(id).orElse(null) : null;
      Map<String, AuditReport.Pending> pending =
          latest && info.running() ? pending(session) : Map.of();
      ObjectNode report =
          AuditReport.build(
              id,
              history,
              status,
              pending,
              Instant.now(),
              journal(session, info, history.result != null ? history.result : status));
      String text = format.equals("json") ? Render.json(report) : ReportMarkdown.render(report);
      if (output == null) {
        out().println(text);
      } else {
        write(text);
        out()
            .println(
                "wrote the "
                    + format
                    + " audit report of "
                    + id
                    + " ("
                    + history.state
                    + ") to "
                    + output);
      }
      return ExitCodes.OK;
    }
  }

  /**
   * A binlog catch-up's whole journal, read as {@code dbops journal} reads it (the entries the run
   * keeps, the rest a page at a time from its replica); what cannot be read is said in the report
   * and on stderr. Null for runs that keep no journal.
   */
  private AuditReport.Journal journal(Session session, Runs.RunInfo info, JsonNode facts) {
    if (facts == null || !facts.has("journal")) return null;
    ArrayNode entries = Render.MAPPER.createArrayNode();
    Optional<JournalExport.Gap> gap =
        JournalExport.read(session, info, facts, e -> entries.add(e.deepCopy()));
    gap.ifPresent(g -> err().println(g.line(id)));
    return new AuditReport.Journal(entries, gap.orElse(null));
  }

  /** Attempts and last failure of activities the server is still retrying (not in history yet). */
  private Map<String, AuditReport.Pending> pending(Session session) {
    Map<String, AuditReport.Pending> out = new HashMap<>();
    try {
      List<PendingActivityInfo> infos =
          session
              .stubs()
              .blockingStub()
              .describeWorkflowExecution(
                  DescribeWorkflowExecutionRequest.newBuilder()
                      .setNamespace(session.config().namespace())
                      .setExecution(WorkflowExecution.newBuilder().setWorkflowId(id))
                      .build())
              .getPendingActivitiesList();
      for (PendingActivityInfo p : infos) {
        out.put(
            p.getActivityId(),
            new AuditReport.Pending(
                p.getAttempt(), p.hasLastFailure() ? p.getLastFailure().getMessage() : null));
      }
    } catch (StatusRuntimeException e) {
      // The report stands without them: the history's own counts are shown.
    }
    return out;
  }

  private void write(String text) {
    try {
      Path parent = output.toAbsolutePath().getParent();
      if (parent != null) Files.createDirectories(parent);
      Files.writeString(output, text.endsWith("\n") ? text : text + "\n");
    } catch (IOException e) {
      throw CliException.invalid("--output: cannot write " + output + ": " + e.getMessage());
    }
  }
}
