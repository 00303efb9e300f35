package dev.dbops.starter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code dbops schedule} against the embedded dev server. The Java test server does not implement
 * CreateSchedule, ListSchedules, DescribeSchedule, PatchSchedule or DeleteSchedule (each answers
 * UNIMPLEMENTED): every subcommand that reaches it exits 1 and says so plainly; bad input still
 * exits 2 first.
 */
@DevStackTest
class CliScheduleTest {
  static final String[] CREATE = {
    "schedule",
    "create",
    "weekly-restore",
    "glacier-restore",
    "--bucket",
    "cli-schedules",
    "--prefix",
    "orders/",
    "--tier",
    "BULK",
    "--requested-by",
    "bob",
    "--cron",
    "0 3 * * MON",
    "--timezone",
    "Asia/Tokyo",
    "--overlap",
    "SKIP"
  };

  @Test
  void givenEmbeddedServer_whenAnyScheduleCommand_thenExit1SayingItHasNoSchedules() {
    List<String[]> commands =
        List.of(
            CREATE,
            new String[] {"schedule", "list"},
            new String[] {"schedule", "describe", "weekly-restore"},
            new String[] {"schedule", "pause", "weekly-restore", "--reason", "freeze"},
            new String[] {"schedule", "unpause", "weekly-restore", "--reason", "thaw"},
            new String[] {"schedule", "trigger", "weekly-restore"},
            new String[] {"schedule", "delete", "weekly-restore"});
    for (String[] args : commands) {
      Cli.Result r = DevStack.cli(args);
      assertEquals(ExitCodes.FAILED, r.exit(), r.toString());
      assertEquals(Schedules.UNSUPPORTED, r.err().strip(), r.toString());
    }
  }

  @Test
  void givenEmbeddedServer_whenCreateWithBadInput_thenExit2NamingTheField() {
    Cli.Result r =
        DevStack.cli(
            "schedule",
            "create",
            "weekly-restore",
            "glacier-restore",
            "--bucket",
            "cli-schedules",
            "--prefix",
            "orders/",
            "--tier",
            "BULK",
            "--cron",
            "0 25 * * MON");
    assertEquals(ExitCodes.INVALID_INPUT, r.exit(), r.toString());
    assertTrue(
        r.err().contains("--cron \"0 25 * * MON\": hour '25': 25 is outside 0-23"), r.toString());
  }
}
