package dev.dbops.starter;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dbops.workflows.binlog.ErrorDecision;
import dev.dbops.workflows.signing.SignedDecision;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code dbops decide <id> --action skip|retry|abort --by NAME --reason TEXT}: a person's decision
 * on a replication error the skip policy did not cover. Confirmed through the run's status, as
 * approve is; refused decisions exit 2.
 */
@Command(
    name = "decide",
    description = {
      "Decide on a replication error a binlog catch-up waits on: skip (journal and skip that",
      "transaction), retry (restart the SQL thread, e.g. after fixing data) or abort (stop; replication stays stopped)."
    })
final class DecideCommand extends DbopsCommand {
  static final String DECIDE_SIGNAL = "decide";

  @Parameters(index = "0", paramLabel = "ID", description = "workflow id")
  String id;

  @Option(
      names = "--action",
      required = true,
      paramLabel = "skip|retry|abort",
      description = "what to do")
  String action;

  @Option(names = "--by", required = true, paramLabel = "NAME", description = "who decides")
  String by;

  @Option(
      names = "--reason",
      required = true,
      paramLabel = "TEXT",
      description = "why (kept in the journal and audit trail)")
  String reason;

  @Option(
      names = "--json",
      description = "print {workflowId, what, by, outcome, record, reason, now} as JSON")
  boolean json;

  @Mixin SigningOptions signing;

  @Mixin ConnectionOptions connection;

  @Override
  protected int run() throws InterruptedException {
    String a = action.trim().toUpperCase(Locale.ROOT);
    if (!a.equals(ErrorDecision.SKIP)
        && !a.equals(ErrorDecision.RETRY)
        && !a.equals(ErrorDecision.ABORT)) {
      throw CliException.invalid("--action: '" + action + "' is not skip, retry or abort");
    }
    if (by.isBlank()) throw CliException.invalid("--by: must name who decides");
    if (reason.isBlank()) throw CliException.invalid("--reason: say why");
    signing.load();
    PrintWriter out = out();
    try (Session session = connection.connect()) {
      Runs runs = session.runs();
      Optional<JsonNode> record =
          SignalConfirmation.send(
              runs,
              id,
              DECIDE_SIGNAL,
              t -> {
                String at = Instant.now().toString();
                ErrorDecision unsigned = new ErrorDecision(a, by, reason);
                String signature =
                    signing.sign(
                        new SignedDecision(
                            t.workflowId(),
                            t.runId(),
                            ErrorDecision.STEP,
                            unsigned.decision(),
                            by,
                            reason,
                            at));
                return signature == null
                    ? unsigned
                    : new ErrorDecision(a, by, reason, ErrorDecision.STEP, at, signature, null);
              },
              by);
      return SignalConfirmation.report(
          out, err(), runs, id, by, record, "decision " + a.toLowerCase(Locale.ROOT), json);
    }
  }
}
