package dev.dbops.starter;

import dev.dbops.workflows.common.Printable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;

/**
 * The {@code dbops} CLI. Exit codes: 0 ok, 2 invalid input (the message names the field and
 * why), 1 the procedure failed (or Temporal could not be reached).
 */
@Command(name = "dbops", mixinStandardHelpOptions = true, version = "dbops 0.1.0",
    description = "Durable AWS database procedures on Temporal: start them, watch them, approve them.",
    subcommands = {
        DevCommand.class, WorkerCommand.class, StartCommand.class, PlanCommand.class,
        StatusCommand.class, WatchCommand.class, ApproveCommand.class, RejectCommand.class,
        AbortCommand.class, DecideCommand.class, JournalCommand.class, CancelCommand.class, ListCommand.class, ResultCommand.class,
        ScheduleCommand.class, ReportCommand.class, CampaignCommand.class, HelpCommand.class},
    footer = {"", "Exit codes: 0 ok, 2 invalid input (nothing changed), 1 procedure failed."})
public final class DbopsCli {
  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The CLI as {@code main} runs it: a bad flag prints one line and a pointer to --help. */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new DbopsCli());
    cli.setParameterExceptionHandler((e, args) -> {
      CommandLine cmd = e.getCommandLine();
      cmd.getErr().println(Printable.escapeKeepingLines(e.getMessage()));
      cmd.getErr().println("see `" + cmd.getCommandSpec().qualifiedName() + " --help`");
      return ExitCodes.INVALID_INPUT;
    });
    return cli;
  }
}
