package dev.dbops.activities.staging;

import static dev.dbops.activities.staging.TwoAccountSandbox.OWNED;
import static dev.dbops.activities.staging.TwoAccountSandbox.PREVIOUS_RUN;
import static dev.dbops.activities.staging.TwoAccountSandbox.ROLE;
import static dev.dbops.activities.staging.TwoAccountSandbox.SOURCE;
import static dev.dbops.activities.staging.TwoAccountSandbox.STAGING;
import static dev.dbops.activities.staging.TwoAccountSandbox.assertNotReady;
import static dev.dbops.activities.staging.TwoAccountSandbox.failureOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dbops.sandbox.ClusterSeed;
import dev.dbops.sandbox.RdsSandbox;
import dev.dbops.workflows.common.ErrorTypes;
import dev.dbops.workflows.staging.ClusterRef;
import dev.dbops.workflows.staging.RestoreRequest;
import dev.dbops.workflows.staging.SnapshotCopyRequest;
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
 * Snapshot → copy with the customer key → share → restore by ARN in the staging account through the
 * assumed role → one step per look until ready, on the sandbox clock.
 */
class StagingRestoreTest {
  static final String NEW = "staging-20261122-0900";

  TwoAccountSandbox fx;
  SnapshotRef shared;

  @BeforeEach
  void start() {
    fx = TwoAccountSandbox.start();
    fx.staging.ensureSnapshot(new SnapshotRequest(fx.prod(), SOURCE, "snap", OWNED));
    fx.advance(Duration.ofSeconds(10));
    fx.staging.ensureSnapshotCopy(
        new SnapshotCopyRequest(fx.prod(), "snap", "snap-cmk", fx.customerKey, OWNED));
    fx.advance(Duration.ofSeconds(10));
    shared = fx.staging.checkSnapshotAvailable(fx.prod(), "snap-cmk");
    fx.staging.shareSnapshot(new SnapshotShare(fx.prod(), "snap-cmk", STAGING));
  }

  @AfterEach
  void stop() {
    fx.close();
  }

  RestoreRequest restore(int instances) {
    return new RestoreRequest(
        fx.target(),
        shared.arn(),
        NEW,
        "aurora-mysql",
        fx.source.engineVersion(),
        "db.r5.large",
        instances,
        null,
        List.of(),
        "env:" + TwoAccountSandbox.PASSWORD_VAR,
        OWNED);
  }

  RdsSandbox.ClusterView cluster() {
    return fx.sandbox.rds().cluster(STAGING, NEW);
  }

  @Test
  void
      givenASharedCopy_whenRestoredInTheTargetAndLookedAtUntilReady_thenPasswordOnceInstancesOnceThenTheEndpoint() {
    RestoreRequest r = restore(2);

    ClusterRef started = fx.staging.ensureRestoredCluster(r);
    assertEquals("creating", started.status());
    assertFalse(started.adopted());
    assertNotReady("is creating", () -> fx.staging.checkRestoredClusterReady(r));
    fx.advance(Duration.ofSeconds(30));
    assertNotReady("master password set", () -> fx.staging.checkRestoredClusterReady(r));
    assertEquals(1, cluster().masterPasswordChanges());
    assertEquals("reset", cluster().tags().get(RestoreRequest.PASSWORD_TAG));
    assertNotReady("creating", () -> fx.staging.checkRestoredClusterReady(r));
    assertEquals(List.of(NEW + "-1", NEW + "-2"), cluster().instances());
    assertNotReady("is creating", () -> fx.staging.checkRestoredClusterReady(r));
    fx.advance(Duration.ofSeconds(20));
    ClusterRef ready = fx.staging.checkRestoredClusterReady(r);
    ClusterRef again = fx.staging.checkRestoredClusterReady(r);

    assertEquals("available", ready.status());
    assertEquals(cluster().endpoint(), ready.endpoint());
    assertEquals(STAGING, ready.accountId());
    assertEquals(ready, again);
    assertEquals(1, cluster().masterPasswordChanges(), "the password is set once");
    assertEquals(1, fx.calls("ModifyDBCluster"));
    assertEquals(2, fx.calls("CreateDBInstance"), "each instance is created once");
    assertEquals(1, fx.calls("RestoreDBClusterFromSnapshot"));
    assertEquals(
        OWNED.get(StagingValidator.OWNER_TAG), cluster().tags().get(StagingValidator.OWNER_TAG));
    assertEquals("available", fx.sandbox.rds().instanceStatus(STAGING, NEW + "-2").orElseThrow());
    assertEquals(List.of(STAGING), fx.accountsOf("RestoreDBClusterFromSnapshot"));
    assertEquals(List.of(STAGING, STAGING), fx.accountsOf("CreateDBInstance"));
    assertTrue(
        fx.sandbox.accounts().sessions().stream()
            .allMatch(
                s ->
                    s.roleArn().endsWith(":role/" + ROLE)
                        && s.roleSessionName().startsWith("dbops-")));
    assertTrue(fx.calls("AssumeRole") >= 1);
  }

  @Test
  void givenTheRestoreStartedByAnEarlierAttempt_whenEnsuredAgain_thenAdoptedAndRestoredOnce() {
    fx.staging.ensureRestoredCluster(restore(1));

    ClusterRef again = fx.staging.ensureRestoredCluster(restore(1));

    assertTrue(again.adopted());
    assertEquals(1, fx.calls("RestoreDBClusterFromSnapshot"));
  }

  @Test
  void
      givenAClusterWithTheRunsNameOwnedByAnotherRun_whenEnsured_thenNonRetryableNotOwnedAndNoRestore() {
    fx.sandbox
        .rds()
        .createCluster(
            ClusterSeed.auroraMysql57(NEW)
                .inAccount(STAGING)
                .withTag(StagingValidator.OWNER_TAG, PREVIOUS_RUN));

    ApplicationFailure f = failureOf(() -> fx.staging.ensureRestoredCluster(restore(1)));

    assertEquals(ErrorTypes.NOT_OWNED, f.getType());
    assertTrue(f.isNonRetryable());
    assertEquals(0, fx.calls("RestoreDBClusterFromSnapshot"));
  }

  @Test
  void
      givenAnUnresolvablePasswordReference_whenTheClusterIsAvailable_thenNonRetryableAndNoPasswordChange() {
    RestoreRequest r =
        new RestoreRequest(
            fx.target(),
            shared.arn(),
            NEW,
            "aurora-mysql",
            fx.source.engineVersion(),
            "db.r5.large",
            1,
            null,
            List.of(),
            "env:DBOPS_TEST_NOT_SET",
            Map.copyOf(OWNED));
    fx.staging.ensureRestoredCluster(r);
    fx.advance(Duration.ofSeconds(30));

    ApplicationFailure f = failureOf(() -> fx.staging.checkRestoredClusterReady(r));

    assertTrue(f.isNonRetryable(), f.getType());
    assertFalse(f.getOriginalMessage().contains(TwoAccountSandbox.PASSWORD));
    assertEquals(0, cluster().masterPasswordChanges());
    assertEquals(0, fx.calls("ModifyDBCluster"));
  }
}
