package dev.dbops.activities.staging;

import static dev.dbops.activities.staging.TwoAccountSandbox.OLD;
import static dev.dbops.activities.staging.TwoAccountSandbox.OWNED;
import static dev.dbops.activities.staging.TwoAccountSandbox.PREVIOUS_RUN;
import static dev.dbops.activities.staging.TwoAccountSandbox.RUN;
import static dev.dbops.activities.staging.TwoAccountSandbox.SOURCE;
import static dev.dbops.activities.staging.TwoAccountSandbox.STAGING;
import static dev.dbops.activities.staging.TwoAccountSandbox.assertNotReady;
import static dev.dbops.activities.staging.TwoAccountSandbox.failureOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dbops.sandbox.ClusterSeed;
import dev.dbops.workflows.common.ErrorTypes;
import dev.dbops.workflows.staging.ClusterDeletion;
import dev.dbops.workflows.staging.ClusterRef;
import dev.dbops.workflows.staging.RestoreRequest;
import dev.dbops.workflows.staging.SnapshotCopyRequest;
import dev.dbops.workflows.staging.SnapshotRequest;
import dev.dbops.workflows.staging.SnapshotShare;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Owner-checked cluster deletion in the staging account (retiring the old copy, compensating a new
 * one).
 */
class StagingDeleteTest {
  TwoAccountSandbox fx;

  @BeforeEach
  void start() {
    fx = TwoAccountSandbox.start();
  }

  @AfterEach
  void stop() {
    fx.close();
  }

  void assertNoDeleteCall() {
    assertEquals(0, fx.calls("DeleteDBInstance"));
    assertEquals(0, fx.calls("DeleteDBCluster"));
  }

  @Test
  void
      givenAnUntaggedCluster_whenDeletedAsAnyDbopsCluster_thenNonRetryableNotOwnedAndNoDeleteCall() {
    fx.sandbox
        .rds()
        .createCluster(
            ClusterSeed.auroraMysql57("hand-made").inAccount(STAGING).withInstances("hand-made-1"));

    ApplicationFailure f =
        failureOf(
            () ->
                fx.staging.deleteCluster(
                    new ClusterDeletion(fx.target(), "hand-made", null, true, null)));

    assertEquals(ErrorTypes.NOT_OWNED, f.getType());
    assertTrue(f.isNonRetryable());
    assertNoDeleteCall();
    assertEquals("available", fx.sandbox.rds().cluster(STAGING, "hand-made").status());
  }

  @Test
  void givenAnUntaggedCluster_whenDeletedForThisRun_thenNonRetryableNotOwnedAndNoDeleteCall() {
    fx.sandbox.rds().createCluster(ClusterSeed.auroraMysql57("hand-made").inAccount(STAGING));

    ApplicationFailure f =
        failureOf(
            () ->
                fx.staging.deleteCluster(
                    new ClusterDeletion(fx.target(), "hand-made", RUN, false, null)));

    assertEquals(ErrorTypes.NOT_OWNED, f.getType());
    assertNoDeleteCall();
  }

  @Test
  void givenTheClusterOfAnotherRun_whenDeletedForThisRun_thenNonRetryableNotOwnedAndNoDeleteCall() {
    ApplicationFailure f =
        failureOf(
            () ->
                fx.staging.deleteCluster(new ClusterDeletion(fx.target(), OLD, RUN, false, null)));

    assertEquals(ErrorTypes.NOT_OWNED, f.getType());
    assertTrue(f.getOriginalMessage().contains(PREVIOUS_RUN), f.getOriginalMessage());
    assertNoDeleteCall();
  }

  @Test
  void
      givenTheOldStagingClusterTaggedByDbops_whenRetired_thenInstancesThenClusterAndGoneAfterAWhile() {
    ClusterRef r =
        fx.staging.deleteCluster(new ClusterDeletion(fx.target(), OLD, null, true, null));
    ClusterRef again =
        fx.staging.deleteCluster(new ClusterDeletion(fx.target(), OLD, null, true, null));

    assertEquals("deleting", r.status());
    assertEquals("deleting", again.status());
    assertEquals(1, fx.calls("DeleteDBInstance"));
    assertEquals(1, fx.calls("DeleteDBCluster"));
    assertTrue(fx.firstSeq("DeleteDBInstance") < fx.firstSeq("DeleteDBCluster"));
    assertTrue(
        fx.firstSeq("DescribeDBClusters") < fx.firstSeq("DeleteDBInstance"), "tags are read first");
    assertEquals(List.of(STAGING), fx.accountsOf("DeleteDBCluster"));
    assertNotReady("is deleting", () -> fx.staging.checkClusterGone(fx.target(), OLD));
    fx.advance(Duration.ofSeconds(10));
    fx.staging.checkClusterGone(fx.target(), OLD);
    assertFalse(fx.sandbox.rds().clusterExists(STAGING, OLD));
    assertEquals(
        "deleted",
        fx.staging.deleteCluster(new ClusterDeletion(fx.target(), OLD, null, true, null)).status());
  }

  @Test
  void givenAFinalSnapshotAsked_whenRetired_thenTheClusterLeavesThatSnapshot() {
    fx.staging.deleteCluster(
        new ClusterDeletion(fx.target(), OLD, PREVIOUS_RUN, false, "staging-old-final"));
    fx.advance(Duration.ofSeconds(10));

    fx.staging.checkClusterGone(fx.target(), OLD);
    assertTrue(fx.sandbox.rds().snapshot(STAGING, "staging-old-final").isPresent());
  }

  @Test
  void
      givenThisRunsRestoreWithInstancesStillCreating_whenCompensated_thenNotReadyUntilTheyCanGoThenDeleted() {
    fx.staging.ensureSnapshot(new SnapshotRequest(fx.prod(), SOURCE, "snap", OWNED));
    fx.advance(Duration.ofSeconds(10));
    fx.staging.ensureSnapshotCopy(
        new SnapshotCopyRequest(fx.prod(), "snap", "snap-cmk", fx.customerKey, OWNED));
    fx.advance(Duration.ofSeconds(10));
    String arn = fx.staging.checkSnapshotAvailable(fx.prod(), "snap-cmk").arn();
    fx.staging.shareSnapshot(new SnapshotShare(fx.prod(), "snap-cmk", STAGING));
    RestoreRequest r =
        new RestoreRequest(
            fx.target(),
            arn,
            "staging-new",
            "aurora-mysql",
            fx.source.engineVersion(),
            "db.r5.large",
            1,
            null,
            List.of(),
            "env:" + TwoAccountSandbox.PASSWORD_VAR,
            OWNED);
    fx.staging.ensureRestoredCluster(r);
    fx.advance(Duration.ofSeconds(30));
    assertNotReady("password", () -> fx.staging.checkRestoredClusterReady(r));
    assertNotReady("creating", () -> fx.staging.checkRestoredClusterReady(r));
    ClusterDeletion undo = new ClusterDeletion(fx.target(), "staging-new", RUN, false, null);

    assertNotReady("cannot be deleted yet", () -> fx.staging.deleteCluster(undo));
    assertEquals(0, fx.calls("DeleteDBCluster"));
    fx.advance(Duration.ofSeconds(20));
    assertEquals("deleting", fx.staging.deleteCluster(undo).status());
    fx.advance(Duration.ofSeconds(10));
    fx.staging.checkClusterGone(fx.target(), "staging-new");
  }
}
