package dev.dbops.starter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dbops.workflows.binlog.BinlogCatchUpRequest;
import dev.dbops.workflows.binlog.WritesStopped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The binlog catch-up's cut-over and caught-up flags (issue 18 items 7 and 8), parsed without a
 * server.
 */
class BinlogCutoverFlagsTest {

  private static BinlogCatchUpRequest parse(String... extra) {
    BinlogFlags flags = new BinlogFlags();
    List<String> args =
        new ArrayList<>(
            List.of(
                "--source",
                "src.example:3306",
                "--source-user",
                "admin",
                "--source-password-ref",
                "env:SRC_PW",
                "--replica",
                "rep.example:3306",
                "--replica-user",
                "admin",
                "--replica-password-ref",
                "env:REP_PW",
                "--start-file",
                "mysql-bin-changelog.000002",
                "--start-pos",
                "4"));
    args.addAll(List.of(extra));
    new CommandLine(flags).parseArgs(args.toArray(String[]::new));
    return flags.toRequest();
  }

  @Test
  void givenNoCutoverFlags_whenParsed_thenReadOnlyIsRequiredAndCaughtUpNeedsNoWindow() {
    BinlogCatchUpRequest r = parse();

    assertNull(r.writesStopped());
    assertEquals(WritesStopped.READ_ONLY, r.writesStoppedOrDefault());
    assertEquals(Duration.ZERO, r.caughtUpWindowOrDefault());
  }

  @Test
  void givenWritesStoppedByTheHook_whenParsed_thenTheRequestCarriesIt() {
    assertEquals(WritesStopped.HOOK, parse("--writes-stopped", "hook").writesStopped());
    assertEquals(WritesStopped.READ_ONLY, parse("--writes-stopped", "READ-ONLY").writesStopped());
  }

  @Test
  void givenAnUnknownWritesStopped_whenParsed_thenTheFlagIsNamed() {
    CliException e = assertThrows(CliException.class, () -> parse("--writes-stopped", "never"));
    assertTrue(
        e.getMessage().contains("--writes-stopped: 'never' is not read-only or hook"),
        e.getMessage());
  }

  @Test
  void givenAZeroWindow_whenValidated_thenAccepted() {
    assertTrue(
        parse(
                "--caught-up-window",
                "0s",
                "--repl-user",
                "repl",
                "--repl-password-ref",
                "env:R",
                "--approver",
                "alice",
                "--requested-by",
                "bob")
            .problems()
            .isEmpty());
  }
}
