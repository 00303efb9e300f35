package dev.dbops.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBCluster;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.rds.model.DbClusterParameterGroupNotFoundException;
import software.amazon.awssdk.services.rds.model.Event;
import software.amazon.awssdk.services.rds.model.InvalidDbClusterStateException;
import software.amazon.awssdk.services.rds.model.RdsException;
import software.amazon.awssdk.services.rds.model.SourceType;

/**
 * ModifyDBCluster engine upgrades and DescribeEvents, on the compressed clock, with the real
 * RdsClient.
 */
class RdsUpgradeTest {

  private static final String TARGET = "5.7.mysql_aurora.2.11.2";
  private static final Duration UPGRADE = Duration.ofHours(2);

  private AwsSandbox sandbox;
  private RdsClient rds;

  @BeforeEach
  void start() {
    sandbox =
        AwsSandbox.start(
            SandboxConfig.defaults()
                .withRdsTimings(RdsTimings.defaults().withClusterUpgrade(UPGRADE)));
    rds = SandboxClients.rds(sandbox);
    sandbox
        .rds()
        .createCluster(
            ClusterSeed.aurora56("prod-db")
                .withInstances("prod-db-1", "prod-db-2")
                .withParameterGroups("prod-aurora56-cluster", "prod-aurora56-instance"));
    sandbox.rds().createClusterParameterGroup("prod-aurora57-cluster", "aurora-mysql5.7");
    sandbox.rds().createDbParameterGroup("prod-aurora57-instance", "aurora-mysql5.7");
  }

  @AfterEach
  void stop() {
    rds.close();
    sandbox.close();
  }

  @Test
  void
      givenAvailable56_whenMajorUpgradeApplied_thenUpgradingThenAvailable57WithNewEngineAndGroups() {
    DBCluster modified = upgrade();

    assertEquals("upgrading", modified.status());
    assertEquals("upgrading", instance("prod-db-1").dbInstanceStatus());
    sandbox.clock().advance(UPGRADE.minusMinutes(1));
    assertEquals("upgrading", cluster().status());

    sandbox.clock().advance(Duration.ofMinutes(1));
    DBCluster done = cluster();

    assertEquals("available", done.status());
    assertEquals("aurora-mysql", done.engine());
    assertEquals(TARGET, done.engineVersion());
    assertEquals("prod-aurora57-cluster", done.dbClusterParameterGroup());
    assertEquals(
        "prod-aurora57-instance",
        instance("prod-db-2").dbParameterGroups().get(0).dbParameterGroupName());
    assertEquals("available", instance("prod-db-2").dbInstanceStatus());
    assertEquals("aurora-mysql", instance("prod-db-2").engine());
  }

  @Test
  void givenUpgradeInProgress_whenDescribeEventsWithDuration_thenDocumentedPhasesSoFarThenAll() {
    upgrade();
    sandbox.clock().advance(UPGRADE.dividedBy(2));

    List<String> halfway = messages(events(Duration.ofMinutes(180)));

    assertEquals("Upgrade in progress: Performing online pre-upgrade checks.", halfway.get(0));
    assertTrue(
        halfway.contains("Upgrade in progress: Performing offline pre-upgrade checks."),
        halfway.toString());
    assertTrue(halfway.contains("Upgrade in progress: Creating pre-upgrade snapshot."));
    assertTrue(halfway.contains("Upgrade in progress: Cloning volume."));
    assertFalse(
        halfway.contains(RdsUpgradeEvents.MAJOR_UPGRADE_DONE), "events in the future stay hidden");

    sandbox.clock().advance(UPGRADE);
    List<Event> all = events(Duration.ofMinutes(240));
    List<String> messages = messages(all);
    List<Long> remaining =
        messages.stream()
            .filter(m -> m.contains("Records remaining: "))
            .map(m -> Long.parseLong(m.substring(m.lastIndexOf(' ') + 1)))
            .toList();

    assertTrue(remaining.size() >= 3, messages.toString());
    for (int i = 1; i < remaining.size(); i++) {
      assertTrue(
          remaining.get(i) < remaining.get(i - 1), "records remaining decrease: " + remaining);
    }
    assertEquals(
        "Upgrade in progress: Upgrading database objects.", messages.get(messages.size() - 2));
    assertEquals(
        "Database cluster major version has been upgraded", messages.get(messages.size() - 1));
    assertTrue(
        all.get(all.size() - 1).date().isAfter(all.get(0).date().plus(UPGRADE.minusMinutes(1))),
        "timestamps spread over the upgrade");
    assertEquals(
        all.stream().map(Event::date).sorted().toList(), all.stream().map(Event::date).toList());
    assertEquals(SourceType.DB_CLUSTER, all.get(0).sourceType());
    assertEquals("prod-db", all.get(0).sourceIdentifier());
  }

  @Test
  void givenUpgradeStartedTwoHoursAgo_whenDescribeEventsWithoutWindow_thenOnlyTheLastHour() {
    upgrade();
    sandbox.clock().advance(UPGRADE);

    List<String> defaultWindow =
        messages(
            rds.describeEvents(r -> r.sourceType(SourceType.DB_CLUSTER).sourceIdentifier("prod-db"))
                .events());
    List<String> explicitStart =
        messages(
            rds.describeEvents(
                    r ->
                        r.sourceType(SourceType.DB_CLUSTER)
                            .sourceIdentifier("prod-db")
                            .startTime(Instant.now().minus(Duration.ofDays(1))))
                .events());

    assertFalse(
        defaultWindow.contains("Upgrade in progress: Performing online pre-upgrade checks."),
        "the default window is the last 60 minutes: " + defaultWindow);
    assertTrue(defaultWindow.contains("Database cluster major version has been upgraded"));
    assertTrue(
        explicitStart.contains("Upgrade in progress: Performing online pre-upgrade checks."));
  }

  @Test
  void givenMajorTarget_whenAllowMajorVersionUpgradeMissing_thenInvalidParameterCombination400() {
    RdsException e =
        assertThrows(
            RdsException.class,
            () ->
                rds.modifyDBCluster(
                    r ->
                        r.dbClusterIdentifier("prod-db")
                            .engineVersion(TARGET)
                            .applyImmediately(true)));

    assertEquals(400, e.statusCode());
    assertEquals("InvalidParameterCombination", e.awsErrorDetails().errorCode());
    assertEquals("available", cluster().status());
  }

  @Test
  void
      givenAnInstanceClassTheTargetDoesNotOffer_whenMajorUpgrade_thenInvalidParameterCombination400NamingIt() {
    sandbox.rds().createCluster(ClusterSeed.aurora56("small-db").withInstanceClass("db.t2.small"));

    RdsException e =
        assertThrows(
            RdsException.class,
            () ->
                rds.modifyDBCluster(
                    r ->
                        r.dbClusterIdentifier("small-db")
                            .engineVersion(TARGET)
                            .allowMajorVersionUpgrade(true)
                            .applyImmediately(true)));

    assertEquals(400, e.statusCode());
    assertEquals("InvalidParameterCombination", e.awsErrorDetails().errorCode());
    assertTrue(
        e.awsErrorDetails()
            .errorMessage()
            .contains("small-db-instance-1 uses DBInstanceClass db.t2.small"),
        e.awsErrorDetails().errorMessage());
    DBCluster c =
        rds.describeDBClusters(r -> r.dbClusterIdentifier("small-db")).dbClusters().get(0);
    assertEquals("available", c.status());
    assertEquals("5.6.10a", c.engineVersion());
  }

  @Test
  void givenUnknownTargetOrWrongFamilyGroup_whenModify_thenClientErrorsAndNoUpgrade() {
    RdsException badTarget =
        assertThrows(
            RdsException.class,
            () ->
                rds.modifyDBCluster(
                    r ->
                        r.dbClusterIdentifier("prod-db")
                            .engineVersion("8.0.mysql_aurora.3.04.0")
                            .allowMajorVersionUpgrade(true)
                            .applyImmediately(true)));
    RdsException wrongFamily =
        assertThrows(
            RdsException.class,
            () ->
                rds.modifyDBCluster(
                    r ->
                        r.dbClusterIdentifier("prod-db")
                            .engineVersion(TARGET)
                            .allowMajorVersionUpgrade(true)
                            .applyImmediately(true)
                            .dbClusterParameterGroupName("prod-aurora56-cluster")));
    assertThrows(
        DbClusterParameterGroupNotFoundException.class,
        () ->
            rds.modifyDBCluster(
                r ->
                    r.dbClusterIdentifier("prod-db")
                        .engineVersion(TARGET)
                        .allowMajorVersionUpgrade(true)
                        .applyImmediately(true)
                        .dbClusterParameterGroupName("missing")));

    assertEquals("InvalidParameterCombination", badTarget.awsErrorDetails().errorCode());
    assertEquals("InvalidParameterCombination", wrongFamily.awsErrorDetails().errorCode());
    assertEquals("available", cluster().status());
  }

  @Test
  void givenUpgradingCluster_whenModifiedAgainOrSnapshotted_thenInvalidDbClusterState400() {
    upgrade();

    InvalidDbClusterStateException e =
        assertThrows(InvalidDbClusterStateException.class, this::upgrade);
    assertThrows(
        InvalidDbClusterStateException.class,
        () ->
            rds.createDBClusterSnapshot(
                r ->
                    r.dbClusterIdentifier("prod-db")
                        .dbClusterSnapshotIdentifier("during-upgrade")));

    assertEquals(400, e.statusCode());
    assertEquals("InvalidDBClusterStateFault", e.awsErrorDetails().errorCode());
  }

  @Test
  void givenScriptedFailure_whenUpgraded_thenBackToAvailable56WithFailureEvent() {
    sandbox.rds().failNextUpgrade("prod-db", "prepared XA transactions exist");

    upgrade();
    sandbox.clock().advance(UPGRADE.dividedBy(4));
    DBCluster after = cluster();

    assertEquals("available", after.status());
    assertEquals("aurora", after.engine());
    assertEquals("5.6.10a", after.engineVersion());
    assertEquals("prod-aurora56-cluster", after.dbClusterParameterGroup());
    List<String> messages = messages(events(Duration.ofMinutes(60)));
    assertEquals(
        "Database cluster is in a state that cannot be upgraded: prepared XA transactions exist",
        messages.get(messages.size() - 1));
    assertFalse(messages.contains("Database cluster major version has been upgraded"));
  }

  @Test
  void
      givenStalledUpgrade_whenPastTheNormalDuration_thenStillUpgradingWithStuckRecordCountThenDone() {
    sandbox.rds().stallUpgrade("prod-db", Duration.ofHours(10));

    upgrade();
    sandbox.clock().advance(Duration.ofHours(6));

    assertEquals("upgrading", cluster().status());
    List<Long> remaining =
        messages(events(Duration.ofMinutes(600))).stream()
            .filter(m -> m.contains("Records remaining: "))
            .map(m -> Long.parseLong(m.substring(m.lastIndexOf(' ') + 1)))
            .toList();
    assertTrue(remaining.size() >= 3, remaining.toString());
    assertEquals(1, remaining.stream().distinct().count(), "stuck: " + remaining);

    sandbox.clock().advance(Duration.ofHours(4));
    assertEquals("available", cluster().status());
    assertEquals(TARGET, cluster().engineVersion());
  }

  @Test
  void givenNoApplyImmediately_whenMajorUpgrade_thenPendingModifiedValueAndStillAvailable() {
    DBCluster c =
        rds.modifyDBCluster(
                r ->
                    r.dbClusterIdentifier("prod-db")
                        .engineVersion(TARGET)
                        .allowMajorVersionUpgrade(true)
                        .applyImmediately(false))
            .dbCluster();

    assertEquals("available", c.status());
    assertEquals(TARGET, c.pendingModifiedValues().engineVersion());
    assertEquals("5.6.10a", c.engineVersion());
  }

  private DBCluster upgrade() {
    return rds.modifyDBCluster(
            r ->
                r.dbClusterIdentifier("prod-db")
                    .engineVersion(TARGET)
                    .allowMajorVersionUpgrade(true)
                    .applyImmediately(true)
                    .dbClusterParameterGroupName("prod-aurora57-cluster")
                    .dbInstanceParameterGroupName("prod-aurora57-instance"))
        .dbCluster();
  }

  private DBCluster cluster() {
    return rds.describeDBClusters(r -> r.dbClusterIdentifier("prod-db")).dbClusters().get(0);
  }

  private DBInstance instance(String id) {
    return rds.describeDBInstances(r -> r.dbInstanceIdentifier(id)).dbInstances().get(0);
  }

  private List<Event> events(Duration window) {
    return rds.describeEvents(
            r ->
                r.sourceType(SourceType.DB_CLUSTER)
                    .sourceIdentifier("prod-db")
                    .duration((int) window.toMinutes()))
        .events();
  }

  private static List<String> messages(List<Event> events) {
    return events.stream().map(Event::message).toList();
  }
}
