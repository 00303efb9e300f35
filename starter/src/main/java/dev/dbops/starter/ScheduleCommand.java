package dev.dbops.starter;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code dbops schedule create|list|describe|pause|unpause|trigger|delete}: procedures on Temporal
 * Schedules. The embedded dev server has no schedules: every subcommand that reaches it exits 1
 * saying so (see {@link Schedules#UNSUPPORTED}).
 */
@Command(
    name = "schedule",
    synopsisSubcommandLabel = "COMMAND",
    mixinStandardHelpOptions = true,
    description =
        "Run procedures on Temporal Schedules (needs a real Temporal server; the embedded"
            + " dev server has no schedules).",
    subcommands = {
      ScheduleCreateCommand.class,
      ScheduleCommand.ListSchedules.class,
      ScheduleCommand.Describe.class,
      ScheduleCommand.Pause.class,
      ScheduleCommand.Unpause.class,
      ScheduleCommand.Trigger.class,
      ScheduleCommand.Delete.class
    })
final class ScheduleCommand {

  @Command(name = "list", description = "List schedules: procedure, paused or not, next run, when.")
  static final class ListSchedules extends DbopsCommand {
    @Option(names = "--json", description = "one JSON array")
    boolean json;

    @Mixin ConnectionOptions connection;

    @Override
    protected int run() {
      try (Session session = connection.connect()) {
        Schedules schedules = new Schedules(session);
        List<ObjectNode> items =
            schedules.call(
                null,
                () -> schedules.client().listSchedules().map(ScheduleViews::listItem).toList());
        if (json) {
          out().println(Render.json(items));
        } else {
          ScheduleViews.printList(out(), items);
        }
        return ExitCodes.OK;
      }
    }
  }

  @Command(
      name = "describe",
      description = "A schedule: what it starts, when, next run times, recent runs.")
  static final class Describe extends DbopsCommand {
    @Parameters(index = "0", paramLabel = "SCHEDULE-ID")
    String id;

    @Option(names = "--json", description = "print it as JSON")
    boolean json;

    @Mixin ConnectionOptions connection;

    @Override
    protected int run() {
      try (Session session = connection.connect()) {
        ObjectNode d = new Schedules(session).on(id, h -> ScheduleViews.describe(h.describe()));
        if (json) {
          out().println(Render.json(d));
        } else {
          ScheduleViews.printDescribe(out(), d);
        }
        return ExitCodes.OK;
      }
    }
  }

  /** Pause and unpause: who and why go into the schedule's note. */
  abstract static class NoteCommand extends DbopsCommand {
    @Parameters(index = "0", paramLabel = "SCHEDULE-ID")
    String id;

    @Option(
        names = "--reason",
        paramLabel = "TEXT",
        required = true,
        description = "why (kept as the schedule's note)")
    String reason;

    @Option(names = "--by", paramLabel = "NAME", description = "who (default $USER)")
    String by;

    @Mixin ConnectionOptions connection;

    String note(String verb) {
      return verb + " by " + (by == null ? ProcedureCommand.currentUser() : by) + ": " + reason;
    }
  }

  @Command(name = "pause", description = "Pause a schedule: no runs start until it is unpaused.")
  static final class Pause extends NoteCommand {
    @Override
    protected int run() {
      if (reason.isBlank()) throw CliException.invalid("--reason: say why");
      try (Session session = connection.connect()) {
        String note = note("paused");
        new Schedules(session)
            .on(
                id,
                h -> {
                  h.pause(note);
                  return null;
                });
        out().println("schedule " + id + " " + note + "; runs already started go on");
        return ExitCodes.OK;
      }
    }
  }

  @Command(name = "unpause", description = "Unpause a schedule: runs start again at its next time.")
  static final class Unpause extends NoteCommand {
    @Override
    protected int run() {
      if (reason.isBlank()) throw CliException.invalid("--reason: say why");
      try (Session session = connection.connect()) {
        String note = note("unpaused");
        new Schedules(session)
            .on(
                id,
                h -> {
                  h.unpause(note);
                  return null;
                });
        out().println("schedule " + id + " " + note);
        return ExitCodes.OK;
      }
    }
  }

  @Command(
      name = "trigger",
      description = "Start a run of the schedule now (its overlap policy applies).")
  static final class Trigger extends DbopsCommand {
    @Parameters(index = "0", paramLabel = "SCHEDULE-ID")
    String id;

    @Mixin ConnectionOptions connection;

    @Override
    protected int run() {
      try (Session session = connection.connect()) {
        new Schedules(session)
            .on(
                id,
                h -> {
                  h.trigger();
                  return null;
                });
        out()
            .println(
                "triggered schedule "
                    + id
                    + "; see the run with `./dbops schedule describe "
                    + Shell.quote(id)
                    + "`");
        return ExitCodes.OK;
      }
    }
  }

  @Command(
      name = "delete",
      description = "Delete a schedule; runs it already started are not affected.")
  static final class Delete extends DbopsCommand {
    @Parameters(index = "0", paramLabel = "SCHEDULE-ID")
    String id;

    @Mixin ConnectionOptions connection;

    @Override
    protected int run() {
      try (Session session = connection.connect()) {
        new Schedules(session)
            .on(
                id,
                h -> {
                  h.delete();
                  return null;
                });
        out().println("deleted schedule " + id + "; runs it started are not affected");
        return ExitCodes.OK;
      }
    }
  }
}
