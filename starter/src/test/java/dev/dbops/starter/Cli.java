package dev.dbops.starter;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Runs the CLI in-process, as {@code main} does, capturing what it prints. */
final class Cli {
  private Cli() {}

  record Result(int exit, String out, String err) {
    @Override
    public String toString() {
      return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }

  static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    // main's tree: only the subcommand args name (DbopsCli.subcommandOf), main's own handler aside
    CommandLine cli =
        DbopsCli.tree(
            LabCommand.placeholders(),
            DbopsCli.subcommandOf(args, LabCommand.placeholders().keySet()));
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int exit = cli.execute(args);
    return new Result(exit, out.toString(), err.toString());
  }
}
