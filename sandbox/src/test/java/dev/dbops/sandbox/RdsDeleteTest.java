package dev.dbops.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
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
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.rds.model.DbClusterNotFoundException;
import software.amazon.awssdk.services.rds.model.DbClusterSnapshotAlreadyExistsException;
import software.amazon.awssdk.services.rds.model.DbInstanceNotFoundException;
import software.amazon.awssdk.services.rds.model.InvalidDbClusterStateException;
import software.amazon.awssdk.services.rds.model.RdsException;
import software.amazon.awssdk.services.rds.model.Tag;

/**
 * Retiring a staging cluster: instance and cluster deletion, final snapshots, tags, master password
 * changes.
 */
class RdsDeleteTest {

  private static final Duration INSTANCE_DELETE = Duration.ofMinutes(8);
  private static final Duration CLUSTER_DELETE = Duration.ofMinutes(20);

  private AwsSandbox sandbox;
  private RdsClient rds;

  @BeforeEach
  void start() {
    sandbox =
        AwsSandbox.start(
            SandboxConfig.defaults()
                .withRdsTimings(
                    RdsTimings.defaults()
                        .withInstanceDelete(INSTANCE_DELETE)
                        .withClusterDelete(CLUSTER_DELETE)));
    rds = SandboxClients.rds(sandbox);
    sandbox
        .rds()
        .createCluster(
            ClusterSeed.auroraMysql57("staging-old")
                .withInstances("staging-old-1", "staging-old-2")
                .withTag("dbops:owner", "staging/staging-main/run-1"));
  }

  @AfterEach
  void stop() {
    rds.close();
    sandbox.close();
  }

  @Test
  void
      givenClusterWithInstances_whenDeleted_thenRefusedUntilItsInstancesAreDeletingThenDeletingThenGone() {
    InvalidDbClusterStateException refused =
        assertThrows(InvalidDbClusterStateException.class, this::deleteCluster);
    assertEquals(
        "Cluster cannot be deleted, it still contains DB instances in non-deleting state.",
        refused.awsErrorDetails().errorMessage());

    DBInstance deleting =
        rds.deleteDBInstance(r -> r.dbInstanceIdentifier("staging-old-1").skipFinalSnapshot(true))
            .dbInstance();
    assertEquals("deleting", deleting.dbInstanceStatus());
    assertThrows(
        InvalidDbClusterStateException.class, this::deleteCluster, "staging-old-2 is still there");
    rds.deleteDBInstance(r -> r.dbInstanceIdentifier("staging-old-2"));
    assertEquals(
        "available", cluster().status(), "an Aurora cluster without instances stays available");

    DBCluster deletingCluster = deleteCluster();

    assertEquals("deleting", deletingCluster.status());
    assertThrows(InvalidDbClusterStateException.class, this::deleteCluster, "already deleting");
    sandbox.clock().advance(INSTANCE_DELETE);
    assertThrows(
        DbInstanceNotFoundException.class,
        () -> rds.describeDBInstances(r -> r.dbInstanceIdentifier("staging-old-1")));
    assertEquals(List.of(), cluster().dbClusterMembers());
    sandbox.clock().advance(CLUSTER_DELETE);
    assertThrows(DbClusterNotFoundException.class, this::cluster);
    assertEquals(List.of(), rds.describeDBClusters().dbClusters());
    assertEquals(2, sandbox.calls().count("DeleteDBInstance"));
  }

  @Test
  void
      givenNoFinalSnapshotChoice_whenDeleted_thenInvalidParameterCombinationAndWithOneTheSnapshotIsTaken() {
    deleteInstances();

    RdsException neither =
        assertThrows(
            RdsException.class,
            () -> rds.deleteDBCluster(r -> r.dbClusterIdentifier("staging-old")));
    RdsException both =
        assertThrows(
            RdsException.class,
            () ->
                rds.deleteDBCluster(
                    r ->
                        r.dbClusterIdentifier("staging-old")
                            .skipFinalSnapshot(true)
                            .finalDBSnapshotIdentifier("final")));
    rds.createDBClusterSnapshot(
        r -> r.dbClusterIdentifier("staging-old").dbClusterSnapshotIdentifier("taken"));
    assertThrows(
        DbClusterSnapshotAlreadyExistsException.class,
        () ->
            rds.deleteDBCluster(
                r -> r.dbClusterIdentifier("staging-old").finalDBSnapshotIdentifier("taken")));

    rds.deleteDBCluster(
        r -> r.dbClusterIdentifier("staging-old").finalDBSnapshotIdentifier("staging-old-final"));

    for (RdsException e : List.of(neither, both)) {
      assertEquals(400, e.statusCode());
      assertEquals("InvalidParameterCombination", e.awsErrorDetails().errorCode());
    }
    assertEquals(
        "FinalDBSnapshotIdentifier is required unless SkipFinalSnapshot is specified.",
        neither.awsErrorDetails().errorMessage());
    assertEquals(
        "staging-old",
        rds.describeDBClusterSnapshots(r -> r.dbClusterSnapshotIdentifier("staging-old-final"))
            .dbClusterSnapshots()
            .get(0)
            .dbClusterIdentifier());
  }

  @Test
  void givenClusterAndSnapshotArns_whenTaggedAndListed_thenTagsFollowTheResource() {
    String clusterArn = cluster().dbClusterArn();
    rds.createDBClusterSnapshot(
        r ->
            r.dbClusterIdentifier("staging-old")
                .dbClusterSnapshotIdentifier("snap")
                .tags(Tag.builder().key("purpose").value("share").build()));
    String snapshotArn =
        rds.describeDBClusterSnapshots(r -> r.dbClusterSnapshotIdentifier("snap"))
            .dbClusterSnapshots()
            .get(0)
            .dbClusterSnapshotArn();

    rds.addTagsToResource(
        r ->
            r.resourceName(clusterArn).tags(Tag.builder().key("retire-after").value("2d").build()));
    rds.addTagsToResource(
        r ->
            r.resourceName(snapshotArn)
                .tags(Tag.builder().key("dbops:owner").value("run-2").build()));

    assertEquals(
        Map.of("dbops:owner", "staging/staging-main/run-1", "retire-after", "2d"),
        RdsDescribeTest.tags(rds.listTagsForResource(r -> r.resourceName(clusterArn)).tagList()));
    assertEquals(
        Map.of("purpose", "share", "dbops:owner", "run-2"),
        RdsDescribeTest.tags(rds.listTagsForResource(r -> r.resourceName(snapshotArn)).tagList()));
  }

  @Test
  void givenNewMasterPassword_whenModified_thenRecordedAndInvalidOnesRefused() {
    DBCluster modified =
        rds.modifyDBCluster(
                r ->
                    r.dbClusterIdentifier("staging-old")
                        .masterUserPassword("n3w-Staging-pw")
                        .applyImmediately(true))
            .dbCluster();

    assertEquals("available", modified.status());
    assertEquals("admin", modified.masterUsername());
    RdsSandbox.ClusterView view = sandbox.rds().cluster("staging-old");
    assertEquals(1, view.masterPasswordChanges());
    assertEquals(
        "n3w-Staging-pw",
        sandbox.rds().masterCredentials(SandboxAccounts.DEFAULT_ACCOUNT, "staging-old").password());
    for (String bad : List.of("short", "has/slash-in-it", "has@at-sign-in-it", "has space in it")) {
      RdsException e =
          assertThrows(
              RdsException.class,
              () ->
                  rds.modifyDBCluster(
                      r -> r.dbClusterIdentifier("staging-old").masterUserPassword(bad)));
      assertEquals("InvalidParameterValue", e.awsErrorDetails().errorCode(), bad);
    }
    assertEquals(1, sandbox.rds().cluster("staging-old").masterPasswordChanges());
    assertTrue(
        sandbox.rds().events().stream()
            .anyMatch(e -> e.message().equals("Reset master credentials")));
    assertNotNull(view.arn());
  }

  private void deleteInstances() {
    rds.deleteDBInstance(r -> r.dbInstanceIdentifier("staging-old-1"));
    rds.deleteDBInstance(r -> r.dbInstanceIdentifier("staging-old-2"));
  }

  private DBCluster deleteCluster() {
    return rds.deleteDBCluster(r -> r.dbClusterIdentifier("staging-old").skipFinalSnapshot(true))
        .dbCluster();
  }

  private DBCluster cluster() {
    return rds.describeDBClusters(r -> r.dbClusterIdentifier("staging-old")).dbClusters().get(0);
  }
}
