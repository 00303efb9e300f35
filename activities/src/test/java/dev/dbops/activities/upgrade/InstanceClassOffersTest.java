package dev.dbops.activities.upgrade;

import static dev.dbops.activities.SandboxFixture.failureOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dbops.sandbox.ClusterSeed;
import dev.dbops.sandbox.RdsTimings;
import dev.dbops.sandbox.SandboxConfig;
import dev.dbops.workflows.common.ErrorTypes;
import dev.dbops.workflows.common.InstanceClassOffer;
import dev.dbops.workflows.common.OrderableQuery;
import dev.dbops.workflows.upgrade.ClusterFacts;
import dev.dbops.workflows.upgrade.InstanceSpec;
import dev.dbops.workflows.upgrade.RestoreClusterSpec;
import dev.dbops.workflows.upgrade.SnapshotInfo;
import dev.dbops.workflows.upgrade.SnapshotSpec;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.rds.model.OrderableDBInstanceOption;

/**
 * DescribeOrderableDBInstanceOptions with the real RDS client on the sandbox: which classes an
 * engine version offers, what the refusal lists, and the facts the workflows ask it with (the
 * instances' classes, the snapshot's engine version).
 */
class InstanceClassOffersTest {
  static final String V56 = "5.6.10a";
  static final String V57 = "5.7.mysql_aurora.2.11.2";
  static final String V80 = "8.0.mysql_aurora.3.04.0";
  private RdsFixture fx;

  @BeforeEach
  void start() {
    fx =
        RdsFixture.start(
            SandboxConfig.defaults()
                .withRdsTimings(
                    RdsTimings.defaults()
                        .withSnapshotCreate(Duration.ofSeconds(10))
                        .withClusterRestore(Duration.ofSeconds(30))));
  }

  @AfterEach
  void stop() {
    fx.close();
  }

  @Test
  void
      givenAurora57_whenDbT2SmallAndDbR5LargeAsked_thenOnlyR5OfferedAndTheRefusalListsOfferedClasses() {
    List<InstanceClassOffer> offers =
        fx.rds.instanceClassOffers(
            new OrderableQuery(
                "aurora-mysql", V57, List.of("db.t2.small", "db.r5.large", "db.t2.small")));

    assertEquals(2, offers.size(), "one answer per distinct class: " + offers);
    InstanceClassOffer t2 = offers.get(0);
    assertFalse(t2.offered());
    assertTrue(t2.offeredClasses().contains("db.r5.large"), t2.offeredClasses().toString());
    assertTrue(
        t2.offeredClasses().stream()
            .noneMatch(c -> c.startsWith("db.t2.") || c.startsWith("db.r3.")),
        t2.offeredClasses().toString());
    assertEquals(6, t2.offeredClasses().size());
    assertTrue(offers.get(1).offered());
    assertEquals(
        List.of(
            "instanceClass: 'db.t2.small' is not offered for aurora-mysql "
                + V57
                + " (offered: "
                + String.join(", ", t2.offeredClasses())
                + ", …)"),
        InstanceClassOffer.problems("instanceClass", offers));
    assertEquals(
        3,
        fx.calls("DescribeOrderableDBInstanceOptions"),
        "two classes and one listing for the refusal");
  }

  @Test
  void givenEachEngineVersion_whenOldAndGravitonClassesAsked_thenOfferedWhereAwsOffersThem() {
    assertEquals(
        List.of(true, true, false),
        offered("aurora", V56, "db.t2.small", "db.r3.large", "db.r6g.large"));
    assertEquals(
        List.of(false, false, true, true, false),
        offered(
            "aurora-mysql",
            V57,
            "db.t2.small",
            "db.r3.large",
            "db.r5.large",
            "db.t3.medium",
            "db.t4g.medium"));
    assertEquals(
        List.of(true, true, false),
        offered("aurora-mysql", V80, "db.r6g.large", "db.t4g.medium", "db.r4.large"));
    assertEquals(List.of(true, false), offered("mysql", "8.0.35", "db.t4g.micro", "db.r3.large"));
  }

  @Test
  void givenMoreOptionsThanOnePage_whenListed_thenTheMarkerPagesThroughAll() {
    List<OrderableDBInstanceOption> all =
        fx
            .client
            .describeOrderableDBInstanceOptionsPaginator(
                b -> b.engine("aurora").engineVersion(V56).maxRecords(20))
            .orderableDBInstanceOptions()
            .stream()
            .toList();

    assertEquals(21, all.size());
    assertEquals(2, fx.calls("DescribeOrderableDBInstanceOptions"), "two pages of at most 20");
    assertTrue(
        all.stream()
            .allMatch(
                o ->
                    o.engine().equals("aurora")
                        && o.engineVersion().equals(V56)
                        && o.supportsStorageEncryption()
                        && !o.availabilityZones().isEmpty()));
  }

  @Test
  void
      givenAClusterAndItsSnapshot_whenInspected_thenInstanceClassAndSnapshotEngineVersionAreRead() {
    fx.sandbox
        .rds()
        .createCluster(ClusterSeed.auroraMysql57("orders").withInstanceClass("db.t3.medium"));
    fx.rds.ensureSnapshot(new SnapshotSpec("orders", "orders-pre", Map.of()));
    fx.sandbox.clock().advance(Duration.ofSeconds(10));

    ClusterFacts facts = fx.rds.inspectCluster("orders", List.of());
    SnapshotInfo snapshot = fx.rds.checkSnapshotAvailable("orders-pre");

    assertEquals(
        List.of("db.t3.medium"),
        facts.instances().stream().map(ClusterFacts.InstanceFacts::instanceClass).toList());
    assertEquals("aurora-mysql", snapshot.engine());
    assertEquals(V57, snapshot.engineVersion());
  }

  @Test
  void
      givenARestored57Cluster_whenAnInstanceOfAClassNotOfferedIsCreated_thenRdsRefusesItNonRetryable() {
    fx.sandbox.rds().createCluster(ClusterSeed.auroraMysql57("orders"));
    fx.rds.ensureSnapshot(new SnapshotSpec("orders", "orders-pre", Map.of()));
    fx.sandbox.clock().advance(Duration.ofSeconds(10));
    fx.rds.restoreClusterFromSnapshot(
        new RestoreClusterSpec("orders-back", "orders-pre", "aurora-mysql", null, null, Map.of()));
    fx.sandbox.clock().advance(Duration.ofSeconds(30));

    ApplicationFailure f =
        failureOf(
            () ->
                fx.rds.createInstance(
                    new InstanceSpec(
                        "orders-back-1", "orders-back", "db.t2.small", "aurora-mysql", Map.of())));

    assertTrue(f.isNonRetryable(), f.toString());
    assertTrue(
        f.getOriginalMessage().contains("DBInstanceClass=db.t2.small"), f.getOriginalMessage());
    assertEquals(ErrorTypes.INVALID_PARAMETER, f.getType());
  }

  private List<Boolean> offered(String engine, String version, String... classes) {
    return fx
        .rds
        .instanceClassOffers(new OrderableQuery(engine, version, List.of(classes)))
        .stream()
        .map(InstanceClassOffer::offered)
        .toList();
  }
}
