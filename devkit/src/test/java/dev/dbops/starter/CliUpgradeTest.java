package dev.dbops.starter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dbops.sandbox.ClusterSeed;
import dev.dbops.workflows.upgrade.UpgradeRequest;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The upgrade procedures through the CLI, in process, against sandbox clusters bound to real local
 * MariaDB servers (seeded the way dev mode seeds its demo cluster).
 */
@DevStackTest
@Tag("mariadb")
class CliUpgradeTest {
  static final String HAPPY = "cli-upgrade-56";
  static final String ABORTED = "cli-upgrade-abort-56";

  @TempDir static Path stateDir;
  static UpgradeDemo.Cluster happy;
  static UpgradeDemo.Cluster aborted;

  @BeforeAll
  static void seed() {
    var rds = DevStack.sandbox().rds();
    happy = UpgradeDemo.seed(rds, demoSeed(HAPPY), stateDir);
    aborted = UpgradeDemo.seed(rds, demoSeed(ABORTED), stateDir);
  }

  @AfterAll
  static void deletePasswordFiles() {
    if (happy != null) happy.close();
    if (aborted != null) aborted.close();
  }

  private static ClusterSeed demoSeed(String id) {
    return ClusterSeed.aurora56(id)
        .withEngine("aurora", UpgradeDemo.ENGINE_VERSION)
        .withTag("environment", "dev");
  }

  private static Cli.Result expect(int exit, Cli.Result r) {
    assertEquals(exit, r.exit(), r.toString());
    return r;
  }

  private static String[] args(String first, UpgradeDemo.Cluster cluster, String... more) {
    List<String> all = new ArrayList<>(List.of(first.split(" ")));
    all.addAll(cluster.startArgs());
    all.addAll(List.of(more));
    return all.toArray(String[]::new);
  }

  private static String selectVersion(UpgradeDemo.Cluster cluster) throws Exception {
    try (Connection c =
            DriverManager.getConnection(
                cluster.db().jdbcUrl("") + "?sslMode=DISABLED",
                cluster.db().rootUser(),
                cluster.db().rootPassword());
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT VERSION()")) {
      rs.next();
      return rs.getString(1);
    }
  }

  @Test
  void givenBound56Cluster_whenPlannedThenStartedWithWait_thenUpgradedTo57AndVerified()
      throws Exception {
    Cli.Result plan = expect(0, DevStack.cli(args("plan upgrade", happy)));
    assertTrue(plan.out().contains("dry run; nothing was changed"), plan.toString());
    assertTrue(plan.out().contains("XA RECOVER"), plan.toString());
    assertTrue(
        plan.out().contains("CreateDBClusterSnapshot DBClusterIdentifier=" + HAPPY),
        plan.toString());
    assertTrue(
        plan.out().contains("ModifyDBCluster DBClusterIdentifier=" + HAPPY), plan.toString());
    assertTrue(
        plan.out().contains("pre-checks (read-only) on the writer, MySQL 5.6.10: 0 prepared XA"),
        plan.toString());
    assertEquals(List.of(), DevStack.rdsChanges(HAPPY), "the plan changed something");

    Cli.Result start =
        expect(
            0,
            DevStack.cli(
                args(
                    "start upgrade",
                    happy,
                    "--poll-interval",
                    "1s",
                    "--progress-every",
                    "1s",
                    "--smoke-sql",
                    UpgradeDemo.SMOKE_SQL,
                    "--wait")));
    assertTrue(start.out().contains("COMPLETED upgrade/" + HAPPY), start.toString());
    assertTrue(start.out().contains("[UPGRADING]"), "progress narrated:\n" + start);

    JsonNode result =
        Render.MAPPER.readTree(
            expect(0, DevStack.cli("result", "upgrade/" + HAPPY, "--json")).out());
    assertEquals("COMPLETED", result.path("outcome").asText(), result.toString());
    assertTrue(result.path("reportedVersion").asText().startsWith("5.7"), result.toString());
    assertEquals(
        UpgradeRequest.snapshotIdFor("upgrade/" + HAPPY), result.path("snapshotId").asText());
    assertEquals(
        List.of(UpgradeDemo.SMOKE_SQL + " -> " + UpgradeDemo.ORDERS),
        texts(result.path("smokeResults")));
    assertTrue(selectVersion(happy).startsWith("5.7"), "MariaDB reports " + selectVersion(happy));
    assertEquals(
        "5.7.mysql_aurora.2.11.2", DevStack.sandbox().rds().cluster(HAPPY).engineVersion());
    assertEquals(
        List.of("CreateDBClusterSnapshot", "ModifyDBCluster"),
        DevStack.rdsChanges(HAPPY).stream().map(c -> c.operation()).toList());
  }

  @Test
  void givenUpgradeStillRunning_whenAborted_thenRunFailsAsAbortedNamingTheSnapshot()
      throws Exception {
    DevStack.sandbox().rds().stallUpgrade(ABORTED, Duration.ofSeconds(60));
    String id = "upgrade/" + ABORTED;
    expect(0, DevStack.cli(args("start upgrade", aborted, "--poll-interval", "1s")));
    expect(
        2,
        DevStack.cli(
            "abort", "cli/not-an-upgrade-" + System.nanoTime(), "--by", "alice", "--reason", "x"));

    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!"UPGRADING".equals(phase(id))) {
      assertTrue(System.nanoTime() < deadline, "never reached UPGRADING");
      Thread.sleep(200);
    }
    Cli.Result abort =
        expect(0, DevStack.cli("abort", id, "--by", "alice", "--reason", "past the window"));
    assertTrue(abort.out().contains("abort by alice recorded on " + id), abort.toString());
    assertTrue(
        abort.out().contains("pre-upgrade snapshot " + UpgradeRequest.snapshotIdFor(id)),
        abort.toString());

    Cli.Result result = expect(1, DevStack.cli("result", id));
    assertTrue(result.out().contains("FAILED " + id + ": Aborted"), result.toString());
    expect(2, DevStack.cli("abort", id, "--by", "alice", "--reason", "again"));
    assertEquals(
        List.of("CreateDBClusterSnapshot", "ModifyDBCluster"),
        DevStack.rdsChanges(ABORTED).stream().map(c -> c.operation()).toList());
  }

  private static String phase(String id) throws Exception {
    Cli.Result r = expect(0, DevStack.cli("status", id, "--json"));
    return Render.MAPPER.readTree(r.out()).path("status").path("phase").asText();
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }
}
