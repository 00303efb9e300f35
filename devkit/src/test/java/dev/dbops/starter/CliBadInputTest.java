package dev.dbops.starter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dbops.sandbox.ClusterSeed;
import dev.dbops.workflows.common.Bounds;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Input the CLI or the run refuses: exit 2, a message naming the field and why, and the sandbox saw
 * no RestoreObject (restores) or no snapshot / modification (upgrades).
 */
@DevStackTest
class CliBadInputTest {
  static final String BUCKET = "bad-input-bucket";
  static final String TARGET_57 = "5.7.mysql_aurora.2.11.2";

  /**
   * Aurora MySQL 5.6 with default parameter groups: every upgrade input but the one under test is
   * fine.
   */
  static final String ON_56 = "bad-input-56";

  static final String ON_57 = "bad-input-57";
  static final String CUSTOM_GROUP = "bad-input-custom-56";

  /** Aurora 5.6 on db.t2.small, a class Aurora MySQL 5.7 does not offer. */
  static final String ON_T2 = "bad-input-t2";

  /** An Aurora MySQL 5.7 cluster with a manual snapshot, to roll back from. */
  static final String SNAPSHOTTED_57 = "bad-input-57-snapshotted";

  static final String SNAPSHOT_57 = "bad-input-57-manual";

  @BeforeAll
  static void seed() {
    var s3 = DevStack.sandbox().s3();
    s3.createBucket(BUCKET);
    s3.putObject(BUCKET, "glacier/a.csv", "a,b\n1,2\n".getBytes(), "GLACIER");
    s3.putObject(BUCKET, "deep/2019.tar", "old backup".getBytes(), "DEEP_ARCHIVE");
    var rds = DevStack.sandbox().rds();
    rds.createCluster(ClusterSeed.aurora56(ON_56).withEngine("aurora", "5.6.mysql_aurora.1.22.2"));
    rds.createCluster(ClusterSeed.aurora56(ON_57).withEngine("aurora-mysql", TARGET_57));
    rds.createCluster(
        ClusterSeed.aurora56(CUSTOM_GROUP)
            .withEngine("aurora", "5.6.mysql_aurora.1.22.2")
            .withParameterGroups("bad-input-aurora56-tuned", null));
    rds.createCluster(
        ClusterSeed.aurora56(ON_T2)
            .withEngine("aurora", "5.6.mysql_aurora.1.22.2")
            .withInstanceClass("db.t2.small"));
    rds.createCluster(ClusterSeed.auroraMysql57(SNAPSHOTTED_57));
    DevStack.snapshot(SNAPSHOTTED_57, SNAPSHOT_57);
  }

  /**
   * {@code start upgrade} of {@code cluster} to {@code target}, otherwise valid, plus {@code more}.
   */
  private static Cli.Result startUpgrade(
      String cluster, String target, String passwordRef, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "start",
                "upgrade",
                "--cluster",
                cluster,
                "--target-version",
                target,
                "--db-user",
                "dbops",
                "--db-password-ref",
                passwordRef,
                "--waive-approval",
                "--poll-interval",
                "1s"));
    args.addAll(List.of(more));
    return DevStack.cli(args.toArray(String[]::new));
  }

  private static Cli.Result startUpgrade(String cluster, String target) {
    return startUpgrade(cluster, target, "env:DBOPS_TEST_UNUSED");
  }

  private static void assertNoRdsChange(String cluster) {
    assertEquals(List.of(), DevStack.rdsChanges(cluster), "snapshot / modify calls on " + cluster);
  }

  private static void assertInvalid(Cli.Result r, String... mentions) {
    assertEquals(ExitCodes.INVALID_INPUT, r.exit(), r.toString());
    for (String m : mentions) {
      assertTrue(r.err().contains(m), "stderr should mention '" + m + "':\n" + r);
    }
  }

  private static void assertNoRestoreRequested(String bucket) {
    assertEquals(0, DevStack.restoreCalls(bucket).size(), "RestoreObject calls on " + bucket);
  }

  @Test
  void givenUnknownBucket_whenStart_thenExit2NamingTheBucket() {
    Cli.Result r =
        DevStack.cli(
            "start",
            "glacier-restore",
            "--bucket",
            "no-such-bucket",
            "--prefix",
            "glacier/",
            "--tier",
            "STANDARD");
    assertInvalid(r, "bucket: not found");
    assertInvalid(r, "no-such-bucket");
    assertNoRestoreRequested("no-such-bucket");
  }

  @Test
  void givenPrefixMatchingNothing_whenStart_thenExit2SayingNothingMatches() {
    Cli.Result r =
        DevStack.cli(
            "start",
            "glacier-restore",
            "--bucket",
            BUCKET,
            "--prefix",
            "nothing-here/",
            "--tier",
            "STANDARD");
    assertInvalid(r, "prefix", "nothing-here/");
    assertNoRestoreRequested(BUCKET);
  }

  @Test
  void givenDeepArchiveExpeditedWithoutFallback_whenStart_thenExit2ExplainingTheTier() {
    Cli.Result r =
        DevStack.cli(
            "start",
            "glacier-restore",
            "--bucket",
            BUCKET,
            "--prefix",
            "deep/",
            "--tier",
            "expedited",
            "--no-tier-fallback");
    assertInvalid(r, "EXPEDITED");
    assertTrue(r.err().toLowerCase().contains("deep archive"), r.toString());
    assertNoRestoreRequested(BUCKET);
  }

  @Test
  void givenApprovalRequiredWithoutApprovers_whenStart_thenExit2BeforeContactingServer() {
    Cli.Result r =
        DevStack.cli(
            "start",
            "glacier-restore",
            "--bucket",
            BUCKET,
            "--prefix",
            "glacier/",
            "--tier",
            "STANDARD",
            "--require-approval",
            "--id",
            "never-started");
    assertInvalid(r, "--approver: an approval may be needed", "nothing was started");
    Cli.Result status = DevStack.cli("status", "never-started");
    assertInvalid(status, "no run with id 'never-started'");
    assertNoRestoreRequested(BUCKET);
  }

  @Test
  void givenJsonWithUnknownField_whenStart_thenExit2NamingTheField(@TempDir Path dir)
      throws Exception {
    Path input = dir.resolve("restore.json");
    Files.writeString(
        input,
        "{\"bucket\": \""
            + BUCKET
            + "\", \"prefix\": \"glacier/\","
            + " \"tier\": \"STANDARD\", \"teir\": \"BULK\"}");
    assertInvalid(DevStack.cli("start", "glacier-restore", "--input", input.toString()), "teir");

    Files.writeString(
        input,
        "{\"bucket\": \"" + BUCKET + "\", \"prefix\": \"glacier/\"," + " \"tier\": \"FAST\"}");
    assertInvalid(DevStack.cli("start", "glacier-restore", "--input", input.toString()), "tier");
    assertNoRestoreRequested(BUCKET);
  }

  @Test
  void givenInputFileAndFlags_whenStart_thenExit2() throws Exception {
    assertInvalid(
        DevStack.cli("start", "glacier-restore", "--input", "restore.json", "--bucket", BUCKET),
        "--input",
        "--bucket");
  }

  @Test
  void givenUnknownTierFlag_whenStart_thenExit2ListingTheTiers() {
    Cli.Result r =
        DevStack.cli(
            "start",
            "glacier-restore",
            "--bucket",
            BUCKET,
            "--prefix",
            "glacier/",
            "--tier",
            "FAST");
    assertInvalid(r, "--tier", "EXPEDITED, STANDARD, BULK");
  }

  @Test
  void givenDownloadAndCopy_whenStart_thenExit2NamingDelivery() {
    assertInvalid(
        DevStack.cli(
            "start",
            "glacier-restore",
            "--bucket",
            BUCKET,
            "--prefix",
            "glacier/",
            "--tier",
            "STANDARD",
            "--download-dir",
            "out",
            "--copy-prefix",
            "restored/"),
        "delivery");
  }

  @Test
  void
      givenDownloadDirThatIsARegularFile_whenStart_thenExit2NamingDownloadDirAndNothingRestoredOrWritten(
          @TempDir Path tmp) throws Exception {
    Path file = Files.writeString(tmp.resolve("downloads"), "not a directory");

    Cli.Result r =
        DevStack.cli(
            "start",
            "glacier-restore",
            "--bucket",
            BUCKET,
            "--prefix",
            "glacier/",
            "--tier",
            "STANDARD",
            "--download-dir",
            file.toString(),
            "--id",
            "bad-input/dir-is-a-file");

    assertInvalid(r, "--download-dir", file + " exists and is a regular file");
    assertNoRestoreRequested(BUCKET);
    assertEquals("not a directory", Files.readString(file));
    try (var all = Files.walk(tmp)) {
      assertEquals(List.of(file), all.filter(p -> !p.equals(tmp)).toList(), "nothing else written");
    }
  }

  @Test
  void givenExplicitKeysSharingAFile_whenStartWithDownloadDir_thenExit2NamingTheKeyBeforeStarting(
      @TempDir Path tmp) throws Exception {
    Cli.Result r =
        DevStack.cli(
            "start",
            "glacier-restore",
            "--bucket",
            BUCKET,
            "--key",
            "glacier/a.csv",
            "--key",
            "glacier//a.csv",
            "--tier",
            "STANDARD",
            "--download-dir",
            tmp.toString(),
            "--id",
            "bad-input/dup-keys");

    assertInvalid(
        r,
        "--key: 'glacier//a.csv' cannot be a file of its own under --download-dir",
        "nothing was started");
    assertNoRestoreRequested(BUCKET);
    try (var all = Files.list(tmp)) {
      assertEquals(0, all.count(), "nothing written");
    }
  }

  @Test
  void givenDownloadDirThatIsASymlink_whenStart_thenExit2NamingDownloadDirAndNothingWrittenThere(
      @TempDir Path tmp) throws Exception {
    Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));
    Path link = Files.createSymbolicLink(tmp.resolve("downloads"), elsewhere);

    Cli.Result r =
        DevStack.cli(
            "start",
            "glacier-restore",
            "--bucket",
            BUCKET,
            "--prefix",
            "glacier/",
            "--tier",
            "STANDARD",
            "--download-dir",
            link.toString(),
            "--id",
            "bad-input/dir-is-a-link");

    assertInvalid(r, "--download-dir", link + " is a symbolic link");
    assertNoRestoreRequested(BUCKET);
    try (var inside = Files.list(elsewhere)) {
      assertEquals(0, inside.count(), "nothing written through the link");
    }
  }

  @Test
  void givenUnknownCluster_whenStartUpgrade_thenExit2NamingTheCluster() {
    Cli.Result r = startUpgrade("no-such-cluster", TARGET_57);
    assertInvalid(r, "--cluster: 'no-such-cluster' not found");
    assertNoRdsChange("no-such-cluster");
  }

  @Test
  void givenTargetThatIsNoUpgradeTarget_whenStartUpgrade_thenExit2ListingTheValidOnes() {
    Cli.Result r = startUpgrade(ON_56, "8.0.mysql_aurora.3.04.0");
    assertInvalid(
        r,
        "--target-version: '8.0.mysql_aurora.3.04.0' is not a major-version upgrade target",
        TARGET_57);
    assertNoRdsChange(ON_56);
  }

  @Test
  void givenClusterAlreadyOn57_whenStartUpgradeTo57_thenExit2SayingItRunsThatVersion() {
    Cli.Result r = startUpgrade(ON_57, TARGET_57);
    assertInvalid(r, "--target-version: '" + ON_57 + "' already runs " + TARGET_57);
    assertNoRdsChange(ON_57);
  }

  @Test
  void givenCustom56GroupAndNo57Group_whenStartUpgrade_thenExit2NamingTheGroup() {
    Cli.Result r = startUpgrade(CUSTOM_GROUP, TARGET_57);
    assertInvalid(
        r,
        "--cluster-parameter-group: the cluster uses the custom group 'bad-input-aurora56-tuned'",
        "aurora-mysql5.7");
    assertNoRdsChange(CUSTOM_GROUP);
  }

  @Test
  void givenLiteralPassword_whenStartUpgrade_thenExit2WithoutEchoingIt() {
    Cli.Result r =
        startUpgrade(ON_56, TARGET_57, "hunter2-Secret", "--id", "never-started-upgrade");
    assertInvalid(r, "--db-password-ref", "never the password itself", "nothing was started");
    assertTrue(
        !r.err().contains("hunter2") && !r.out().contains("hunter2"), "password echoed:\n" + r);
    assertInvalid(DevStack.cli("status", "never-started-upgrade"), "no run with id");
    assertNoRdsChange(ON_56);
  }

  /**
   * Smoke SQL must be one read-only statement: start and plan refuse anything else naming the flag.
   */
  @Test
  void givenSmokeSqlThatWrites_whenStartOrPlanUpgrade_thenExit2NamingTheFlagAndNoRdsChange() {
    for (String[] row :
        new String[][] {
          {
            "CREATE DATABASE x",
            "--smoke-sql (1 of 1): must be a read: a SELECT, SHOW, TABLE, VALUES or WITH … SELECT, not CREATE"
          },
          {"DROP TABLE app.orders", "not DROP"},
          {"SELECT 1; DROP TABLE app.orders", "more than one statement"},
          {"SELECT * FROM app.orders LOCK IN SHARE MODE", "'LOCK' locks, writes or exports"},
          {"WITH x AS (SELECT 1) DELETE FROM app.orders", "not DELETE (after WITH)"}
        }) {
      assertInvalid(
          startUpgrade(
              ON_56,
              TARGET_57,
              "env:DBOPS_TEST_UNUSED",
              "--smoke-sql",
              "SELECT 1",
              "--smoke-sql",
              row[0]),
          "--smoke-sql (2 of 2)",
          row[1].replace("(1 of 1)", "(2 of 2)"));
      List<String> plan =
          new ArrayList<>(
              List.of(
                  "plan",
                  "upgrade",
                  "--cluster",
                  ON_56,
                  "--target-version",
                  TARGET_57,
                  "--db-user",
                  "dbops",
                  "--db-password-ref",
                  "env:DBOPS_TEST_UNUSED",
                  "--waive-approval",
                  "--smoke-sql",
                  row[0]));
      assertInvalid(DevStack.cli(plan.toArray(String[]::new)), "--smoke-sql (1 of 1)", row[1]);
    }
    assertNoRdsChange(ON_56);
  }

  /** The same rule through JSON (the Temporal UI's document): exit 2 naming the field. */
  @Test
  void givenJsonSmokeSqlThatWrites_whenPlanUpgrade_thenExit2NamingTheField(@TempDir Path dir)
      throws Exception {
    Path input = dir.resolve("upgrade.json");
    Files.writeString(
        input,
        "{\"clusterId\": \""
            + ON_56
            + "\", \"targetEngineVersion\": \""
            + TARGET_57
            + "\","
            + " \"login\": {\"user\": \"dbops\", \"passwordRef\": \"env:X\"}, \"requestedBy\": \"bob\","
            + " \"waiveApproval\": true, \"smokeSql\": [\"DROP TABLE app.orders\"]}");
    assertInvalid(
        DevStack.cli("plan", "upgrade", "--input", input.toString()),
        "smokeSql: statement 1: must be a read",
        "not DROP");
    assertNoRdsChange(ON_56);
  }

  @Test
  void givenRollbackWithoutInstances_whenStart_thenExit2NamingInstances() {
    Cli.Result r =
        DevStack.cli(
            "start",
            "upgrade-rollback",
            "--snapshot",
            "dbops-pre-upgrade-x",
            "--new-cluster",
            "bad-input-back",
            "--instances",
            "0");
    assertInvalid(r, "instances: must be 1..15", "nothing was started");
    assertNoRdsChange("bad-input-back");
  }

  /** A glacier-restore start that is valid but for {@code more}. */
  static String[] restore(String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "start",
                "glacier-restore",
                "--bucket",
                BUCKET,
                "--prefix",
                "glacier/",
                "--tier",
                "STANDARD",
                "--id",
                "bounded-never-started"));
    args.addAll(List.of(more));
    return args.toArray(String[]::new);
  }

  /** The same, with an approval asked for. */
  static String[] gated(String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(restore("--require-approval", "--approver", "alice", "--requested-by", "bob")));
    args.addAll(List.of(more));
    return args.toArray(String[]::new);
  }

  /**
   * A glacier-restore request as JSON: valid but for {@code fields} (appended, so a key can
   * repeat).
   */
  static String restoreJson(String fields) {
    return "{\"bucket\": \""
        + BUCKET
        + "\", \"prefix\": \"glacier/\", \"tier\": \"STANDARD\","
        + " \"requestedBy\": \"bob\""
        + (fields.isEmpty() ? "" : ", " + fields)
        + "}";
  }

  static final String INPUT = "@input";

  /** In a row's args: the test's watched directory. */
  static final String DIR = "@dir";

  /**
   * A glacier-restore start refused by the run itself (it reads the worker's file system): an id of
   * its own.
   */
  static String[] checkedByTheRun(String id, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "start",
                "glacier-restore",
                "--bucket",
                BUCKET,
                "--prefix",
                "glacier/",
                "--tier",
                "STANDARD",
                "--id",
                id));
    args.addAll(List.of(more));
    return args.toArray(String[]::new);
  }

  /** An upgrade start that is valid but for {@code more}. */
  static String[] upgrade(String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "start",
                "upgrade",
                "--cluster",
                ON_56,
                "--target-version",
                TARGET_57,
                "--db-user",
                "dbops",
                "--db-password-ref",
                "env:DBOPS_TEST_UNUSED",
                "--waive-approval"));
    args.addAll(List.of(more));
    return args.toArray(String[]::new);
  }

  /**
   * Numbers, durations and JSON no procedure can mean (issue 14, classes 3 and 5): each row is
   * refused with exit 2 and a message naming the flag or field, and the sandbox saw no call that
   * changes anything. {@value #INPUT} in the args stands for a file holding the row's JSON.
   */
  static Stream<Arguments> boundedRows() {
    String big = "x".repeat(Bounds.MAX_REQUEST_BYTES);
    return Stream.of(
        Arguments.of(
            "approval timeout of 999999999 days",
            gated("--approval-timeout", "999999999d"),
            null,
            List.of("--approval-timeout", "999999999d", "366d")),
        Arguments.of(
            "approval timeout past its bound",
            gated("--approval-timeout", "31d"),
            null,
            List.of("--approval-timeout: must be 1s..30d, was 31d")),
        Arguments.of(
            "reminders more often than their bound",
            gated("--remind-every", "1m", "--approval-timeout", "10m"),
            null,
            List.of("--remind-every: must be 5m..30d, was 1m")),
        Arguments.of(
            "more reminders than one wait may send",
            gated("--remind-every", "5m"),
            null,
            List.of("--remind-every: 5m would remind 288 times within --approval-timeout 1d")),
        Arguments.of(
            "an escalation with nobody to escalate to",
            gated("--escalate-after", "2h"),
            null,
            List.of("--escalate-after: set, but nobody to escalate to; name --escalate-to")),
        Arguments.of(
            "an escalation that would come after the approval timeout",
            gated("--escalate-to", "carol", "--approval-timeout", "2h"),
            null,
            List.of("--escalate-after: 8h (the default) is not before --approval-timeout 2h")),
        Arguments.of(
            "duration overflowing a long",
            restore("--poll-interval", "99999999999999999999d"),
            null,
            List.of("--poll-interval")),
        Arguments.of(
            "ISO duration overflowing",
            restore("--max-wait", "PT9999999999999999H"),
            null,
            List.of("--max-wait")),
        Arguments.of(
            "max wait past its bound",
            restore("--max-wait", "60d"),
            null,
            List.of("--max-wait: must be 1s..30d, was 60d")),
        Arguments.of(
            "poll interval past its bound",
            restore("--poll-interval", "2d"),
            null,
            List.of("--poll-interval: must be 1s..1d, was 2d")),
        Arguments.of(
            "days past 365",
            restore("--days", "100000"),
            null,
            List.of("--days: must be 1..365, was 100000")),
        Arguments.of(
            "days overflowing an int", restore("--days", "99999999999"), null, List.of("--days")),
        Arguments.of(
            "batch size past 1000", restore("--batch-size", "5000"), null, List.of("--batch-size")),
        Arguments.of(
            "threshold not a number",
            gated("--approval-threshold-usd", "NaN"),
            null,
            List.of("--approval-threshold-usd")),
        Arguments.of(
            "threshold infinite",
            gated("--approval-threshold-usd", "Infinity"),
            null,
            List.of("--approval-threshold-usd")),
        Arguments.of(
            "requester name too long",
            restore("--requested-by", "b".repeat(129)),
            null,
            List.of("--requested-by: at most 128 characters, was 129")),
        Arguments.of(
            "flag value of 70 K characters",
            restore("--key", "k".repeat(70_000)),
            null,
            List.of("--key: at most 65536 characters")),
        Arguments.of(
            "upgrade stall threshold past its bound",
            new String[] {
              "start",
              "upgrade",
              "--cluster",
              ON_56,
              "--target-version",
              TARGET_57,
              "--db-user",
              "dbops",
              "--db-password-ref",
              "env:DBOPS_TEST_UNUSED",
              "--waive-approval",
              "--stall-threshold",
              "90d"
            },
            null,
            List.of("--stall-threshold: must be 1s..30d, was 90d")),
        Arguments.of(
            "rollback instances past 15",
            new String[] {
              "start",
              "upgrade-rollback",
              "--snapshot",
              "dbops-pre-upgrade-x",
              "--new-cluster",
              "bad-input-back",
              "--instances",
              "1000"
            },
            null,
            List.of("instances")),
        Arguments.of(
            "JSON duplicate key",
            new String[] {"start", "glacier-restore", "--input", INPUT},
            restoreJson("\"requestedBy\": \"mallory\""),
            List.of("requestedBy")),
        Arguments.of(
            "JSON number as a string",
            new String[] {"start", "glacier-restore", "--input", INPUT},
            restoreJson("\"days\": \"7\""),
            List.of("days")),
        Arguments.of(
            "JSON fraction for a whole number",
            new String[] {"start", "glacier-restore", "--input", INPUT},
            restoreJson("\"days\": 7.9"),
            List.of("days")),
        Arguments.of(
            "JSON enum by index",
            new String[] {"start", "glacier-restore", "--input", INPUT},
            "{\"bucket\": \"" + BUCKET + "\", \"prefix\": \"glacier/\", \"tier\": 1}",
            List.of("tier")),
        Arguments.of(
            "JSON text from a number",
            new String[] {"start", "glacier-restore", "--input", INPUT},
            "{\"bucket\": \""
                + BUCKET
                + "\", \"prefix\": \"glacier/\", \"tier\": \"STANDARD\", \"requestedBy\": 5}",
            List.of("requestedBy")),
        Arguments.of(
            "JSON boolean from a string",
            new String[] {"start", "glacier-restore", "--input", INPUT},
            restoreJson("\"dryRun\": \"false\""),
            List.of("dryRun")),
        Arguments.of(
            "JSON duration past its bound",
            new String[] {"start", "glacier-restore", "--input", INPUT},
            restoreJson(
                "\"requireApproval\": true, \"approval\": {\"approvers\": [\"alice\"],"
                    + " \"timeout\": \"PT23999999976H\"}"),
            List.of("approval.timeout: must be 1s..30d")),
        Arguments.of(
            "JSON negative batch size",
            new String[] {"start", "glacier-restore", "--input", INPUT},
            restoreJson("\"batchSize\": -1"),
            List.of("batchSize")),
        Arguments.of(
            "JSON request over 256 KB",
            new String[] {"start", "glacier-restore", "--input", INPUT},
            restoreJson("\"prefix2\": \"" + big + "\""),
            List.of("--input", "at most 262144")),
        Arguments.of(
            "workflow id with a newline and an escape",
            new String[] {
              "start",
              "glacier-restore",
              "--bucket",
              BUCKET,
              "--prefix",
              "glacier/",
              "--tier",
              "STANDARD",
              "--id",
              "x\n  approved by dave\u001B[2J"
            },
            null,
            List.of("--id: 1..1000 characters, no control", "\\n  approved by dave\\u001B[2J")),
        Arguments.of(
            "approve comment over 2000 characters",
            new String[] {
              "approve", "bounded-never-started", "--by", "alice", "--comment", "c".repeat(2001)
            },
            null,
            List.of("--comment: at most 2000 characters")),
        // Files (class 2): nothing is written in the watched directory or through its link.
        Arguments.of(
            "download dir that is a regular file",
            checkedByTheRun("bounded/dir-is-a-file", "--download-dir", DIR + "/plain-file"),
            null,
            List.of("--download-dir", "is a regular file")),
        Arguments.of(
            "download dir that is a link",
            checkedByTheRun("bounded/dir-is-a-link", "--download-dir", DIR + "/link"),
            null,
            List.of("--download-dir", "is a symbolic link")),
        Arguments.of(
            "keys sharing one file",
            new String[] {
              "start",
              "glacier-restore",
              "--bucket",
              BUCKET,
              "--key",
              "glacier/a.csv",
              "--key",
              "glacier//a.csv",
              "--tier",
              "STANDARD",
              "--download-dir",
              DIR + "/into",
              "--id",
              "bounded-never-started"
            },
            null,
            List.of("'glacier//a.csv' cannot be a file of its own")),
        // Check SQL (class 1) and deadlines (class 7), refused before any snapshot.
        Arguments.of(
            "smoke SQL that writes",
            upgrade("--smoke-sql", "CREATE DATABASE x", "--id", "bounded-never-started"),
            null,
            List.of("--smoke-sql")),
        Arguments.of(
            "smoke SQL hiding a second statement",
            upgrade(
                "--smoke-sql", "SELECT 1; DROP TABLE app.orders", "--id", "bounded-never-started"),
            null,
            List.of("--smoke-sql")),
        Arguments.of(
            "upgrade wait no upgrade can meet",
            upgrade("--max-wait", "1s", "--id", "bounded-never-started"),
            null,
            List.of("--max-wait", "must be 10m..30d, was 1s")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("boundedRows")
  void givenValueOutsideItsBounds_whenGiven_thenExit2NamingItAndNothingChanged(
      String name, String[] args, String json, List<String> mentions, @TempDir Path dir)
      throws Exception {
    long before = mutatingCalls();
    // A directory to watch: a plain file, and a link to a directory beside it ({@value #DIR} in
    // args).
    Path plain = Files.writeString(dir.resolve("plain-file"), "not a directory");
    Path outside = Files.createDirectories(dir.resolve("outside"));
    Files.createSymbolicLink(dir.resolve("link"), outside);
    String[] actual = args.clone();
    if (json != null) {
      Path file = dir.resolve("request.json");
      Files.writeString(file, json);
      for (int i = 0; i < actual.length; i++)
        if (actual[i].equals(INPUT)) actual[i] = file.toString();
    }
    for (int i = 0; i < actual.length; i++) actual[i] = actual[i].replace(DIR, dir.toString());
    List<Path> files;
    try (Stream<Path> all = Files.walk(dir)) {
      files = all.sorted().toList();
    }
    long started = System.nanoTime();
    Cli.Result r = DevStack.cli(actual);
    assertInvalid(r, mentions.toArray(String[]::new));
    assertTrue(System.nanoTime() - started < 10_000_000_000L, name + " took too long");
    assertEquals(before, mutatingCalls(), name + ": a mutating call reached the sandbox");
    // Picocli's usage help follows a bad flag value here (main prints one line instead); never the
    // input.
    assertTrue(
        r.err().length() < 8_000,
        name + ": the refusal echoes the input: " + r.err().length() + " characters");
    assertInvalid(DevStack.cli("status", "bounded-never-started"), "no run with id");
    try (Stream<Path> all = Files.walk(dir)) {
      assertEquals(files, all.sorted().toList(), name + ": something was written");
    }
    assertEquals("not a directory", Files.readString(plain), name);
    try (Stream<Path> through = Files.list(outside)) {
      assertEquals(0, through.count(), name + ": something was written through the link");
    }
  }

  static long mutatingCalls() {
    return DevStack.sandbox().calls().all().stream()
        .filter(c -> BadRequestTableTest.MUTATING.contains(c.operation()))
        .count();
  }

  @Test
  void givenAnUpgradeDeadlineNoUpgradeCanMeet_whenStart_thenExit2BeforeTheSnapshot() {
    Cli.Result r = startUpgrade(ON_56, TARGET_57, "env:DBOPS_TEST_UNUSED", "--max-wait", "1s");
    assertInvalid(r, "--max-wait", "must be 10m..30d, was 1s", "nothing was started");
    assertNoRdsChange(ON_56);
  }

  @Test
  void givenRollbackOfASnapshotThatDoesNotExist_whenStart_thenExit2NamingItAndNothingRestored() {
    Cli.Result r =
        DevStack.cli(
            "start",
            "upgrade-rollback",
            "--snapshot",
            "does-not-exist",
            "--new-cluster",
            "bad-input-rollback");
    assertInvalid(r, "--snapshot: ", "does-not-exist not found", "nothing was created");
    assertTrue(!r.out().contains("RESTORING"), r.toString());
    assertNoRdsChange("bad-input-rollback");
    assertNoRdsChange("does-not-exist");
  }

  @Test
  void
      givenRollbackOfA57SnapshotOntoAClassNotOfferedFor57_whenStart_thenExit2NamingTheFlagAndNothingRestored() {
    Cli.Result r =
        DevStack.cli(
            "start",
            "upgrade-rollback",
            "--snapshot",
            SNAPSHOT_57,
            "--new-cluster",
            "bad-input-rollback-t2",
            "--instance-class",
            "db.t2.small");
    assertInvalid(
        r,
        "--instance-class: 'db.t2.small' is not offered for aurora-mysql " + TARGET_57,
        "db.r5.large",
        "nothing was created");
    assertNoRdsChange("bad-input-rollback-t2");
  }

  @Test
  void
      givenAnInstanceOnAClassNotOfferedOn57_whenStartUpgrade_thenExit2NamingTheInstanceBeforeTheSnapshot() {
    Cli.Result r = startUpgrade(ON_T2, TARGET_57);
    assertInvalid(
        r,
        "--cluster: instance "
            + ON_T2
            + "-instance-1 runs 'db.t2.small' is not offered for aurora-mysql "
            + TARGET_57,
        "db.r5.large",
        "nothing was changed");
    assertNoRdsChange(ON_T2);
  }

  @Test
  void givenTemporalUnreachable_whenStatus_thenExit3WithOneClearLine() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    Cli.Result r = Cli.run("status", "anything", "--address", "127.0.0.1:" + closedPort);
    assertEquals(ExitCodes.UNREACHABLE, r.exit(), r.toString());
    assertTrue(
        r.err().startsWith("cannot reach Temporal at 127.0.0.1:" + closedPort), r.toString());
    assertEquals(1, r.err().strip().lines().count(), r.toString());
  }

  @Test
  @org.junit.jupiter.api.Timeout(
      value = 60,
      threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD) // dev runs until ^C
  void givenAnUnknownDemo_whenDevStarts_thenExit2NamingTheFlagBeforeAnyServerStarts()
      throws Exception {
    int temporalPort;
    try (ServerSocket s = new ServerSocket(0)) {
      temporalPort = s.getLocalPort();
    }
    var out = new java.io.StringWriter();
    var err = new java.io.StringWriter();
    picocli.CommandLine cli = DevkitCli.commandLine();
    cli.setOut(new java.io.PrintWriter(out, true));
    cli.setErr(new java.io.PrintWriter(err, true));
    int exit =
        cli.execute(
            "dev",
            "--demos",
            "upgrade,glacier",
            "--temporal-port",
            Integer.toString(temporalPort),
            "--sandbox-port",
            "0");
    assertEquals(ExitCodes.INVALID_INPUT, exit, out + "\n" + err);
    assertTrue(
        err.toString()
            .startsWith(
                "--demos: 'glacier' is none of upgrade, binlog-catch-up, staging-rebuild,"
                    + " aurora-migration (or none alone)"),
        err.toString());
    try (ServerSocket free = new ServerSocket(temporalPort)) {
      assertEquals(temporalPort, free.getLocalPort(), "no Temporal server was started");
    }
  }
}
