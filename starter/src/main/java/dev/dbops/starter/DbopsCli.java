package dev.dbops.starter;

import dev.dbops.workflows.common.Printable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/** The {@code dbops} CLI. Exit codes: {@link ExitCodes}. */
@Command(
    name = "dbops",
    mixinStandardHelpOptions = true,
    versionProvider = BuildVersion.class,
    description =
        "Durable AWS database procedures on Temporal: start them, watch them, approve them.",
    subcommands = {
      StartCommand.class,
      PlanCommand.class,
      StatusCommand.class,
      WatchCommand.class,
      ApproveCommand.class,
      RejectCommand.class,
      AbortCommand.class,
      DecideCommand.class,
      JournalCommand.class,
      CancelCommand.class,
      ListCommand.class,
      ResultCommand.class,
      ScheduleCommand.class,
      ReportCommand.class,
      CodecServerCommand.class,
      CompletionCommand.class,
      HelpCommand.class
    },
    footer = {
      "",
      "Exit codes: 0 ok, 1 the procedure failed, 2 invalid input (nothing changed),",
      "3 Temporal unreachable, 4 start --wait or watch stopped: the run waits for a person."
    })
public final class DbopsCli {
  public static void main(String[] args) {
    quietLibraries();
    System.exit(commandLine().execute(args));
  }

  /**
   * The CLI prints what it has to say itself; the Temporal SDK and gRPC below it speak up only on
   * trouble (a warning or worse, on stderr). Set here, for the thin CLI's own process, rather than
   * in a logging file, which would also reach a worker started from a class path that holds both.
   */
  static void quietLibraries() {
    String level = "org.slf4j.simpleLogger.defaultLogLevel";
    if (System.getProperty(level) == null) System.setProperty(level, "warn");
  }

  /**
   * The command tree, every command answering {@code -h} / {@code --help} ({@link #withHelp}). The
   * lab's commands ({@link LabCommand#NAMES}) only say where they run: this jar is the thin client,
   * and they need the dev server, the sandbox or the worker.
   */
  static CommandLine tree() {
    return tree(LabCommand.placeholders());
  }

  /** The command tree with {@code extra} subcommands (the lab's, when it runs the CLI). */
  public static CommandLine tree(java.util.Map<String, Object> extra) {
    CommandLine cli = new CommandLine(new DbopsCli());
    extra.forEach(cli::addSubcommand);
    withHelp(cli);
    return cli;
  }

  /** The CLI as {@code main} runs it: a bad flag prints one line and a pointer to --help. */
  public static CommandLine commandLine() {
    return commandLine(LabCommand.placeholders());
  }

  /** {@link #commandLine()} with the given extra subcommands. */
  public static CommandLine commandLine(java.util.Map<String, Object> extra) {
    CommandLine cli = tree(extra);
    cli.setParameterExceptionHandler(
        (e, args) -> {
          CommandLine cmd = e.getCommandLine();
          cmd.getErr().println(Printable.escapeKeepingLines(e.getMessage()));
          cmd.getErr().println("see `" + cmd.getCommandSpec().qualifiedName() + " --help`");
          return ExitCodes.INVALID_INPUT;
        });
    return cli;
  }

  /**
   * Every command and subcommand answers {@code -h} / {@code --help} with its usage (exit 0),
   * whatever else it requires: added here, once for the whole tree, to each command that does not
   * declare a help option itself (picocli cannot inherit one into commands that do, such as its own
   * {@code help}).
   */
  static void withHelp(CommandLine cmd) {
    CommandSpec spec = cmd.getCommandSpec();
    if (spec.options().stream().noneMatch(OptionSpec::usageHelp)) {
      spec.addOption(
          OptionSpec.builder("-h", "--help")
              .usageHelp(true)
              .description("Show this help message and exit.")
              .build());
    }
    cmd.getSubcommands().values().forEach(DbopsCli::withHelp);
  }
}
