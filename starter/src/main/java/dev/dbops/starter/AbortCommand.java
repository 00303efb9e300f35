package dev.dbops.starter;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dbops.workflows.catalog.Phases;
import dev.dbops.workflows.catalog.Procedure;
import dev.dbops.workflows.common.Abort;
import dev.dbops.workflows.common.ApprovalRecord;
import dev.dbops.workflows.common.ErrorTypes;
import dev.dbops.workflows.common.Printable;
import dev.dbops.workflows.signing.SignedDecision;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code dbops abort <id> --by NAME --reason TEXT}: a person stops a run that waits on AWS (an
 * upgrade past its stall threshold, say). Refused (exit 2) unless the run is in a phase where it
 * acts on an abort; then it confirms the run stopped and failed as {@code Aborted}, whose message
 * names what is left (for an upgrade, the pre-upgrade snapshot).
 */
@Command(
    name = "abort",
    description = {
      "Stop a run that waits on AWS (e.g. an upgrade past its stall threshold); it fails as Aborted.",
      "AWS is not asked to stop anything: an RDS upgrade in flight finishes or fails on its own."
    })
final class AbortCommand extends DbopsCommand {
  static final Duration CONFIRM_WITHIN = Duration.ofSeconds(15);
  static final Duration POLL = Duration.ofMillis(300);

  @Parameters(index = "0", paramLabel = "ID", description = "workflow id")
  String id;

  @Option(names = "--by", required = true, paramLabel = "NAME", description = "who aborts")
  String by;

  @Option(
      names = "--reason",
      required = true,
      paramLabel = "TEXT",
      description = "why (kept in the audit trail)")
  String reason;

  @Mixin SigningOptions signing;

  @Mixin ConnectionOptions connection;

  @Override
  protected int run() throws InterruptedException {
    if (by.isBlank()) throw CliException.invalid("--by: must name who aborts");
    if (reason.isBlank()) throw CliException.invalid("--reason: say why");
    signing.load();
    PrintWriter out = out();
    try (Session session = connection.connect()) {
      Runs runs = session.runs();
      Runs.RunInfo info = runs.describe(id);
      if (!info.running()) {
        throw CliException.invalid(
            "id: run '"
                + id
                + "' has finished ("
                + info.statusName()
                + "); there is nothing to abort");
      }
      Procedure<?> procedure =
          info.procedure()
              .orElseThrow(
                  () ->
                      CliException.invalid(
                          "id: '"
                              + id
                              + "' is a "
                              + info.workflowType()
                              + " run, which dbops does not know; nothing was sent"));
      if (procedure.abortPhases().isEmpty()) {
        throw CliException.invalid(
            "id: '"
                + id
                + "' is a "
                + procedure.name()
                + " run; it takes no abort"
                + " (stop it with `./dbops cancel "
                + Shell.quote(id)
                + "`)");
      }
      JsonNode status =
          runs.status(id)
              .orElseThrow(
                  () ->
                      CliException.failed(
                          "no worker answered for run '"
                              + id
                              + "'; is `./dbops worker` running? (nothing was sent)"));
      String phase = Render.text(status, "phase");
      if (!procedure.isAbortable(phase)) {
        throw CliException.invalid(
            "id: '"
                + id
                + "' is "
                + phase
                + "; abort stops only a wait in "
                + procedure.abortPhases()
                + " (nothing was sent)"
                + (Phases.AWAITING_APPROVAL.equals(phase)
                    ? "; to refuse the approval: ./dbops reject "
                        + Shell.quote(id)
                        + " --by <name> --reason <why>"
                    : "; to stop the run: ./dbops cancel " + Shell.quote(id)));
      }
      int seen = SignalConfirmation.records(status).size();
      String at = Instant.now().toString();
      String signature =
          signing.sign(
              new SignedDecision(
                  info.workflowId(), info.runId(), Abort.STEP, Abort.DECISION, by, reason, at));
      Abort abort =
          signature == null
              ? new Abort(by, reason)
              : new Abort(by, reason, Abort.STEP, at, signature, null);
      // As an update a refusal comes back at once (exit 2); a worker from before updates gets the
      // signal.
      if (runs.update(id, Runs.ABORT_SIGNAL, abort).isEmpty())
        runs.signal(id, Runs.ABORT_SIGNAL, abort);
      return confirm(out, runs, seen);
    }
  }

  /** A refusal of our abort the run recorded after the first {@code seen} records. */
  private Optional<JsonNode> refusal(JsonNode records, int seen) {
    for (int i = seen; i < records.size(); i++) {
      JsonNode r = records.get(i);
      if (Abort.STEP.equals(Render.text(r, "step"))
          && ApprovalRecord.REFUSED.equals(Render.text(r, "outcome"))
          && by.equals(Render.text(r, "by"))) {
        return Optional.of(r);
      }
    }
    return Optional.empty();
  }

  /** Waits for the run to act on the abort: it records the step and fails as Aborted. */
  private int confirm(PrintWriter out, Runs runs, int seen) throws InterruptedException {
    long deadline = System.nanoTime() + CONFIRM_WITHIN.toNanos();
    while (System.nanoTime() < deadline) {
      Optional<JsonNode> refused =
          runs.status(id).flatMap(s -> refusal(SignalConfirmation.records(s), seen));
      if (refused.isPresent()) {
        err().println("abort refused by the run: " + Render.text(refused.get(), "comment"));
        return ExitCodes.INVALID_INPUT;
      }
      if (!runs.describe(id).running()) {
        Runs.Closed closed = runs.awaitClosed(id);
        if (closed.failure() != null && ErrorTypes.ABORTED.equals(closed.failure().type())) {
          out.println(
              "abort by " + by + " recorded on " + id + "; the run stopped waiting and failed:");
          out.println("  " + Printable.escape(closed.failure().message()));
          return ExitCodes.OK;
        }
        err().println("the run ended before it acted on the abort:");
        Follower.printFinished(err(), closed);
        return ExitCodes.FAILED;
      }
      Thread.sleep(POLL.toMillis());
    }
    err()
        .println(
            "abort sent to "
                + id
                + " but the run has not acted on it yet; check with"
                + " `./dbops status "
                + Shell.quote(id)
                + "`");
    return ExitCodes.FAILED;
  }
}
