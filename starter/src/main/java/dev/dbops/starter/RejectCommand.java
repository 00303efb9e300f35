package dev.dbops.starter;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dbops.workflows.common.Rejection;
import dev.dbops.workflows.signing.SignedDecision;
import java.time.Instant;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code dbops reject <id> --by NAME --reason TEXT}: refuses the waiting step; the run fails. */
@Command(name = "reject", description = "Reject the step a run waits on; the run fails.")
final class RejectCommand extends DbopsCommand {
  @Parameters(index = "0", paramLabel = "ID", description = "workflow id")
  String id;

  @Option(names = "--by", required = true, paramLabel = "NAME", description = "who rejects")
  String by;

  @Option(names = "--reason", required = true, paramLabel = "TEXT", description = "why")
  String reason;

  @Option(
      names = "--json",
      description = "print {workflowId, what, by, outcome, record, reason, now} as JSON")
  boolean json;

  @Mixin SigningOptions signing;

  @Mixin ConnectionOptions connection;

  @Override
  protected int run() throws InterruptedException {
    if (by.isBlank()) throw CliException.invalid("--by: must name who rejects");
    if (reason.isBlank()) throw CliException.invalid("--reason: say why");
    signing.load();
    try (Session session = connection.connect()) {
      Runs runs = session.runs();
      Optional<JsonNode> record =
          SignalConfirmation.send(
              runs,
              id,
              Runs.REJECT_SIGNAL,
              t -> {
                String at = Instant.now().toString();
                String signature =
                    signing.sign(
                        new SignedDecision(
                            t.workflowId(),
                            t.runId(),
                            t.approvalStep(),
                            Rejection.DECISION,
                            by,
                            reason,
                            at));
                return signature == null
                    ? new Rejection(by, reason)
                    : new Rejection(by, reason, t.approvalStep(), at, signature, null);
              },
              by);
      return SignalConfirmation.report(out(), err(), runs, id, by, record, "rejection", json);
    }
  }
}
