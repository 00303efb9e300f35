package dev.dbops.starter;

import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code dbops cancel <id>}: asks the run to stop; it does so at its next step. */
@Command(name = "cancel", description = "Ask a run to stop (Temporal cancellation).")
final class CancelCommand extends DbopsCommand {
  @Parameters(index = "0", paramLabel = "ID", description = "workflow id")
  String id;

  @Mixin ConnectionOptions connection;

  /** How long to wait for the run to act on the cancellation before returning. */
  static final Duration SETTLE = Duration.ofSeconds(10);

  @Override
  protected int run() throws InterruptedException {
    try (Session session = connection.connect()) {
      Runs runs = session.runs();
      Runs.RunInfo info = runs.describe(id);
      if (!info.running()) {
        throw CliException.invalid(
            "id: run '" + id + "' has finished (" + info.statusName() + "); nothing to cancel");
      }
      runs.cancel(id);
      long deadline = System.nanoTime() + SETTLE.toNanos();
      while (info.running() && System.nanoTime() < deadline) {
        Thread.sleep(200);
        info = runs.describe(id);
      }
      if (info.running()) {
        out()
            .println(
                "cancellation requested for "
                    + id
                    + "; the run stops at its next step"
                    + " (follow it with `./dbops watch "
                    + Shell.quote(id)
                    + "`)");
      } else {
        out().println(id + " stopped: " + info.statusName());
      }
      return ExitCodes.OK;
    }
  }
}
