package dev.dbops.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
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
import software.amazon.awssdk.services.rds.model.DBClusterSnapshotAttributesResult;
import software.amazon.awssdk.services.rds.model.DbClusterSnapshotNotFoundException;
import software.amazon.awssdk.services.rds.model.Event;
import software.amazon.awssdk.services.rds.model.InvalidDbClusterSnapshotStateException;
import software.amazon.awssdk.services.rds.model.KmsKeyNotAccessibleException;
import software.amazon.awssdk.services.rds.model.RdsException;
import software.amazon.awssdk.services.rds.model.SourceType;
import software.amazon.awssdk.services.rds.model.Tag;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;

/**
 * The snapshot-share steps of the staging rebuild with real RdsClients in two accounts: a snapshot
 * encrypted with aws/rds cannot be shared, a copy with a customer managed key can, and the target
 * account restores it by ARN through an assumed role.
 */
class RdsSnapshotShareTest {

  private static final String STAGING = "210987654321";
  private static final Duration SNAPSHOT = Duration.ofMinutes(30);
  private static final Duration COPY = Duration.ofMinutes(20);
  private static final Duration RESTORE = Duration.ofMinutes(40);
  private static final Duration INSTANCE = Duration.ofMinutes(15);

  private AwsSandbox sandbox;
  private RdsClient source;
  private StsClient sts;
  private StsAssumeRoleCredentialsProvider stagingCredentials;
  private RdsClient target;
  private String cmk;

  @BeforeEach
  void start() {
    sandbox =
        AwsSandbox.start(
            SandboxConfig.defaults()
                .withRdsTimings(
                    RdsTimings.defaults()
                        .withSnapshotCreate(SNAPSHOT)
                        .withSnapshotCopy(COPY)
                        .withClusterRestore(RESTORE)
                        .withInstanceCreate(INSTANCE)));
    source = SandboxClients.rds(sandbox);
    sts = SandboxClients.sts(sandbox);
    String role = sandbox.accounts().allowRole(STAGING, "dbops-staging");
    stagingCredentials = SandboxClients.assumeRole(sts, role, "staging-rebuild");
    target = SandboxClients.rds(sandbox, stagingCredentials);
    cmk =
        sandbox.accounts().kms().createCustomerKey(SandboxAccounts.DEFAULT_ACCOUNT, "dbops-share");
    sandbox
        .rds()
        .createCluster(ClusterSeed.auroraMysql57("prod-main").withTag("environment", "production"));
    source.createDBClusterSnapshot(
        r -> r.dbClusterIdentifier("prod-main").dbClusterSnapshotIdentifier("share-1"));
    sandbox.clock().advance(SNAPSHOT);
  }

  @AfterEach
  void stop() {
    target.close();
    stagingCredentials.close();
    sts.close();
    source.close();
    sandbox.close();
  }

  @Test
  void
      givenSnapshotEncryptedWithTheDefaultKey_whenShared_thenInvalidParameterValueAndNothingShared() {
    DBClusterSnapshot snapshot = describe(source, "share-1");
    assertTrue(snapshot.storageEncrypted());
    assertEquals(
        sandbox.accounts().kms().defaultRdsKey(SandboxAccounts.DEFAULT_ACCOUNT),
        snapshot.kmsKeyId());

    RdsException e = assertThrows(RdsException.class, () -> share("share-1"));

    assertEquals(400, e.statusCode());
    assertEquals("InvalidParameterValue", e.awsErrorDetails().errorCode());
    assertFalse(e.isThrottlingException());
    assertTrue(
        e.awsErrorDetails().errorMessage().contains("aws/rds"), e.awsErrorDetails().errorMessage());
    assertEquals(
        List.of(),
        attributeValues(
            source
                .describeDBClusterSnapshotAttributes(r -> r.dbClusterSnapshotIdentifier("share-1"))
                .dbClusterSnapshotAttributesResult()));
  }

  @Test
  void
      givenCopyWithCustomerKey_whenSharedAndRestoredByArnWithAssumedRole_thenTargetClusterAvailableWithAnInstance() {
    DBClusterSnapshot copy =
        source
            .copyDBClusterSnapshot(
                r ->
                    r.sourceDBClusterSnapshotIdentifier("share-1")
                        .targetDBClusterSnapshotIdentifier("share-1-cmk")
                        .kmsKeyId(cmk)
                        .tags(
                            Tag.builder().key("dbops:owner").value("staging/staging-main").build()))
            .dbClusterSnapshot();
    assertEquals("copying", copy.status());
    assertEquals(cmk, copy.kmsKeyId());
    assertTrue(
        copy.sourceDBClusterSnapshotArn().endsWith(":123456789012:cluster-snapshot:share-1"));
    assertThrows(
        InvalidDbClusterSnapshotStateException.class,
        () -> share("share-1-cmk"),
        "not available yet");
    sandbox.clock().advance(COPY);
    assertEquals("available", describe(source, "share-1-cmk").status());

    DBClusterSnapshotAttributesResult shared = share("share-1-cmk");

    assertEquals(List.of(STAGING), attributeValues(shared));
    String arn = describe(source, "share-1-cmk").dbClusterSnapshotArn();
    assertEquals("arn:aws:rds:us-east-1:123456789012:cluster-snapshot:share-1-cmk", arn);
    List<DBClusterSnapshot> visible =
        target.describeDBClusterSnapshots(r -> r.snapshotType("shared")).dbClusterSnapshots();
    assertEquals(
        List.of(arn), visible.stream().map(DBClusterSnapshot::dbClusterSnapshotArn).toList());
    assertEquals("shared", visible.get(0).snapshotType());
    assertEquals(
        List.of(),
        target.describeDBClusterSnapshots(r -> r.snapshotType("manual")).dbClusterSnapshots(),
        "not its own");
    assertEquals(
        1,
        target.describeDBClusterSnapshots(r -> r.includeShared(true)).dbClusterSnapshots().size());
    assertEquals(arn, describe(target, arn).dbClusterSnapshotArn(), "by ARN");

    DBCluster restored =
        target
            .restoreDBClusterFromSnapshot(
                r ->
                    r.dbClusterIdentifier("staging-new")
                        .snapshotIdentifier(arn)
                        .engine("aurora-mysql")
                        .tags(
                            Tag.builder().key("dbops:owner").value("staging/staging-main").build()))
            .dbCluster();

    assertEquals("creating", restored.status());
    assertEquals("arn:aws:rds:us-east-1:210987654321:cluster:staging-new", restored.dbClusterArn());
    assertEquals(cmk, restored.kmsKeyId());
    sandbox.clock().advance(RESTORE);
    target.createDBInstance(
        r ->
            r.dbInstanceIdentifier("staging-new-1")
                .dbClusterIdentifier("staging-new")
                .dbInstanceClass("db.r6g.large")
                .engine("aurora-mysql"));
    sandbox.clock().advance(INSTANCE);
    DBCluster available =
        target.describeDBClusters(r -> r.dbClusterIdentifier("staging-new")).dbClusters().get(0);
    assertEquals("available", available.status());
    assertEquals("staging-new-1", available.dbClusterMembers().get(0).dbInstanceIdentifier());
    assertEquals(
        "available",
        target
            .describeDBInstances(r -> r.dbInstanceIdentifier("staging-new-1"))
            .dbInstances()
            .get(0)
            .dbInstanceStatus());
    assertEquals(
        Map.of("dbops:owner", "staging/staging-main"),
        RdsDescribeTest.tags(
            target.listTagsForResource(r -> r.resourceName(available.dbClusterArn())).tagList()));
    List<String> events =
        target
            .describeEvents(
                r -> r.sourceType(SourceType.DB_CLUSTER).sourceIdentifier("staging-new"))
            .events()
            .stream()
            .map(Event::message)
            .toList();
    assertTrue(events.contains(RdsSandbox.BINLOG_RECOVERY), events.toString());
    assertEquals(
        List.of(),
        source
            .describeEvents(
                r -> r.sourceType(SourceType.DB_CLUSTER).sourceIdentifier("staging-new"))
            .events(),
        "the source account does not see the target's events");
  }

  @Test
  void givenSnapshotNotSharedWithTheCaller_whenRestoredByArn_thenDBClusterSnapshotNotFoundFault() {
    copyWithCmkAndWait("share-1-cmk");
    String arn = describe(source, "share-1-cmk").dbClusterSnapshotArn();
    source.modifyDBClusterSnapshotAttribute(
        r ->
            r.dbClusterSnapshotIdentifier("share-1-cmk")
                .attributeName("restore")
                .valuesToAdd("333333333333"));

    DbClusterSnapshotNotFoundException e =
        assertThrows(DbClusterSnapshotNotFoundException.class, () -> restore(arn));

    assertEquals(404, e.statusCode());
    assertEquals("DBClusterSnapshotNotFoundFault", e.awsErrorDetails().errorCode());
    assertFalse(e.isThrottlingException());
    assertTrue(
        e.awsErrorDetails().errorMessage().contains(arn), e.awsErrorDetails().errorMessage());
    assertThrows(
        DbClusterSnapshotNotFoundException.class, () -> describe(target, arn), "invisible as well");
    assertThrows(
        DbClusterSnapshotNotFoundException.class,
        () -> restore("share-1-cmk"),
        "a bare id names the caller's own snapshot");
  }

  @Test
  void givenSharedSnapshot_whenUnshared_thenRestoreIsRefusedAgain() {
    copyWithCmkAndWait("share-1-cmk");
    String arn = describe(source, "share-1-cmk").dbClusterSnapshotArn();
    share("share-1-cmk");
    restore(arn);

    DBClusterSnapshotAttributesResult after =
        source
            .modifyDBClusterSnapshotAttribute(
                r ->
                    r.dbClusterSnapshotIdentifier("share-1-cmk")
                        .attributeName("restore")
                        .valuesToRemove(STAGING))
            .dbClusterSnapshotAttributesResult();

    assertEquals(List.of(), attributeValues(after));
    assertThrows(
        DbClusterSnapshotNotFoundException.class,
        () ->
            target.restoreDBClusterFromSnapshot(
                r ->
                    r.dbClusterIdentifier("staging-2")
                        .snapshotIdentifier(arn)
                        .engine("aurora-mysql")));
    assertEquals(
        "creating",
        target
            .describeDBClusters(r -> r.dbClusterIdentifier("staging-new"))
            .dbClusters()
            .get(0)
            .status(),
        "the first restore goes on");
  }

  @Test
  void
      givenSharedEncryptedSnapshot_whenTargetCopiesItWithoutAKey_thenKmsKeyNotAccessibleAndWithItsOwnKeyItWorks() {
    copyWithCmkAndWait("share-1-cmk");
    share("share-1-cmk");
    String arn = describe(source, "share-1-cmk").dbClusterSnapshotArn();
    String stagingKey = sandbox.accounts().kms().createCustomerKey(STAGING, "staging-db");

    assertThrows(
        KmsKeyNotAccessibleException.class,
        () ->
            target.copyDBClusterSnapshot(
                r ->
                    r.sourceDBClusterSnapshotIdentifier(arn)
                        .targetDBClusterSnapshotIdentifier("local-copy")));
    DBClusterSnapshot local =
        target
            .copyDBClusterSnapshot(
                r ->
                    r.sourceDBClusterSnapshotIdentifier(arn)
                        .targetDBClusterSnapshotIdentifier("local-copy")
                        .kmsKeyId("alias/staging-db"))
            .dbClusterSnapshot();

    assertEquals(stagingKey, local.kmsKeyId());
    assertEquals(
        "arn:aws:rds:us-east-1:210987654321:cluster-snapshot:local-copy",
        local.dbClusterSnapshotArn());
    assertNotEquals(stagingKey, cmk);
  }

  @Test
  void givenSnapshotBeingCopiedOrShared_whenOwnerDeletesIt_thenGoneForEveryone() {
    copyWithCmkAndWait("share-1-cmk");
    share("share-1-cmk");
    String arn = describe(source, "share-1-cmk").dbClusterSnapshotArn();

    DBClusterSnapshot deleted =
        source
            .deleteDBClusterSnapshot(r -> r.dbClusterSnapshotIdentifier("share-1-cmk"))
            .dbClusterSnapshot();

    assertEquals("deleted", deleted.status());
    assertThrows(DbClusterSnapshotNotFoundException.class, () -> describe(source, "share-1-cmk"));
    assertThrows(DbClusterSnapshotNotFoundException.class, () -> restore(arn));
    assertThrows(
        DbClusterSnapshotNotFoundException.class,
        () -> target.deleteDBClusterSnapshot(r -> r.dbClusterSnapshotIdentifier("share-1")),
        "another account's snapshot cannot be deleted");
    assertEquals("available", describe(source, "share-1").status());
  }

  private void copyWithCmkAndWait(String id) {
    source.copyDBClusterSnapshot(
        r ->
            r.sourceDBClusterSnapshotIdentifier("share-1")
                .targetDBClusterSnapshotIdentifier(id)
                .kmsKeyId(cmk));
    sandbox.clock().advance(COPY);
  }

  private DBClusterSnapshotAttributesResult share(String id) {
    return source
        .modifyDBClusterSnapshotAttribute(
            r -> r.dbClusterSnapshotIdentifier(id).attributeName("restore").valuesToAdd(STAGING))
        .dbClusterSnapshotAttributesResult();
  }

  private DBCluster restore(String snapshot) {
    return target
        .restoreDBClusterFromSnapshot(
            r ->
                r.dbClusterIdentifier("staging-new")
                    .snapshotIdentifier(snapshot)
                    .engine("aurora-mysql"))
        .dbCluster();
  }

  private static DBClusterSnapshot describe(RdsClient rds, String idOrArn) {
    return rds.describeDBClusterSnapshots(r -> r.dbClusterSnapshotIdentifier(idOrArn))
        .dbClusterSnapshots()
        .get(0);
  }

  private static List<String> attributeValues(DBClusterSnapshotAttributesResult result) {
    return result.dbClusterSnapshotAttributes().stream()
        .filter(a -> "restore".equals(a.attributeName()))
        .flatMap(a -> a.attributeValues().stream())
        .toList();
  }
}
