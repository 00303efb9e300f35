package dev.dbops.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBCluster;
import software.amazon.awssdk.services.rds.model.DbClusterNotFoundException;
import software.amazon.awssdk.services.rds.model.RdsException;
import software.amazon.awssdk.services.rds.model.Tag;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.route53.model.ChangeAction;
import software.amazon.awssdk.services.route53.model.ChangeInfo;
import software.amazon.awssdk.services.route53.model.ChangeStatus;
import software.amazon.awssdk.services.route53.model.RRType;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;

/** The staging demo seed, and the whole 4.2 procedure run by hand over the wire against it. */
@org.junit.jupiter.api.Tag("mariadb")
class StagingDemoTest {

  private AwsSandbox sandbox;
  private StagingDemo.Seeded seeded;

  @BeforeEach
  void start() {
    sandbox = AwsSandbox.start(SandboxConfig.defaults());
    seeded = StagingDemo.seed(sandbox);
  }

  @AfterEach
  void stop() {
    sandbox.close();
  }

  @Test
  void givenSeed_thenProductionHasEncryptedBoundClusterWithPiiAndStagingHasRoleClusterAndCname()
      throws SQLException {
    assertEquals("210987654321", seeded.stagingAccount());
    assertEquals("arn:aws:iam::210987654321:role/dbops-staging", seeded.stagingRoleArn());
    assertEquals(
        sandbox.accounts().kms().defaultRdsKey("123456789012"), seeded.sourceDefaultKeyArn());
    assertTrue(seeded.customerKeyArn().startsWith("arn:aws:kms:us-east-1:123456789012:key/"));
    RdsSandbox.ClusterView source = sandbox.rds().cluster("prod-main");
    assertEquals(List.of("prod-main-1", "prod-main-2"), source.instances());
    assertEquals("production", source.tags().get("environment"));
    assertTrue(source.storageEncrypted());
    assertTrue(source.boundTo().startsWith("127.0.0.1:"));
    try (Connection c =
        DriverManager.getConnection(
            seeded.sourceJdbcUrl(), seeded.masterUsername(), seeded.masterPassword())) {
      assertEquals("300", scalar(c, "SELECT COUNT(*) FROM users"));
      assertEquals("900", scalar(c, "SELECT COUNT(*) FROM orders"));
      assertEquals(
          "grace.hopper11@example.com|Grace Hopper|+1-202-555-0407",
          scalar(c, "SELECT CONCAT_WS('|', email, name, phone) FROM users WHERE id = 11"));
      assertEquals(
          "0",
          scalar(
              c,
              "SELECT COUNT(*) FROM orders o LEFT JOIN users u ON u.id = o.user_id "
                  + "WHERE u.id IS NULL"));
    }
    RdsSandbox.ClusterView old = sandbox.rds().cluster("210987654321", "staging-old");
    assertEquals(
        Map.of("environment", "staging", "dbops:owner", "staging/db.staging.internal"), old.tags());
    assertEquals(
        old.endpoint(),
        sandbox
            .route53()
            .recordValue(seeded.hostedZoneId(), "db.staging.internal.", "CNAME")
            .orElseThrow());
    assertEquals(
        0,
        sandbox
            .route53()
            .record(seeded.hostedZoneId(), seeded.recordName(), "CNAME")
            .orElseThrow()
            .ttl());
    assertTrue(sandbox.route53().zone(seeded.hostedZoneId()).orElseThrow().privateZone());
    assertEquals(
        "210987654321", sandbox.route53().zone(seeded.hostedZoneId()).orElseThrow().account());
  }

  @Test
  void
      givenSeededDemo_whenTheStagingRebuildRunsByHandOverTheWire_thenMaskedClusterBehindTheCnameAndOldOneGone()
          throws SQLException {
    Duration step = Duration.ofMinutes(5); // every default timing is shorter
    String owner = "staging/db.staging.internal";
    try (RdsClient prod = SandboxClients.rds(sandbox);
        StsClient sts = SandboxClients.sts(sandbox);
        StsAssumeRoleCredentialsProvider asStaging =
            SandboxClients.assumeRole(sts, seeded.stagingRoleArn(), "rebuild");
        RdsClient staging = SandboxClients.rds(sandbox, asStaging);
        Route53Client dns = SandboxClients.route53(sandbox, asStaging)) {
      // 2. snapshot; 3. aws/rds cannot be shared: copy with the customer managed key; 4. share
      prod.createDBClusterSnapshot(
          r -> r.dbClusterIdentifier("prod-main").dbClusterSnapshotIdentifier("rebuild-1"));
      sandbox.clock().advance(step);
      RdsException refused =
          assertThrows(
              RdsException.class,
              () ->
                  prod.modifyDBClusterSnapshotAttribute(
                      r ->
                          r.dbClusterSnapshotIdentifier("rebuild-1")
                              .attributeName("restore")
                              .valuesToAdd("210987654321")));
      assertEquals("InvalidParameterValue", refused.awsErrorDetails().errorCode());
      prod.copyDBClusterSnapshot(
          r ->
              r.sourceDBClusterSnapshotIdentifier("rebuild-1")
                  .targetDBClusterSnapshotIdentifier("rebuild-1-shared")
                  .kmsKeyId(seeded.customerKeyArn())
                  .tags(Tag.builder().key("dbops:owner").value(owner).build()));
      sandbox.clock().advance(step);
      prod.modifyDBClusterSnapshotAttribute(
          r ->
              r.dbClusterSnapshotIdentifier("rebuild-1-shared")
                  .attributeName("restore")
                  .valuesToAdd("210987654321"));
      String arn =
          prod.describeDBClusterSnapshots(r -> r.dbClusterSnapshotIdentifier("rebuild-1-shared"))
              .dbClusterSnapshots()
              .get(0)
              .dbClusterSnapshotArn();

      // 5. restore in the staging account, add an instance, tag with the owner
      staging.restoreDBClusterFromSnapshot(
          r ->
              r.dbClusterIdentifier("staging-new")
                  .snapshotIdentifier(arn)
                  .engine("aurora-mysql")
                  .tags(Tag.builder().key("dbops:owner").value(owner).build()));
      sandbox.clock().advance(step);
      staging.createDBInstance(
          r ->
              r.dbInstanceIdentifier("staging-new-1")
                  .dbClusterIdentifier("staging-new")
                  .dbInstanceClass("db.r6g.large")
                  .engine("aurora-mysql"));
      sandbox.clock().advance(step);
      DBCluster fresh =
          staging.describeDBClusters(r -> r.dbClusterIdentifier("staging-new")).dbClusters().get(0);
      assertEquals("available", fresh.status());

      // 6. new master password, masking, verification on the real rows
      staging.modifyDBCluster(
          r ->
              r.dbClusterIdentifier("staging-new")
                  .masterUserPassword("Staging-Only-42")
                  .applyImmediately(true));
      String url = "jdbc:mysql://" + fresh.endpoint() + ":" + fresh.port() + "/app";
      try (Connection c =
              DriverManager.getConnection(url, fresh.masterUsername(), "Staging-Only-42");
          Statement s = c.createStatement()) {
        assertEquals("300", scalar(c, "SELECT COUNT(*) FROM users"));
        s.executeUpdate(
            "UPDATE users SET email = CONCAT('user', id, '@staging.invalid'), "
                + "name = CONCAT('User ', id), phone = '+1-000-000-0000'");
        assertEquals("0", scalar(c, "SELECT COUNT(*) FROM users WHERE email LIKE '%@example.com'"));
      }

      // 8. cut over: UPSERT the CNAME, wait INSYNC
      String zone = seeded.hostedZoneId();
      ResourceRecordSet before =
          dns.listResourceRecordSets(
                  r ->
                      r.hostedZoneId(zone)
                          .startRecordName(seeded.recordName())
                          .startRecordType(RRType.CNAME)
                          .maxItems("1"))
              .resourceRecordSets()
              .get(0);
      ChangeInfo change =
          dns.changeResourceRecordSets(
                  r ->
                      r.hostedZoneId(zone)
                          .changeBatch(
                              b ->
                                  b.changes(
                                      c ->
                                          c.action(ChangeAction.UPSERT)
                                              .resourceRecordSet(
                                                  rr ->
                                                      rr.name(seeded.recordName())
                                                          .type(RRType.CNAME)
                                                          .ttl(0L)
                                                          .resourceRecords(
                                                              v -> v.value(fresh.endpoint()))))))
              .changeInfo();
      sandbox.clock().advance(step);
      assertEquals(
          ChangeStatus.INSYNC, dns.getChange(r -> r.id(change.id())).changeInfo().status());
      assertEquals(
          seeded.recordValue(), before.resourceRecords().get(0).value(), "kept for a revert");
      assertEquals(
          fresh.endpoint(),
          sandbox.route53().recordValue(zone, seeded.recordName(), "CNAME").orElseThrow());

      // 9. retire the old cluster (it carries our owner tag), unshare and delete the temporary
      // snapshots
      String oldArn = seeded.stagingClusterArn();
      assertEquals(
          owner,
          RdsDescribeTest.tags(staging.listTagsForResource(r -> r.resourceName(oldArn)).tagList())
              .get("dbops:owner"));
      staging.deleteDBInstance(r -> r.dbInstanceIdentifier("staging-old-1"));
      staging.deleteDBCluster(r -> r.dbClusterIdentifier("staging-old").skipFinalSnapshot(true));
      prod.modifyDBClusterSnapshotAttribute(
          r ->
              r.dbClusterSnapshotIdentifier("rebuild-1-shared")
                  .attributeName("restore")
                  .valuesToRemove("210987654321"));
      prod.deleteDBClusterSnapshot(r -> r.dbClusterSnapshotIdentifier("rebuild-1-shared"));
      prod.deleteDBClusterSnapshot(r -> r.dbClusterSnapshotIdentifier("rebuild-1"));
      sandbox.clock().advance(step);
      assertThrows(
          DbClusterNotFoundException.class,
          () -> staging.describeDBClusters(r -> r.dbClusterIdentifier("staging-old")));
      assertEquals(
          List.of("staging-new"),
          staging.describeDBClusters().dbClusters().stream()
              .map(DBCluster::dbClusterIdentifier)
              .toList());
      assertEquals(List.of(), prod.describeDBClusterSnapshots().dbClusterSnapshots());
    }
    try (Connection c =
        DriverManager.getConnection(
            seeded.sourceJdbcUrl(), seeded.masterUsername(), seeded.masterPassword())) {
      assertEquals(
          "300",
          scalar(c, "SELECT COUNT(*) FROM users WHERE email LIKE '%@example.com'"),
          "production is untouched");
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
