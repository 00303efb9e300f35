package dev.dbops.starter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The lab's jar answers every command: the thin CLI's, and its own in place of their placeholders.
 */
class DevkitCliTest {
  @Test
  void givenTheLabCli_whenItsLabCommandsAreLookedUp_thenEachIsTheRealCommand() {
    Map<String, CommandLine> sub = DevkitCli.tree().getSubcommands();

    // every name the thin CLI leaves to the lab, answered by the lab's own command
    assertEquals(LabCommand.NAMES, List.copyOf(DevkitCli.labCommands().keySet()));
    DevkitCli.labCommands()
        .forEach(
            (name, command) -> {
              assertEquals(command.getClass(), sub.get(name).getCommand().getClass(), name);
              assertFalse(sub.get(name).getCommand() instanceof LabCommand, name);
            });
    assertInstanceOf(DevCommand.class, sub.get(LabCommand.NAMES.get(0)).getCommand());
  }

  @Test
  void givenTheLabCli_whenListed_thenItHasEveryCommandOfTheThinCli() {
    assertEquals(
        DbopsCli.tree().getSubcommands().keySet(), DevkitCli.tree().getSubcommands().keySet());
  }
}
