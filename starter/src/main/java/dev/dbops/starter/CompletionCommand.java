package dev.dbops.starter;

import java.io.PrintWriter;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code dbops completion bash|zsh}: the shell completion script for the whole command tree, from
 * picocli's generator (so a command or flag added later completes too).
 */
@Command(
    name = "completion",
    description = {
      "Print a shell completion script:",
      "  source <(dbops completion bash)   (or zsh; add it to ~/.bashrc / ~/.zshrc)"
    })
final class CompletionCommand extends DbopsCommand {
  @Parameters(index = "0", paramLabel = "bash|zsh", description = "the shell")
  String shell;

  @Override
  protected int run() {
    if (!shell.equals("bash") && !shell.equals("zsh")) {
      throw CliException.invalid("shell: '" + shell + "' is not bash or zsh");
    }
    String script = AutoComplete.bash("dbops", spec.root().commandLine());
    // The script is ours (command and flag names), printed as is: the escaping writer would turn
    // its tabs into text.
    PrintWriter raw = spec.commandLine().getOut();
    if (shell.equals("zsh")) {
      // picocli's script serves zsh through bash-completion emulation.
      raw.println("autoload -U +X compinit && compinit");
      raw.println("autoload -U +X bashcompinit && bashcompinit");
    }
    raw.print(script);
    raw.flush();
    return ExitCodes.OK;
  }
}
