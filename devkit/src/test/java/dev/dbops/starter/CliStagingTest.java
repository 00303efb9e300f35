package dev.dbops.starter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dbops.sandbox.CallLog;
import dev.dbops.sandbox.RdsSandbox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code plan} / {@code start staging-rebuild} through the CLI, in process, against the sandbox's
 * staging demo (seeded as dev mode seeds it): a production cluster bound to a real MariaDB holding
 * made-up PII, a staging account with a role, a private zone, a CNAME and a dbops-owned old
 * cluster. Bad input exits 2 naming the field and the sandbox sees no change at all.
 */
@DevStackTest
@Tag("mariadb")
class CliStagingTest {
  /** Every call that changes something in either account. */
  static final Set<String> MUTATING =
      Set.of(
          "CreateDBClusterSnapshot",
          "CopyDBClusterSnapshot",
          "ModifyDBClusterSnapshotAttribute",
          "DeleteDBClusterSnapshot",
          "RestoreDBClusterFromSnapshot",
          "CreateDBInstance",
          "ModifyDBCluster",
          "DeleteDBInstance",
          "DeleteDBCluster",
          "AddTagsToResource",
          "RemoveTagsFromResource",
          "ChangeResourceRecordSets");

  static final Pattern STARTED = Pattern.compile("started staging-rebuild (\\S+) \\(run");

  @TempDir static Path stateDir;
  static StagingDemo.Demo demo;
  static dev.dbops.sandbox.StagingDemo.Seeded seeded;

  @BeforeAll
  static void seed() {
    demo = StagingDemo.seed(DevStack.sandbox(), stateDir);
    seeded = demo.seeded();
  }

  @AfterAll
  static void deleteFiles() {
    if (demo != null) demo.close();
  }

  /**
   * {@code first} (e.g. {@code start staging-rebuild}), the demo's arguments with a short grace,
   * then {@code more}.
   */
  private static List<String> args(String first, String... more) {
    List<String> all = new ArrayList<>(List.of(first.split(" ")));
    all.addAll(demo.startArgs("3s", "1s"));
    all.addAll(List.of("--requested-by", "bob"));
    all.addAll(List.of(more));
    return all;
  }

  /** Replaces the value of {@code flag} in {@code args}. */
  private static List<String> with(List<String> args, String flag, String value) {
    List<String> out = new ArrayList<>(args);
    out.set(out.indexOf(flag) + 1, value);
    return out;
  }

  private static Cli.Result cli(List<String> args) {
    return DevStack.cli(args.toArray(String[]::new));
  }

  private static Cli.Result expect(int exit, Cli.Result r) {
    assertEquals(exit, r.exit(), r.toString());
    return r;
  }

  private static long lastCall() {
    List<CallLog.Call> all = DevStack.sandbox().calls().all();
    return all.isEmpty() ? 0 : all.get(all.size() - 1).seq();
  }

  private static List<CallLog.Call> changesSince(long seq) {
    return DevStack.sandbox().calls().all().stream()
        .filter(c -> c.seq() > seq && MUTATING.contains(c.operation()))
        .toList();
  }

  private static void assertInvalid(Cli.Result r, long before, String... mentions) {
    assertEquals(ExitCodes.INVALID_INPUT, r.exit(), r.toString());
    for (String m : mentions) {
      assertTrue(r.err().contains(m), "stderr should mention '" + m + "':\n" + r);
    }
    assertEquals(List.of(), changesSince(before), "the sandbox saw changes");
  }

  @Test
  void
      givenDemoAccounts_whenPlannedThenStartedWithShortGrace_thenMaskedCopyBehindCnameOldClusterAndSnapshotsGone()
          throws Exception {
    Map<String, String> sourceRows =
        rows(seeded.sourceJdbcUrl(), seeded.masterUsername(), seeded.masterPassword());
    Map<String, Long> sourceCounts =
        counts(seeded.sourceJdbcUrl(), seeded.masterUsername(), seeded.masterPassword());
    Map<String, String> sourceChecksums = checksums();
    assertEquals((long) seeded.users(), sourceCounts.get("users"));

    long beforePlan = lastCall();
    Cli.Result plan = expect(0, cli(args("plan staging-rebuild")));
    assertTrue(plan.out().contains("dry run; nothing was changed"), plan.toString());
    for (String call :
        List.of(
            "CreateDBClusterSnapshot",
            "CopyDBClusterSnapshot",
            "ModifyDBClusterSnapshotAttribute",
            "RestoreDBClusterFromSnapshot",
            "ChangeResourceRecordSets UPSERT " + seeded.recordName(),
            "DeleteDBCluster " + seeded.stagingClusterId())) {
      assertTrue(plan.out().contains(call), call + " in\n" + plan);
    }
    assertEquals(List.of(), changesSince(beforePlan), "the plan changed something");

    Cli.Result start = expect(0, cli(args("start staging-rebuild", "--wait")));
    Matcher m = STARTED.matcher(start.out());
    assertTrue(m.find(), start.toString());
    String id = m.group(1);
    assertTrue(id.matches("staging-rebuild/db\\.staging\\.internal/\\d{8}-\\d{4}"), id);
    assertTrue(start.out().contains("COMPLETED " + id), start.toString());
    assertTrue(
        start.out().contains("[RESTORING]") && start.out().contains("[GRACE]"),
        "narrated:\n" + start);

    JsonNode result = Render.MAPPER.readTree(expect(0, DevStack.cli("result", id, "--json")).out());
    assertEquals("COMPLETED", result.path("outcome").asText(), result.toString());
    assertEquals("RETIRED", result.path("retirement").asText(), result.toString());
    assertEquals(seeded.stagingClusterId(), result.path("oldClusterId").asText());
    assertEquals(seeded.recordValue(), result.path("previousCname").asText());
    String fresh = result.path("newClusterId").asText();
    RdsSandbox rds = DevStack.sandbox().rds();
    RdsSandbox.ClusterView cluster = rds.cluster(seeded.stagingAccount(), fresh);
    assertEquals("available", cluster.status());
    assertEquals(id, cluster.tags().get("dbops:owner"));

    // Masked: not one email, phone or name of production is left, and every table kept its rows.
    String url =
        "jdbc:mysql://" + cluster.endpoint() + ":" + cluster.port() + "/app?sslMode=DISABLED";
    String password = Files.readString(demo.passwordFile()).strip();
    Map<String, String> maskedRows = rows(url, seeded.masterUsername(), password);
    assertEquals(sourceRows.keySet(), maskedRows.keySet());
    Set<String> leaked = new HashSet<>();
    Set<String> original = new HashSet<>();
    for (String row : sourceRows.values()) original.addAll(List.of(row.split("\\|")));
    for (String row : maskedRows.values()) {
      for (String value : row.split("\\|")) {
        if (original.contains(value)) leaked.add(value);
      }
    }
    assertEquals(Set.of(), leaked, "production values on the staging copy");
    assertEquals(sourceCounts, counts(url, seeded.masterUsername(), password));
    assertTrue(
        result.path("mask").path("verification").size() == StagingDemo.VERIFY_QUERIES.size(),
        result.toString());

    // Production untouched; staging repointed; the old cluster and the run's snapshots gone.
    assertEquals(sourceChecksums, checksums());
    assertEquals(
        sourceRows, rows(seeded.sourceJdbcUrl(), seeded.masterUsername(), seeded.masterPassword()));
    assertEquals(
        cluster.endpoint(),
        DevStack.sandbox()
            .route53()
            .recordValue(seeded.hostedZoneId(), seeded.recordName(), "CNAME")
            .orElseThrow());
    assertEquals(cluster.endpoint(), result.path("newEndpoint").asText());
    assertFalse(
        rds.clusterExists(seeded.stagingAccount(), seeded.stagingClusterId()),
        "old cluster still there");
    for (String snapshot :
        List.of(result.path("snapshotId").asText(), result.path("sharedSnapshotId").asText())) {
      assertTrue(rds.snapshot(seeded.prodAccount(), snapshot).isEmpty(), snapshot + " not deleted");
    }
    assertTrue(
        result.path("sharedSnapshotId").asText().endsWith("-cmk"),
        "copied with the customer key: " + result);
  }

  @Test
  void givenSameAccountAsSourceAndTarget_whenStart_thenExit2NamingTargetAccount() {
    long before = lastCall();
    List<String> args =
        with(
            with(args("start staging-rebuild"), "--target-account", seeded.prodAccount()),
            "--target-role-arn",
            "arn:aws:iam::" + seeded.prodAccount() + ":role/dbops-staging");
    assertInvalid(
        cli(args), before, "--target-account: same as --source-account", "nothing was started");
  }

  @Test
  void givenUnknownZone_whenStart_thenExit2NamingHostedZoneId() {
    long before = lastCall();
    Cli.Result r = cli(with(args("start staging-rebuild"), "--zone-id", "ZNOSUCHZONE000"));
    assertInvalid(
        r, before, "--zone-id: 'ZNOSUCHZONE000' not found in account " + seeded.stagingAccount());
  }

  @Test
  void
      givenAnInstanceClassNotOfferedForTheSourcesVersion_whenStart_thenExit2NamingTheFlagBeforeAnyChange() {
    long before = lastCall();
    Cli.Result r = cli(with(args("start staging-rebuild"), "--instance-class", "db.t2.small"));
    assertInvalid(
        r,
        before,
        "--instance-class: 'db.t2.small' is not offered for aurora-mysql "
            + DevStack.sandbox().rds().cluster(seeded.sourceClusterId()).engineVersion(),
        "db.r5.large");
  }

  @Test
  void givenRecordNotInZone_whenStart_thenExit2NamingRecordName() {
    long before = lastCall();
    Cli.Result elsewhere =
        cli(with(args("start staging-rebuild"), "--record-name", "db.other.internal."));
    assertInvalid(
        elsewhere,
        before,
        "--record-name: 'db.other.internal.' is not in zone " + seeded.zoneName());
    Cli.Result absent =
        cli(with(args("start staging-rebuild"), "--record-name", "nope.staging.internal."));
    assertInvalid(
        absent,
        before,
        "--record-name: no record 'nope.staging.internal.' in zone " + seeded.zoneName());
  }

  @Test
  void givenMissingMaskingFile_whenStart_thenExit2NamingTheFlag() {
    long before = lastCall();
    Path missing = stateDir.resolve("no-such-masking.sql");
    Cli.Result r = cli(with(args("start staging-rebuild"), "--masking-sql", missing.toString()));
    assertInvalid(
        r, before, "--masking-sql: no such file: " + missing.toAbsolutePath().normalize());
  }

  /**
   * Check SQL and masking SQL that is not what it claims: exit 2 naming the flag, no AWS change.
   */
  @Test
  void givenSqlFlagsThatAreNotWhatTheyClaim_whenStartOrPlan_thenExit2NamingTheFlagAndNoChange(
      @TempDir Path dir) throws Exception {
    Path unterminated = dir.resolve("mask.sql");
    Files.writeString(
        unterminated, "UPDATE app.users SET email = 'x@example.invalid;\n/* the rest");
    String[][] rows = {
      {
        "--verify-sql",
        "SELECT 1; DROP TABLE app.users",
        "--verify-sql (1 of 3): more than one statement"
      },
      {"--verify-sql", "DROP TABLE app.users", "--verify-sql (1 of 3): must be a read"},
      {
        "--verify-sql",
        "SELECT * FROM app.users INTO OUTFILE '/tmp/users.csv'",
        "'INTO' locks, writes or exports"
      },
      {"--verify-sql", "SELECT COUNT(*) FROM app.users FOR UPDATE", "'FOR UPDATE' locks rows"},
      {"--verify-sql", "SELECT SLEEP(3600)", "SLEEP() acts beyond reading"},
      {"--verify-sql", "SELECT 1 /*!50000 ; DELETE FROM app.users */", "comment the server runs"},
      {"--verify-sql", "SELECT 'a\\\\'; DELETE FROM app.users", "more than one statement"},
      {"--verify-sql", "SELECT 'a\\'; DELETE FROM app.users", "unterminated string (')"},
      {
        "--masking-sql",
        unterminated.toString(),
        "--masking-sql: " + unterminated + ": unterminated string"
      }
    };
    for (String[] row : rows) {
      for (String command : List.of("start staging-rebuild", "plan staging-rebuild")) {
        long before = lastCall();
        Cli.Result r = cli(with(args(command), row[0], row[1]));
        assertInvalid(r, before, row[2]);
      }
    }
    long before = lastCall();
    List<String> inline = new ArrayList<>(args("start staging-rebuild"));
    int at = inline.indexOf("--masking-sql");
    inline.set(at, "--masking-statement");
    inline.set(at + 1, "UPDATE app.users SET email = 'user@example.invalid");
    assertInvalid(
        cli(inline),
        before,
        "--masking-statement (1 of 1): unterminated string (') starting at line 1");
  }

  /**
   * The issue's run: a no-op mask and a verification whose first row is 0. It completed and put 300
   * unmasked emails behind the staging CNAME; now the verification fails saying it answered two
   * rows, and the CNAME is never changed.
   */
  @Test
  void
      givenANoOpMaskAndAVerificationOfTwoRows_whenStarted_thenTheRunFailsBeforeTheCnameSayingWhatCameBack() {
    List<String> all =
        new ArrayList<>(
            args("start staging-rebuild", "--wait", "--id", "staging-rebuild/union-check"));
    int at = all.indexOf("--masking-sql");
    all.set(at, "--masking-statement");
    all.set(at + 1, "UPDATE app.users SET email = email");
    while (all.contains("--verify-sql")) {
      int v = all.indexOf("--verify-sql");
      all.remove(v + 1);
      all.remove(v);
    }
    all.addAll(
        List.of(
            "--verify-sql",
            "SELECT 0 UNION ALL SELECT COUNT(*) FROM app.users WHERE email NOT LIKE 'user%@example.invalid'"));
    long before = lastCall();

    Cli.Result r = cli(all);

    assertEquals(ExitCodes.FAILED, r.exit(), r.toString());
    assertTrue(
        r.toString().contains("returned 2 row(s) x 1 column(s) (0): [0], [" + seeded.users() + "]"),
        r.toString());
    assertTrue(
        changesSince(before).stream()
            .noneMatch(c -> c.operation().equals("ChangeResourceRecordSets")),
        "the CNAME was changed: " + changesSince(before));
    assertTrue(
        changesSince(before).stream()
            .anyMatch(c -> c.operation().equals("RestoreDBClusterFromSnapshot")),
        "the run never got to masking: " + r);
  }

  @Test
  void givenJsonInput_whenPlanned_thenReadLikeTheUiAndPlanned(@TempDir Path dir) throws Exception {
    Path input = dir.resolve("staging.json");
    Files.writeString(
        input,
        "{\"source\": {\"accountId\": \""
            + seeded.prodAccount()
            + "\"},"
            + " \"sourceClusterId\": \""
            + seeded.sourceClusterId()
            + "\","
            + " \"target\": {\"accountId\": \""
            + seeded.stagingAccount()
            + "\", \"roleArn\": \""
            + seeded.stagingRoleArn()
            + "\"},"
            + " \"kmsKeyId\": \""
            + seeded.customerKeyArn()
            + "\", \"instanceClass\": \"db.r6g.large\","
            + " \"masterPasswordRef\": \"file:"
            + demo.passwordFile()
            + "\","
            + " \"masking\": {\"statements\": [\"UPDATE app.users SET phone = '0'\"],"
            + " \"verifyQueries\": [\"SELECT COUNT(*) FROM app.users WHERE phone <> '0'\"]},"
            + " \"dns\": {\"hostedZoneId\": \""
            + seeded.hostedZoneId()
            + "\", \"recordName\": \""
            + seeded.recordName()
            + "\"},"
            + " \"retire\": {\"mode\": \"KEEP\"}}");
    long before = lastCall();
    JsonNode result =
        Render.MAPPER.readTree(
            expect(
                    0,
                    DevStack.cli("plan", "staging-rebuild", "--input", input.toString(), "--json"))
                .out());
    assertEquals("PLANNED", result.path("outcome").asText(), result.toString());
    assertTrue(
        result
            .path("timeline")
            .get(0)
            .path("detail")
            .asText()
            .contains(ProcedureCommand.currentUser()),
        result.toString());
    assertEquals(List.of(), changesSince(before), "the plan changed something");
  }

  /** {@code app.users} by id: {@code email|name|phone}. */
  private static Map<String, String> rows(String url, String user, String password)
      throws SQLException {
    Map<String, String> out = new LinkedHashMap<>();
    try (Connection c = DriverManager.getConnection(url, user, password);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT id, email, name, phone FROM app.users ORDER BY id")) {
      while (rs.next())
        out.put(rs.getString(1), rs.getString(2) + "|" + rs.getString(3) + "|" + rs.getString(4));
    }
    return out;
  }

  /** Row count of every table of schema {@code app}. */
  private static Map<String, Long> counts(String url, String user, String password)
      throws SQLException {
    Map<String, Long> out = new LinkedHashMap<>();
    try (Connection c = DriverManager.getConnection(url, user, password);
        Statement s = c.createStatement()) {
      List<String> tables = new ArrayList<>();
      try (ResultSet rs =
          s.executeQuery(
              "SELECT table_name FROM information_schema.tables"
                  + " WHERE table_schema = 'app' ORDER BY table_name")) {
        while (rs.next()) tables.add(rs.getString(1));
      }
      for (String t : tables) {
        try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM app.`" + t + "`")) {
          rs.next();
          out.put(t, rs.getLong(1));
        }
      }
    }
    assertFalse(out.isEmpty(), "no tables in app on " + url);
    return out;
  }

  /** {@code CHECKSUM TABLE} of every table of the source's {@code app}. */
  private static Map<String, String> checksums() throws SQLException {
    Map<String, String> out = new LinkedHashMap<>();
    try (Connection c =
            DriverManager.getConnection(
                seeded.sourceJdbcUrl(), seeded.masterUsername(), seeded.masterPassword());
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("CHECKSUM TABLE app.users, app.orders EXTENDED")) {
      while (rs.next()) out.put(rs.getString(1), rs.getString(2));
    }
    return out;
  }
}
