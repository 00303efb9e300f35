package dev.dbops.workflows.upgrade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dbops.workflows.common.ErrorTypes;
import io.temporal.api.enums.v1.RetryState;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class UpgradeRollbackWorkflowTest {
  TestWorkflowEnvironment env;
  FakeRds rds;
  WorkflowClient client;

  @BeforeEach
  void setUp() {
    env = TestWorkflowEnvironment.newInstance();
    rds = new FakeRds(env);
    Worker worker = env.newWorker("q");
    worker.registerWorkflowImplementationTypes(UpgradeRollbackWorkflowImpl.class);
    worker.registerActivitiesImplementations(rds, new dev.dbops.workflows.common.ScriptedHooks());
    env.start();
    client = env.getWorkflowClient();
  }

  @AfterEach
  void tearDown() {
    env.close();
  }

  UpgradeRollbackWorkflow stub() {
    return client.newWorkflowStub(
        UpgradeRollbackWorkflow.class,
        WorkflowOptions.newBuilder()
            .setTaskQueue("q")
            .setWorkflowId("upgrade-rollback/orders-56")
            .build());
  }

  static RollbackRequest request(String snapshot) {
    return new RollbackRequest(
        snapshot,
        "orders-56",
        null,
        null,
        null,
        "db.r5.large",
        2,
        "bob",
        Duration.ofMinutes(1),
        null);
  }

  @Test
  void givenPreUpgradeSnapshot_whenRolledBack_thenNewClusterWithInstancesAndEndpoint() {
    rds.snapshots.put("dbops-pre-upgrade-upgrade-orders", 0L);
    RollbackResult r = stub().run(request("dbops-pre-upgrade-upgrade-orders"));

    assertEquals("orders-56", r.newClusterId());
    assertTrue(r.endpoints().endpoint().startsWith("orders-56.cluster-"));
    assertEquals(List.of("orders-56-1", "orders-56-2"), r.instances());
    assertEquals(1, rds.restoreCalls.get());
    assertEquals(2, rds.createdInstances.size());
  }

  @Test
  void givenUnknownSnapshot_whenRolledBack_thenInvalidInputBeforeAnyRestore() {
    WorkflowFailedException e =
        assertThrows(WorkflowFailedException.class, () -> stub().run(request("no-such-snapshot")));
    ApplicationFailure f = assertInstanceOf(ApplicationFailure.class, e.getCause());
    assertEquals(ErrorTypes.INVALID_INPUT, f.getType());
    assertTrue(
        f.getOriginalMessage().startsWith("snapshotId: snapshot no-such-snapshot not found"),
        f.getOriginalMessage());
    assertEquals(0, rds.restoreCalls.get());
    assertEquals(
        "FAILED",
        client
            .newWorkflowStub(UpgradeRollbackWorkflow.class, "upgrade-rollback/orders-56")
            .status()
            .phase());
  }

  @Test
  void
      givenClassNotOfferedForTheSnapshotsVersion_whenRolledBack_thenInvalidInputNamingItBeforeAnyRestore() {
    String v57 = "5.7.mysql_aurora.2.11.2";
    rds.snapshots.put("dbops-pre-upgrade-upgrade-orders", 0L);
    rds.snapshotEngine = "aurora-mysql";
    rds.snapshotVersion = v57;
    rds.notOffered.add("db.t2.small@" + v57);
    RollbackRequest r =
        new RollbackRequest(
            "dbops-pre-upgrade-upgrade-orders",
            "orders-56",
            null,
            null,
            null,
            "db.t2.small",
            2,
            "bob",
            Duration.ofMinutes(1),
            null);
    WorkflowFailedException e = assertThrows(WorkflowFailedException.class, () -> stub().run(r));

    ApplicationFailure f = assertInstanceOf(ApplicationFailure.class, e.getCause());
    assertEquals(ErrorTypes.INVALID_INPUT, f.getType());
    assertEquals(
        "instanceClass: 'db.t2.small' is not offered for aurora-mysql "
            + v57
            + " (offered: db.r5.large, db.t3.medium, …) (nothing was created)",
        f.getOriginalMessage());
    assertEquals(0, rds.restoreCalls.get());
    assertTrue(rds.createdInstances.isEmpty());
    assertEquals(
        "FAILED",
        client
            .newWorkflowStub(UpgradeRollbackWorkflow.class, "upgrade-rollback/orders-56")
            .status()
            .phase());
  }

  @Test
  void givenRestoredClusterNeverAvailable_whenMaxWaitPasses_thenFailsWithoutCreatingInstances() {
    rds.snapshots.put("dbops-pre-upgrade-upgrade-orders", 0L);
    rds.restoreTime = Duration.ofHours(10);
    WorkflowFailedException e =
        assertThrows(
            WorkflowFailedException.class,
            () -> stub().run(request("dbops-pre-upgrade-upgrade-orders")));

    ActivityFailure f = assertInstanceOf(ActivityFailure.class, e.getCause());
    assertEquals(RetryState.RETRY_STATE_TIMEOUT, f.getRetryState());
    assertEquals(1, rds.restoreCalls.get());
    assertTrue(rds.createdInstances.isEmpty());
  }

  @Test
  void givenBadRequest_whenStarted_thenInvalidInputNamingFields() {
    WorkflowFailedException e =
        assertThrows(
            WorkflowFailedException.class,
            () ->
                stub()
                    .run(
                        new RollbackRequest(
                            "s", "Bad_Id", null, null, null, "large", 0, null, null, null)));
    ApplicationFailure f = assertInstanceOf(ApplicationFailure.class, e.getCause());
    assertEquals(ErrorTypes.INVALID_INPUT, f.getType());
    for (String field : List.of("newClusterId", "instanceClass", "instances", "requestedBy")) {
      assertTrue(f.getOriginalMessage().contains(field), f.getOriginalMessage());
    }
  }
}
