package dev.dbops.starter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** {@code --version} names the build's commit; {@code completion} completes the whole tree. */
@Tag("process")
class CliVersionAndCompletionTest {
  /**
   * {@code git rev-parse HEAD} here, or "unknown" where git or the checkout is missing (as the
   * build does).
   */
  static String head() throws Exception {
    try {
      Process p =
          new ProcessBuilder("git", "rev-parse", "HEAD")
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0 ? out : "unknown";
    } catch (java.io.IOException e) {
      return "unknown";
    }
  }

  @Test
  void givenBuiltJar_whenVersionAsked_thenNamesTheCommitItWasBuiltFrom() throws Exception {
    Cli.Result r = Cli.run("--version");
    assertEquals(ExitCodes.OK, r.exit(), r.toString());
    String commit = BuildVersion.properties().getProperty("commit");
    assertEquals(head(), commit, "the build wrote the checkout's HEAD");
    assertTrue(
        r.out()
            .startsWith(
                "dbops " + BuildVersion.properties().getProperty("version") + " (commit " + commit),
        r.toString());
  }

  @Test
  void givenCommandTree_whenCompletionForBashOrZsh_thenScriptCompletesCommandsAndTheirFlags() {
    for (String shell : new String[] {"bash", "zsh"}) {
      Cli.Result r = Cli.run("completion", shell);
      assertEquals(ExitCodes.OK, r.exit(), r.toString());
      for (String word :
          new String[] {
            "start",
            "approve",
            "glacier-restore",
            "--require-approval",
            "--json",
            "completion",
            "complete -F"
          }) {
        assertTrue(r.out().contains(word), shell + " script completes " + word);
      }
      assertEquals(shell.equals("zsh"), r.out().startsWith("autoload -U +X compinit"), shell);
      assertTrue(
          r.out().contains("binlog-catch-up staging-rebuild"),
          shell + ": list --procedure completes the catalog");
    }
    Cli.Result fish = Cli.run("completion", "fish");
    assertEquals(ExitCodes.INVALID_INPUT, fish.exit(), fish.toString());
    assertTrue(fish.err().startsWith("shell: 'fish'"), fish.toString());
  }
}
