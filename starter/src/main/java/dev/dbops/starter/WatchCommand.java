package dev.dbops.starter;

import java.io.PrintWriter;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code dbops watch <id>}: prints phase and progress changes until the run ends (exit 0, or 1 if
 * it failed) or waits for a person (exit 4, as {@code start --wait}, with the command that answers
 * it): a script that watches must not read a run stopped at a gate as done.
 */
@Command(name = "watch", description = "Follow a run until it finishes or waits for a person.")
final class WatchCommand extends DbopsCommand {
  @Parameters(index = "0", paramLabel = "ID", description = "workflow id")
  String id;

  @Option(
      names = "--interval",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      defaultValue = "1s",
      description = "how often to look (default ${DEFAULT-VALUE})")
  Duration interval;

  @Option(
      names = "--json",
      description =
          "one JSON object per event, one per line: watching, phase, step,"
              + " warning, record, notice, then waiting or finished (as start --json)")
  boolean json;

  @Mixin ConnectionOptions connection;

  @Override
  protected int run() throws InterruptedException {
    PrintWriter out = out();
    try (Session session = connection.connect()) {
      Runs runs = session.runs();
      Runs.RunInfo info = runs.describe(id);
      if (json) return followAsJson(out, runs, session.config().taskQueue(), info);
      out.println(
          "watching "
              + id
              + " ("
              + info.procedureName()
              + ", "
              + info.statusName()
              + "); Ctrl-C stops watching, not the run");
      out.flush();
      return follow(out, runs, session.config().taskQueue(), id, interval);
    }
  }

  private int followAsJson(PrintWriter out, Runs runs, String taskQueue, Runs.RunInfo info)
      throws InterruptedException {
    out.println(
        Render.jsonLine(
            Render.MAPPER
                .createObjectNode()
                .put("event", "watching")
                .put("workflowId", info.workflowId())
                .put("runId", info.runId())
                .put("procedure", info.procedureName())
                .put("state", info.statusName())));
    Follower.Outcome outcome =
        new Follower(runs, Follower.jsonLines(out), taskQueue, interval, true, null)
            .follow(id, Follower.Until.PERSON_OR_DONE);
    boolean waiting = outcome instanceof Follower.WaitingForPerson;
    com.fasterxml.jackson.databind.node.ObjectNode last =
        Render.MAPPER.createObjectNode().put("event", waiting ? "waiting" : "finished");
    last.setAll(Follower.json(id, outcome));
    out.println(Render.jsonLine(last));
    return waiting
        ? ExitCodes.WAITING_FOR_PERSON
        : Follower.exitCode(((Follower.Finished) outcome).closed());
  }

  /**
   * Narrated follow-up shared by watch and the dev demo: 0 or 1 as the run ended, {@link
   * ExitCodes#WAITING_FOR_PERSON} when it stopped to wait for a person.
   */
  static int follow(PrintWriter out, Runs runs, String taskQueue, String id, Duration interval)
      throws InterruptedException {
    Follower.Outcome outcome =
        new Follower(runs, out, taskQueue, interval, true, null)
            .follow(id, Follower.Until.PERSON_OR_DONE);
    if (outcome instanceof Follower.WaitingForPerson w) {
      Follower.printWaiting(out, id, w.status());
      return ExitCodes.WAITING_FOR_PERSON;
    }
    return Follower.printFinished(out, ((Follower.Finished) outcome).closed());
  }
}
