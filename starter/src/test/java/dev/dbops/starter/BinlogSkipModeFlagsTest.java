package dev.dbops.starter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dbops.workflows.binlog.BinlogCatchUpRequest;
import dev.dbops.workflows.binlog.DuplicateKeyResolution;
import dev.dbops.workflows.binlog.MissingRowResolution;
import dev.dbops.workflows.binlog.SkipMode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The binlog catch-up's skip-mode flags (issue 8), parsed without a server. */
class BinlogSkipModeFlagsTest {

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
                "4",
                "--skip-errno",
                "duplicate-key"));
    args.addAll(List.of(extra));
    new CommandLine(flags).parseArgs(args.toArray(String[]::new));
    return flags.toRequest();
  }

  @Test
  void
      givenNoSkipModeFlag_whenParsed_thenThePolicyHasNoModeAndIsJudgedInTheStatementModeTheRunRecords() {
    BinlogCatchUpRequest r = parse("--on-duplicate-key", "take-source");

    assertNull(r.skipPolicy().mode(), "the run resolves the default when it starts");
    assertEquals(SkipMode.STATEMENT, r.withSkipModeDefault().skipPolicy().mode());
    assertTrue(
        r.problems().stream().noneMatch(p -> p.startsWith("skipPolicy")),
        "a resolution needs no --skip-mode:" + " statement is the default: " + r.problems());
  }

  @Test
  void givenStatementModeAndResolutions_whenParsed_thenThePolicyCarriesThem() {
    BinlogCatchUpRequest r =
        parse(
            "--skip-mode",
            "statement",
            "--on-duplicate-key",
            "take-source",
            "--on-missing-row",
            "reinsert");

    assertEquals(SkipMode.STATEMENT, r.skipPolicy().mode());
    assertEquals(DuplicateKeyResolution.TAKE_SOURCE_ROW, r.skipPolicy().onDuplicateKey());
    assertEquals(MissingRowResolution.REINSERT, r.skipPolicy().onMissingRow());
  }

  @Test
  void givenAnUnknownSkipMode_whenParsed_thenTheFlagIsNamed() {
    CliException e = assertThrows(CliException.class, () -> parse("--skip-mode", "row"));

    assertTrue(e.getMessage().contains("--skip-mode"), e.getMessage());
  }

  @Test
  void givenAResolutionInTransactionMode_whenValidated_thenTheRequestNamesIt() {
    BinlogCatchUpRequest r =
        parse("--skip-mode", "transaction", "--on-duplicate-key", "take-source");

    assertTrue(
        String.join("\n", r.problems()).contains("skipPolicy.onDuplicateKey"),
        r.problems().toString());
  }
}
