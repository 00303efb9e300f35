package dev.dbops.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBCluster;
import software.amazon.awssdk.services.rds.model.DBClusterMember;
import software.amazon.awssdk.services.rds.model.DBEngineVersion;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.rds.model.DbClusterNotFoundException;
import software.amazon.awssdk.services.rds.model.DbInstanceNotFoundException;
import software.amazon.awssdk.services.rds.model.DbParameterGroupNotFoundException;
import software.amazon.awssdk.services.rds.model.Filter;
import software.amazon.awssdk.services.rds.model.PendingMaintenanceAction;
import software.amazon.awssdk.services.rds.model.RdsException;
import software.amazon.awssdk.services.rds.model.ResourcePendingMaintenanceActions;
import software.amazon.awssdk.services.rds.model.Tag;
import software.amazon.awssdk.services.rds.model.UpgradeTarget;

/** RDS describe calls, tags, errors and throttling as the real SDK RdsClient sees them. */
class RdsDescribeTest {

  private static AwsSandbox sandbox;
  private static RdsClient rds;

  @BeforeAll
  static void start() {
    sandbox = AwsSandbox.start(SandboxConfig.defaults());
    rds = SandboxClients.rds(sandbox);
    sandbox
        .rds()
        .createCluster(
            ClusterSeed.aurora56("prod-db")
                .withInstances("prod-db-1", "prod-db-2")
                .withParameterGroups("prod-aurora56-cluster", "prod-aurora56-instance")
                .withTag("environment", "production")
                .withBacktrackWindow(86_400));
    sandbox
        .rds()
        .createCluster(ClusterSeed.aurora56("staging-db").withTag("environment", "staging"));
    sandbox.rds().addPendingMaintenance("prod-db", "system-update", "Upgrade to Aurora 1.22.2");
  }

  @AfterAll
  static void stop() {
    rds.close();
    sandbox.close();
  }

  @BeforeEach
  void reset() {
    sandbox.faults().clear();
    sandbox.calls().clear();
  }

  @Test
  void givenSeededCluster_whenDescribeDBClusters_thenEveryFieldTheUpgradeChecksIsThere() {
    DBCluster c = rds.describeDBClusters(r -> r.dbClusterIdentifier("prod-db")).dbClusters().get(0);

    assertEquals("prod-db", c.dbClusterIdentifier());
    assertEquals("available", c.status());
    assertEquals("aurora", c.engine());
    assertEquals("5.6.10a", c.engineVersion());
    assertEquals("prod-db.cluster-sandbox.us-east-1.rds.invalid", c.endpoint());
    assertEquals("prod-db.cluster-ro-sandbox.us-east-1.rds.invalid", c.readerEndpoint());
    assertEquals(3306, c.port());
    assertEquals("prod-aurora56-cluster", c.dbClusterParameterGroup());
    assertEquals(
        List.of("prod-db-1", "prod-db-2"),
        c.dbClusterMembers().stream().map(DBClusterMember::dbInstanceIdentifier).toList());
    assertEquals(
        List.of(true, false),
        c.dbClusterMembers().stream().map(DBClusterMember::isClusterWriter).toList());
    assertEquals("in-sync", c.dbClusterMembers().get(0).dbClusterParameterGroupStatus());
    assertEquals(86_400L, c.backtrackWindow());
    assertNotNull(c.earliestBacktrackTime());
    assertEquals(Map.of("environment", "production"), tags(c.tagList()));
    assertEquals("arn:aws:rds:us-east-1:123456789012:cluster:prod-db", c.dbClusterArn());
    assertTrue(c.storageEncrypted());
    assertTrue(c.kmsKeyId().startsWith("arn:aws:kms:us-east-1:123456789012:key/"));
    CallLog.Call call = sandbox.calls().all().get(0);
    assertEquals(
        List.of("rds", "DescribeDBClusters", "prod-db", "200"),
        List.of(call.service(), call.operation(), call.resource(), String.valueOf(call.status())));
  }

  @Test
  void givenNoIdentifier_whenDescribeDBClusters_thenAllClusters() {
    List<String> ids =
        rds.describeDBClusters().dbClusters().stream().map(DBCluster::dbClusterIdentifier).toList();

    assertTrue(ids.containsAll(List.of("prod-db", "staging-db")), ids.toString());
  }

  @Test
  void givenUnknownCluster_whenDescribeDBClusters_thenDbClusterNotFound404() {
    DbClusterNotFoundException e =
        assertThrows(
            DbClusterNotFoundException.class,
            () -> rds.describeDBClusters(r -> r.dbClusterIdentifier("nope")));

    assertEquals(404, e.statusCode());
    assertEquals("DBClusterNotFoundFault", e.awsErrorDetails().errorCode());
    assertTrue(e.requestId().startsWith("SANDBOX"), e.requestId());
  }

  @Test
  void
      givenClusterInstances_whenDescribeDBInstancesByIdOrClusterFilter_thenStatusGroupsAndEndpoint() {
    DBInstance one =
        rds.describeDBInstances(r -> r.dbInstanceIdentifier("prod-db-1")).dbInstances().get(0);
    List<DBInstance> members =
        rds.describeDBInstances(
                r -> r.filters(Filter.builder().name("db-cluster-id").values("prod-db").build()))
            .dbInstances();

    assertEquals("available", one.dbInstanceStatus());
    assertEquals("prod-db", one.dbClusterIdentifier());
    assertEquals("aurora", one.engine());
    assertEquals("prod-aurora56-instance", one.dbParameterGroups().get(0).dbParameterGroupName());
    assertEquals("in-sync", one.dbParameterGroups().get(0).parameterApplyStatus());
    assertEquals("prod-db-1.sandbox.us-east-1.rds.invalid", one.endpoint().address());
    assertEquals(3306, one.endpoint().port());
    assertEquals(
        List.of("prod-db-1", "prod-db-2"),
        members.stream().map(DBInstance::dbInstanceIdentifier).toList());
    assertThrows(
        DbInstanceNotFoundException.class,
        () -> rds.describeDBInstances(r -> r.dbInstanceIdentifier("nope")));
  }

  @Test
  void givenAurora56_whenDescribeDBEngineVersions_then57TargetsAreMajorUpgrades() {
    List<DBEngineVersion> versions =
        rds.describeDBEngineVersions(r -> r.engine("aurora").engineVersion("5.6.10a"))
            .dbEngineVersions();

    assertEquals(1, versions.size());
    DBEngineVersion v = versions.get(0);
    assertEquals("aurora5.6", v.dbParameterGroupFamily());
    UpgradeTarget to57 =
        v.validUpgradeTarget().stream()
            .filter(t -> t.engineVersion().equals("5.7.mysql_aurora.2.11.2"))
            .findFirst()
            .orElseThrow();
    assertEquals("aurora-mysql", to57.engine());
    assertTrue(to57.isMajorVersionUpgrade());
    assertFalse(to57.autoUpgrade());
    UpgradeTarget minor =
        v.validUpgradeTarget().stream()
            .filter(t -> t.engineVersion().equals("5.6.mysql_aurora.1.22.2"))
            .findFirst()
            .orElseThrow();
    assertFalse(minor.isMajorVersionUpgrade());
    assertTrue(
        rds.describeDBEngineVersions(r -> r.engine("aurora").engineVersion("9.9"))
            .dbEngineVersions()
            .isEmpty());
  }

  @Test
  void givenDefaultAndCustomGroups_whenDescribeParameterGroups_thenFamiliesAndNotFound() {
    Map<String, String> clusterGroups =
        rds.describeDBClusterParameterGroups().dbClusterParameterGroups().stream()
            .collect(
                Collectors.toMap(
                    g -> g.dbClusterParameterGroupName(), g -> g.dbParameterGroupFamily()));
    var instanceGroup =
        rds.describeDBParameterGroups(r -> r.dbParameterGroupName("default.aurora-mysql5.7"))
            .dbParameterGroups()
            .get(0);

    assertEquals("aurora5.6", clusterGroups.get("default.aurora5.6"));
    assertEquals("aurora-mysql5.7", clusterGroups.get("default.aurora-mysql5.7"));
    assertEquals("aurora5.6", clusterGroups.get("prod-aurora56-cluster"));
    assertEquals("aurora-mysql5.7", instanceGroup.dbParameterGroupFamily());
    assertEquals(
        "arn:aws:rds:us-east-1:123456789012:pg:default.aurora-mysql5.7",
        instanceGroup.dbParameterGroupArn());
    assertThrows(
        DbParameterGroupNotFoundException.class,
        () -> rds.describeDBClusterParameterGroups(r -> r.dbClusterParameterGroupName("nope")));
    assertThrows(
        DbParameterGroupNotFoundException.class,
        () -> rds.describeDBParameterGroups(r -> r.dbParameterGroupName("nope")));
  }

  @Test
  void
      givenPendingSystemUpdate_whenDescribePendingMaintenanceActions_thenListedForTheClusterOnly() {
    List<ResourcePendingMaintenanceActions> all =
        rds.describePendingMaintenanceActions(
                r -> r.filters(Filter.builder().name("db-cluster-id").values("prod-db").build()))
            .pendingMaintenanceActions();
    List<ResourcePendingMaintenanceActions> staging =
        rds.describePendingMaintenanceActions(
                r -> r.filters(Filter.builder().name("db-cluster-id").values("staging-db").build()))
            .pendingMaintenanceActions();

    assertEquals(1, all.size());
    assertEquals(
        "arn:aws:rds:us-east-1:123456789012:cluster:prod-db", all.get(0).resourceIdentifier());
    PendingMaintenanceAction action = all.get(0).pendingMaintenanceActionDetails().get(0);
    assertEquals("system-update", action.action());
    assertNotNull(action.autoAppliedAfterDate());
    assertTrue(staging.isEmpty());
  }

  @Test
  void givenClusterArn_whenAddTagsThenListTags_thenMergedTags() {
    String arn = "arn:aws:rds:us-east-1:123456789012:cluster:staging-db";

    rds.addTagsToResource(
        r -> r.resourceName(arn).tags(Tag.builder().key("owner").value("sre").build()));
    Map<String, String> tags = tags(rds.listTagsForResource(r -> r.resourceName(arn)).tagList());

    assertEquals(Map.of("environment", "staging", "owner", "sre"), tags);
    assertThrows(
        DbClusterNotFoundException.class,
        () ->
            rds.listTagsForResource(
                r -> r.resourceName("arn:aws:rds:us-east-1:123456789012:cluster:nope")));
    rds.removeTagsFromResource(r -> r.resourceName(arn).tagKeys("owner"));
    assertEquals(
        Map.of("environment", "staging"),
        tags(rds.listTagsForResource(r -> r.resourceName(arn)).tagList()));
  }

  @Test
  void givenScriptedThrottle_whenDescribeDBClusters_thenThrottling400ThenNormal() {
    sandbox
        .faults()
        .script("DescribeDBClusters", List.of(Faults.Kind.THROTTLE, Faults.Kind.ERROR_500));

    RdsException throttled =
        assertThrows(
            RdsException.class,
            () -> rds.describeDBClusters(r -> r.dbClusterIdentifier("prod-db")));
    RdsException internal =
        assertThrows(
            RdsException.class,
            () -> rds.describeDBClusters(r -> r.dbClusterIdentifier("prod-db")));

    assertEquals(400, throttled.statusCode());
    assertEquals("Throttling", throttled.awsErrorDetails().errorCode());
    assertTrue(throttled.isThrottlingException(), "the SDK classifies Throttling as throttling");
    assertEquals(500, internal.statusCode());
    assertEquals("InternalFailure", internal.awsErrorDetails().errorCode());
    assertEquals(
        "available",
        rds.describeDBClusters(r -> r.dbClusterIdentifier("prod-db")).dbClusters().get(0).status());
    assertEquals(
        List.of("THROTTLE", "ERROR_500"),
        sandbox.calls().of("DescribeDBClusters").stream()
            .map(CallLog.Call::fault)
            .filter(f -> f != null)
            .toList());
  }

  @Test
  void givenUnsupportedAction_whenCalled_thenInvalidAction400() {
    RdsException e =
        assertThrows(
            RdsException.class, () -> rds.failoverDBCluster(r -> r.dbClusterIdentifier("prod-db")));

    assertEquals(400, e.statusCode());
    assertEquals("InvalidAction", e.awsErrorDetails().errorCode());
  }

  static Map<String, String> tags(List<Tag> tags) {
    return tags.stream().collect(Collectors.toMap(Tag::key, Tag::value));
  }
}
