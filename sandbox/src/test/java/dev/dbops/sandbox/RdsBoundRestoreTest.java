package dev.dbops.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dbops.sandbox.mysql.LocalMariaDb;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBCluster;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;

/**
 * Snapshots of a cluster bound to a real MariaDB carry its rows; restoring one (here in another
 * account) starts a new MariaDB with those rows and the cluster's master user; deleting the cluster
 * stops that server.
 */
@Tag("mariadb")
class RdsBoundRestoreTest {

  private static final String STAGING = "210987654321";
  private static final Duration SNAPSHOT = Duration.ofMinutes(30);
  private static final Duration RESTORE = Duration.ofMinutes(40);

  private AwsSandbox sandbox;
  private RdsClient prod;
  private StsClient sts;
  private StsAssumeRoleCredentialsProvider stagingCredentials;
  private RdsClient staging;
  private LocalMariaDb source;

  @BeforeEach
  void start() throws SQLException {
    sandbox =
        AwsSandbox.start(
            SandboxConfig.defaults()
                .withRdsTimings(
                    RdsTimings.defaults()
                        .withSnapshotCreate(SNAPSHOT)
                        .withSnapshotCopy(SNAPSHOT)
                        .withClusterRestore(RESTORE)));
    prod = SandboxClients.rds(sandbox);
    sts = SandboxClients.sts(sandbox);
    stagingCredentials =
        SandboxClients.assumeRole(
            sts, sandbox.accounts().allowRole(STAGING, "dbops-staging"), "bound-restore");
    staging = SandboxClients.rds(sandbox, stagingCredentials);
    sandbox.rds().createCluster(ClusterSeed.auroraMysql57("prod-main"));
    source = sandbox.rds().startLocalMariaDb("prod-main");
    try (Connection c = connect(source, "admin", RdsSandbox.DEFAULT_MASTER_PASSWORD)) {
      execute(c, "CREATE DATABASE app");
      execute(c, "CREATE TABLE app.users (id INT PRIMARY KEY, email VARCHAR(200) NOT NULL)");
      execute(
          c,
          "CREATE TABLE app.orders (id INT PRIMARY KEY, user_id INT NOT NULL, "
              + "FOREIGN KEY (user_id) REFERENCES app.users (id))");
      execute(
          c,
          "INSERT INTO app.users SELECT seq, CONCAT('person', seq, '@example.com') FROM mysql.seq_1_to_200");
      execute(c, "INSERT INTO app.orders SELECT seq, 1 + seq MOD 200 FROM mysql.seq_1_to_500");
    }
  }

  @AfterEach
  void stop() {
    staging.close();
    stagingCredentials.close();
    sts.close();
    prod.close();
    sandbox.close();
  }

  @Test
  void
      givenBoundCluster_whenSnapshotCopiedSharedAndRestoredInAnotherAccount_thenNewServerHasTheRowsAndSourceIsUntouched()
          throws SQLException {
    prod.createDBClusterSnapshot(
        r -> r.dbClusterIdentifier("prod-main").dbClusterSnapshotIdentifier("share-1"));
    try (Connection c = connect(source, "admin", RdsSandbox.DEFAULT_MASTER_PASSWORD)) {
      execute(c, "INSERT INTO app.users VALUES (201, 'after-the-snapshot@example.com')");
    }
    assertEquals(
        List.of("app"),
        sandbox
            .rds()
            .snapshot(SandboxAccounts.DEFAULT_ACCOUNT, "share-1")
            .orElseThrow()
            .dataSchemas());
    sandbox.clock().advance(SNAPSHOT);
    String cmk =
        sandbox.accounts().kms().createCustomerKey(SandboxAccounts.DEFAULT_ACCOUNT, "share");
    prod.copyDBClusterSnapshot(
        r ->
            r.sourceDBClusterSnapshotIdentifier("share-1")
                .targetDBClusterSnapshotIdentifier("share-1-cmk")
                .kmsKeyId(cmk));
    sandbox.clock().advance(SNAPSHOT);
    prod.modifyDBClusterSnapshotAttribute(
        r ->
            r.dbClusterSnapshotIdentifier("share-1-cmk")
                .attributeName("restore")
                .valuesToAdd(STAGING));
    String arn =
        sandbox.rds().snapshot(SandboxAccounts.DEFAULT_ACCOUNT, "share-1-cmk").orElseThrow().arn();

    staging.restoreDBClusterFromSnapshot(
        r -> r.dbClusterIdentifier("staging-new").snapshotIdentifier(arn).engine("aurora-mysql"));
    assertEquals("creating", cluster(staging, "staging-new").status());
    sandbox.clock().advance(RESTORE);
    DBCluster restored = cluster(staging, "staging-new");

    assertEquals("available", restored.status());
    assertEquals("127.0.0.1", restored.endpoint());
    assertNotEquals(source.port(), restored.port());
    LocalMariaDb copy = sandbox.rds().binding(STAGING, "staging-new").orElseThrow();
    assertNotEquals(source.dataDir(), copy.dataDir());
    try (Connection c =
        connect(copy, restored.masterUsername(), RdsSandbox.DEFAULT_MASTER_PASSWORD)) {
      assertEquals("5.7.12", scalar(c, "SELECT VERSION()"));
      assertEquals("200", scalar(c, "SELECT COUNT(*) FROM app.users"), "the rows at snapshot time");
      assertEquals("500", scalar(c, "SELECT COUNT(*) FROM app.orders"));
      execute(c, "UPDATE app.users SET email = CONCAT('user', id, '@example.invalid')"); // masking
      assertEquals(
          "0", scalar(c, "SELECT COUNT(*) FROM app.users WHERE email LIKE '%@example.com'"));
    }
    try (Connection c = connect(source, "admin", RdsSandbox.DEFAULT_MASTER_PASSWORD)) {
      assertEquals("201", scalar(c, "SELECT COUNT(*) FROM app.users"));
      assertEquals(
          "201",
          scalar(c, "SELECT COUNT(*) FROM app.users WHERE email LIKE '%@example.com'"),
          "the source is untouched");
    }

    staging.modifyDBCluster(
        r ->
            r.dbClusterIdentifier("staging-new")
                .masterUserPassword("Masked-Staging-1")
                .applyImmediately(true));

    SQLException oldPassword =
        assertThrows(
            SQLException.class,
            () -> connect(copy, "admin", RdsSandbox.DEFAULT_MASTER_PASSWORD).close());
    assertEquals(1045, oldPassword.getErrorCode());
    try (Connection c = connect(copy, "admin", "Masked-Staging-1")) {
      assertEquals("200", scalar(c, "SELECT COUNT(*) FROM app.users"));
    }
    try (Connection c = connect(source, "admin", RdsSandbox.DEFAULT_MASTER_PASSWORD)) {
      assertEquals("1", scalar(c, "SELECT 1"), "the source's master password did not change");
    }
    assertEquals(1, sandbox.rds().cluster(STAGING, "staging-new").masterPasswordChanges());

    sandbox.close();

    assertTrue(copy.isClosed(), "AwsSandbox.close() stops restored servers");
    assertTrue(source.isClosed(), "and the servers it started");
    assertFalse(Files.exists(copy.dataDir()));
  }

  @Test
  void givenRestoredBoundCluster_whenDeleted_thenItsMariaDbStopsAndItsDataDirIsGone()
      throws SQLException {
    prod.createDBClusterSnapshot(
        r -> r.dbClusterIdentifier("prod-main").dbClusterSnapshotIdentifier("snap"));
    sandbox.clock().advance(SNAPSHOT);
    prod.restoreDBClusterFromSnapshot(
        r -> r.dbClusterIdentifier("rehearsal").snapshotIdentifier("snap").engine("aurora-mysql"));
    prod.deleteDBClusterSnapshot(
        r -> r.dbClusterSnapshotIdentifier("snap")); // the restore goes on without it
    sandbox.clock().advance(RESTORE);
    LocalMariaDb restored = sandbox.rds().binding("rehearsal").orElseThrow();
    Path dataDir = restored.dataDir();
    try (Connection c = connect(restored, "admin", RdsSandbox.DEFAULT_MASTER_PASSWORD)) {
      assertEquals("200", scalar(c, "SELECT COUNT(*) FROM app.users"));
    }

    DBCluster deleting =
        prod.deleteDBCluster(r -> r.dbClusterIdentifier("rehearsal").skipFinalSnapshot(true))
            .dbCluster();

    assertEquals("deleting", deleting.status());
    assertTrue(restored.isClosed());
    assertFalse(Files.exists(dataDir));
    assertThrows(
        SQLException.class,
        () -> connect(restored, "admin", RdsSandbox.DEFAULT_MASTER_PASSWORD).close());
    assertTrue(sandbox.rds().binding("rehearsal").isEmpty());
    assertTrue(source.isRunning(), "the source keeps running");
    try (Connection c = connect(source, "admin", RdsSandbox.DEFAULT_MASTER_PASSWORD)) {
      assertEquals("200", scalar(c, "SELECT COUNT(*) FROM app.users"));
    }
  }

  private static DBCluster cluster(RdsClient rds, String id) {
    return rds.describeDBClusters(r -> r.dbClusterIdentifier(id)).dbClusters().get(0);
  }

  private static Connection connect(LocalMariaDb db, String user, String password)
      throws SQLException {
    return DriverManager.getConnection(db.jdbcUrl(""), user, password);
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
