package dev.dbops.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dbops.sandbox.mysql.LocalMariaDb;
import dev.dbops.sandbox.mysql.RdsProcedures;
import dev.dbops.sandbox.mysql.ReplicaStatus;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBCluster;

/**
 * An Aurora read replica cluster of a bound RDS for MySQL instance is a real MariaDB replica of the
 * instance's server: rows written on the source before and after CreateDBCluster reach it, the
 * master user cannot write to it, and PromoteReadReplicaDBCluster stops the replication and makes
 * it writable.
 */
@Tag("mariadb")
class RdsBoundReadReplicaTest {

  private static final Duration CREATE = Duration.ofMinutes(15);
  private static final Duration PROMOTE = Duration.ofMinutes(5);

  private AwsSandbox sandbox;
  private RdsClient rds;
  private LocalMariaDb source;

  @BeforeEach
  void start() throws SQLException {
    sandbox =
        AwsSandbox.start(
            SandboxConfig.defaults()
                .withRdsTimings(
                    RdsTimings.defaults().withClusterRestore(CREATE).withReplicaPromote(PROMOTE)));
    rds = SandboxClients.rds(sandbox);
    source =
        LocalMariaDb.start(
            LocalMariaDb.Options.defaults().reportedVersion("5.7.44").serverId(1).logBin(true));
    try (Connection root = root(source)) {
      RdsProcedures.install(root);
      RdsProcedures.createRdsAdmin(
          root, RdsSandbox.DEFAULT_MASTER_USERNAME, RdsSandbox.DEFAULT_MASTER_PASSWORD);
      execute(root, "CREATE DATABASE shop");
      execute(root, "CREATE TABLE shop.orders (id INT PRIMARY KEY, item VARCHAR(20))");
      execute(root, "INSERT INTO shop.orders VALUES (1, 'before-create')");
    }
    sandbox.rds().createInstance(InstanceSeed.mysql57("shop"));
    sandbox.rds().bindInstance(SandboxAccounts.DEFAULT_ACCOUNT, "shop", source);
  }

  @AfterEach
  void stop() {
    rds.close();
    sandbox.close();
    source.close();
  }

  @Test
  void givenBoundSource_whenReplicaCreatedAndPromoted_thenRowsReplicateUntilPromoteThenWritable()
      throws Exception {
    String sourceArn = sandbox.rds().instance(SandboxAccounts.DEFAULT_ACCOUNT, "shop").arn();
    assertEquals(
        "127.0.0.1",
        rds.describeDBInstances(r -> r.dbInstanceIdentifier("shop"))
            .dbInstances()
            .get(0)
            .endpoint()
            .address());
    rds.createDBCluster(
        r ->
            r.dbClusterIdentifier("shop-aurora")
                .engine("aurora-mysql")
                .replicationSourceIdentifier(sourceArn));
    try (Connection c = master(source)) {
      execute(c, "INSERT INTO shop.orders VALUES (2, 'while-creating')");
    }
    sandbox.clock().advance(CREATE);
    DBCluster available = cluster();
    LocalMariaDb replica = sandbox.rds().binding("shop-aurora").orElseThrow();
    assertEquals(replica.port(), available.port());

    try (Connection c = master(source)) {
      execute(c, "INSERT INTO shop.orders VALUES (3, 'after-available')");
    }
    ReplicaStatus caughtUp = awaitCaughtUp(replica);
    assertEquals(Long.valueOf(0), caughtUp.secondsBehindMaster());
    try (Connection c = master(replica)) {
      assertEquals("3", scalar(c, "SELECT COUNT(*) FROM shop.orders"));
      assertEquals("5.7.12", scalar(c, "SELECT VERSION()"));
      SQLException readOnly =
          assertThrows(
              SQLException.class, () -> execute(c, "INSERT INTO shop.orders VALUES (9, 'x')"));
      assertEquals(1290, readOnly.getErrorCode(), "read only until promoted");
    }

    rds.promoteReadReplicaDBCluster(r -> r.dbClusterIdentifier("shop-aurora"));
    try (Connection c = master(source)) {
      execute(c, "INSERT INTO shop.orders VALUES (4, 'after-promote')");
    }
    try (Connection c = root(replica)) {
      assertEquals(Optional.empty(), ReplicaStatus.query(c), "replication stopped and reset");
    }
    sandbox.clock().advance(PROMOTE);
    assertEquals("available", cluster().status());
    assertNull(cluster().replicationSourceIdentifier());
    try (Connection c = master(replica)) {
      assertEquals("3", scalar(c, "SELECT COUNT(*) FROM shop.orders"), "row 4 never arrived");
      execute(c, "INSERT INTO shop.orders VALUES (5, 'on-aurora')");
      assertEquals("4", scalar(c, "SELECT COUNT(*) FROM shop.orders"));
    }
    try (Connection c = master(source)) {
      assertEquals("4", scalar(c, "SELECT COUNT(*) FROM shop.orders"), "the source is kept");
    }
  }

  @Test
  void givenDelayedReplication_whenSourceWrites_thenSecondsBehindMasterShowsTheLag()
      throws Exception {
    String sourceArn = sandbox.rds().instance(SandboxAccounts.DEFAULT_ACCOUNT, "shop").arn();
    rds.createDBCluster(
        r ->
            r.dbClusterIdentifier("shop-aurora")
                .engine("aurora-mysql")
                .replicationSourceIdentifier(sourceArn));
    sandbox.clock().advance(CREATE);
    LocalMariaDb replica = sandbox.rds().binding("shop-aurora").orElseThrow();
    awaitCaughtUp(replica);

    sandbox
        .rds()
        .delayReplication(SandboxAccounts.DEFAULT_ACCOUNT, "shop-aurora", Duration.ofSeconds(30));
    try (Connection c = master(source)) {
      execute(c, "INSERT INTO shop.orders VALUES (2, 'delayed')");
    }
    ReplicaStatus lagging =
        await(replica, s -> s.secondsBehindMaster() != null && s.secondsBehindMaster() > 0);
    assertTrue(lagging.secondsBehindMaster() > 0, lagging.toString());
    try (Connection c = master(replica)) {
      assertEquals("1", scalar(c, "SELECT COUNT(*) FROM shop.orders"), "not applied yet");
    }

    sandbox.rds().delayReplication(SandboxAccounts.DEFAULT_ACCOUNT, "shop-aurora", Duration.ZERO);
    awaitCaughtUp(replica);
    try (Connection c = master(replica)) {
      assertEquals("2", scalar(c, "SELECT COUNT(*) FROM shop.orders"));
    }
  }

  private ReplicaStatus awaitCaughtUp(LocalMariaDb replica) throws Exception {
    try (Connection c = root(source)) {
      var target = dev.dbops.sandbox.mysql.BinlogPosition.current(c);
      return await(replica, s -> s.caughtUpWith(target));
    }
  }

  private static ReplicaStatus await(
      LocalMariaDb replica, java.util.function.Predicate<ReplicaStatus> condition)
      throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    try (Connection c = root(replica)) {
      while (true) {
        Optional<ReplicaStatus> s = ReplicaStatus.query(c);
        if (s.isPresent() && condition.test(s.get())) {
          return s.get();
        }
        if (System.nanoTime() > deadline) {
          throw new AssertionError("replica status did not match; last: " + s);
        }
        Thread.sleep(50);
      }
    }
  }

  private DBCluster cluster() {
    return rds.describeDBClusters(r -> r.dbClusterIdentifier("shop-aurora")).dbClusters().get(0);
  }

  private static Connection root(LocalMariaDb db) throws SQLException {
    return DriverManager.getConnection(db.jdbcUrl(""), db.rootUser(), db.rootPassword());
  }

  private static Connection master(LocalMariaDb db) throws SQLException {
    return DriverManager.getConnection(
        db.jdbcUrl(""), RdsSandbox.DEFAULT_MASTER_USERNAME, RdsSandbox.DEFAULT_MASTER_PASSWORD);
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
