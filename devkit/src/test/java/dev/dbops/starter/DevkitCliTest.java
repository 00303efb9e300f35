package dev.dbops.starter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The lab's jar answers every command: the thin CLI's, and its own in place of their placeholders. */
class DevkitCliTest {
  @Test
  void givenTheLabCli_whenItsLabCommandsAreLookedUp_thenEachIsTheRealCommand() {
    Map<String, CommandLine> sub = DevkitCli.tree().getSubcommands();

    assertInstanceOf(DevCommand.class, sub.get("dev").getCommand());
    assertInstanceOf(CampaignCommand.class, sub.get("campaign").getCommand());
    assertInstanceOf(WorkerCommand.class, sub.get("worker").getCommand());
  }

  @Test
  void givenTheLabCli_whenListed_thenItHasEveryCommandOfTheThinCli() {
    assertEquals(DbopsCli.tree().getSubcommands().keySet(), DevkitCli.tree().getSubcommands().keySet());
  }
}
