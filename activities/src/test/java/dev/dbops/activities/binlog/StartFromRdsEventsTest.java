package dev.dbops.activities.binlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dbops.activities.aws.AwsClients;
import dev.dbops.activities.aws.AwsSettings;
import dev.dbops.activities.common.SecretResolver;
import dev.dbops.activities.mysql.MySqlSettings;
import dev.dbops.sandbox.AwsSandbox;
import dev.dbops.sandbox.ClusterSeed;
import dev.dbops.sandbox.RdsTimings;
import dev.dbops.sandbox.SandboxConfig;
import dev.dbops.workflows.binlog.BinlogPosition;
import dev.dbops.workflows.binlog.ReplicationActivities;
import dev.dbops.workflows.common.ActivityStubs;
import dev.dbops.workflows.common.ErrorTypes;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.rds.RdsClient;

/**
 * The start position from a restored cluster's RDS event, with the real RdsClient against the
 * sandbox.
 */
@Tag("mariadb")
class StartFromRdsEventsTest {
  private static final Duration SNAPSHOT = Duration.ofSeconds(10);
  private static final Duration RESTORE = Duration.ofSeconds(30);

  private static AwsSandbox sandbox;
  private static RdsClient rds;
  private static TestActivityEnvironment env;
  private static ReplicationActivities sql;
  private static ReplicationActivities withoutRds;

  @BeforeAll
  static void start() {
    sandbox =
        AwsSandbox.start(
            SandboxConfig.defaults()
                .withRdsTimings(
                    RdsTimings.defaults()
                        .withSnapshotCreate(SNAPSHOT)
                        .withClusterRestore(RESTORE)));
    rds = AwsClients.rds(AwsSettings.sandbox(sandbox.endpoint()), new SimpleMeterRegistry());
    sandbox.rds().createCluster(ClusterSeed.aurora56("orders"));
    rds.createDBClusterSnapshot(
        b -> b.dbClusterIdentifier("orders").dbClusterSnapshotIdentifier("orders-snap"));
    sandbox.clock().advance(SNAPSHOT);
    rds.restoreDBClusterFromSnapshot(
        b ->
            b.dbClusterIdentifier("orders-clone")
                .snapshotIdentifier("orders-snap")
                .engine("aurora"));
    sandbox.clock().advance(RESTORE);

    SecretResolver secrets = new SecretResolver(Map.of(), null);
    env = TestActivityEnvironment.newInstance();
    env.registerActivitiesImplementations(
        new ReplicationActivitiesImpl(secrets, MySqlSettings.loopback(), rds));
    sql =
        env.newActivityStub(
            ReplicationActivities.class, ReplicationFixture.oneAttempt(ActivityStubs.AWS_CALL));
    TestActivityEnvironment bare = TestActivityEnvironment.newInstance();
    bare.registerActivitiesImplementations(
        new ReplicationActivitiesImpl(secrets, MySqlSettings.loopback(), null));
    withoutRds =
        bare.newActivityStub(
            ReplicationActivities.class, ReplicationFixture.oneAttempt(ActivityStubs.AWS_CALL));
  }

  @AfterAll
  static void stop() {
    env.close();
    rds.close();
    sandbox.close();
  }

  @Test
  void givenARestoredCluster_whenItsEventsAreRead_thenTheCrashRecoveryPosition() {
    assertEquals(
        new BinlogPosition("mysql-bin-changelog.000118", 245880),
        sql.startFromRdsEvents("orders-clone"));
  }

  @Test
  void givenAClusterWithoutThatEvent_whenRead_thenNotFoundNonRetryably() {
    ApplicationFailure f = failure(() -> sql.startFromRdsEvents("orders"));

    assertEquals(ErrorTypes.NOT_FOUND, f.getType());
    assertTrue(f.isNonRetryable());
    assertTrue(
        f.getOriginalMessage().contains("Binlog position from crash recovery"),
        f.getOriginalMessage());
  }

  @Test
  void givenNoRdsClient_whenRead_thenFailsNonRetryably() {
    ApplicationFailure f = failure(() -> withoutRds.startFromRdsEvents("orders-clone"));

    assertEquals(ErrorTypes.INVALID_STATE, f.getType());
    assertTrue(f.isNonRetryable());
  }

  private static ApplicationFailure failure(Runnable call) {
    return (ApplicationFailure) assertThrows(ActivityFailure.class, call::run).getCause();
  }
}
