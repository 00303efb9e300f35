package dev.dbops.starter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Every command and subcommand, found by walking the CLI's command tree (so a command added later
 * is covered), answers {@code --help} and {@code -h} with its usage and exit 0, however many
 * required parameters and options it has.
 */
class CliHelpTest {
  /**
   * One command: the words that reach it (a parent's required positionals filled in) and its name
   * path.
   */
  record Path(List<String> args, List<String> names) {}

  static void collect(CommandLine cmd, Path path, List<Path> out) {
    out.add(path);
    // A parent with a required positional (schedule create SCHEDULE-ID PROCEDURE) takes it before
    // the subcommand.
    List<String> given = new ArrayList<>(path.args());
    cmd.getCommandSpec().positionalParameters().stream()
        .filter(p -> p.required())
        .forEach(p -> given.add("x"));
    cmd.getSubcommands()
        .forEach(
            (name, sub) -> {
              if (!sub.getCommandName().equals(name)) return; // an alias: the same command again
              List<String> args = new ArrayList<>(given);
              args.add(name);
              List<String> names = new ArrayList<>(path.names());
              names.add(name);
              collect(sub, new Path(args, names), out);
            });
  }

  @Test
  void givenEveryCommandInTheTree_whenAskedForHelpEitherWay_thenUsageAndExit0() {
    List<Path> commands = new ArrayList<>();
    collect(DbopsCli.commandLine(), new Path(List.of(), List.of()), commands);
    assertTrue(commands.size() > 25, "walked " + commands.size() + " commands: " + commands);
    List<String> failures = new ArrayList<>();
    for (Path path : commands) {
      for (String flag : List.of("--help", "-h")) {
        List<String> args = new ArrayList<>(path.args());
        args.add(flag);
        for (Cli.Result r : List.of(Cli.run(args.toArray(String[]::new)), main(args))) {
          String usage = "Usage: " + String.join(" ", prefixed(path.names()));
          if (r.exit() != 0 || !r.out().contains(usage)) {
            failures.add(
                String.join(" ", args) + " -> exit " + r.exit() + "\n" + r.out() + r.err());
          }
        }
      }
    }
    assertEquals(List.of(), failures, failures.size() + " of " + commands.size() * 2 + " failed");
  }

  private static List<String> prefixed(List<String> path) {
    List<String> p = new ArrayList<>(List.of("dbops"));
    p.addAll(path);
    return p;
  }

  /** As {@code main} builds the CLI (its own error handler). */
  private static Cli.Result main(List<String> args) {
    var out = new java.io.StringWriter();
    var err = new java.io.StringWriter();
    CommandLine cli = DbopsCli.commandLine(LabCommand.placeholders(), args.toArray(String[]::new));
    cli.setOut(new java.io.PrintWriter(out, true));
    cli.setErr(new java.io.PrintWriter(err, true));
    int exit = cli.execute(args.toArray(String[]::new));
    return new Cli.Result(exit, out.toString(), err.toString());
  }
}
