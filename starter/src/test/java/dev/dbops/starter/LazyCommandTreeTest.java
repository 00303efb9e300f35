package dev.dbops.starter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code main} builds only the subcommand its arguments name ({@link DbopsCli#subcommandOf}): that
 * command's whole subtree, the same usage and options as in the full tree, and no other command;
 * the whole tree wherever the root's usage, {@code help}, the completion script or picocli's
 * suggestion for an unknown name need it.
 */
class LazyCommandTreeTest {
  static final Map<String, Object> LAB = LabCommand.placeholders();

  @Test
  void givenEachSubcommandsName_whenMainBuildsTheTree_thenOnlyThatCommandWithItsFullSubtree() {
    CommandLine full = DbopsCli.commandLine(LAB);
    assertTrue(full.getSubcommands().size() > 15, full.getSubcommands().keySet().toString());
    List<String> lazy = new ArrayList<>();
    full.getSubcommands()
        .forEach(
            (name, sub) -> {
              CommandLine built = DbopsCli.commandLine(LAB, new String[] {name, "--whatever"});
              if (DbopsCli.READ_THE_TREE.contains(name)) {
                assertEquals(full.getSubcommands().keySet(), built.getSubcommands().keySet(), name);
                return;
              }
              lazy.add(name);
              assertEquals(Set.of(name), built.getSubcommands().keySet(), name);
              List<String> fullUsages = new ArrayList<>();
              List<String> builtUsages = new ArrayList<>();
              usages(sub, fullUsages);
              usages(built.getSubcommands().get(name), builtUsages);
              assertEquals(fullUsages, builtUsages, name + ": the usage of its subtree");
            });
    assertTrue(lazy.containsAll(List.of("status", "start", "dev")), lazy.toString());
  }

  @Test
  void givenArgumentsThatNeedTheWholeTree_whenMainBuildsIt_thenEveryCommandIsThere() {
    Set<String> all = DbopsCli.commandLine(LAB).getSubcommands().keySet();
    for (String[] args :
        List.of(
            new String[] {},
            new String[] {"--help"},
            new String[] {"-h"},
            new String[] {"help", "status"},
            new String[] {"completion", "bash"},
            new String[] {"stauts", "x"},
            new String[] {"--version", "status"})) {
      assertNull(DbopsCli.subcommandOf(args, LAB.keySet()), String.join(" ", args));
      assertEquals(all, DbopsCli.commandLine(LAB, args).getSubcommands().keySet());
    }
    assertEquals(
        Set.of(), DbopsCli.commandLine(LAB, new String[] {"--version"}).getSubcommands().keySet());
  }

  @Test
  void givenAMisspeltOrUnknownCommand_whenRunAsMainRunsIt_thenTheSameAnswerAsTheWholeTree() {
    for (String[] args :
        List.of(new String[] {"stauts", "x"}, new String[] {"status", "x", "--jsn"})) {
      List<String> answers = new ArrayList<>();
      for (CommandLine cli : List.of(DbopsCli.commandLine(LAB), DbopsCli.commandLine(LAB, args))) {
        var err = new java.io.StringWriter();
        cli.setErr(new java.io.PrintWriter(err, true));
        answers.add(cli.execute(args) + " " + err);
      }
      assertEquals(answers.get(0), answers.get(1), String.join(" ", args));
      assertTrue(answers.get(0).startsWith(ExitCodes.INVALID_INPUT + " "), answers.get(0));
    }
  }

  private static void usages(CommandLine cmd, List<String> out) {
    out.add(cmd.getUsageMessage(CommandLine.Help.Ansi.OFF));
    cmd.getSubcommands().values().forEach(sub -> usages(sub, out));
  }
}
