package dev.dbops.activities.upgrade;

import static dev.dbops.activities.SandboxFixture.failureOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dbops.sandbox.ClusterSeed;
import dev.dbops.sandbox.RdsTimings;
import dev.dbops.sandbox.SandboxConfig;
import dev.dbops.workflows.common.ErrorTypes;
import dev.dbops.workflows.upgrade.SnapshotInfo;
import dev.dbops.workflows.upgrade.SnapshotSpec;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SnapshotTest {
  private static final Duration SNAPSHOT_TAKES = Duration.ofSeconds(30);
  private static final SnapshotSpec SPEC =
      new SnapshotSpec("orders", "upgrade-orders-pre", Map.of("dbops", "upgrade"));
  private RdsFixture fx;

  @BeforeEach
  void start() {
    fx =
        RdsFixture.start(
            SandboxConfig.defaults()
                .withRdsTimings(RdsTimings.defaults().withSnapshotCreate(SNAPSHOT_TAKES)));
    fx.sandbox.rds().createCluster(ClusterSeed.aurora56("orders"));
  }

  @AfterEach
  void stop() {
    fx.close();
  }

  @Test
  void givenNoSnapshot_whenEnsuredTwice_thenOneCreateAndTheSecondAdopts() {
    SnapshotInfo first = fx.rds.ensureSnapshot(SPEC);
    SnapshotInfo second = fx.rds.ensureSnapshot(SPEC);

    assertEquals(new SnapshotInfo("upgrade-orders-pre", "creating", false), first);
    assertEquals(new SnapshotInfo("upgrade-orders-pre", "creating", true), second);
    assertEquals(1, fx.calls("CreateDBClusterSnapshot"));
    assertEquals(1, fx.changes("snapshot_created"));
    assertEquals(1, fx.changes("snapshot_adopted"));
  }

  @Test
  void givenTheIdTakenByAnotherCluster_whenEnsured_thenNonRetryableInvalidStateAndNoCreate() {
    fx.sandbox.rds().createCluster(ClusterSeed.aurora56("billing"));
    fx.rds.ensureSnapshot(new SnapshotSpec("billing", "upgrade-orders-pre", Map.of()));
    fx.sandbox.calls().clear();

    ApplicationFailure f = failureOf(() -> fx.rds.ensureSnapshot(SPEC));

    assertEquals(ErrorTypes.INVALID_STATE, f.getType());
    assertTrue(f.isNonRetryable());
    assertTrue(
        f.getOriginalMessage().contains("is of cluster billing, not orders"),
        f.getOriginalMessage());
    assertEquals(0, fx.calls("CreateDBClusterSnapshot"));
  }

  @Test
  void givenACreatingSnapshot_whenChecked_thenNotReadyUntilTheClockPassesThenAvailable() {
    fx.rds.ensureSnapshot(SPEC);

    ApplicationFailure notYet =
        failureOf(() -> fx.rds.checkSnapshotAvailable("upgrade-orders-pre"));
    fx.sandbox.clock().advance(SNAPSHOT_TAKES);
    SnapshotInfo ready = fx.rds.checkSnapshotAvailable("upgrade-orders-pre");

    assertEquals(ErrorTypes.NOT_READY, notYet.getType());
    assertFalse(notYet.isNonRetryable());
    assertTrue(
        notYet.getOriginalMessage().startsWith("snapshot upgrade-orders-pre is creating"),
        notYet.getOriginalMessage());
    assertEquals("available", ready.status());
    assertEquals(
        3, fx.calls("DescribeDBClusterSnapshots"), "ensure's look, then one describe per check");
  }

  @Test
  void givenNoSuchSnapshot_whenChecked_thenNonRetryableNotFound() {
    ApplicationFailure f = failureOf(() -> fx.rds.checkSnapshotAvailable("nope"));
    assertEquals(ErrorTypes.NOT_FOUND, f.getType());
    assertTrue(f.isNonRetryable());
  }
}
