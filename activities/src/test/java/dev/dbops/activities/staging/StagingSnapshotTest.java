package dev.dbops.activities.staging;

import static dev.dbops.activities.staging.TwoAccountSandbox.OWNED;
import static dev.dbops.activities.staging.TwoAccountSandbox.PREVIOUS_RUN;
import static dev.dbops.activities.staging.TwoAccountSandbox.PROD;
import static dev.dbops.activities.staging.TwoAccountSandbox.RUN;
import static dev.dbops.activities.staging.TwoAccountSandbox.SOURCE;
import static dev.dbops.activities.staging.TwoAccountSandbox.STAGING;
import static dev.dbops.activities.staging.TwoAccountSandbox.assertNotReady;
import static dev.dbops.activities.staging.TwoAccountSandbox.failureOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dbops.workflows.common.ErrorTypes;
import dev.dbops.workflows.staging.RestoreRequest;
import dev.dbops.workflows.staging.SnapshotCopyRequest;
import dev.dbops.workflows.staging.SnapshotDeletion;
import dev.dbops.workflows.staging.SnapshotRef;
import dev.dbops.workflows.staging.SnapshotRequest;
import dev.dbops.workflows.staging.SnapshotShare;
import dev.dbops.workflows.staging.StagingValidator;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Snapshot, copy, share, unshare and delete in the production account, with adoption by owner tag,
 * on the sandbox with the real RDS client.
 */
class StagingSnapshotTest {
  static final String SNAP = "dbops-stg-20261122-0900";
  static final String COPY = "dbops-stg-20261122-0900-cmk";

  TwoAccountSandbox fx;

  @BeforeEach
  void start() {
    fx = TwoAccountSandbox.start();
  }

  @AfterEach
  void stop() {
    fx.close();
  }

  SnapshotRef snapshot() {
    return fx.staging.ensureSnapshot(new SnapshotRequest(fx.prod(), SOURCE, SNAP, OWNED));
  }

  SnapshotRef availableCopy() {
    snapshot();
    fx.advance(Duration.ofSeconds(10));
    fx.staging.ensureSnapshotCopy(
        new SnapshotCopyRequest(fx.prod(), SNAP, COPY, fx.customerKey, OWNED));
    fx.advance(Duration.ofSeconds(10));
    return fx.staging.checkSnapshotAvailable(fx.prod(), COPY);
  }

  @Test
  void givenNoSnapshot_whenEnsuredTwice_thenCreatedOnceWithTheOwnerTagAndAdoptedTheSecondTime() {
    SnapshotRef first = snapshot();
    SnapshotRef second = snapshot();

    assertEquals("creating", first.status());
    assertFalse(first.adopted());
    assertTrue(second.adopted());
    assertEquals(first.arn(), second.arn());
    assertEquals(1, fx.calls("CreateDBClusterSnapshot"));
    assertEquals(
        RUN,
        fx.sandbox.rds().snapshot(PROD, SNAP).orElseThrow().tags().get(StagingValidator.OWNER_TAG));
  }

  @Test
  void
      givenASnapshotOfAnotherRunWithTheSameId_whenEnsured_thenNonRetryableNotOwnedAndNothingCreated() {
    fx.staging.ensureSnapshot(
        new SnapshotRequest(
            fx.prod(), SOURCE, SNAP, Map.of(StagingValidator.OWNER_TAG, PREVIOUS_RUN)));

    ApplicationFailure f = failureOf(this::snapshot);

    assertEquals(ErrorTypes.NOT_OWNED, f.getType());
    assertTrue(f.isNonRetryable());
    assertEquals(1, fx.calls("CreateDBClusterSnapshot"));
  }

  @Test
  void givenACreatingSnapshot_whenChecked_thenNotReadyUntilAvailable() {
    snapshot();

    assertNotReady("is creating", () -> fx.staging.checkSnapshotAvailable(fx.prod(), SNAP));
    fx.advance(Duration.ofSeconds(10));
    SnapshotRef s = fx.staging.checkSnapshotAvailable(fx.prod(), SNAP);

    assertEquals("available", s.status());
    assertEquals(fx.source.kmsKeyId(), s.kmsKeyId());
  }

  @Test
  void givenNoSuchSnapshot_whenChecked_thenNonRetryableInvalidState() {
    ApplicationFailure f =
        failureOf(() -> fx.staging.checkSnapshotAvailable(fx.prod(), "dbops-stg-missing"));

    assertEquals(ErrorTypes.INVALID_STATE, f.getType());
    assertTrue(f.isNonRetryable());
  }

  @Test
  void
      givenADefaultKeySnapshot_whenCopiedTwiceWithTheCustomerKey_thenOneCopyOnThatKeyAdoptedTheSecondTime() {
    snapshot();
    fx.advance(Duration.ofSeconds(10));

    SnapshotRef first =
        fx.staging.ensureSnapshotCopy(
            new SnapshotCopyRequest(fx.prod(), SNAP, COPY, fx.customerKey, OWNED));
    SnapshotRef second =
        fx.staging.ensureSnapshotCopy(
            new SnapshotCopyRequest(fx.prod(), SNAP, COPY, fx.customerKey, OWNED));
    assertNotReady("is copying", () -> fx.staging.checkSnapshotAvailable(fx.prod(), COPY));
    fx.advance(Duration.ofSeconds(10));
    SnapshotRef done = fx.staging.checkSnapshotAvailable(fx.prod(), COPY);

    assertEquals("copying", first.status());
    assertFalse(first.adopted());
    assertTrue(second.adopted());
    assertEquals(1, fx.calls("CopyDBClusterSnapshot"));
    assertEquals(fx.customerKey, done.kmsKeyId());
    assertEquals(
        RUN,
        fx.sandbox.rds().snapshot(PROD, COPY).orElseThrow().tags().get(StagingValidator.OWNER_TAG));
  }

  @Test
  void
      givenTheCopy_whenSharedTwiceAndUnsharedTwice_thenTheTargetAccountComesAndGoesWithoutErrors() {
    availableCopy();
    SnapshotShare share = new SnapshotShare(fx.prod(), COPY, STAGING);

    fx.staging.shareSnapshot(share);
    fx.staging.shareSnapshot(share);
    assertEquals(
        List.of(STAGING), fx.sandbox.rds().snapshot(PROD, COPY).orElseThrow().sharedWith());
    fx.staging.unshareSnapshot(share);
    fx.staging.unshareSnapshot(share);
    fx.staging.unshareSnapshot(new SnapshotShare(fx.prod(), "dbops-stg-gone", STAGING));

    assertEquals(List.of(), fx.sandbox.rds().snapshot(PROD, COPY).orElseThrow().sharedWith());
  }

  @Test
  void givenTheDefaultKeySnapshot_whenShared_thenNonRetryableInvalidParameter() {
    snapshot();
    fx.advance(Duration.ofSeconds(10));

    ApplicationFailure f =
        failureOf(() -> fx.staging.shareSnapshot(new SnapshotShare(fx.prod(), SNAP, STAGING)));

    assertEquals(ErrorTypes.INVALID_PARAMETER, f.getType());
    assertTrue(f.isNonRetryable());
  }

  @Test
  void givenACopyNotSharedWithTheTarget_whenRestoredThere_thenNonRetryableNotFoundAndNoCluster() {
    SnapshotRef copy = availableCopy();

    ApplicationFailure f =
        failureOf(
            () ->
                fx.staging.ensureRestoredCluster(
                    new RestoreRequest(
                        fx.target(),
                        copy.arn(),
                        "staging-new",
                        "aurora-mysql",
                        fx.source.engineVersion(),
                        "db.r5.large",
                        1,
                        null,
                        List.of(),
                        "env:" + TwoAccountSandbox.PASSWORD_VAR,
                        OWNED)));

    assertEquals(ErrorTypes.NOT_FOUND, f.getType());
    assertTrue(f.isNonRetryable());
    assertTrue(
        f.getOriginalMessage().contains("DBClusterSnapshotNotFoundFault"), f.getOriginalMessage());
    assertFalse(fx.sandbox.rds().clusterExists(STAGING, "staging-new"));
  }

  @Test
  void givenASharedCopyOfThisRun_whenDeleted_thenUnsharedFirstThenDeletedAndASecondDeleteIsANoOp() {
    availableCopy();
    fx.staging.shareSnapshot(new SnapshotShare(fx.prod(), COPY, STAGING));
    long sharesBefore = fx.calls("ModifyDBClusterSnapshotAttribute");

    fx.staging.deleteSnapshot(new SnapshotDeletion(fx.prod(), COPY, RUN));
    fx.staging.deleteSnapshot(new SnapshotDeletion(fx.prod(), COPY, RUN));

    assertTrue(fx.sandbox.rds().snapshot(PROD, COPY).isEmpty());
    assertEquals(sharesBefore + 1, fx.calls("ModifyDBClusterSnapshotAttribute"), "one unshare");
    assertTrue(
        fx.sandbox.calls().of("ModifyDBClusterSnapshotAttribute").get((int) sharesBefore).seq()
            < fx.firstSeq("DeleteDBClusterSnapshot"),
        "unshared before the delete");
    assertEquals(1, fx.calls("DeleteDBClusterSnapshot"));
  }

  @Test
  void givenASnapshotOfAnotherRun_whenDeleted_thenNonRetryableNotOwnedAndNoChangeCall() {
    fx.staging.ensureSnapshot(
        new SnapshotRequest(
            fx.prod(), SOURCE, SNAP, Map.of(StagingValidator.OWNER_TAG, PREVIOUS_RUN)));
    fx.advance(Duration.ofSeconds(10));

    ApplicationFailure f =
        failureOf(() -> fx.staging.deleteSnapshot(new SnapshotDeletion(fx.prod(), SNAP, RUN)));

    assertEquals(ErrorTypes.NOT_OWNED, f.getType());
    assertTrue(f.isNonRetryable());
    assertEquals(0, fx.calls("ModifyDBClusterSnapshotAttribute"));
    assertEquals(0, fx.calls("DeleteDBClusterSnapshot"));
    assertTrue(fx.sandbox.rds().snapshot(PROD, SNAP).isPresent());
  }

  @Test
  void givenASnapshotStillCreating_whenDeleted_thenNotReadyAndDeletedOnceAvailable() {
    snapshot();

    assertNotReady(
        "cannot be deleted yet",
        () -> fx.staging.deleteSnapshot(new SnapshotDeletion(fx.prod(), SNAP, RUN)));
    fx.advance(Duration.ofSeconds(10));
    fx.staging.deleteSnapshot(new SnapshotDeletion(fx.prod(), SNAP, RUN));

    assertTrue(fx.sandbox.rds().snapshot(PROD, SNAP).isEmpty());
  }
}
