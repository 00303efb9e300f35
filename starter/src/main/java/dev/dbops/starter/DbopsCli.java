package dev.dbops.starter;

import dev.dbops.workflows.common.Printable;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
    footer = {
      "",
      "Exit codes: 0 ok, 1 the procedure failed, 2 invalid input (nothing changed),",
      "3 Temporal unreachable, 4 start --wait or watch stopped: the run waits for a person."
    })
public final class DbopsCli {
  /** The subcommands, in the order {@code --help} lists them (the lab's follow). */
  static final List<Class<?>> SUBCOMMANDS =
      List.of(
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
          HelpCommand.class);

  /** Subcommands that read the whole tree: {@code help <command>} and the completion script. */
  static final Set<String> READ_THE_TREE = Set.of("help", "completion");

  public static void main(String[] args) {
    quietLibraries();
    System.exit(commandLine(args).execute(args));
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
  public static CommandLine tree(Map<String, Object> extra) {
    return tree(extra, null);
  }

  /**
   * The tree with only the subcommand named {@code only} ({@code ""}: none; null: all). Building a
   * subcommand's model reflects over its options, mixins and converters and loads the request
   * classes they fill: for the whole tree about half of a {@code status} call's start-up.
   */
  static CommandLine tree(Map<String, Object> extra, String only) {
    CommandLine cli = new CommandLine(new DbopsCli());
    for (Class<?> c : SUBCOMMANDS) {
      // built on its own, as a root, so picocli applies its model transformers (schedule create's
      // procedure subcommands); a class handed to addSubcommand would skip them
      if (only == null || only.equals(name(c))) cli.addSubcommand(new CommandLine(c));
    }
    extra.forEach(
        (name, command) -> {
          if (only == null || only.equals(name)) cli.addSubcommand(name, command);
        });
    withHelp(cli);
    return cli;
  }

  private static String name(Class<?> command) {
    return command.getAnnotation(Command.class).name();
  }

  /**
   * The one subcommand {@code args} run ({@code ""} for {@code --version} alone), or null when they
   * need the whole tree: the root's usage, {@code help}, {@code completion}, or a name that is none
   * of ours (picocli then suggests the nearest). The root has no option that takes a value, so the
   * first argument is the subcommand's name.
   */
  static String subcommandOf(String[] args, Set<String> extraNames) {
    if (args.length == 0) return null;
    String first = args[0];
    if (args.length == 1 && (first.equals("--version") || first.equals("-V"))) return "";
    if (READ_THE_TREE.contains(first)) return null;
    boolean ours =
        extraNames.contains(first) || SUBCOMMANDS.stream().anyMatch(c -> first.equals(name(c)));
    return ours ? first : null;
  }

  /** The CLI as {@code main} runs it: a bad flag prints one line and a pointer to --help. */
  public static CommandLine commandLine() {
    return commandLine(LabCommand.placeholders());
  }

  /** {@link #commandLine()} as {@code main} builds it for {@code args}: only what they run. */
  public static CommandLine commandLine(String[] args) {
    return commandLine(LabCommand.placeholders(), args);
  }

  /** {@link #commandLine()} with the given extra subcommands. */
  public static CommandLine commandLine(Map<String, Object> extra) {
    return withParameterExceptionHandler(tree(extra));
  }

  /**
   * What {@code main} runs for {@code args}: {@link #commandLine(Map)} with only the subcommand
   * they name ({@link #subcommandOf}), so a call builds the model of the command it runs and no
   * other. Parsing, help and errors are the whole tree's for that command.
   */
  public static CommandLine commandLine(Map<String, Object> extra, String[] args) {
    return withParameterExceptionHandler(tree(extra, subcommandOf(args, extra.keySet())));
  }

  private static CommandLine withParameterExceptionHandler(CommandLine cli) {
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
