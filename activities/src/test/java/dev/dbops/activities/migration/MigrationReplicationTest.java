package dev.dbops.activities.migration;

import static dev.dbops.activities.SandboxFixture.failureOf;
import static dev.dbops.activities.migration.MigrationFixture.ACCOUNT;
import static dev.dbops.activities.migration.MigrationFixture.NAMES;
import static dev.dbops.activities.migration.MigrationFixture.WORKFLOW_ID;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dbops.sandbox.InstanceSeed;
import dev.dbops.sandbox.RdsSandbox;
import dev.dbops.sandbox.mysql.LocalMariaDb;
import dev.dbops.sandbox.mysql.RdsProcedures;
import dev.dbops.workflows.binlog.BinlogPosition;
import dev.dbops.workflows.binlog.DbTarget;
import dev.dbops.workflows.common.ErrorTypes;
import dev.dbops.workflows.migration.LagWatch;
import dev.dbops.workflows.migration.ReplicaLag;
import dev.dbops.workflows.migration.SourceSqlFacts;
import dev.dbops.workflows.migration.WriteCheck;
import dev.dbops.workflows.migration.WriteProbe;
import dev.dbops.workflows.staging.StagingValidator;
import dev.dbops.workflows.upgrade.ClusterEndpoints;
import dev.dbops.workflows.upgrade.InstanceSpec;
import io.temporal.failure.ApplicationFailure;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The migration's activities in the order the workflow runs them, over the real SDK against the
 * sandbox, with the source instance bound to a real MariaDB: the Aurora read replica cluster is a
 * real replica of it. Rows written on the source before promote are on the Aurora writer after it;
 * lag is observable; promote stops the replication.
 */
@Tag("mariadb")
class MigrationReplicationTest {
  private MigrationFixture aws;
  private LocalMariaDb source;

  @BeforeEach
  void start() throws SQLException {
    aws = new MigrationFixture();
    source =
        LocalMariaDb.start(
            LocalMariaDb.Options.defaults().reportedVersion("5.7.44").serverId(1).logBin(true));
    try (Connection root = root()) {
      RdsProcedures.install(root);
      RdsProcedures.createRdsAdmin(
          root, RdsSandbox.DEFAULT_MASTER_USERNAME, RdsSandbox.DEFAULT_MASTER_PASSWORD);
      execute(root, "CREATE DATABASE shop");
      execute(root, "CREATE TABLE shop.orders (id INT PRIMARY KEY, note VARCHAR(40))");
      execute(root, "INSERT INTO shop.orders VALUES (1, 'before the replica')");
    }
    aws.sandbox.rds().createInstance(InstanceSeed.mysql57("shop"));
    aws.sandbox.rds().bindInstance(ACCOUNT, "shop", source);
  }

  @AfterEach
  void stop() {
    aws.close();
    source.close();
  }

  @Test
  void givenBoundSource_whenReplicatedAndPromoted_thenRowsBeforePromoteOnAuroraAndNoneAfter()
      throws Exception {
    SourceSqlFacts sql = aws.migration.inspectSourceSql(sourceTarget());
    ClusterEndpoints replica = createReplicaAndWriter();
    write(source, 2, "while replicating");

    ReplicaLag caughtUp = awaitSourcePosition(replica);
    ReplicaLag checked =
        aws.migration.checkReplicaLag(
            new LagWatch(target(replica), NAMES.clusterId(), ReplicaLag.BAND_ZERO, Long.MAX_VALUE));
    ApplicationFailure readOnly =
        failureOf(() -> aws.migration.verifyWrite(new WriteProbe(target(replica), WORKFLOW_ID)));

    aws.migration.promote(NAMES.clusterId());
    write(source, 3, "after promote");
    ReplicaLag promoting = aws.migration.readReplicaLag(target(replica));
    aws.sandbox.clock().advance(MigrationFixture.PROMOTE);
    ClusterEndpoints writer = aws.migration.checkPromoted(NAMES.clusterId());
    WriteCheck written = aws.migration.verifyWrite(new WriteProbe(target(writer), WORKFLOW_ID));
    WriteCheck again = aws.migration.verifyWrite(new WriteProbe(target(writer), WORKFLOW_ID));

    assertEquals("5.7.44", sql.version());
    assertTrue(sql.logBin());
    assertFalse(sql.readOnly());
    assertEquals(0L, caughtUp.lagSeconds());
    assertTrue(checked.caughtUp(), "CAUGHT_UP returns whatever band was last reported");
    assertEquals(ErrorTypes.DB_UNAVAILABLE, readOnly.getType(), "read only until promoted");
    assertFalse(promoting.replica(), "promote stopped and reset the replication at once");
    assertEquals(ReplicaLag.BAND_NOT_REPLICA, promoting.band());
    assertEquals("2", scalar(writer, "SELECT COUNT(*) FROM shop.orders"), "rows 1 and 2, not 3");
    assertEquals("while replicating", scalar(writer, "SELECT note FROM shop.orders WHERE id = 2"));
    assertNotEquals(1L, written.serverId(), "written on Aurora, not on the source");
    assertEquals(written.token(), again.token());
    assertEquals("1", scalar(writer, "SELECT COUNT(*) FROM dbops.migration_check"));
  }

  @Test
  void givenDelayedReplica_whenSourceWrites_thenLagReportedThenWaitedOnThenCaughtUp()
      throws Exception {
    ClusterEndpoints replica = createReplicaAndWriter();
    awaitSourcePosition(replica);
    aws.sandbox.rds().delayReplication(ACCOUNT, NAMES.clusterId(), Duration.ofSeconds(60));
    write(source, 2, "delayed");

    ReplicaLag behind = awaitLag(replica, l -> l.lagSeconds() != null && l.lagSeconds() > 0);
    ReplicaLag first =
        aws.migration.checkReplicaLag(new LagWatch(target(replica), NAMES.clusterId(), null, 0));
    ApplicationFailure sameBand =
        failureOf(
            () ->
                aws.migration.checkReplicaLag(
                    new LagWatch(target(replica), NAMES.clusterId(), first.band(), 0)));
    aws.sandbox.rds().delayReplication(ACCOUNT, NAMES.clusterId(), Duration.ZERO);
    ReplicaLag after = awaitSourcePosition(replica);

    assertEquals("<1m", behind.band());
    assertFalse(first.caughtUp());
    assertEquals(ErrorTypes.NOT_READY, sameBand.getType());
    assertTrue(sameBand.getOriginalMessage().contains("lag "), sameBand.getOriginalMessage());
    assertTrue(after.caughtUp());
    assertEquals("2", scalar(replica, "SELECT COUNT(*) FROM shop.orders"));
  }

  /** CreateDBCluster + CreateDBInstance as the run does them, then the cluster available. */
  private ClusterEndpoints createReplicaAndWriter() {
    aws.migration.ensureReplicaCluster(aws.replicaSpec("shop", WORKFLOW_ID));
    aws.rds.createInstance(
        new InstanceSpec(
            NAMES.instanceId(0),
            NAMES.clusterId(),
            "db.r5.large",
            "aurora-mysql",
            Map.of(StagingValidator.OWNER_TAG, WORKFLOW_ID)));
    aws.sandbox.clock().advance(MigrationFixture.CREATE);
    return aws.rds.checkClusterAvailable(NAMES.clusterId());
  }

  /**
   * Until the replica has executed everything the source logged so far: lag 0 alone can be read
   * before the IO thread has fetched the last write (Seconds_Behind_Master's known blind spot).
   */
  private ReplicaLag awaitSourcePosition(ClusterEndpoints replica) throws Exception {
    BinlogPosition at;
    try (Connection c = root();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SHOW MASTER STATUS")) {
      rs.next();
      at = new BinlogPosition(rs.getString(1), rs.getLong(2));
    }
    return awaitLag(replica, l -> l.caughtUp() && at.equals(l.executed()));
  }

  /** Polls the real replica (through the activity) until {@code condition} holds. */
  private ReplicaLag awaitLag(ClusterEndpoints replica, Predicate<ReplicaLag> condition)
      throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      ReplicaLag lag = aws.migration.readReplicaLag(target(replica));
      if (condition.test(lag)) return lag;
      if (System.nanoTime() > deadline)
        throw new AssertionError("replica never got there: " + lag.describe());
      Thread.sleep(50);
    }
  }

  private static DbTarget target(ClusterEndpoints e) {
    return new DbTarget(e.endpoint(), e.port(), MigrationFixture.login());
  }

  private DbTarget sourceTarget() {
    return new DbTarget(source.host(), source.port(), MigrationFixture.login());
  }

  private void write(LocalMariaDb db, int id, String note) throws SQLException {
    try (Connection c =
        DriverManager.getConnection(
            db.jdbcUrl(""),
            RdsSandbox.DEFAULT_MASTER_USERNAME,
            RdsSandbox.DEFAULT_MASTER_PASSWORD)) {
      execute(c, "INSERT INTO shop.orders VALUES (" + id + ", '" + note + "')");
    }
  }

  private static String scalar(ClusterEndpoints e, String sql) throws SQLException {
    try (Connection c =
            DriverManager.getConnection(
                "jdbc:mysql://" + e.endpoint() + ":" + e.port() + "/",
                RdsSandbox.DEFAULT_MASTER_USERNAME,
                RdsSandbox.DEFAULT_MASTER_PASSWORD);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }

  private Connection root() throws SQLException {
    return DriverManager.getConnection(
        source.jdbcUrl(""), source.rootUser(), source.rootPassword());
  }

  private static void execute(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }
}
