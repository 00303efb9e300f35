package dev.dbops.starter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dbops.workflows.catalog.Procedures;
import dev.dbops.workflows.staging.StagingRebuildRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code staging-rebuild} flags to request, without a server. */
class StagingFlagsTest {
  static final String ROLE = "arn:aws:iam::210987654321:role/dbops-staging";
  static final String KEY = "arn:aws:kms:us-east-1:123456789012:key/0000-demo";

  @TempDir Path dir;

  private StagingRebuildRequest parse(String... args) {
    StartCommand.StagingRebuild cmd = new StartCommand.StagingRebuild();
    new CommandLine(cmd).parseArgs(args);
    return (StagingRebuildRequest) cmd.flags().toRequest();
  }

  private List<String> valid(String... more) throws Exception {
    Path masking =
        Files.writeString(dir.resolve("mask.sql"), "UPDATE app.users SET email = 'x';\n");
    List<String> args =
        new ArrayList<>(
            List.of(
                "--source-account",
                "123456789012",
                "--source-cluster",
                "prod-main",
                "--target-account",
                "210987654321",
                "--target-role-arn",
                ROLE,
                "--kms-key-id",
                KEY,
                "--instance-class",
                "db.r6g.large",
                "--master-password-ref",
                "env:STAGING_PW",
                "--masking-sql",
                Path.of("").toAbsolutePath().relativize(masking).toString(),
                "--verify-sql",
                "SELECT COUNT(*) FROM app.users WHERE email <> 'x'",
                "--zone-id",
                "ZSBX1",
                "--record-name",
                "db.staging.internal.",
                "--requested-by",
                "bob"));
    args.addAll(List.of(more));
    return args;
  }

  @Test
  void givenEveryFlag_whenParsed_thenRequestCarriesThemAndIsValid() throws Exception {
    Path masking =
        Files.writeString(dir.resolve("mask.sql"), "UPDATE app.users SET email = 'x';\n");
    StagingRebuildRequest r =
        parse(
            "--source-account",
            "123456789012",
            "--source-cluster",
            "prod-main",
            "--target-account",
            "210987654321",
            "--target-role-arn",
            ROLE,
            "--kms-key-id",
            KEY,
            "--instance-class",
            "db.r6g.large",
            "--instance-count",
            "2",
            "--master-password-ref",
            "env:STAGING_PW",
            "--masking-sql",
            masking.toString(),
            "--verify-sql",
            "SELECT 0",
            "--verify-sql",
            "SELECT 0 + 0",
            "--drift-check",
            "warn",
            "--source-db-user",
            "ro",
            "--source-db-password-ref",
            "env:RO_PW",
            "--drift-schema",
            "app",
            "--zone-id",
            "ZSBX1",
            "--record-name",
            "db.staging.internal.",
            "--ttl",
            "0",
            "--retire",
            "grace",
            "--old-cluster",
            "staging-old",
            "--grace",
            "2m",
            "--final-snapshot",
            "--keep-snapshots",
            "--approver",
            "alice",
            "--requested-by",
            "bob",
            "--poll-interval",
            "1s");
    assertEquals(List.of(), r.problems());
    assertEquals("123456789012", r.source().accountId());
    assertNull(r.source().roleArn());
    assertEquals(ROLE, r.target().roleArn());
    assertTrue(r.isCrossAccount());
    assertEquals(2, r.instanceCount());
    assertEquals("file:" + masking.toAbsolutePath().normalize(), r.masking().scriptRef());
    assertEquals(List.of("SELECT 0", "SELECT 0 + 0"), r.masking().verifyQueries());
    assertEquals("WARN", r.schemaDriftCheck());
    assertEquals("env:RO_PW", r.sourceLogin().passwordRef());
    assertEquals("GRACE", r.retire().mode());
    assertEquals(Duration.ofMinutes(2), r.retire().grace());
    assertTrue(r.retire().finalSnapshotWanted());
    assertTrue(r.keepsSnapshots());
    assertEquals(List.of("alice"), r.approval().approvers());
    assertEquals(Duration.ofSeconds(1), r.pollInterval());
    assertTrue(((StagingRebuildRequest) Procedures.STAGING_REBUILD.dryRunOf(r)).isDryRun());
  }

  @Test
  void givenRelativeMaskingFile_whenParsed_thenScriptRefIsItsAbsolutePath() throws Exception {
    List<String> args = valid();
    assertTrue(!Path.of(args.get(args.indexOf("--masking-sql") + 1)).isAbsolute());
    StagingRebuildRequest r = parse(args.toArray(String[]::new));
    assertEquals(
        "file:" + dir.resolve("mask.sql").toAbsolutePath().normalize(), r.masking().scriptRef());
    assertEquals(List.of(), r.problems());
  }

  @Test
  void givenRecord_whenDefaultIdComputed_thenRecordWithoutDotAndUtcMinute() throws Exception {
    StagingRebuildRequest r = parse(valid().toArray(String[]::new));
    String id = Procedures.STAGING_REBUILD.defaultWorkflowIdOf(r);
    assertTrue(id.matches("staging-rebuild/db\\.staging\\.internal/\\d{8}-\\d{4}"), id);
  }

  @Test
  void givenMissingMaskingFile_whenParsed_thenRefusedNamingTheFlag() {
    CliException e =
        assertThrows(
            CliException.class,
            () ->
                parse(
                    "--masking-sql",
                    dir.resolve("nope.sql").toString(),
                    "--verify-sql",
                    "SELECT 0"));
    assertEquals(ExitCodes.INVALID_INPUT, e.exitCode());
    assertTrue(e.getMessage().startsWith("--masking-sql: no such file: "), e.getMessage());
  }

  @Test
  void givenScriptAndInlineMasking_whenParsed_thenRefusedNamingBoth() throws Exception {
    Path masking = Files.writeString(dir.resolve("m.sql"), "UPDATE t SET a = 1;\n");
    CliException e =
        assertThrows(
            CliException.class,
            () ->
                parse(
                    "--masking-sql",
                    masking.toString(),
                    "--masking-statement",
                    "UPDATE t SET a = 2",
                    "--verify-sql",
                    "SELECT 0"));
    assertTrue(e.getMessage().startsWith("--masking-sql / --masking-statement:"), e.getMessage());
  }

  @Test
  void givenSameAccountBothSidesWithoutSameAccountFlag_whenValidated_thenTargetAccountNamed()
      throws Exception {
    List<String> args = valid();
    args.set(args.indexOf("210987654321"), "123456789012");
    args.set(args.indexOf(ROLE), "arn:aws:iam::123456789012:role/dbops-staging");
    StagingRebuildRequest r = parse(args.toArray(String[]::new));
    assertTrue(
        r.problems().stream()
            .anyMatch(p -> p.startsWith("target.accountId: same as source.accountId")),
        r.problems().toString());
  }
}
