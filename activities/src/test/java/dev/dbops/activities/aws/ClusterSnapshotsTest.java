package dev.dbops.activities.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dbops.sandbox.AwsSandbox;
import dev.dbops.sandbox.ClusterSeed;
import dev.dbops.sandbox.SandboxConfig;
import dev.dbops.workflows.common.ErrorTypes;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.temporal.failure.ApplicationFailure;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBClusterSnapshot;

/** The one create-or-adopt upgrade and staging share, against the sandbox's RDS. */
class ClusterSnapshotsTest {
  private AwsSandbox sandbox;
  private RdsClient rds;
  private ClusterSnapshots snapshots;

  @BeforeEach
  void start() {
    sandbox = AwsSandbox.start(SandboxConfig.defaults());
    rds = AwsClients.rds(AwsSettings.sandbox(sandbox.endpoint()), new SimpleMeterRegistry());
    snapshots = new ClusterSnapshots(rds);
    sandbox.rds().createCluster(ClusterSeed.aurora56("orders"));
  }

  @AfterEach
  void stop() {
    rds.close();
    sandbox.close();
  }

  private DBClusterSnapshot create(String id) {
    return rds.createDBClusterSnapshot(
            b -> b.dbClusterIdentifier("orders").dbClusterSnapshotIdentifier(id))
        .dbClusterSnapshot();
  }

  private String createOrAdopt(String id, Runnable beforeCreate) {
    return snapshots.createOrAdopt(
        id,
        "CreateDBClusterSnapshot",
        () -> {
          beforeCreate.run();
          return create(id);
        },
        s -> "created " + s.dbClusterSnapshotIdentifier(),
        s -> "adopted " + s.dbClusterSnapshotIdentifier());
  }

  @Test
  void givenNoSnapshot_whenCreatedOrAdoptedTwice_thenOneCreateAndTheSecondAdopts() {
    assertEquals(Optional.empty(), snapshots.find("pre"));

    assertEquals("created pre", createOrAdopt("pre", () -> {}));
    assertEquals("adopted pre", createOrAdopt("pre", () -> {}));
    assertEquals(1, sandbox.calls().count("CreateDBClusterSnapshot"));
  }

  @Test
  void
      givenAConcurrentAttemptCreatesItBetweenTheLookAndTheCreate_whenCreatedOrAdopted_thenItIsAdopted() {
    assertEquals("adopted pre", createOrAdopt("pre", () -> create("pre")));
    assertEquals(
        2,
        sandbox.calls().count("CreateDBClusterSnapshot"),
        "the other attempt's and ours (refused)");
  }

  @Test
  void givenTheCallerRefusesTheExistingSnapshot_whenCreatedOrAdopted_thenItsFailureAndNoCreate() {
    create("pre");
    sandbox.calls().clear();

    ApplicationFailure f =
        assertThrows(
            ApplicationFailure.class,
            () ->
                snapshots.createOrAdopt(
                    "pre",
                    "CreateDBClusterSnapshot",
                    () -> create("pre"),
                    s -> "created",
                    s -> {
                      throw ApplicationFailure.newNonRetryableFailure(
                          "not ours", ErrorTypes.NOT_OWNED);
                    }));

    assertEquals(ErrorTypes.NOT_OWNED, f.getType());
    assertTrue(f.isNonRetryable());
    assertEquals(0, sandbox.calls().count("CreateDBClusterSnapshot"));
  }

  @Test
  void givenAnUnknownCluster_whenCreatedOrAdopted_thenTheCreateFailureNamesTheSnapshot() {
    ApplicationFailure f =
        assertThrows(
            ApplicationFailure.class,
            () ->
                snapshots.createOrAdopt(
                    "pre",
                    "CreateDBClusterSnapshot",
                    () ->
                        rds.createDBClusterSnapshot(
                                b ->
                                    b.dbClusterIdentifier("nope")
                                        .dbClusterSnapshotIdentifier("pre"))
                            .dbClusterSnapshot(),
                    s -> "created",
                    s -> "adopted"));

    assertEquals(ErrorTypes.NOT_FOUND, f.getType());
    assertTrue(f.getOriginalMessage().contains("snapshot pre"), f.getOriginalMessage());
  }

  /**
   * Upgrade's check retried a status it did not know and failed only failed / deleted / deleting;
   * staging's failed at once on anything but creating or copying. One sort now, the waiters' one:
   * an unknown status is waited on until the activity's schedule-to-close.
   */
  @Test
  void givenSnapshotStatuses_whenSorted_thenAvailableNeverOrNotYetForUpgradeAndStagingAlike() {
    assertEquals(
        ClusterSnapshots.Availability.AVAILABLE, ClusterSnapshots.availability("available"));
    for (String never : new String[] {"failed", "deleted", "deleting"}) {
      assertEquals(
          ClusterSnapshots.Availability.NEVER, ClusterSnapshots.availability(never), never);
    }
    for (String notYet : new String[] {"creating", "copying", "modifying", "pending"}) {
      assertEquals(
          ClusterSnapshots.Availability.NOT_YET, ClusterSnapshots.availability(notYet), notYet);
    }
  }
}
