package dev.dbops.starter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dbops.worker.Phases;
import java.io.PrintWriter;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code dbops status <id> [--json]}: what the server and the run itself say. */
@Command(name = "status", description = "Show a run's phase, progress, warnings and approvals.")
final class StatusCommand extends DbopsCommand {
  /** Timeline steps shown without --json. */
  static final int RECENT_STEPS = 8;

  @Parameters(index = "0", paramLabel = "ID", description = "workflow id")
  String id;

  @Option(names = "--json", description = "print {workflowId, runId, procedure, state, status} as JSON")
  boolean json;

  @Mixin
  ConnectionOptions connection;

  @Override
  protected int run() {
    PrintWriter out = out();
    try (Session session = connection.connect()) {
      Runs runs = session.runs();
      Runs.RunInfo info = runs.describe(id);
      Optional<JsonNode> status = runs.status(id);
      if (json) {
        ObjectNode doc = Render.MAPPER.createObjectNode();
        doc.put("workflowId", info.workflowId());
        doc.put("runId", info.runId());
        doc.put("procedure", info.procedureName());
        doc.put("state", info.statusName());
        doc.put("started", info.started() == null ? null : info.started().toString());
        doc.put("closed", info.closed() == null ? null : info.closed().toString());
        doc.set("status", status.orElse(null));
        out.println(Render.json(doc));
        return ExitCodes.OK;
      }
      out.println(info.workflowId() + "  " + info.procedureName() + "  " + info.statusName()
          + "  started " + info.started() + (info.closed() == null ? "" : "  closed " + info.closed()));
      if (status.isEmpty()) {
        out.println("  (no worker answered the status query; is `./dbops worker` running?)");
        return ExitCodes.OK;
      }
      JsonNode s = status.get();
      String progress = ProcedureViews.progress(info.procedureName(), s);
      out.println("  phase: " + Render.text(s, "phase") + (progress.isEmpty() ? "" : "  " + progress));
      ObjectNode rest = ProcedureViews.withoutUnreported((ObjectNode) s);
      rest.remove("phase");
      JsonNode timeline = rest.remove("timeline");
      Render.outline(out, rest, "  ");
      if (timeline != null && !timeline.isEmpty()) {
        out.println("  recent steps:");
        for (int i = Math.max(0, timeline.size() - RECENT_STEPS); i < timeline.size(); i++) {
          JsonNode step = timeline.get(i);
          String detail = Render.text(step, "detail");
          out.println("    " + Render.time(Render.text(step, "at")) + "  " + Render.text(step, "step")
              + (detail == null ? "" : ": " + detail));
        }
      }
      if (info.running() && Phases.WAITING_FOR_PERSON.contains(Render.text(s, "phase"))) {
        Follower.printWaiting(out, id, s);
      }
      return ExitCodes.OK;
    }
  }
}
