package dev.dbops.starter;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code dbops cancel <id>}: asks the run to stop; it does so at its next step. */
@Command(name = "cancel", description = "Ask a run to stop (Temporal cancellation).")
final class CancelCommand extends DbopsCommand {
  @Parameters(index = "0", paramLabel = "ID", description = "workflow id")
  String id;

  @Mixin
  ConnectionOptions connection;

  @Override
  protected int run() {
    try (Session session = connection.connect()) {
      Runs runs = session.runs();
      Runs.RunInfo info = runs.describe(id);
      if (!info.running()) {
        throw CliException.invalid("id: run '" + id + "' has finished (" + info.statusName()
            + "); nothing to cancel");
      }
      runs.cancel(id);
      out().println("cancellation requested for " + id + "; follow it with `./dbops watch "
          + Shell.quote(id) + "`");
      return ExitCodes.OK;
    }
  }
}
