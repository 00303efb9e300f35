package dev.dbops.starter;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dbops.workflows.common.ApprovalRecord;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Optional;

/**
 * Sends an approve / reject / decide as a Workflow Update: the run's validator refuses at once
 * (exit 2 with its reason) or the run answers with the record it made. A run whose worker does not
 * know the update (from before updates) gets the signal, and the run's status is read until the
 * workflow has recorded it: a signal is fire-and-forget, so only the run's own record says whether
 * it counted.
 */
final class SignalConfirmation {
  private SignalConfirmation() {}

  static final Duration CONFIRM_WITHIN = Duration.ofSeconds(15);
  static final Duration POLL = Duration.ofMillis(300);

  /**
   * What a signed payload names: the run's id, its current run id, the step its approval gate waits
   * on.
   */
  record Target(String workflowId, String runId, String approvalStep) {}

  /** The run's record of our signal (an element of {@code status().approvals}), if it made one. */
  static Optional<JsonNode> send(Runs runs, String id, String signal, Object payload, String by)
      throws InterruptedException {
    return send(runs, id, signal, t -> payload, by);
  }

  /** As above, the payload made (and signed) for the run as it is now. */
  static Optional<JsonNode> send(
      Runs runs,
      String id,
      String signal,
      java.util.function.Function<Target, Object> payloadFor,
      String by)
      throws InterruptedException {
    Runs.RunInfo info = runs.describe(id);
    if (!info.running()) {
      throw CliException.invalid(
          "id: run '"
              + id
              + "' has finished ("
              + info.statusName()
              + "); there is nothing to "
              + signal);
    }
    info.procedure()
        .filter(p -> !p.hasSignal(signal))
        .ifPresent(
            p -> {
              throw CliException.invalid(
                  "id: '"
                      + id
                      + "' is a "
                      + p.name()
                      + " run; it takes no "
                      + signal
                      + " (see `./dbops status "
                      + Shell.quote(id)
                      + "`)");
            });
    JsonNode before =
        runs.status(id)
            .orElseThrow(
                () ->
                    CliException.failed(
                        "no worker answered for run '"
                            + id
                            + "'; is `./dbops worker` running? (nothing was sent)"));
    int seen = records(before).size();
    Object payload =
        payloadFor.apply(new Target(info.workflowId(), info.runId(), approvalStep(runs, id)));
    // An update is answered by the run at once: refused (exit 2, nothing recorded) or the record it
    // made.
    Optional<JsonNode> updated = runs.updateOrRefusal(id, signal, payload, by);
    if (updated.isPresent()) return updated.filter(r -> !r.isNull());
    runs.signal(id, signal, payload);
    long deadline = System.nanoTime() + CONFIRM_WITHIN.toNanos();
    while (System.nanoTime() < deadline) {
      Optional<JsonNode> now = runs.status(id);
      if (now.isPresent()) {
        JsonNode records = records(now.get());
        for (int i = seen; i < records.size(); i++) {
          if (by.equals(Render.text(records.get(i), "by"))) {
            return Optional.of(records.get(i));
          }
        }
      }
      if (!runs.describe(id).running()) break;
      Thread.sleep(POLL.toMillis());
    }
    return Optional.empty();
  }

  /** The step the run's approval gate waits on, or null (none, or a worker that does not say). */
  static String approvalStep(Runs runs, String id) {
    return runs.query(id, dev.dbops.workflows.common.ApprovalGate.STEP_QUERY)
        .filter(n -> n.isTextual())
        .map(JsonNode::asText)
        .orElse(null);
  }

  /**
   * The run's records of approvals and other signals: {@code approvals}, or {@code decisions}
   * (binlog catch-up, which records error decisions and cut-over approvals there).
   */
  static JsonNode records(JsonNode status) {
    return status.has("approvals") ? status.path("approvals") : status.path("decisions");
  }

  /** What the run made of the signal; returns the exit code. */
  static int report(
      PrintWriter out,
      PrintWriter err,
      Runs runs,
      String id,
      String by,
      Optional<JsonNode> record,
      String what) {
    return report(out, err, runs, id, by, record, what, false);
  }

  /**
   * As above; with {@code json}, stdout gets one document {@code {workflowId, what, by, outcome,
   * record, reason, now: {phase, waitingFor}}} whatever the outcome ({@code outcome} is the run's
   * record's: approved, rejected, refused — or unconfirmed), the exit code and stderr line staying
   * as for text.
   */
  static int report(
      PrintWriter out,
      PrintWriter err,
      Runs runs,
      String id,
      String by,
      Optional<JsonNode> record,
      String what,
      boolean json) {
    com.fasterxml.jackson.databind.node.ObjectNode doc =
        Render.MAPPER.createObjectNode().put("workflowId", id).put("what", what).put("by", by);
    if (record.isEmpty()) {
      err.println(
          what
              + " sent to "
              + id
              + " but the run has not recorded it yet; check with"
              + " `./dbops status "
              + Shell.quote(id)
              + "`");
      if (json) out.println(Render.json(doc.put("outcome", "unconfirmed")));
      return ExitCodes.FAILED;
    }
    doc.set("record", record.get());
    String outcome = Render.text(record.get(), "outcome");
    if (ApprovalRecord.REFUSED.equals(outcome)) {
      err.println(what + " refused by the run: " + Render.text(record.get(), "comment"));
      if (json)
        out.println(
            Render.json(
                doc.put("outcome", ApprovalRecord.REFUSED)
                    .put("reason", Render.raw(record.get(), "comment"))));
      return ExitCodes.INVALID_INPUT;
    }
    Optional<JsonNode> now = runs.status(id);
    if (json) {
      doc.put("outcome", Render.raw(record.get(), "outcome"));
      now.ifPresent(
          s ->
              doc.putObject("now")
                  .put("phase", Render.raw(s, "phase"))
                  .put("waitingFor", Render.raw(s, "waitingFor")));
      out.println(Render.json(doc));
      return ExitCodes.OK;
    }
    out.println(what + " by " + by + " recorded (" + outcome + ") on " + id);
    now.ifPresent(
        s -> {
          String waiting = Render.text(s, "waitingFor");
          out.println(
              "  now: "
                  + Render.text(s, "phase")
                  + (waiting == null ? "" : " — waiting for " + waiting));
        });
    out.println("  follow: ./dbops watch " + Shell.quote(id));
    return ExitCodes.OK;
  }
}
