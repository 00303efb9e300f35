package dev.dbops.starter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dbops.workflows.catalog.Procedure;
import dev.dbops.workflows.catalog.Procedures;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The CLI's structure and parsing, without a server. */
class CliShapeTest {

  @Test
  void givenCatalog_whenCliBuilt_thenEveryProcedureCanBeStartedAndEveryPlannableOnePlanned() {
    CommandLine cli = new CommandLine(new DbopsCli());
    for (Procedure<?> p : Procedures.ALL) {
      assertTrue(
          cli.getSubcommands().get("start").getSubcommands().containsKey(p.name()),
          "start " + p.name());
      assertEquals(
          p.plannable(),
          cli.getSubcommands().get("plan").getSubcommands().containsKey(p.name()),
          "plan " + p.name());
    }
  }

  @Test
  void givenCatalog_whenSignalsAndPhasesRead_thenAbortableProceduresTakeAbortAndGatedOnesApprove() {
    assertTrue(Procedures.UPGRADE.hasSignal(Runs.ABORT_SIGNAL));
    assertTrue(Procedures.UPGRADE.isAbortable("UPGRADING"));
    assertTrue(!Procedures.UPGRADE.isAbortable("AWAITING_APPROVAL"));
    assertTrue(Procedures.GLACIER_RESTORE.hasSignal(Runs.APPROVE_SIGNAL));
    assertTrue(Procedures.UPGRADE_ROLLBACK.hasSignal(Runs.APPROVE_SIGNAL));
    for (Procedure<?> p : Procedures.ALL) {
      assertEquals(!p.abortPhases().isEmpty(), p.hasSignal(Runs.ABORT_SIGNAL), p.name());
    }
  }

  @Test
  void givenUpgradeFlags_whenParsed_thenRequestCarriesTheReferenceAndDurations() {
    StartCommand.Upgrade cmd = new StartCommand.Upgrade();
    new CommandLine(cmd)
        .parseArgs(
            "--cluster",
            "db-1",
            "--target-version",
            "5.7.mysql_aurora.2.11.2",
            "--db-user",
            "dbops",
            "--db-password-ref",
            "env:DB_PASSWORD",
            "--smoke-sql",
            "SELECT 1",
            "--smoke-sql",
            "SELECT 2",
            "--approver",
            "alice",
            "--poll-interval",
            "2s",
            "--stall-threshold",
            "3h",
            "--requested-by",
            "bob");
    var r = (dev.dbops.workflows.upgrade.UpgradeRequest) cmd.flags().toRequest();
    assertEquals("db-1", r.clusterId());
    assertEquals("env:DB_PASSWORD", r.login().passwordRef());
    assertEquals(java.util.List.of("SELECT 1", "SELECT 2"), r.smokeSql());
    assertEquals(Duration.ofSeconds(2), r.pollInterval());
    assertEquals(Duration.ofHours(3), r.stallThreshold());
    assertEquals("upgrade/db-1", Procedures.UPGRADE.defaultWorkflowIdOf(r));
    assertTrue(r.problems().isEmpty(), r.problems().toString());
    assertTrue(
        ((dev.dbops.workflows.upgrade.UpgradeRequest) Procedures.UPGRADE.dryRunOf(r)).isDryRun());
  }

  @Test
  void givenWaiveApprovalAndApprovers_whenParsed_thenRefusedNamingApproval() {
    StartCommand.Upgrade cmd = new StartCommand.Upgrade();
    new CommandLine(cmd).parseArgs("--cluster", "db-1", "--waive-approval", "--approver", "alice");
    CliException e = assertThrows(CliException.class, () -> cmd.flags().toRequest());
    assertEquals(ExitCodes.INVALID_INPUT, e.exitCode());
    assertTrue(e.getMessage().startsWith("approval:"), e.getMessage());
  }

  @Test
  void givenDurationsAsPeopleTypeThem_whenParsed_thenExact() {
    assertEquals(Duration.ofSeconds(90), DurationConverter.parse("90s"));
    assertEquals(Duration.ofMinutes(90), DurationConverter.parse("1h30m"));
    assertEquals(Duration.ofDays(3), DurationConverter.parse("3d"));
    assertEquals(Duration.ofMinutes(5), DurationConverter.parse("PT5M"));
    assertThrows(CommandLine.TypeConversionException.class, () -> DurationConverter.parse("soon"));
    assertThrows(CommandLine.TypeConversionException.class, () -> DurationConverter.parse("5x"));
  }

  @Test
  void givenNoProcedure_whenStart_thenExit2() {
    Cli.Result r = Cli.run("start");
    assertEquals(ExitCodes.INVALID_INPUT, r.exit(), r.toString());
    assertTrue(r.err().contains("glacier-restore"), r.toString());
  }

  @Test
  void givenMainCommandLine_whenFlagIsBad_thenOneLineAndPointerToHelp() {
    var out = new java.io.StringWriter();
    CommandLine cli = DbopsCli.commandLine();
    cli.setErr(new java.io.PrintWriter(out, true));
    assertEquals(ExitCodes.INVALID_INPUT, cli.execute("watch"));
    assertTrue(out.toString().contains("Missing required parameter: 'ID'"), out.toString());
    assertTrue(out.toString().contains("see `dbops watch --help`"), out.toString());
    assertEquals(2, out.toString().strip().lines().count(), out.toString());
  }
}
