package dev.dbops.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBCluster;
import software.amazon.awssdk.services.rds.model.DBClusterSnapshot;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.rds.model.DbClusterAlreadyExistsException;
import software.amazon.awssdk.services.rds.model.DbClusterNotFoundException;
import software.amazon.awssdk.services.rds.model.DbClusterSnapshotAlreadyExistsException;
import software.amazon.awssdk.services.rds.model.DbClusterSnapshotNotFoundException;
import software.amazon.awssdk.services.rds.model.DbInstanceAlreadyExistsException;
import software.amazon.awssdk.services.rds.model.Event;
import software.amazon.awssdk.services.rds.model.InvalidDbClusterSnapshotStateException;
import software.amazon.awssdk.services.rds.model.InvalidDbClusterStateException;
import software.amazon.awssdk.services.rds.model.SourceType;
import software.amazon.awssdk.services.rds.model.Tag;

/**
 * Cluster snapshots, restores and new instances on the compressed clock, with the real RdsClient.
 */
class RdsSnapshotRestoreTest {

  private static final Duration SNAPSHOT = Duration.ofHours(1);
  private static final Duration RESTORE = Duration.ofMinutes(40);
  private static final Duration INSTANCE = Duration.ofMinutes(15);

  private AwsSandbox sandbox;
  private RdsClient rds;

  @BeforeEach
  void start() {
    sandbox =
        AwsSandbox.start(
            SandboxConfig.defaults()
                .withRdsTimings(
                    RdsTimings.defaults()
                        .withSnapshotCreate(SNAPSHOT)
                        .withClusterRestore(RESTORE)
                        .withInstanceCreate(INSTANCE)));
    rds = SandboxClients.rds(sandbox);
    sandbox
        .rds()
        .createCluster(ClusterSeed.aurora56("prod-db").withTag("environment", "production"));
  }

  @AfterEach
  void stop() {
    rds.close();
    sandbox.close();
  }

  @Test
  void
      givenAvailableCluster_whenCreateDBClusterSnapshot_thenCreatingThenAvailableAfterTheConfiguredTime() {
    DBClusterSnapshot created = snapshot("upgrade-prod-db-1");

    assertEquals("creating", created.status());
    assertEquals("prod-db", created.dbClusterIdentifier());
    assertEquals("5.6.10a", created.engineVersion());
    assertEquals("manual", created.snapshotType());
    assertEquals(Map.of("purpose", "pre-upgrade"), RdsDescribeTest.tags(created.tagList()));
    assertEquals(
        1, sandbox.calls().count("CreateDBClusterSnapshot", "prod-db", "upgrade-prod-db-1"));

    sandbox.clock().advance(SNAPSHOT.dividedBy(2));
    DBClusterSnapshot halfway = describe("upgrade-prod-db-1");
    assertEquals("creating", halfway.status());
    assertTrue(
        halfway.percentProgress() >= 45 && halfway.percentProgress() <= 55,
        "progress " + halfway.percentProgress());

    sandbox.clock().advance(SNAPSHOT.dividedBy(2));
    assertEquals("available", describe("upgrade-prod-db-1").status());
    assertEquals(100, describe("upgrade-prod-db-1").percentProgress());
    assertEquals(
        List.of("upgrade-prod-db-1"),
        rds
            .describeDBClusterSnapshots(r -> r.dbClusterIdentifier("prod-db"))
            .dbClusterSnapshots()
            .stream()
            .map(DBClusterSnapshot::dbClusterSnapshotIdentifier)
            .toList());
  }

  @Test
  void givenExistingSnapshotId_whenCreatedAgain_thenAlreadyExists400AndUnknownIdsAre404() {
    snapshot("snap-1");

    DbClusterSnapshotAlreadyExistsException e =
        assertThrows(DbClusterSnapshotAlreadyExistsException.class, () -> snapshot("snap-1"));

    assertEquals(400, e.statusCode());
    assertEquals("DBClusterSnapshotAlreadyExistsFault", e.awsErrorDetails().errorCode());
    assertEquals(
        404,
        assertThrows(DbClusterSnapshotNotFoundException.class, () -> describe("nope"))
            .statusCode());
    assertThrows(
        DbClusterNotFoundException.class,
        () ->
            rds.createDBClusterSnapshot(
                r -> r.dbClusterIdentifier("nope").dbClusterSnapshotIdentifier("snap-2")));
  }

  @Test
  void
      givenAvailableSnapshot_whenRestored_thenNewClusterCreatingThenAvailableWithoutInstancesAndBinlogEvent() {
    snapshot("snap-1");
    assertThrows(
        InvalidDbClusterSnapshotStateException.class, () -> restore("restored-db", "snap-1"));
    sandbox.clock().advance(SNAPSHOT);

    DBCluster restored = restore("restored-db", "snap-1");

    assertEquals("creating", restored.status());
    assertEquals("aurora", restored.engine());
    assertEquals("5.6.10a", restored.engineVersion());
    assertTrue(restored.dbClusterMembers().isEmpty());
    assertEquals(Map.of("environment", "rollback"), RdsDescribeTest.tags(restored.tagList()));
    assertThrows(DbClusterAlreadyExistsException.class, () -> restore("restored-db", "snap-1"));
    assertThrows(InvalidDbClusterStateException.class, () -> createInstance("restored-db-1"));

    sandbox.clock().advance(RESTORE);
    assertEquals("available", cluster("restored-db").status());
    List<String> events =
        rds
            .describeEvents(
                r -> r.sourceType(SourceType.DB_CLUSTER).sourceIdentifier("restored-db"))
            .events()
            .stream()
            .map(Event::message)
            .toList();
    assertTrue(
        events.contains("Binlog position from crash recovery is mysql-bin-changelog.000118 245880"),
        events.toString());
  }

  @Test
  void givenRestoredCluster_whenCreateDBInstance_thenCreatingThenAvailableWriter() {
    snapshot("snap-1");
    sandbox.clock().advance(SNAPSHOT);
    restore("restored-db", "snap-1");
    sandbox.clock().advance(RESTORE);

    DBInstance created = createInstance("restored-db-1");

    assertEquals("creating", created.dbInstanceStatus());
    assertEquals("default.aurora5.6", created.dbParameterGroups().get(0).dbParameterGroupName());
    assertThrows(DbInstanceAlreadyExistsException.class, () -> createInstance("restored-db-1"));
    sandbox.clock().advance(INSTANCE);
    assertEquals(
        "available",
        rds.describeDBInstances(r -> r.dbInstanceIdentifier("restored-db-1"))
            .dbInstances()
            .get(0)
            .dbInstanceStatus());
    DBCluster c = cluster("restored-db");
    assertEquals("restored-db-1", c.dbClusterMembers().get(0).dbInstanceIdentifier());
    assertTrue(c.dbClusterMembers().get(0).isClusterWriter());
  }

  private DBClusterSnapshot snapshot(String id) {
    return rds.createDBClusterSnapshot(
            r ->
                r.dbClusterIdentifier("prod-db")
                    .dbClusterSnapshotIdentifier(id)
                    .tags(Tag.builder().key("purpose").value("pre-upgrade").build()))
        .dbClusterSnapshot();
  }

  private DBClusterSnapshot describe(String id) {
    return rds.describeDBClusterSnapshots(r -> r.dbClusterSnapshotIdentifier(id))
        .dbClusterSnapshots()
        .get(0);
  }

  private DBCluster restore(String id, String snapshotId) {
    return rds.restoreDBClusterFromSnapshot(
            r ->
                r.dbClusterIdentifier(id)
                    .snapshotIdentifier(snapshotId)
                    .engine("aurora")
                    .tags(Tag.builder().key("environment").value("rollback").build()))
        .dbCluster();
  }

  private DBInstance createInstance(String id) {
    return rds.createDBInstance(
            r ->
                r.dbInstanceIdentifier(id)
                    .dbClusterIdentifier("restored-db")
                    .dbInstanceClass("db.r5.large")
                    .engine("aurora"))
        .dbInstance();
  }

  private DBCluster cluster(String id) {
    return rds.describeDBClusters(r -> r.dbClusterIdentifier(id)).dbClusters().get(0);
  }
}
