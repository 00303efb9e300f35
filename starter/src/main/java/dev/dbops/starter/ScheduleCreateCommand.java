package dev.dbops.starter;

import io.temporal.client.schedules.ScheduleOptions;
import java.io.PrintWriter;
import java.lang.reflect.Constructor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;

/**
 * {@code dbops schedule create <schedule-id> <procedure> (--input FILE.json | flags) --cron …}: the
 * request is read and checked exactly as {@code start} checks it, and the schedule's times too,
 * before the server is contacted; anything wrong exits 2 and creates nothing.
 *
 * <p>There is one procedure subcommand for every procedure {@code start} takes, with the same
 * flags: they are built from {@code start}'s own subcommands, so a procedure added there can be
 * scheduled at once.
 */
@Command(
    name = "create",
    synopsisSubcommandLabel = "PROCEDURE",
    mixinStandardHelpOptions = true,
    modelTransformer = ScheduleCreateCommand.FromStart.class,
    description =
        "Create a schedule that starts a procedure (e.g. every Monday 03:00 Asia/Tokyo)."
            + " Runs get the workflow id <procedure>/<schedule-id>-<scheduled time>.")
final class ScheduleCreateCommand {
  @Parameters(
      index = "0",
      paramLabel = "SCHEDULE-ID",
      description = "the schedule's id, e.g. weekly-staging")
  String scheduleId;

  /** Adds one subcommand per {@code start} subcommand, with a new instance of its flags. */
  static final class FromStart implements CommandLine.IModelTransformer {
    @Override
    public CommandSpec transform(CommandSpec create) {
      CommandLine start = new CommandLine(new StartCommand());
      for (Map.Entry<String, CommandLine> e : start.getSubcommands().entrySet()) {
        CommandSpec startSpec = e.getValue().getCommandSpec();
        CommandSpec flagsSpec = startSpec.mixins().get(ProcedureCommand.FLAGS_MIXIN);
        if (flagsSpec == null) continue;
        ProcedureFlags<?> flags = newInstance(flagsSpec.userObject().getClass());
        CommandSpec sub = CommandSpec.forAnnotatedObject(new ForProcedure(flags));
        sub.addMixin(ProcedureCommand.FLAGS_MIXIN, CommandSpec.forAnnotatedObject(flags));
        List<String> description = new ArrayList<>(List.of(startSpec.usageMessage().description()));
        description.add("Scheduled: the request is checked now and sent unchanged on every run.");
        sub.usageMessage().description(description.toArray(String[]::new));
        create.addSubcommand(e.getKey(), sub);
      }
      return create;
    }

    private static ProcedureFlags<?> newInstance(Class<?> type) {
      try {
        Constructor<?> c = type.getDeclaredConstructor();
        c.setAccessible(true);
        return (ProcedureFlags<?>) c.newInstance();
      } catch (ReflectiveOperationException ex) {
        throw new IllegalStateException("cannot build the flags of " + type.getSimpleName(), ex);
      }
    }
  }

  /** {@code schedule create <id> <procedure> …} for one procedure. */
  @Command(mixinStandardHelpOptions = true)
  static final class ForProcedure extends ProcedureCommand {
    private final ProcedureFlags<?> flags;

    @Mixin ScheduleTiming timing;

    ForProcedure(ProcedureFlags<?> flags) {
      this.flags = flags;
    }

    @Override
    ProcedureFlags<?> flags() {
      return flags;
    }

    String scheduleId() {
      return ((ScheduleCreateCommand) spec.parent().userObject()).scheduleId;
    }

    @Override
    protected int run() {
      String scheduleId = scheduleId();
      List<String> problems = new ArrayList<>(ScheduledProcedure.problems(procedure(), scheduleId));
      problems.addAll(timing.problems());
      if (!problems.isEmpty()) {
        throw CliException.invalid(
            "invalid schedule (nothing was created):\n  " + String.join("\n  ", problems));
      }
      Object request;
      try {
        request = validRequest();
      } catch (CliException e) {
        throw new CliException(e.exitCode(), "schedule not created: " + e.getMessage());
      }
      PrintWriter out = out();
      try (Session session = connection.connect()) {
        Schedules schedules = new Schedules(session);
        schedules.call(
            scheduleId,
            () ->
                schedules
                    .client()
                    .createSchedule(
                        scheduleId,
                        ScheduledProcedure.schedule(
                            procedure(),
                            request,
                            scheduleId,
                            session.config().taskQueue(),
                            timing,
                            currentUser()),
                        ScheduleOptions.newBuilder().build()));
        out.println(
            "created schedule "
                + scheduleId
                + ": "
                + procedure().name()
                + ", "
                + timing.summary()
                + (timing.paused ? " (paused)" : ""));
        out.println(
            "  runs as "
                + ScheduledProcedure.workflowIdPrefix(procedure(), scheduleId)
                + "-<scheduled time> on task queue "
                + session.config().taskQueue());
        out.println("  next runs: ./dbops schedule describe " + Shell.quote(scheduleId));
        return ExitCodes.OK;
      }
    }
  }
}
