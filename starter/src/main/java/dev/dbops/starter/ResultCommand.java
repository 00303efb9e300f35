package dev.dbops.starter;

import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code dbops result <id> [--json]}: a run's result (waiting for it if still running). Exit 1 when
 * the run failed or completed with failures.
 */
@Command(name = "result", description = "Print a run's result (waits while it runs).")
final class ResultCommand extends DbopsCommand {
  @Parameters(index = "0", paramLabel = "ID", description = "workflow id")
  String id;

  @Option(names = "--json", description = "print the result (or the failure) as JSON")
  boolean json;

  @Mixin ConnectionOptions connection;

  @Override
  protected int run() {
    PrintWriter out = out();
    try (Session session = connection.connect()) {
      Runs runs = session.runs();
      Runs.RunInfo info = runs.describe(id);
      if (info.running()) {
        err().println(id + " is still running; waiting for its result (Ctrl-C stops waiting)");
        err().flush();
      }
      Runs.Closed closed = runs.awaitClosed(id);
      if (json) {
        if (closed.failure() != null) {
          var doc = Render.MAPPER.createObjectNode();
          doc.put("workflowId", id);
          doc.put("outcome", "FAILED");
          doc.put("failureType", closed.failure().type());
          doc.put("failure", closed.failure().message());
          out.println(Render.json(doc));
        } else {
          out.println(Render.json(closed.result()));
        }
        return closed.succeeded() ? ExitCodes.OK : ExitCodes.FAILED;
      }
      return Follower.printFinished(out, closed);
    }
  }
}
