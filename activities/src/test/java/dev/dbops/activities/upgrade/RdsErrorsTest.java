package dev.dbops.activities.upgrade;

import static dev.dbops.activities.SandboxFixture.failureOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dbops.activities.aws.AwsCallMetrics;
import dev.dbops.activities.aws.AwsClients;
import dev.dbops.sandbox.ClusterSeed;
import dev.dbops.sandbox.Faults;
import dev.dbops.workflows.common.ErrorTypes;
import dev.dbops.workflows.upgrade.ClusterEndpoints;
import dev.dbops.workflows.upgrade.ModifySpec;
import dev.dbops.workflows.upgrade.SnapshotSpec;
import io.temporal.failure.ApplicationFailure;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Real RDS error answers, sorted only by ErrorTypes.classifyAws through AwsFailures. */
class RdsErrorsTest {
  private static final String TARGET = "5.7.mysql_aurora.2.11.2";
  private RdsFixture fx;

  @BeforeEach
  void start() {
    fx = RdsFixture.start();
    fx.sandbox.rds().createCluster(ClusterSeed.aurora56("orders"));
  }

  @AfterEach
  void stop() {
    fx.close();
  }

  @Test
  void givenNoSuchCluster_whenUpgradeStarted_thenNonRetryableNotFoundAfterExactlyOneCall() {
    ApplicationFailure f =
        failureOf(() -> fx.rds.startUpgrade(new ModifySpec("ghost", TARGET, null, null)));

    assertEquals(ErrorTypes.NOT_FOUND, f.getType());
    assertTrue(f.isNonRetryable());
    assertEquals(
        "DescribeDBClusters cluster ghost failed: DBClusterNotFoundFault (HTTP 404): DBCluster ghost not "
            + "found.",
        f.getOriginalMessage().replaceAll(" \\[request id .*]$", ""));
    assertEquals(1, fx.sandbox.calls().all().size());
  }

  @Test
  void givenATargetThatIsNoValidUpgrade_whenUpgradeStarted_thenNonRetryableInvalidParameter() {
    ApplicationFailure f =
        failureOf(
            () ->
                fx.rds.startUpgrade(
                    new ModifySpec("orders", "8.0.mysql_aurora.3.04.0", null, null)));

    assertEquals(ErrorTypes.INVALID_PARAMETER, f.getType());
    assertTrue(f.isNonRetryable());
    assertTrue(
        f.getOriginalMessage().contains("InvalidParameterCombination"), f.getOriginalMessage());
    assertEquals(1, fx.calls("ModifyDBCluster"), "not retried by the SDK either");
  }

  @Test
  void givenAParameterGroupOfTheOldFamily_whenUpgradeStarted_thenNonRetryableInvalidParameter() {
    ApplicationFailure f =
        failureOf(
            () -> fx.rds.startUpgrade(new ModifySpec("orders", TARGET, "default.aurora5.6", null)));
    assertEquals(ErrorTypes.INVALID_PARAMETER, f.getType());
    assertTrue(f.isNonRetryable());
  }

  @Test
  void givenAnUpgradingCluster_whenSnapshotted_thenNonRetryableInvalidState() {
    fx.rds.startUpgrade(new ModifySpec("orders", TARGET, null, null));

    ApplicationFailure f =
        failureOf(() -> fx.rds.ensureSnapshot(new SnapshotSpec("orders", "late", Map.of())));

    assertEquals(ErrorTypes.INVALID_STATE, f.getType());
    assertTrue(f.isNonRetryable());
    assertTrue(
        f.getOriginalMessage().contains("InvalidDBClusterStateFault"), f.getOriginalMessage());
  }

  @Test
  void givenTwoThrottles_whenChecked_thenTheSdkRetriesAndTheCheckSucceeds() {
    fx.sandbox
        .faults()
        .script("DescribeDBClusters", List.of(Faults.Kind.THROTTLE, Faults.Kind.THROTTLE));

    ClusterEndpoints e = fx.rds.checkClusterAvailable("orders");

    assertEquals("orders", e.clusterId());
    assertEquals(3, fx.calls("DescribeDBClusters"));
    assertEquals(
        1,
        fx.registry
            .counter(
                AwsCallMetrics.CALLS,
                "service",
                "rds",
                "operation",
                "DescribeDBClusters",
                "outcome",
                AwsCallMetrics.OK)
            .count(),
        "counted once, when it ended");
    assertEquals(
        2,
        fx.registry
            .counter(AwsCallMetrics.RETRIES, "service", "rds", "operation", "DescribeDBClusters")
            .count());
  }

  @Test
  void givenThrottlingPastTheSdkAttempts_whenChecked_thenRetryableAwsTransient() {
    fx.sandbox
        .faults()
        .script(
            "DescribeDBClusters",
            Collections.nCopies(AwsClients.SDK_MAX_ATTEMPTS, Faults.Kind.THROTTLE));

    ApplicationFailure f = failureOf(() -> fx.rds.checkClusterAvailable("orders"));

    assertEquals(ErrorTypes.AWS_TRANSIENT, f.getType());
    assertFalse(f.isNonRetryable());
    assertTrue(f.getOriginalMessage().contains("Throttling"), f.getOriginalMessage());
  }

  @Test
  void givenDroppedConnections_whenChecked_thenRetryableAwsTransient() {
    fx.sandbox
        .faults()
        .script(
            "DescribeDBClusters",
            Collections.nCopies(AwsClients.SDK_MAX_ATTEMPTS, Faults.Kind.DROP_CONNECTION));

    ApplicationFailure f = failureOf(() -> fx.rds.checkClusterAvailable("orders"));

    assertEquals(ErrorTypes.AWS_TRANSIENT, f.getType());
    assertFalse(f.isNonRetryable());
  }
}
