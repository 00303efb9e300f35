package dev.dbops.activities.staging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dbops.activities.aws.AccountClients;
import dev.dbops.activities.aws.AwsSettings;
import dev.dbops.activities.common.SecretResolver;
import dev.dbops.activities.hooks.CommandHookActivities;
import dev.dbops.activities.mysql.MySqlSettings;
import dev.dbops.activities.notify.LogNotifyActivities;
import dev.dbops.sandbox.AwsSandbox;
import dev.dbops.sandbox.RdsTimings;
import dev.dbops.sandbox.Route53Timings;
import dev.dbops.sandbox.SandboxConfig;
import dev.dbops.sandbox.StagingDemo;
import dev.dbops.sandbox.mysql.LocalMariaDb;
import dev.dbops.workflows.common.DbLogin;
import dev.dbops.workflows.common.ErrorTypes;
import dev.dbops.workflows.staging.AccountRef;
import dev.dbops.workflows.staging.DnsTarget;
import dev.dbops.workflows.staging.MaskingSpec;
import dev.dbops.workflows.staging.RetirePolicy;
import dev.dbops.workflows.staging.StagingNames;
import dev.dbops.workflows.staging.StagingRebuildRequest;
import dev.dbops.workflows.staging.StagingRebuildResult;
import dev.dbops.workflows.staging.StagingRebuildWorkflow;
import dev.dbops.workflows.staging.StagingRebuildWorkflowImpl;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The staging rebuild end to end on real parts: the workflow, the real activities with the real AWS
 * SDK clients against the sandbox (two accounts, STS, KMS, RDS, Route53), and real MariaDB servers
 * behind the production cluster and the restored copy, so masking runs on real rows.
 */
@Tag("mariadb")
class StagingRebuildSandboxTest {
  static final String ID = "staging-rebuild/db.staging.internal./test";

  @TempDir Path tmp;
  AwsSandbox sandbox;
  StagingDemo.Seeded seeded;
  TestWorkflowEnvironment env;
  AccountClients clients;
  Path password;

  @BeforeEach
  void setUp() throws Exception {
    sandbox =
        AwsSandbox.start(
            SandboxConfig.defaults()
                .withRdsTimings(
                    RdsTimings.defaults()
                        .withSnapshotCreate(Duration.ofSeconds(1))
                        .withSnapshotCopy(Duration.ofSeconds(1))
                        .withClusterRestore(Duration.ofSeconds(1))
                        .withInstanceCreate(Duration.ofSeconds(1))
                        .withInstanceDelete(Duration.ofMillis(500))
                        .withClusterDelete(Duration.ofMillis(500)))
                .withRoute53Timings(
                    Route53Timings.defaults().withChangePropagation(Duration.ofSeconds(1))));
    seeded = StagingDemo.seed(sandbox);
    password = tmp.resolve("master-password");
    Files.writeString(password, "Stg-9f3c1e77a2");
    env =
        TestWorkflowEnvironment.newInstance(
            TestEnvironmentOptions.newBuilder().setUseTimeskipping(false).build());
    Worker w = env.newWorker("q");
    w.registerWorkflowImplementationTypes(StagingRebuildWorkflowImpl.class);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    clients = new AccountClients(AwsSettings.sandbox(sandbox.endpoint()), registry);
    w.registerActivitiesImplementations(
        new StagingActivitiesImpl(
            clients, SecretResolver.fromEnvironment(), MySqlSettings.loopback(), registry),
        CommandHookActivities.none(),
        new LogNotifyActivities());
    env.start();
  }

  @AfterEach
  void tearDown() {
    env.close();
    clients.close();
    sandbox.close();
  }

  StagingRebuildRequest request(List<String> verify) {
    return new StagingRebuildRequest(
        new AccountRef(seeded.prodAccount(), null),
        seeded.sourceClusterId(),
        new AccountRef(seeded.stagingAccount(), seeded.stagingRoleArn()),
        null,
        seeded.customerKeyArn(),
        "db.r5.large",
        1,
        null,
        null,
        "file:" + password,
        new MaskingSpec(
            List.of(
                "UPDATE app.users SET email = CONCAT('user', id, '@example.invalid'), name = CONCAT('User ', id),"
                    + " phone = CONCAT('+10000', LPAD(id, 6, '0'))"),
            null,
            verify),
        StagingRebuildRequest.DRIFT_FAIL,
        new DbLogin(seeded.masterUsername(), "file:" + writeSourcePassword()),
        List.of("app"),
        new DnsTarget(seeded.hostedZoneId(), seeded.recordName(), 0L),
        new RetirePolicy(RetirePolicy.GRACE, null, Duration.ofSeconds(2), null),
        null,
        null,
        null,
        "ci",
        Duration.ofSeconds(1),
        null,
        null,
        null,
        null);
  }

  Path writeSourcePassword() {
    try {
      Path p = tmp.resolve("source-password");
      Files.writeString(p, seeded.masterPassword());
      return p;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  StagingRebuildWorkflow stub() {
    return env.getWorkflowClient()
        .newWorkflowStub(
            StagingRebuildWorkflow.class,
            WorkflowOptions.newBuilder().setTaskQueue("q").setWorkflowId(ID).build());
  }

  static Set<String> column(Connection c, String sql) throws Exception {
    Set<String> out = new HashSet<>();
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      while (rs.next()) out.add(rs.getString(1));
    }
    return out;
  }

  static long count(Connection c, String table) throws Exception {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + table)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  Connection source() throws Exception {
    return DriverManager.getConnection(
        seeded.sourceJdbcUrl(), seeded.masterUsername(), seeded.masterPassword());
  }

  @Test
  void givenTheDemoAccounts_whenRebuilt_thenMaskedCopyBehindTheCnameOldRetiredSourceUntouched()
      throws Exception {
    Set<String> emails;
    Set<String> phones;
    long users;
    long orders;
    try (Connection c = source()) {
      emails = column(c, "SELECT email FROM app.users");
      phones = column(c, "SELECT phone FROM app.users");
      users = count(c, "app.users");
      orders = count(c, "app.orders");
    }

    StagingRebuildResult r =
        stub()
            .run(
                request(
                    List.of(
                        "SELECT COUNT(*) FROM app.users WHERE email NOT LIKE '%@example.invalid'")));

    assertEquals(StagingRebuildResult.COMPLETED, r.outcome());
    assertEquals(StagingRebuildResult.RETIRED, r.retirement());
    assertTrue(r.drift().differences().isEmpty(), r.drift().differences().toString());
    String cluster = StagingNames.forWorkflow(ID).clusterId();
    assertEquals(cluster, r.newClusterId());
    LocalMariaDb copy = sandbox.rds().binding(seeded.stagingAccount(), cluster).orElseThrow();
    try (Connection c =
        DriverManager.getConnection(
            copy.jdbcUrl("app"), seeded.masterUsername(), Files.readString(password))) {
      Set<String> leftEmails = column(c, "SELECT email FROM app.users");
      Set<String> leftPhones = column(c, "SELECT phone FROM app.users");
      leftEmails.retainAll(emails);
      leftPhones.retainAll(phones);
      assertEquals(Set.of(), leftEmails, "no original email survives masking");
      assertEquals(Set.of(), leftPhones, "no original phone survives masking");
      assertEquals(users, count(c, "app.users"));
      assertEquals(orders, count(c, "app.orders"));
    }
    try (Connection c = source()) {
      assertEquals(emails, column(c, "SELECT email FROM app.users"), "the source is untouched");
      assertEquals(users, count(c, "app.users"));
    }
    assertEquals(
        r.newEndpoint(),
        sandbox
            .route53()
            .recordValue(seeded.hostedZoneId(), seeded.recordName(), "CNAME")
            .orElseThrow());
    assertFalse(
        sandbox.rds().clusterExists(seeded.stagingAccount(), seeded.stagingClusterId()),
        "old staging retired");
    assertEquals(1, sandbox.calls().count("RestoreDBClusterFromSnapshot"));
    assertEquals(1, sandbox.calls().count("ChangeResourceRecordSets"));
    assertEquals(1, sandbox.calls().count("CopyDBClusterSnapshot"));
    assertTrue(
        sandbox
                .rds()
                .snapshot(seeded.prodAccount(), StagingNames.forWorkflow(ID).snapshotId())
                .isEmpty()
            || sandbox
                .rds()
                .snapshot(seeded.prodAccount(), StagingNames.forWorkflow(ID).snapshotId())
                .get()
                .status()
                .equals("deleted"),
        "temporary snapshots deleted");
  }

  @Test
  void givenAVerificationThatFindsRows_whenRebuilt_thenNoCnameChangeAndTheCopyIsDeleted()
      throws Exception {
    WorkflowFailedException e =
        assertThrows(
            WorkflowFailedException.class,
            () -> stub().run(request(List.of("SELECT COUNT(*) FROM app.orders"))));
    ApplicationFailure f = assertInstanceOf(ApplicationFailure.class, e.getCause());
    assertEquals(ErrorTypes.MASKING_FAILED, f.getType());
    assertEquals(0, sandbox.calls().count("ChangeResourceRecordSets"));
    assertEquals(
        seeded.recordValue(),
        sandbox
            .route53()
            .recordValue(seeded.hostedZoneId(), seeded.recordName(), "CNAME")
            .orElseThrow());
    assertFalse(
        sandbox
            .rds()
            .clusterExists(seeded.stagingAccount(), StagingNames.forWorkflow(ID).clusterId()));
    assertTrue(sandbox.rds().clusterExists(seeded.stagingAccount(), seeded.stagingClusterId()));
  }
}
