package dev.dbops.starter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dbops.sandbox.ClusterSeed;
import dev.dbops.workflows.upgrade.UpgradePhase;
import dev.dbops.workflows.upgrade.UpgradeRequest;
import dev.dbops.workflows.upgrade.UpgradeSql;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dbops report}: procedures run to their end through the CLI against the in-process dev
 * stack (an approved restore, a rejected one, an approved upgrade of a sandbox cluster bound to a
 * real MariaDB), then reported from their histories.
 */
@DevStackTest
@Tag("mariadb")
class CliReportTest {
  static final String BUCKET = "cli-report";
  static final String UPGRADE_CLUSTER = "cli-report-56";

  @TempDir static Path stateDir;
  static UpgradeDemo.Cluster cluster;

  @BeforeAll
  static void seed() {
    var s3 = DevStack.sandbox().s3();
    s3.createBucket(BUCKET);
    s3.putObject(BUCKET, "approved/2023-01.csv", "month,total\n2023-01,42\n".getBytes(), "GLACIER");
    s3.putObject(BUCKET, "approved/README", "readme".getBytes(), "STANDARD");
    s3.putObject(BUCKET, "rejected/x.csv", "x".getBytes(), "GLACIER");
    cluster =
        UpgradeDemo.seed(
            DevStack.sandbox().rds(),
            ClusterSeed.aurora56(UPGRADE_CLUSTER)
                .withEngine("aurora", UpgradeDemo.ENGINE_VERSION)
                .withTag("environment", "dev"),
            stateDir);
  }

  @AfterAll
  static void deletePasswordFile() {
    if (cluster != null) cluster.close();
  }

  private static Cli.Result expect(int exit, Cli.Result r) {
    assertEquals(exit, r.exit(), r.toString());
    return r;
  }

  private static JsonNode report(String id) throws Exception {
    return Render.MAPPER.readTree(expect(0, DevStack.cli("report", id, "--format", "json")).out());
  }

  private static List<JsonNode> items(JsonNode array) {
    return StreamSupport.stream(array.spliterator(), false).toList();
  }

  private static List<String> texts(JsonNode array, String field) {
    return items(array).stream().map(n -> n.path(field).asText()).toList();
  }

  @Test
  void givenApprovedRestore_whenReported_thenTimelineApprovalActivitiesAndObjects(@TempDir Path dir)
      throws Exception {
    String id = "cli/report-approved";
    expect(
        0,
        DevStack.cli(
            "start",
            "glacier-restore",
            "--bucket",
            BUCKET,
            "--prefix",
            "approved/",
            "--tier",
            "EXPEDITED",
            "--poll-interval",
            "1s",
            "--download-dir",
            dir.toString(),
            "--require-approval",
            "--approver",
            "alice",
            "--requested-by",
            "bob",
            "--id",
            id));
    expect(0, DevStack.cli("approve", id, "--by", "alice", "--comment", "ticket OPS-7"));
    expect(0, DevStack.cli("watch", id));

    JsonNode r = report(id);
    assertEquals("glacier-restore", r.path("procedure").asText(), r.toString());
    assertEquals("COMPLETED", r.path("state").asText());
    assertEquals("COMPLETED", r.path("outcome").asText());
    assertEquals("bob", r.path("requestedBy").asText());
    assertEquals("result", r.path("source").asText());
    assertFalse(r.path("runId").asText().isEmpty());
    assertTrue(r.hasNonNull("started") && r.hasNonNull("closed"), r.toString());
    List<String> steps = texts(r.path("timeline"), "step");
    assertTrue(steps.containsAll(List.of("started", "approved", "completed")), steps.toString());

    JsonNode approval = r.path("approvals").get(0);
    assertEquals("alice", approval.path("by").asText(), r.path("approvals").toString());
    assertEquals("ticket OPS-7", approval.path("comment").asText());
    assertEquals("approved", approval.path("outcome").asText());
    JsonNode signal =
        items(r.path("signals")).stream()
            .filter(s -> s.path("signal").asText().equals(Runs.APPROVE_SIGNAL))
            .findFirst()
            .orElseThrow();
    assertEquals("alice", signal.path("by").asText());
    assertEquals("ticket OPS-7", signal.path("comment").asText());

    List<String> activities = texts(r.path("activities"), "activity");
    assertTrue(
        activities.containsAll(
            List.of("ListObjects", "RequestRestores", "CheckRestored", "Deliver")),
        activities.toString());
    JsonNode list =
        items(r.path("activities")).stream()
            .filter(a -> a.path("activity").asText().equals("ListObjects"))
            .findFirst()
            .orElseThrow();
    assertEquals("S3Restore", list.path("interface").asText());
    assertTrue(list.path("attempts").asInt() >= 1);
    assertEquals(
        list.path("calls").asInt(),
        list.path("outcomes").path("COMPLETED").asInt(),
        list.toString());
    assertFalse(r.path("activityCalls").get(0).has("result"), "payloads are not dumped");

    JsonNode counts =
        items(r.path("resources")).stream()
            .filter(x -> x.path("kind").asText().equals("S3 OBJECTS"))
            .findFirst()
            .orElseThrow();
    assertEquals("DELIVERED 2", counts.path("detail").asText(), counts.toString());
    assertTrue(
        texts(r.path("resources"), "id").contains("approved/2023-01.csv"),
        r.path("resources").toString());
    assertEquals(BUCKET, r.path("request").path("bucket").asText());

    String md = expect(0, DevStack.cli("report", id)).out();
    assertTrue(md.startsWith("# Audit report: glacier-restore `" + id + "`"), md);
    for (String heading :
        List.of(
            "## Timeline",
            "## Approvals and decisions",
            "### Signals received",
            "## Activities (AWS, SQL and other calls)",
            "## SQL run",
            "## Skipped replication events",
            "## Resources created / deleted",
            "## Request")) {
      assertTrue(md.contains("\n" + heading + "\n"), heading + " in\n" + md);
    }
    assertTrue(md.contains("| time | step | detail |\n|---|---|---|\n"), md);
    assertTrue(
        md.lines()
            .anyMatch(
                l -> l.startsWith("| ") && l.contains("| alice |") && l.contains("ticket OPS-7")),
        md);
    assertTrue(md.contains("| **COMPLETED** |") || md.contains("**COMPLETED**"), md);

    Path file = dir.resolve("reports/approved.md");
    Cli.Result written = expect(0, DevStack.cli("report", id, "--output", file.toString()));
    assertTrue(written.out().contains("wrote the md audit report of " + id), written.toString());
    String saved = Files.readString(file);
    assertTrue(saved.startsWith("# Audit report: glacier-restore `" + id + "`"), saved);
    assertTrue(saved.contains("| approve | alice |"), saved);
  }

  @Test
  void
      givenRestoreWaitingThenRejected_whenReported_thenPhaseWhileWaitingThenFailureAndTheRejectionWithItsReason()
          throws Exception {
    String id = "cli/report-rejected";
    expect(
        0,
        DevStack.cli(
            "start",
            "glacier-restore",
            "--bucket",
            BUCKET,
            "--prefix",
            "rejected/",
            "--tier",
            "EXPEDITED",
            "--require-approval",
            "--approver",
            "alice",
            "--requested-by",
            "bob",
            "--id",
            id));
    JsonNode waiting = report(id);
    assertEquals("RUNNING", waiting.path("state").asText(), waiting.toString());
    assertEquals("AWAITING_APPROVAL", waiting.path("phase").asText(), waiting.toString());
    assertEquals("status query", waiting.path("source").asText());
    assertTrue(!waiting.hasNonNull("closed"), waiting.toString());

    expect(0, DevStack.cli("reject", id, "--by", "alice", "--reason", "wrong month"));
    expect(1, DevStack.cli("watch", id));

    JsonNode r = report(id);
    assertEquals("FAILED", r.path("state").asText(), r.toString());
    assertEquals("Rejected", r.path("failure").path("type").asText(), r.toString());
    JsonNode reject =
        items(r.path("signals")).stream()
            .filter(s -> s.path("signal").asText().equals(Runs.REJECT_SIGNAL))
            .findFirst()
            .orElseThrow();
    assertEquals("alice", reject.path("by").asText());
    assertEquals("wrong month", reject.path("reason").asText());
    // No result: the timeline and approvals come from the run's status query.
    assertEquals("status query", r.path("source").asText(), r.toString());
    assertTrue(
        texts(r.path("timeline"), "step").contains("not approved"), r.path("timeline").toString());
    assertFalse(
        texts(r.path("activities"), "activity").contains("RequestRestores"),
        "a rejected run restores nothing");
    String md = expect(0, DevStack.cli("report", id, "--format", "md")).out();
    assertTrue(md.contains("| failure | Rejected: "), md);
  }

  @Test
  void givenApprovedUpgrade_whenReported_thenPrechecksSmokeSqlSnapshotAndApprover()
      throws Exception {
    String id = "upgrade/" + UPGRADE_CLUSTER;
    List<String> start =
        new ArrayList<>(
            List.of(
                "start",
                "upgrade",
                "--cluster",
                UPGRADE_CLUSTER,
                "--target-version",
                UpgradeDemo.TARGET_VERSION,
                "--db-user",
                cluster.user(),
                "--db-password-ref",
                cluster.passwordRef(),
                "--approver",
                "alice",
                "--requested-by",
                "bob",
                "--poll-interval",
                "1s",
                "--progress-every",
                "1s",
                "--smoke-sql",
                UpgradeDemo.SMOKE_SQL));
    expect(0, DevStack.cli(start.toArray(String[]::new)));
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!UpgradePhase.AWAITING_APPROVAL.equals(phase(id))) {
      assertTrue(System.nanoTime() < deadline, "never waited for approval");
      Thread.sleep(200);
    }
    expect(0, DevStack.cli("approve", id, "--by", "alice", "--comment", "change CHG-42"));
    expect(0, DevStack.cli("watch", id));

    JsonNode r = report(id);
    assertEquals("upgrade", r.path("procedure").asText(), r.toString());
    assertEquals("COMPLETED", r.path("outcome").asText());
    assertEquals(
        "alice", r.path("approvals").get(0).path("by").asText(), r.path("approvals").toString());
    assertEquals("change CHG-42", r.path("approvals").get(0).path("comment").asText());

    List<String> statements = texts(r.path("sql"), "statement");
    assertTrue(
        statements.containsAll(
            List.of(UpgradeSql.XA_RECOVER, UpgradeSql.LARGEST_TRX, UpgradeDemo.SMOKE_SQL)),
        statements.toString());
    JsonNode xa =
        items(r.path("sql")).stream()
            .filter(s -> s.path("statement").asText().equals(UpgradeSql.XA_RECOVER))
            .findFirst()
            .orElseThrow();
    assertEquals("0 prepared XA transaction(s)", xa.path("result").asText());
    JsonNode smoke =
        items(r.path("sql")).stream()
            .filter(s -> s.path("what").asText().equals("smoke test"))
            .findFirst()
            .orElseThrow();
    assertEquals(
        String.valueOf(UpgradeDemo.ORDERS), smoke.path("result").asText(), smoke.toString());

    String snapshot = UpgradeRequest.snapshotIdFor(id);
    assertTrue(
        items(r.path("resources")).stream()
            .anyMatch(
                x ->
                    x.path("kind").asText().equals("SNAPSHOT")
                        && x.path("id").asText().equals(snapshot)
                        && x.path("action").asText().equals("CREATED")),
        r.path("resources").toString());
    assertTrue(
        items(r.path("resources")).stream()
            .anyMatch(
                x ->
                    x.path("kind").asText().equals("CLUSTER")
                        && x.path("action").asText().equals("MODIFIED")),
        r.path("resources").toString());
    List<String> activities = texts(r.path("activities"), "activity");
    assertTrue(
        activities.containsAll(
            List.of("InspectCluster", "Precheck", "EnsureSnapshot", "StartUpgrade", "Verify")),
        activities.toString());
    // The password is only ever a reference, and a reference is shown as is.
    assertEquals(
        cluster.passwordRef(),
        r.path("request").path("login").path("passwordRef").asText(),
        r.path("request").toString());
  }

  @Test
  void givenUnknownId_whenReported_thenExit2NamingTheId() {
    Cli.Result r = expect(2, DevStack.cli("report", "cli/no-such-run"));
    assertTrue(r.err().contains("id: no run with id 'cli/no-such-run'"), r.toString());
    Cli.Result badFormat = expect(2, DevStack.cli("report", "cli/no-such-run", "--format", "pdf"));
    assertTrue(badFormat.err().contains("--format: 'pdf' is not md or json"), badFormat.toString());
  }

  private static String phase(String id) throws Exception {
    Cli.Result r = expect(0, DevStack.cli("status", id, "--json"));
    return Render.MAPPER.readTree(r.out()).path("status").path("phase").asText();
  }
}
