package dev.dbops.starter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dbops.workflows.catalog.Phases;
import dev.dbops.workflows.common.ApproverCheckInterceptor;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code dbops status <id> [--json]}: what the server and the run itself say. */
@Command(name = "status", description = "Show a run's phase, progress, warnings and approvals.")
final class StatusCommand extends DbopsCommand {
  /** Timeline steps shown without --json. */
  static final int RECENT_STEPS = 8;

  static final String BINLOG = "binlog-catch-up";

  /** The binlog catch-up's monitor activity, which heartbeats its checkpoint at every poll. */
  static final String MONITOR_ACTIVITY = "Monitor";

  /**
   * A binlog catch-up's skipped transactions in its status (the newest; {@code journaled} counts
   * all).
   */
  static final String JOURNAL = "journal";

  @Parameters(index = "0", paramLabel = "ID", description = "workflow id")
  String id;

  @Option(
      names = "--json",
      description = "print {workflowId, runId, procedure, state, status} as JSON")
  boolean json;

  @Mixin ConnectionOptions connection;

  @Override
  protected int run() {
    PrintWriter out = out();
    try (Session session = connection.connect()) {
      Runs runs = session.runs();
      // The status query waits for a worker; the server answers describe, and then the approver
      // query, meanwhile: one worker round trip instead of three calls in a row.
      CompletableFuture<Optional<JsonNode>> statusQuery =
          CompletableFuture.supplyAsync(() -> runs.status(id), ASYNC);
      Runs.RunInfo info = runs.describe(id);
      // How the worker checks who approves (signatures against its allowed signers, or not at all).
      Optional<String> approvers =
          info.running()
              ? runs.query(id, ApproverCheckInterceptor.QUERY)
                  .filter(JsonNode::isTextual)
                  .map(JsonNode::asText)
              : Optional.empty();
      Optional<JsonNode> status = join(statusQuery);
      Optional<JsonNode> monitor =
          info.running() && BINLOG.equals(info.procedureName())
              ? runs.activityHeartbeat(info, MONITOR_ACTIVITY)
              : Optional.empty();
      if (json) {
        ObjectNode doc = Render.MAPPER.createObjectNode();
        doc.put("workflowId", info.workflowId());
        doc.put("runId", info.runId());
        doc.put("procedure", info.procedureName());
        doc.put("state", info.statusName());
        doc.put("started", info.started() == null ? null : info.started().toString());
        doc.put("closed", info.closed() == null ? null : info.closed().toString());
        doc.set("status", status.orElse(null));
        monitor.ifPresent(m -> doc.set("monitor", m));
        approvers.ifPresent(a -> doc.put("approverCheck", a));
        out.println(Render.json(doc));
        return ExitCodes.OK;
      }
      out.println(
          info.workflowId()
              + "  "
              + info.procedureName()
              + "  "
              + info.statusName()
              + "  started "
              + info.started()
              + (info.closed() == null ? "" : "  closed " + info.closed()));
      if (status.isEmpty() && info.workflowTaskAttempt() > 1) {
        out.println(
            "  (a worker runs this run's code and fails: workflow task attempt "
                + info.workflowTaskAttempt()
                + "; see the worker log — non-determinism after a deployment?)");
        return ExitCodes.OK;
      }
      if (status.isEmpty()) {
        out.println("  (no worker answered the status query; is `./dbops worker` running?)");
        return ExitCodes.OK;
      }
      JsonNode s = status.get();
      print(out, id, info.procedureName(), s, monitor.map(StatusCommand::live), approvers);
      if (info.running() && Phases.WAITING_FOR_PERSON.contains(Render.text(s, "phase"))) {
        Follower.printWaiting(out, id, s);
      }
      return ExitCodes.OK;
    }
  }

  /** Threads of their own for the concurrent calls, not the common pool's start-up. */
  private static final Executor ASYNC =
      task -> {
        Thread t = new Thread(task, "status-query");
        t.setDaemon(true);
        t.start();
      };

  /** The future's value; what it threw, thrown here as it was (a CliException stays one). */
  static <T> T join(CompletableFuture<T> future) {
    try {
      return future.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) throw r;
      if (e.getCause() instanceof Error err) throw err;
      throw e;
    }
  }

  /**
   * A run's {@code status()} for a person: the phase line, the outline of the rest, the recent
   * steps. Readable whatever the run accumulated: long lists show their count and last few ({@link
   * Render#list}; a binlog catch-up's skips point at {@code dbops journal}), no line longer than
   * {@link Render#MAX_LINE}.
   */
  static void print(
      PrintWriter out,
      String id,
      String procedureName,
      JsonNode s,
      Optional<String> live,
      Optional<String> approvers) {
    String progress = ProcedureViews.progress(procedureName, s);
    out.println(
        Render.cut(
            "  phase: " + Render.text(s, "phase") + (progress.isEmpty() ? "" : "  " + progress)));
    live.ifPresent(l -> out.println(Render.cut("  live: " + l)));
    approvers.ifPresent(a -> out.println(Render.cut("  approver check: " + a)));
    ObjectNode rest = ProcedureViews.withoutUnreported((ObjectNode) s);
    rest.remove("phase");
    JsonNode timeline = rest.remove("timeline");
    int journaled = s.has("journaled") ? s.path("journaled").asInt() : s.path("journal").size();
    Render.outline(
        out,
        rest,
        "  ",
        java.util.Map.of(
            JOURNAL, "all " + journaled + " skipped: ./dbops journal " + Shell.quote(id)));
    if (timeline != null && !timeline.isEmpty()) {
      out.println("  recent steps:");
      for (int i = Math.max(0, timeline.size() - RECENT_STEPS); i < timeline.size(); i++) {
        JsonNode step = timeline.get(i);
        String detail = Render.text(step, "detail");
        out.println(
            Render.cut(
                "    "
                    + Render.time(Render.text(step, "at"))
                    + "  "
                    + Render.text(step, "step")
                    + (detail == null ? "" : ": " + detail)));
      }
    }
  }

  /**
   * The monitor's last checkpoint, as of its heartbeat: the phase line's numbers are as of the last
   * slice's end.
   */
  static String live(JsonNode m) {
    StringBuilder sb = new StringBuilder("replica at ").append(Render.text(m, "executed"));
    long lag = m.path("lagSeconds").asLong(-1);
    if (lag >= 0) sb.append(", lag ").append(lag).append("s");
    if (m.path("caughtUpForMillis").asLong(0) > 0) {
      sb.append(", caught up for ").append(m.path("caughtUpForMillis").asLong() / 1000).append("s");
    }
    sb.append(", ").append(m.path("skipped").asInt()).append(" skipped this slice");
    String at = Render.text(m, "heartbeatAt");
    if (at != null) {
      long ago =
          java.time.Duration.between(java.time.Instant.parse(at), java.time.Instant.now())
              .toSeconds();
      sb.append(" (monitor heartbeat ").append(Math.max(0, ago)).append("s ago");
      if (m.path("attempt").asInt(1) > 1) sb.append(", attempt ").append(m.path("attempt").asInt());
      sb.append(")");
    }
    return sb.toString();
  }
}
