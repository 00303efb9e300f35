package dev.dbops.activities.binlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dbops.sandbox.mysql.RdsProcedures;
import dev.dbops.workflows.binlog.BinlogPosition;
import dev.dbops.workflows.binlog.ReplicaSetup;
import dev.dbops.workflows.binlog.ReplicaState;
import dev.dbops.workflows.binlog.ReplicationActivities;
import dev.dbops.workflows.common.ErrorTypes;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code setUpReplica} from a GTID source (gtid_strict_mode=ON on the MariaDB stand-in) on a real
 * pair: by auto-position, refused before any change when the replica has executed no GTIDs, and
 * through Aurora MySQL 2's five-parameter procedure where the replica has that one; and the MariaDB
 * side of {@link GtidState} read from a real replica stopped on a conflict.
 */
@Tag("mariadb")
class GtidSetUpTest {
  private static ReplicationFixture fx;
  private static ReplicationActivities sql;

  @BeforeAll
  static void start() {
    fx = ReplicationFixture.start();
    sql = fx.activities(fx.environment(SkipHooks.NONE), ReplicationFixture.ONE_ATTEMPT);
  }

  @AfterAll
  static void stop() {
    if (fx != null) fx.close();
  }

  @BeforeEach
  void reset() throws Exception {
    fx.reset();
    try (Connection root = fx.pair.connectReplica()) {
      RdsProcedures.install(root); // the five-parameter test replaces one
    }
    root(
        fx.pair.connectSource(),
        "SET GLOBAL gtid_strict_mode = 1",
        "CREATE DATABASE app",
        "CREATE TABLE app.t (id INT PRIMARY KEY)");
  }

  @Test
  void givenAGtidSourceAndAReplicaThatExecutedNoGtids_whenSetUp_thenRefusedAndNothingConfigured()
      throws Exception {
    ActivityFailure f = assertThrows(ActivityFailure.class, () -> sql.setUpReplica(setup()));

    ApplicationFailure af = (ApplicationFailure) f.getCause();
    assertEquals(ErrorTypes.INVALID_STATE, af.getType(), af.getOriginalMessage());
    assertTrue(af.getOriginalMessage().contains("has executed none"), af.getOriginalMessage());
    assertEquals(List.of(), fx.onReplica("SHOW SLAVE STATUS"), "no replication configured");
  }

  @Test
  void
      givenAReplicaWithAuroraFiveParameterProcedure_whenSetUp_thenThatFormIsCalledAndReplicationRunsByGtid()
          throws Exception {
    root(
        fx.pair.connectReplica(),
        """
        CREATE OR REPLACE DEFINER = 'rdsadmin'@'localhost' PROCEDURE mysql.rds_set_external_master_with_auto_position(
          IN host_name VARCHAR(255), IN host_port INT, IN replication_user_name VARCHAR(128),
          IN replication_user_password TEXT, IN ssl_encryption TINYINT)
          SQL SECURITY DEFINER
        BEGIN
          SET @rds_cmd = CONCAT('CHANGE MASTER TO MASTER_HOST = ', QUOTE(host_name), ', MASTER_PORT = ', host_port,
            ', MASTER_USER = ', QUOTE(replication_user_name), ', MASTER_PASSWORD = ', QUOTE(replication_user_password),
            ', MASTER_SSL = ', ssl_encryption, ', MASTER_USE_GTID = slave_pos');
          PREPARE rds_stmt FROM @rds_cmd;
          EXECUTE rds_stmt;
          DEALLOCATE PREPARE rds_stmt;
        END""");
    root(
        fx.pair.connectReplica(),
        "CREATE DATABASE app",
        "CREATE TABLE app.t (id INT PRIMARY KEY)",
        "SET GLOBAL gtid_slave_pos = '"
            + fx.onSource("SELECT @@global.gtid_binlog_pos").get(0)
            + "'");

    ReplicaState state = sql.setUpReplica(setup());
    root(fx.pair.connectSource(), "INSERT INTO app.t VALUES (1)");
    fx.pair.awaitCaughtUp(Duration.ofSeconds(20));

    assertNotNull(state.gtidExecuted(), "positioned by GTID: " + state);
    assertEquals(List.of("1"), fx.onReplica("SELECT id FROM app.t"));
    assertEquals(
        fx.onSource("SELECT @@global.gtid_binlog_pos"),
        fx.onReplica("SELECT @@global.gtid_slave_pos"));
  }

  @Test
  void
      givenAReplicaByGtidStoppedOnAConflict_whenItsStatusIsRead_thenTheAdapterGivesMariaDbsPositionsAndTheFailingGtid()
          throws Exception {
    root(
        fx.pair.connectReplica(),
        "CREATE DATABASE app",
        "CREATE TABLE app.t (id INT PRIMARY KEY)",
        "SET GLOBAL gtid_slave_pos = '"
            + fx.onSource("SELECT @@global.gtid_binlog_pos").get(0)
            + "'",
        "INSERT INTO app.t VALUES (2)");
    sql.setUpReplica(setup());
    root(
        fx.pair.connectSource(),
        "INSERT INTO app.t VALUES (1)",
        "INSERT INTO app.t VALUES (2)",
        "INSERT INTO app.t VALUES (3)");
    fx.pair.awaitSqlError(Duration.ofSeconds(20));

    try (SqlSession replica =
        SqlSession.open(
            new dev.dbops.activities.mysql.MySqlConnector(ReplicationFixture.SETTINGS),
            fx.replica(),
            fx.pair.adminPassword())) {
      SlaveStatus s = ReplicaReads.status(replica, fx.source());
      GtidState g = s.gtid();
      String received;
      try (Connection root = fx.pair.connectReplica();
          Statement st = root.createStatement();
          java.sql.ResultSet rs = st.executeQuery("SHOW SLAVE STATUS")) {
        rs.next();
        received = rs.getString("Gtid_IO_Pos");
      }

      assertEquals(GtidState.MARIADB, g.flavor());
      assertTrue(g.positioned() && g.skipsByGtid(), g.toString());
      assertEquals(fx.onReplica("SELECT @@global.gtid_slave_pos").get(0), g.executed());
      assertEquals(received, g.received());
      assertEquals(
          fx.onSource("SELECT @@global.gtid_binlog_pos").get(0),
          g.received(),
          "everything was received");
      String failing = s.failingGtid(GroupReader.read(replica, () -> null, s).journalLines());
      assertEquals(
          fx.onReplica(
                  "SELECT LAST_SEEN_TRANSACTION FROM performance_schema.replication_applier_status_by_coordinator")
              .get(0),
          failing,
          "the GTID event of the group the SQL thread stopped on");
      assertEquals(g.executed(), s.state().gtidExecuted(), "what status shows");
    }
  }

  private static ReplicaSetup setup() throws Exception {
    String[] at = fx.onSource("SHOW MASTER STATUS").get(0).split("\t");
    return new ReplicaSetup(
        fx.replica(),
        fx.source(),
        fx.replicationUser(),
        new BinlogPosition(at[0], Long.parseLong(at[1])),
        false);
  }

  private static void root(Connection c, String... statements) throws Exception {
    try (c;
        Statement s = c.createStatement()) {
      for (String sql : statements) s.execute(sql);
    }
  }
}
