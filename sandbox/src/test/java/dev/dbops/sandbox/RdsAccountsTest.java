package dev.dbops.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBCluster;
import software.amazon.awssdk.services.rds.model.DBClusterSnapshot;
import software.amazon.awssdk.services.rds.model.DbClusterNotFoundException;
import software.amazon.awssdk.services.rds.model.DbClusterSnapshotNotFoundException;
import software.amazon.awssdk.services.rds.model.DbInstanceNotFoundException;

/**
 * Each account sees only its own RDS resources; the same identifiers live side by side in two
 * accounts.
 */
class RdsAccountsTest {

  private static final String STAGING = "210987654321";

  private AwsSandbox sandbox;
  private RdsClient prod;
  private RdsClient staging;

  @BeforeEach
  void start() {
    sandbox = AwsSandbox.start(SandboxConfig.defaults());
    sandbox.rds().createCluster(ClusterSeed.auroraMysql57("prod-main"));
    sandbox.rds().createCluster(ClusterSeed.auroraMysql57("staging-old").inAccount(STAGING));
    sandbox.rds().createCluster(ClusterSeed.auroraMysql57("shared-name").inAccount(STAGING));
    sandbox.rds().createCluster(ClusterSeed.auroraMysql57("shared-name"));
    prod = SandboxClients.rds(sandbox);
    staging =
        SandboxClients.rds(
            sandbox,
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create(sandbox.accounts().accessKeyFor(STAGING), "secret")));
  }

  @AfterEach
  void stop() {
    staging.close();
    prod.close();
    sandbox.close();
  }

  @Test
  void givenClustersInTwoAccounts_whenEachDescribes_thenItSeesOnlyItsOwnWithItsAccountInTheArns() {
    List<DBCluster> prodClusters = prod.describeDBClusters().dbClusters();
    List<DBCluster> stagingClusters = staging.describeDBClusters().dbClusters();

    assertEquals(
        List.of("prod-main", "shared-name"),
        prodClusters.stream().map(DBCluster::dbClusterIdentifier).toList());
    assertEquals(
        List.of("staging-old", "shared-name"),
        stagingClusters.stream().map(DBCluster::dbClusterIdentifier).toList());
    assertEquals(
        "arn:aws:rds:us-east-1:210987654321:cluster:staging-old",
        stagingClusters.get(0).dbClusterArn());
    assertEquals(
        "arn:aws:kms:us-east-1:210987654321:key/",
        stagingClusters.get(0).kmsKeyId().substring(0, 39));
    assertEquals(
        sandbox.accounts().kms().defaultRdsKey(STAGING), stagingClusters.get(0).kmsKeyId());
    assertEquals(
        List.of("staging-old-instance-1", "shared-name-instance-1"),
        staging.describeDBInstances().dbInstances().stream()
            .map(i -> i.dbInstanceIdentifier())
            .toList());
  }

  @Test
  void
      givenAnotherAccountsCluster_whenDescribedByIdOrArnOrSnapshotted_thenTheNormalNotFoundErrors() {
    String stagingArn = sandbox.rds().cluster(STAGING, "staging-old").arn();

    DbClusterNotFoundException byId =
        assertThrows(
            DbClusterNotFoundException.class,
            () -> prod.describeDBClusters(r -> r.dbClusterIdentifier("staging-old")));
    assertThrows(
        DbClusterNotFoundException.class,
        () -> prod.describeDBClusters(r -> r.dbClusterIdentifier(stagingArn)));
    assertThrows(
        DbClusterNotFoundException.class,
        () ->
            prod.createDBClusterSnapshot(
                r -> r.dbClusterIdentifier("staging-old").dbClusterSnapshotIdentifier("steal")));
    assertThrows(
        DbClusterNotFoundException.class,
        () -> prod.listTagsForResource(r -> r.resourceName(stagingArn)));
    assertThrows(
        DbInstanceNotFoundException.class,
        () -> prod.describeDBInstances(r -> r.dbInstanceIdentifier("staging-old-instance-1")));
    assertEquals(404, byId.statusCode());
    assertEquals("DBClusterNotFoundFault", byId.awsErrorDetails().errorCode());
  }

  @Test
  void givenSnapshotsWithTheSameIdInTwoAccounts_whenDescribed_thenEachItsOwnUnlessShared() {
    prod.createDBClusterSnapshot(
        r -> r.dbClusterIdentifier("shared-name").dbClusterSnapshotIdentifier("snap"));
    staging.createDBClusterSnapshot(
        r -> r.dbClusterIdentifier("shared-name").dbClusterSnapshotIdentifier("snap"));

    DBClusterSnapshot prodSnap =
        prod.describeDBClusterSnapshots(r -> r.dbClusterSnapshotIdentifier("snap"))
            .dbClusterSnapshots()
            .get(0);
    DBClusterSnapshot stagingSnap =
        staging
            .describeDBClusterSnapshots(r -> r.dbClusterSnapshotIdentifier("snap"))
            .dbClusterSnapshots()
            .get(0);

    assertEquals(
        "arn:aws:rds:us-east-1:123456789012:cluster-snapshot:snap",
        prodSnap.dbClusterSnapshotArn());
    assertEquals(
        "arn:aws:rds:us-east-1:210987654321:cluster-snapshot:snap",
        stagingSnap.dbClusterSnapshotArn());
    assertThrows(
        DbClusterSnapshotNotFoundException.class,
        () ->
            staging.describeDBClusterSnapshots(
                r -> r.dbClusterSnapshotIdentifier(prodSnap.dbClusterSnapshotArn())));
    assertEquals(
        List.of(),
        staging.describeDBClusterSnapshots(r -> r.snapshotType("shared")).dbClusterSnapshots());
    assertEquals(1, sandbox.rds().snapshot(STAGING, "snap").stream().count());
  }
}
