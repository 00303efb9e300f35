package dev.dbops.starter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dbops.worker.Procedure;
import dev.dbops.worker.Procedures;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The CLI's structure and parsing, without a server. */
class CliShapeTest {

  @Test
  void givenCatalog_whenCliBuilt_thenEveryProcedureCanBeStartedAndPlanned() {
    CommandLine cli = new CommandLine(new DbopsCli());
    for (Procedure<?> p : Procedures.ALL) {
      assertTrue(cli.getSubcommands().get("start").getSubcommands().containsKey(p.name()),
          "start " + p.name());
      assertTrue(cli.getSubcommands().get("plan").getSubcommands().containsKey(p.name()),
          "plan " + p.name());
    }
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
