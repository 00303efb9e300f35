package dev.dbops.starter;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dbops.workflows.common.Approval;
import dev.dbops.workflows.signing.SignedDecision;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code dbops approve <id> --by NAME [--comment TEXT] [--key FILE]}: signs (with --key) and
 * signals the approval, then confirms the run counted it. A refusal (not on the list, the
 * requester, nothing waiting) exits 2 with the run's reason.
 */
@Command(name = "approve", description = "Approve the step a run waits on.")
final class ApproveCommand extends DbopsCommand {
  @Parameters(index = "0", paramLabel = "ID", description = "workflow id")
  String id;

  @Option(names = "--by", required = true, paramLabel = "NAME", description = "who approves")
  String by;

  @Option(names = "--comment", paramLabel = "TEXT", description = "why (kept in the audit trail)")
  String comment;

  @Option(
      names = "--json",
      description = "print {workflowId, what, by, outcome, record, reason, now} as JSON")
  boolean json;

  @Mixin SigningOptions signing;

  @Mixin ConnectionOptions connection;

  @Override
  protected int run() throws InterruptedException {
    if (by.isBlank()) throw CliException.invalid("--by: must name who approves");
    signing.load();
    PrintWriter out = out();
    try (Session session = connection.connect()) {
      Runs runs = session.runs();
      Optional<JsonNode> record =
          SignalConfirmation.send(
              runs,
              id,
              Runs.APPROVE_SIGNAL,
              t -> {
                String at = Instant.now().toString();
                String signature =
                    signing.sign(
                        new SignedDecision(
                            t.workflowId(),
                            t.runId(),
                            t.approvalStep(),
                            Approval.DECISION,
                            by,
                            comment,
                            at));
                return signature == null
                    ? new Approval(by, comment)
                    : new Approval(by, comment, t.approvalStep(), at, signature, null);
              },
              by);
      return SignalConfirmation.report(out, err(), runs, id, by, record, "approval", json);
    }
  }
}
