package dev.dbops.activities.upgrade;

import static dev.dbops.activities.SandboxFixture.failureOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dbops.sandbox.ClusterSeed;
import dev.dbops.workflows.common.ErrorTypes;
import dev.dbops.workflows.upgrade.ClusterFacts;
import io.temporal.failure.ApplicationFailure;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class InspectClusterTest {
  private RdsFixture fx;

  @BeforeEach
  void start() {
    fx = RdsFixture.start();
  }

  @AfterEach
  void stop() {
    fx.close();
  }

  @Test
  void givenASeededCluster_whenInspected_thenEveryFactTheValidatorJudges() {
    fx.sandbox
        .rds()
        .createCluster(
            ClusterSeed.aurora56("orders")
                .withParameterGroups("orders-56", "orders-56-inst")
                .withInstances("orders-1", "orders-2")
                .withTag("environment", "production")
                .withBacktrackWindow(3600));
    fx.sandbox.rds().createClusterParameterGroup("orders-57", "aurora-mysql5.7");
    fx.sandbox
        .rds()
        .addPendingMaintenance(
            "orders", "system-update", "New Operating System update is available");

    ClusterFacts f = fx.rds.inspectCluster("orders", List.of("orders-57", "missing-57"));

    assertEquals("orders", f.clusterId());
    assertEquals("available", f.status());
    assertEquals("aurora", f.engine());
    assertEquals("5.6.10a", f.engineVersion());
    assertEquals("orders-56", f.clusterParameterGroup());
    assertEquals(
        List.of(
            new ClusterFacts.InstanceFacts(
                "orders-1", true, "available", "orders-56-inst", "db.r5.large"),
            new ClusterFacts.InstanceFacts(
                "orders-2", false, "available", "orders-56-inst", "db.r5.large")),
        f.instances());
    assertEquals(3600, f.backtrackWindowSeconds());
    assertTrue(f.production());
    assertTrue(
        f.validTargets()
            .contains(
                new ClusterFacts.UpgradeTarget("aurora-mysql", "5.7.mysql_aurora.2.11.2", true)),
        f.validTargets().toString());
    assertEquals("aurora5.6", f.parameterGroupFamilies().get("orders-56"));
    assertEquals("aurora5.6", f.parameterGroupFamilies().get("orders-56-inst"));
    assertEquals("aurora-mysql5.7", f.parameterGroupFamilies().get("orders-57"));
    assertFalse(
        f.parameterGroupFamilies().containsKey("missing-57"),
        "a missing group is absent, not an error");
    assertEquals(1, f.pendingMaintenance().size());
    assertTrue(
        f.pendingMaintenance().get(0).startsWith("system-update: New Operating System update"),
        f.pendingMaintenance().get(0));
  }

  @Test
  void givenNoSuchCluster_whenInspected_thenNonRetryableNotFoundAfterExactlyOneCall() {
    ApplicationFailure f = failureOf(() -> fx.rds.inspectCluster("ghost", List.of()));

    assertEquals(ErrorTypes.NOT_FOUND, f.getType());
    assertTrue(f.isNonRetryable());
    assertTrue(f.getOriginalMessage().contains("DBClusterNotFoundFault"), f.getOriginalMessage());
    assertEquals(1, fx.calls("DescribeDBClusters"));
    assertEquals(1, fx.sandbox.calls().all().size(), "nothing else was called");
  }
}
