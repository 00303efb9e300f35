package dev.dbops.activities.migration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.dbops.activities.aws.AccountClients;
import dev.dbops.activities.aws.AwsClients;
import dev.dbops.activities.aws.AwsSettings;
import dev.dbops.activities.binlog.ReplicationActivitiesImpl;
import dev.dbops.activities.common.SecretResolver;
import dev.dbops.activities.hooks.CommandHookActivities;
import dev.dbops.activities.mysql.MySqlSettings;
import dev.dbops.activities.notify.LogNotifyActivities;
import dev.dbops.activities.staging.StagingActivitiesImpl;
import dev.dbops.activities.upgrade.RdsUpgradeActivitiesImpl;
import dev.dbops.sandbox.AwsSandbox;
import dev.dbops.sandbox.InstanceSeed;
import dev.dbops.sandbox.RdsSandbox;
import dev.dbops.sandbox.RdsTimings;
import dev.dbops.sandbox.Route53Sandbox;
import dev.dbops.sandbox.Route53Timings;
import dev.dbops.sandbox.SandboxAccounts;
import dev.dbops.sandbox.SandboxConfig;
import dev.dbops.sandbox.mysql.LocalMariaDb;
import dev.dbops.sandbox.mysql.RdsProcedures;
import dev.dbops.workflows.common.Approval;
import dev.dbops.workflows.common.ApprovalPolicy;
import dev.dbops.workflows.common.DbLogin;
import dev.dbops.workflows.migration.AuroraMigrationWorkflow;
import dev.dbops.workflows.migration.AuroraMigrationWorkflowImpl;
import dev.dbops.workflows.migration.MigrationNames;
import dev.dbops.workflows.migration.MigrationPhase;
import dev.dbops.workflows.migration.MigrationRequest;
import dev.dbops.workflows.migration.MigrationResult;
import dev.dbops.workflows.staging.DnsTarget;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBCluster;

/**
 * The aurora-migration workflow with every real activity, the real SDK against the sandbox and a
 * source instance bound to a real MariaDB: rows written on the source before the cut-over are on
 * the Aurora writer after it, the CNAME names the cluster's endpoint, and writes through it land on
 * Aurora while the source keeps its rows. Temporal's test server runs in real time (sandbox steps
 * take a second or two).
 */
@Tag("mariadb")
class AuroraMigrationEndToEndTest {
  private static final String ID = "aurora-migration/shop";
  private static final String PASSWORD_VAR = "DBOPS_TEST_MASTER_PASSWORD";
  private static final Duration STEP = Duration.ofSeconds(2);
  private static final String RECORD = "db.shop.internal";

  private AwsSandbox sandbox;
  private LocalMariaDb source;
  private RdsClient rds;
  private AccountClients clients;
  private TestWorkflowEnvironment env;
  private String zone;

  @BeforeEach
  void start() throws SQLException {
    sandbox =
        AwsSandbox.start(
            SandboxConfig.defaults()
                .withRdsTimings(
                    RdsTimings.defaults()
                        .withClusterRestore(STEP)
                        .withInstanceCreate(STEP)
                        .withReplicaPromote(STEP))
                .withRoute53Timings(Route53Timings.defaults().withChangePropagation(STEP)));
    source =
        LocalMariaDb.start(
            LocalMariaDb.Options.defaults().reportedVersion("5.7.44").serverId(1).logBin(true));
    try (Connection root = root(source)) {
      RdsProcedures.install(root);
      RdsProcedures.createRdsAdmin(
          root, RdsSandbox.DEFAULT_MASTER_USERNAME, RdsSandbox.DEFAULT_MASTER_PASSWORD);
      execute(root, "CALL mysql.rds_set_configuration('binlog retention hours', 72)");
      execute(root, "CREATE DATABASE shop");
      execute(root, "CREATE TABLE shop.orders (id INT PRIMARY KEY, note VARCHAR(40))");
      execute(root, "INSERT INTO shop.orders VALUES (1, 'long before')");
    }
    sandbox.rds().createInstance(InstanceSeed.mysql57("shop"));
    sandbox.rds().bindInstance(SandboxAccounts.DEFAULT_ACCOUNT, "shop", source);
    Route53Sandbox route53 = sandbox.route53();
    zone = route53.createPrivateZone("shop.internal", "vpc-0sandbox");
    route53.upsertRecord(zone, RECORD, "CNAME", 0, "shop.sandbox.us-east-1.rds.invalid");

    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    AwsSettings aws = AwsSettings.sandbox(sandbox.endpoint());
    rds = AwsClients.rds(aws, registry);
    clients = new AccountClients(aws, registry);
    SecretResolver secrets =
        new SecretResolver(Map.of(PASSWORD_VAR, RdsSandbox.DEFAULT_MASTER_PASSWORD), null);
    MySqlSettings sql = MySqlSettings.loopback();
    env =
        TestWorkflowEnvironment.newInstance(
            TestEnvironmentOptions.newBuilder().setUseTimeskipping(false).build());
    Worker w = env.newWorker("q");
    w.registerWorkflowImplementationTypes(AuroraMigrationWorkflowImpl.class);
    w.registerActivitiesImplementations(
        new MigrationActivitiesImpl(rds, secrets, sql, sandbox.clock()),
        new RdsUpgradeActivitiesImpl(rds, registry, sandbox.clock()),
        new StagingActivitiesImpl(clients, secrets, sql, registry),
        new ReplicationActivitiesImpl(secrets, sql, rds),
        CommandHookActivities.none(),
        new LogNotifyActivities());
    env.start();
  }

  @AfterEach
  void stop() {
    env.close();
    clients.close();
    rds.close();
    sandbox.close();
    source.close();
  }

  @Test
  void givenBoundSource_whenMigrated_thenRowsOnAuroraAndTheCnameOnItsEndpoint() throws Exception {
    AuroraMigrationWorkflow wf =
        env.getWorkflowClient()
            .newWorkflowStub(
                AuroraMigrationWorkflow.class,
                WorkflowOptions.newBuilder().setTaskQueue("q").setWorkflowId(ID).build());
    WorkflowClient.start(wf::run, request());
    awaitPhase(wf, MigrationPhase.AWAITING_APPROVAL);
    write(source, 2, "before the cut-over");
    try (Connection root = root(source)) {
      execute(root, "SET GLOBAL read_only = 1"); // maintenance mode: writes stop
    }
    wf.approve(new Approval("alice", "CHG-1"));
    MigrationResult result =
        env.getWorkflowClient().newUntypedWorkflowStub(ID).getResult(MigrationResult.class);

    String clusterId = MigrationNames.forWorkflow(ID).clusterId();
    DBCluster aurora =
        rds.describeDBClusters(b -> b.dbClusterIdentifier(clusterId)).dbClusters().get(0);
    String cname = sandbox.route53().record(zone, RECORD, "CNAME").orElseThrow().values().get(0);
    assertEquals("COMPLETED", result.outcome(), result.toString());
    assertNull(aurora.replicationSourceIdentifier());
    assertEquals(
        aurora.endpoint(), cname.endsWith(".") ? cname.substring(0, cname.length() - 1) : cname);
    try (Connection c = master(cname, aurora.port())) {
      assertEquals("2", scalar(c, "SELECT COUNT(*) FROM shop.orders"), "rows 1 and 2 moved");
      execute(c, "INSERT INTO shop.orders VALUES (3, 'through the CNAME')");
      assertEquals("3", scalar(c, "SELECT COUNT(*) FROM shop.orders"));
    }
    try (Connection c = master(source.host(), source.port())) {
      assertEquals("2", scalar(c, "SELECT COUNT(*) FROM shop.orders"), "the source is kept");
    }
    assertEquals(1, sandbox.calls().count("CreateDBCluster"));
    assertEquals(1, sandbox.calls().count("PromoteReadReplicaDBCluster"));
    assertEquals(1, sandbox.calls().count("ChangeResourceRecordSets"));
  }

  private MigrationRequest request() {
    return new MigrationRequest(
        "shop",
        new DbLogin(RdsSandbox.DEFAULT_MASTER_USERNAME, "env:" + PASSWORD_VAR),
        new DnsTarget(zone, RECORD, 0L),
        new ApprovalPolicy(List.of("alice"), 1, Duration.ofMinutes(5)),
        "bob",
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        Duration.ofSeconds(2),
        Duration.ZERO,
        null,
        null,
        Duration.ofSeconds(1),
        null,
        null,
        Duration.ofMinutes(10),
        Duration.ofMinutes(5),
        null,
        Duration.ofMinutes(5),
        null);
  }

  private void awaitPhase(AuroraMigrationWorkflow wf, MigrationPhase phase)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (wf.status() == null || wf.status().phase() != phase) {
      if (System.nanoTime() > deadline)
        throw new AssertionError("phase " + phase + " never came: " + wf.status());
      Thread.sleep(200);
    }
  }

  private static void write(LocalMariaDb db, int id, String note) throws SQLException {
    try (Connection c = master(db.host(), db.port())) {
      execute(c, "INSERT INTO shop.orders VALUES (" + id + ", '" + note + "')");
    }
  }

  private static Connection master(String host, int port) throws SQLException {
    return DriverManager.getConnection(
        "jdbc:mysql://" + host + ":" + port + "/",
        RdsSandbox.DEFAULT_MASTER_USERNAME,
        RdsSandbox.DEFAULT_MASTER_PASSWORD);
  }

  private static Connection root(LocalMariaDb db) throws SQLException {
    return DriverManager.getConnection(db.jdbcUrl(""), db.rootUser(), db.rootPassword());
  }

  private static void execute(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  private static String scalar(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }
}
