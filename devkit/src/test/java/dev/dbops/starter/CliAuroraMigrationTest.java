package dev.dbops.starter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dbops.sandbox.CallLog;
import dev.dbops.sandbox.RdsSandbox;
import dev.dbops.sandbox.SandboxAccounts;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code plan} / {@code start aurora-migration} through the CLI, in process, against the dev stack:
 * the sandbox's RDS MySQL instance bound to a real MariaDB, its Aurora read replica a real MariaDB
 * replica of it, a private zone whose CNAME points at the instance. Rows written on the source
 * before the cut-over are on Aurora after it, writes through the CNAME afterwards reach Aurora, the
 * source is kept; bad input exits 2 naming the flag with no change in the sandbox.
 */
@DevStackTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CliAuroraMigrationTest {
  static final Set<String> MUTATING =
      Set.of(
          "CreateDBCluster",
          "CreateDBInstance",
          "PromoteReadReplicaDBCluster",
          "ModifyDBInstance",
          "DeleteDBInstance",
          "DeleteDBCluster",
          "ChangeResourceRecordSets");

  @TempDir static Path stateDir;
  static AuroraMigrationDemo.Demo demo;

  @BeforeAll
  static void seed() {
    demo = AuroraMigrationDemo.seed(DevStack.sandbox(), stateDir);
  }

  @AfterAll
  static void deleteFiles() {
    if (demo != null) demo.close();
  }

  private static Cli.Result cli(String first, List<String> args, String... more) {
    List<String> all = new ArrayList<>(List.of(first.split(" ")));
    all.addAll(args);
    all.addAll(List.of("--requested-by", "bob"));
    all.addAll(List.of(more));
    return DevStack.cli(all.toArray(String[]::new));
  }

  private static long lastCall() {
    List<CallLog.Call> all = DevStack.sandbox().calls().all();
    return all.isEmpty() ? 0 : all.get(all.size() - 1).seq();
  }

  private static List<String> changesSince(long seq) {
    return DevStack.sandbox().calls().all().stream()
        .filter(c -> c.seq() > seq && MUTATING.contains(c.operation()))
        .map(CallLog.Call::operation)
        .toList();
  }

  private static List<String> with(String flag, String value) {
    List<String> out = new ArrayList<>(demo.startArgs());
    int at = out.indexOf(flag);
    if (at >= 0) {
      out.set(at + 1, value);
    } else {
      out.addAll(List.of(flag, value));
    }
    return out;
  }

  @Test
  @Order(1)
  void givenBadReferences_whenStarted_thenExit2NamingTheFlagAndNothingChanged() {
    long before = lastCall();
    Object[][] cases = {
      {with("--source-instance", "no-such-instance"), "--source-instance"},
      {with("--min-binlog-retention", "48"), "--min-binlog-retention"},
      {with("--instance-class", "db.m1.small"), "--instance-class"},
      {with("--zone-id", "ZSBX99999999999999"), "--zone-id"},
      {with("--record-name", "nothing-here.orders.internal."), "--record-name"},
      {with("--cluster-parameter-group", "no-such-group"), "--cluster-parameter-group"},
    };
    for (Object[] c : cases) {
      @SuppressWarnings("unchecked")
      Cli.Result r = cli("start aurora-migration", (List<String>) c[0], "--id", "bad/" + c[1]);
      assertEquals(ExitCodes.INVALID_INPUT, r.exit(), c[1] + ": " + r);
      assertTrue(r.err().contains((String) c[1]), c[1] + ": " + r);
    }
    assertEquals(List.of(), changesSince(before), "the sandbox saw changes");
  }

  @Test
  @Order(2)
  void givenDemoInstance_whenPlannedThenMigrated_thenRowsOnAuroraWritesThroughCnameSourceKept()
      throws Exception {
    long beforePlan = lastCall();
    Cli.Result plan = cli("plan aurora-migration", demo.startArgs());
    assertEquals(0, plan.exit(), plan.toString());
    for (String call :
        List.of(
            "CreateDBCluster",
            "ReplicationSourceIdentifier=",
            "PromoteReadReplicaDBCluster",
            "ChangeResourceRecordSets UPSERT " + demo.recordName()))
      assertTrue(plan.out().contains(call), call + " in\n" + plan);
    assertEquals(List.of(), changesSince(beforePlan), "the plan changed something");

    long beforeRun = lastCall();
    String id = demo.workflowId();
    Cli.Result started = cli("start aurora-migration", demo.startArgs(), "--revert-window", "1s");
    assertEquals(0, started.exit(), started.toString());
    execute(sourceUrl(), "INSERT INTO shop.orders VALUES (1001, 'while replicating')");
    // watch follows the catch-up and stops where the run waits for the cut-over approval.
    Cli.Result waiting = DevStack.cli("watch", id);
    assertEquals(ExitCodes.WAITING_FOR_PERSON, waiting.exit(), waiting.toString());
    assertTrue(waiting.out().contains("[AWAITING_APPROVAL]"), waiting.toString());
    execute(sourceUrl(), "INSERT INTO shop.orders VALUES (1002, 'just before the write stop')");
    // Maintenance: the application stops writing and the source goes read only.
    executeAsRoot("SET GLOBAL read_only = ON");
    Cli.Result approved = DevStack.cli("approve", id, "--by", "alice", "--comment", "CHG-19");
    assertEquals(0, approved.exit(), approved.toString());
    Cli.Result done = DevStack.cli("watch", id);
    assertEquals(0, done.exit(), done.toString());

    JsonNode result = Render.MAPPER.readTree(DevStack.cli("result", id, "--json").out());
    assertEquals("COMPLETED", result.path("outcome").asText(), result.toString());
    String cluster = result.path("clusterId").asText();
    RdsSandbox.ClusterView view =
        DevStack.sandbox().rds().cluster(SandboxAccounts.DEFAULT_ACCOUNT, cluster);
    String cname =
        DevStack.sandbox()
            .route53()
            .recordValue(demo.hostedZoneId(), demo.recordName(), "CNAME")
            .orElseThrow();
    assertEquals(view.endpoint(), cname, "the CNAME points at the promoted cluster");
    assertEquals(demo.endpoint(), result.path("previousCname").asText());
    assertEquals(id, view.tags().get("dbops:owner"));

    // Through the CNAME: every source row, then a write that lands on Aurora, not on the source.
    String viaCname = AuroraMigrationDemo.Demo.url(cname, view.port());
    assertEquals(
        AuroraMigrationDemo.ORDERS + 2, count(viaCname, "SELECT COUNT(*) FROM shop.orders"));
    execute(viaCname, "INSERT INTO shop.orders VALUES (2001, 'after the cut-over')");
    assertEquals(1, count(viaCname, "SELECT COUNT(*) FROM shop.orders WHERE id = 2001"));
    assertEquals(0, count(sourceUrl(), "SELECT COUNT(*) FROM shop.orders WHERE id = 2001"));
    assertEquals(
        "available",
        DevStack.sandbox()
            .rds()
            .instance(SandboxAccounts.DEFAULT_ACCOUNT, demo.instanceId())
            .status(),
        "the source instance is kept");
    // The sandbox serves the instance and the cluster on one loopback host (other ports), so the
    // CNAME already names the cluster's host and the UPSERT is rightly skipped as in sync.
    List<String> expected =
        new ArrayList<>(
            List.of("CreateDBCluster", "CreateDBInstance", "PromoteReadReplicaDBCluster"));
    if (!demo.endpoint().equals(view.endpoint())) expected.add("ChangeResourceRecordSets");
    assertEquals(expected, changesSince(beforeRun), "exactly one of each change");
  }

  private static String sourceUrl() {
    return AuroraMigrationDemo.Demo.url(demo.db().host(), demo.db().port());
  }

  private static void execute(String url, String sql) throws SQLException {
    try (Connection c =
            DriverManager.getConnection(url, AuroraMigrationDemo.MASTER, demo.password());
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  private static void executeAsRoot(String sql) throws SQLException {
    try (Connection c =
            DriverManager.getConnection(
                demo.db().jdbcUrl("") + "?sslMode=DISABLED",
                demo.db().rootUser(),
                demo.db().rootPassword());
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  private static long count(String url, String sql) throws SQLException {
    try (Connection c =
            DriverManager.getConnection(url, AuroraMigrationDemo.MASTER, demo.password());
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
