package dev.dbops.activities.upgrade;

import static dev.dbops.activities.SandboxFixture.failureOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dbops.sandbox.ClusterSeed;
import dev.dbops.sandbox.RdsTimings;
import dev.dbops.sandbox.SandboxConfig;
import dev.dbops.workflows.common.ErrorTypes;
import dev.dbops.workflows.upgrade.ClusterEndpoints;
import dev.dbops.workflows.upgrade.InstanceSpec;
import dev.dbops.workflows.upgrade.RestoreClusterSpec;
import dev.dbops.workflows.upgrade.SnapshotSpec;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The rollback path: restore the pre-upgrade snapshot into a new cluster, add an instance, wait.
 */
class RollbackTest {
  private static final Duration SNAPSHOT = Duration.ofSeconds(10);
  private static final Duration RESTORE = Duration.ofSeconds(30);
  private static final Duration INSTANCE = Duration.ofSeconds(20);
  private static final RestoreClusterSpec RESTORE_SPEC =
      new RestoreClusterSpec(
          "orders-rollback", "orders-pre", "aurora", "5.6.10a", null, Map.of("dbops", "rollback"));
  private static final InstanceSpec INSTANCE_SPEC =
      new InstanceSpec("orders-rollback-1", "orders-rollback", "db.r5.large", "aurora", Map.of());
  private RdsFixture fx;

  @BeforeEach
  void start() {
    fx =
        RdsFixture.start(
            SandboxConfig.defaults()
                .withRdsTimings(
                    RdsTimings.defaults()
                        .withSnapshotCreate(SNAPSHOT)
                        .withClusterRestore(RESTORE)
                        .withInstanceCreate(INSTANCE)));
    fx.sandbox.rds().createCluster(ClusterSeed.aurora56("orders"));
    fx.rds.ensureSnapshot(new SnapshotSpec("orders", "orders-pre", Map.of()));
    fx.sandbox.clock().advance(SNAPSHOT);
    fx.sandbox.calls().clear();
  }

  @AfterEach
  void stop() {
    fx.close();
  }

  @Test
  void givenASnapshot_whenRestoredTwice_thenOneRestoreAndTheSecondAdopts() {
    String first = fx.rds.restoreClusterFromSnapshot(RESTORE_SPEC);
    String second = fx.rds.restoreClusterFromSnapshot(RESTORE_SPEC);

    assertEquals("orders-rollback", first);
    assertEquals("orders-rollback", second);
    assertEquals(1, fx.calls("RestoreDBClusterFromSnapshot"));
    assertEquals(1, fx.changes("cluster_restored"));
    assertEquals(1, fx.changes("cluster_adopted"));
  }

  @Test
  void givenARestoringCluster_whenInstanceCreated_thenNonRetryableInvalidStateFromRds() {
    fx.rds.restoreClusterFromSnapshot(RESTORE_SPEC);

    ApplicationFailure f = failureOf(() -> fx.rds.createInstance(INSTANCE_SPEC));

    assertEquals(ErrorTypes.INVALID_STATE, f.getType());
    assertTrue(f.isNonRetryable());
    assertTrue(
        f.getOriginalMessage().contains("InvalidDBClusterStateFault"), f.getOriginalMessage());
  }

  @Test
  void
      givenTheRestoredCluster_whenInstanceCreatedTwiceAndAwaited_thenOneCreateAndEndpointsOnceAvailable() {
    fx.rds.restoreClusterFromSnapshot(RESTORE_SPEC);
    ApplicationFailure restoring = failureOf(() -> fx.rds.checkClusterAvailable("orders-rollback"));
    fx.sandbox.clock().advance(RESTORE);
    ApplicationFailure noInstance =
        failureOf(() -> fx.rds.checkClusterAvailable("orders-rollback"));

    fx.rds.createInstance(INSTANCE_SPEC);
    fx.rds.createInstance(INSTANCE_SPEC);
    ApplicationFailure creating = failureOf(() -> fx.rds.checkClusterAvailable("orders-rollback"));
    fx.sandbox.clock().advance(INSTANCE);
    ClusterEndpoints e = fx.rds.checkClusterAvailable("orders-rollback");

    assertEquals(ErrorTypes.NOT_READY, restoring.getType());
    assertFalse(restoring.isNonRetryable());
    assertEquals("cluster orders-rollback is creating", restoring.getOriginalMessage());
    assertEquals(
        "cluster orders-rollback is available but has no instance yet",
        noInstance.getOriginalMessage());
    assertEquals(
        "cluster orders-rollback is available; waiting for orders-rollback-1 creating",
        creating.getOriginalMessage());
    assertEquals(1, fx.calls("CreateDBInstance"));
    assertEquals("orders-rollback", e.clusterId());
    assertTrue(e.endpoint().startsWith("orders-rollback.cluster-"), e.endpoint());
    assertTrue(e.readerEndpoint().startsWith("orders-rollback.cluster-ro-"), e.readerEndpoint());
    assertEquals(3306, e.port());
  }

  @Test
  void
      givenARestoringCluster_whenItsOwnStatusIsChecked_thenNotReadyUntilAvailableWithoutInstances() {
    fx.rds.restoreClusterFromSnapshot(RESTORE_SPEC);
    ApplicationFailure restoring =
        failureOf(() -> fx.rds.checkClusterStatusAvailable("orders-rollback"));
    fx.sandbox.clock().advance(RESTORE);
    ClusterEndpoints e = fx.rds.checkClusterStatusAvailable("orders-rollback");

    assertEquals(ErrorTypes.NOT_READY, restoring.getType());
    assertFalse(restoring.isNonRetryable());
    assertEquals("orders-rollback", e.clusterId());
    // Now the workflow may add instances: RDS accepts CreateDBInstance on an available cluster.
    fx.rds.createInstance(INSTANCE_SPEC);
    assertEquals(1, fx.calls("CreateDBInstance"));
  }

  @Test
  void
      givenTheInstanceIdTakenInAnotherCluster_whenCreated_thenNonRetryableInvalidStateAndNoCreate() {
    ApplicationFailure f =
        failureOf(
            () ->
                fx.rds.createInstance(
                    new InstanceSpec(
                        "orders-instance-1",
                        "orders-rollback",
                        "db.r5.large",
                        "aurora",
                        Map.of())));

    assertEquals(ErrorTypes.INVALID_STATE, f.getType());
    assertTrue(f.isNonRetryable());
    assertTrue(
        f.getOriginalMessage().contains("already exists in cluster orders, not orders-rollback"),
        f.getOriginalMessage());
    assertEquals(0, fx.calls("CreateDBInstance"));
  }

  @Test
  void givenASnapshotOfAnotherEngine_whenRestored_thenNonRetryableInvalidParameter() {
    ApplicationFailure f =
        failureOf(
            () ->
                fx.rds.restoreClusterFromSnapshot(
                    new RestoreClusterSpec(
                        "orders-rollback", "orders-pre", "aurora-mysql", null, null, Map.of())));

    assertEquals(ErrorTypes.INVALID_PARAMETER, f.getType());
    assertTrue(f.isNonRetryable());
    assertTrue(
        f.getOriginalMessage().contains("InvalidParameterCombination"), f.getOriginalMessage());
  }
}
