package dev.dbops.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dbops.sandbox.mysql.LocalMariaDb;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBCluster;

/**
 * A cluster bound to a real MariaDB: endpoint = the server, upgrades restart it on the target
 * version.
 */
@Tag("mariadb")
class RdsBoundClusterTest {

  private static final String TARGET = "5.7.mysql_aurora.2.11.2";
  private static final Duration UPGRADE = Duration.ofMinutes(90);

  private static AwsSandbox sandbox;
  private static RdsClient rds;
  private static LocalMariaDb db;

  @BeforeAll
  static void start() throws SQLException {
    sandbox =
        AwsSandbox.start(
            SandboxConfig.defaults()
                .withRdsTimings(RdsTimings.defaults().withClusterUpgrade(UPGRADE)));
    rds = SandboxClients.rds(sandbox);
    db = LocalMariaDb.start(LocalMariaDb.Options.defaults().reportedVersion("5.6.10"));
    try (Connection c = connect("")) {
      execute(c, "CREATE DATABASE app");
      execute(c, "CREATE TABLE app.orders (id INT PRIMARY KEY)");
      execute(c, "INSERT INTO app.orders VALUES (1), (2), (3)");
    }
  }

  @AfterAll
  static void stop() {
    rds.close();
    sandbox.close();
    db.close();
  }

  @Test
  void givenBoundCluster_whenMajorUpgradeRunsThenFailsThenSucceeds_thenServerFollowsTheCluster()
      throws SQLException {
    sandbox.rds().createCluster(ClusterSeed.aurora56("bound-db"));
    sandbox.rds().bind("bound-db", db);

    DBCluster before = cluster();
    assertEquals("127.0.0.1", before.endpoint());
    assertEquals(db.port(), before.port());
    assertEquals(
        "127.0.0.1",
        rds.describeDBInstances(r -> r.dbInstanceIdentifier("bound-db-instance-1"))
            .dbInstances()
            .get(0)
            .endpoint()
            .address());

    // A scripted failure: the server restarts, still on 5.6.
    sandbox.rds().failNextUpgrade("bound-db", "prepared XA transactions exist");
    try (Connection open = connect("app")) {
      upgrade();
      assertThrows(
          SQLException.class,
          () -> scalar(open, "SELECT COUNT(*) FROM orders"),
          "connections drop");
    }
    assertFalse(db.isRunning(), "down while upgrading");
    sandbox.clock().advance(UPGRADE);
    assertEquals("available", cluster().status());
    assertEquals("5.6.10a", cluster().engineVersion());
    try (Connection c = connect("app")) {
      assertEquals("5.6.10", scalar(c, "SELECT VERSION()"));
    }

    // The real upgrade: a connection opened before fails; after available, VERSION() is 5.7.
    try (Connection open = connect("app")) {
      assertEquals("3", scalar(open, "SELECT COUNT(*) FROM orders"));
      upgrade();
      assertThrows(SQLException.class, () -> scalar(open, "SELECT COUNT(*) FROM orders"));
    }
    sandbox.clock().advance(UPGRADE.minusMinutes(1));
    assertEquals("upgrading", cluster().status());
    sandbox.clock().advance(Duration.ofMinutes(1));
    assertEquals("available", cluster().status());
    try (Connection after = connect("app")) {
      assertTrue(scalar(after, "SELECT VERSION()").startsWith("5.7"));
      assertEquals("5.7.12", scalar(after, "SELECT VERSION()"));
      assertEquals("3", scalar(after, "SELECT COUNT(*) FROM orders"), "data survives the upgrade");
    }
    assertEquals(db.host() + ":" + db.port(), sandbox.rds().cluster("bound-db").boundTo());
  }

  private static DBCluster cluster() {
    return rds.describeDBClusters(r -> r.dbClusterIdentifier("bound-db")).dbClusters().get(0);
  }

  private static void upgrade() {
    rds.modifyDBCluster(
        r ->
            r.dbClusterIdentifier("bound-db")
                .engineVersion(TARGET)
                .allowMajorVersionUpgrade(true)
                .applyImmediately(true));
  }

  private static Connection connect(String schema) throws SQLException {
    return DriverManager.getConnection(db.jdbcUrl(schema), db.rootUser(), db.rootPassword());
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
