package dev.dbops.workflows.upgrade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dbops.workflows.common.Approval;
import dev.dbops.workflows.common.ApprovalPolicy;
import dev.dbops.workflows.common.ApprovalRecord;
import dev.dbops.workflows.common.ErrorTypes;
import dev.dbops.workflows.common.FakeRoute53;
import dev.dbops.workflows.common.SilentNotify;
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
  FakeRoute53 route53;
  WorkflowClient client;

  @BeforeEach
  void setUp() {
    env = TestWorkflowEnvironment.newInstance();
    rds = new FakeRds(env);
    route53 = new FakeRoute53(env);
    Worker worker = env.newWorker("q");
    worker.registerWorkflowImplementationTypes(UpgradeRollbackWorkflowImpl.class);
    worker.registerActivitiesImplementations(
        rds, new dev.dbops.workflows.common.ScriptedHooks(), new SilentNotify(), route53);
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

  static final String SNAPSHOT = "dbops-pre-upgrade-upgrade-orders";
  static final String ID = "upgrade-rollback/orders-56";

  static RollbackRequest withDns(String zoneId, String record, Boolean dryRun) {
    return new RollbackRequest(
        SNAPSHOT,
        "orders-56",
        null,
        null,
        null,
        "db.r5.large",
        2,
        "bob",
        Duration.ofMinutes(1),
        null,
        zoneId,
        record,
        new ApprovalPolicy(List.of("alice", "carol", "bob"), 2, Duration.ofHours(4)),
        dryRun);
  }

  RollbackResult result() {
    return client.newUntypedWorkflowStub(ID).getResult(RollbackResult.class);
  }

  ApplicationFailure resultFails() {
    WorkflowFailedException e = assertThrows(WorkflowFailedException.class, this::result);
    return assertInstanceOf(ApplicationFailure.class, e.getCause());
  }

  @Test
  void
      givenACname_whenRestoredAndApprovedByTwoOthers_thenRepointedTtl0InsyncWithPreviousValueKept() {
    rds.snapshots.put(SNAPSHOT, 0L);
    UpgradeRollbackWorkflow wf = stub();
    WorkflowClient.start(wf::run, withDns(FakeRoute53.ZONE_ID, "DB.orders.internal", null));
    env.sleep(Duration.ofHours(1));

    RollbackStatus waiting = wf.status();
    assertEquals(RollbackPhase.AWAITING_APPROVAL, waiting.phase());
    assertEquals(FakeRoute53.OLD_VALUE, waiting.previousCname());
    assertTrue(waiting.waitingFor().contains("by 2 of [alice, carol, bob]"), waiting.waitingFor());
    assertTrue(route53.upserts.isEmpty(), "changed before the approval");
    wf.approve(new Approval("bob", "my own rollback"));
    wf.approve(new Approval("alice", "INC-7"));
    env.sleep(Duration.ofMinutes(1));
    assertTrue(route53.upserts.isEmpty(), "changed after one approval of two");
    wf.approve(new Approval("carol", "INC-7"));
    RollbackResult r = result();

    String endpoint = "orders-56.cluster-x.us-east-1.rds.amazonaws.com";
    assertEquals(RollbackResult.COMPLETED, r.outcome());
    assertEquals(endpoint, r.endpoints().endpoint());
    assertEquals(1, route53.upserts.size());
    assertEquals(endpoint, route53.upserts.get(0).value());
    assertEquals(0, route53.upserts.get(0).ttl());
    assertEquals(FakeRoute53.RECORD, route53.upserts.get(0).recordName());
    assertEquals(FakeRoute53.OLD_VALUE, r.previousCname());
    assertEquals("C1", r.cnameChange());
    assertEquals(
        List.of(ApprovalRecord.REFUSED, ApprovalRecord.APPROVED, ApprovalRecord.APPROVED),
        r.approvals().stream().map(ApprovalRecord::outcome).toList());
    assertEquals(RollbackPhase.COMPLETED, wf.status().phase());
    assertTrue(
        r.timeline().stream().anyMatch(s -> s.step().equals("repointed")), r.timeline().toString());
  }

  @Test
  void givenACname_whenNobodyApproves_thenFailsAfterTheTimeoutWithTheCnameUntouched() {
    rds.snapshots.put(SNAPSHOT, 0L);
    UpgradeRollbackWorkflow wf = stub();
    WorkflowClient.start(wf::run, withDns(FakeRoute53.ZONE_ID, FakeRoute53.RECORD, null));
    ApplicationFailure f = resultFails();

    assertEquals(ErrorTypes.APPROVAL_TIMEOUT, f.getType());
    assertTrue(
        f.getOriginalMessage().contains("the CNAME still points at " + FakeRoute53.OLD_VALUE),
        f.getOriginalMessage());
    assertTrue(route53.upserts.isEmpty());
    assertEquals(FakeRoute53.OLD_VALUE, route53.value);
    assertEquals(1, rds.restoreCalls.get());
    RollbackStatus s = wf.status();
    assertEquals(RollbackPhase.FAILED, s.phase());
    assertEquals(FakeRoute53.OLD_VALUE, s.previousCname());
  }

  @Test
  void givenRoute53RefusesTheChange_whenApproved_thenDnsChangeFailedNamingThePreviousValue() {
    rds.snapshots.put(SNAPSHOT, 0L);
    route53.failUpsertWith = ErrorTypes.ACCESS_DENIED;
    UpgradeRollbackWorkflow wf = stub();
    WorkflowClient.start(wf::run, withDns(FakeRoute53.ZONE_ID, FakeRoute53.RECORD, null));
    env.sleep(Duration.ofHours(1));
    wf.approve(new Approval("alice", "INC-7"));
    wf.approve(new Approval("carol", "INC-7"));
    ApplicationFailure f = resultFails();

    assertEquals(ErrorTypes.DNS_CHANGE_FAILED, f.getType());
    assertTrue(
        f.getOriginalMessage().contains("it pointed at " + FakeRoute53.OLD_VALUE),
        f.getOriginalMessage());
    assertTrue(f.getOriginalMessage().endsWith("orders-56 was kept"), f.getOriginalMessage());
    assertEquals(FakeRoute53.OLD_VALUE, route53.value);
    assertEquals(1, rds.restoreCalls.get());
    assertEquals(RollbackPhase.FAILED, wf.status().phase());
  }

  @Test
  void givenRoute53NeverInsync_whenRepointed_thenFailsAfterTheWaitWithFlatHistory() {
    rds.snapshots.put(SNAPSHOT, 0L);
    route53.propagation = null; // never INSYNC, however far the test server skips time
    UpgradeRollbackWorkflow wf = stub();
    WorkflowClient.start(wf::run, withDns(FakeRoute53.ZONE_ID, FakeRoute53.RECORD, null));
    env.sleep(Duration.ofHours(1));
    wf.approve(new Approval("alice", "INC-7"));
    wf.approve(new Approval("carol", "INC-7"));
    ApplicationFailure f = resultFails();

    assertEquals(ErrorTypes.DNS_CHANGE_FAILED, f.getType());
    assertTrue(
        f.getOriginalMessage().contains("failed (not INSYNC within PT30M: change C1 is PENDING)"),
        f.getOriginalMessage());
    assertEquals(1, route53.upserts.size());
    // 30 minutes of checks every 10 s are retries of one activity: no event per check.
    int events = client.fetchHistory(ID).getHistory().getEventsCount();
    assertTrue(events < 60, "history events: " + events);
  }

  @Test
  void givenTheRecordIsNotACname_whenStarted_thenInvalidInputNamingItBeforeAnyRestore() {
    rds.snapshots.put(SNAPSHOT, 0L);
    route53.recordType = "A";
    ApplicationFailure a =
        runFailsWith(
            withDns(FakeRoute53.ZONE_ID, FakeRoute53.RECORD, null), ErrorTypes.INVALID_INPUT);
    assertEquals(
        "recordName: 'db.orders.internal.' is a A record, not a CNAME (nothing was created)",
        a.getOriginalMessage());
    route53.recordType = null;
    ApplicationFailure missing =
        runFailsWith(
            withDns(FakeRoute53.ZONE_ID, FakeRoute53.RECORD, null), ErrorTypes.INVALID_INPUT);
    assertTrue(
        missing.getOriginalMessage().startsWith("recordName: no record 'db.orders.internal.'"),
        missing.getOriginalMessage());
    ApplicationFailure zone =
        runFailsWith(withDns("ZNOSUCHZONE", FakeRoute53.RECORD, null), ErrorTypes.INVALID_INPUT);
    assertTrue(
        zone.getOriginalMessage().startsWith("hostedZoneId: 'ZNOSUCHZONE' not found"),
        zone.getOriginalMessage());
    assertEquals(0, rds.restoreCalls.get());
    assertTrue(route53.upserts.isEmpty());
  }

  @Test
  void
      givenAnEngineOtherThanTheSnapshots_whenStarted_thenInvalidInputNamingEngineBeforeAnyRestore() {
    rds.snapshots.put(SNAPSHOT, 0L);
    RollbackRequest r =
        new RollbackRequest(
            SNAPSHOT, "orders-56", "aurora-mysql", null, null, null, 1, "bob", null, null);
    ApplicationFailure f = runFailsWith(r, ErrorTypes.INVALID_INPUT);
    assertEquals(
        "engine: snapshot "
            + SNAPSHOT
            + " is aurora 5.6.mysql_aurora.1.22.2, not aurora-mysql (nothing was created)",
        f.getOriginalMessage());
    RollbackRequest v57 =
        new RollbackRequest(
            SNAPSHOT,
            "orders-56",
            null,
            "5.7.mysql_aurora.2.11.2",
            null,
            null,
            1,
            "bob",
            null,
            null);
    ApplicationFailure version = runFailsWith(v57, ErrorTypes.INVALID_INPUT);
    assertEquals(
        "engineVersion: '5.7.mysql_aurora.2.11.2' is not a version of aurora, the engine of"
            + " snapshot "
            + SNAPSHOT
            + " (5.6.mysql_aurora.1.22.2) (nothing was created)",
        version.getOriginalMessage());
    assertEquals(0, rds.restoreCalls.get());
  }

  @Test
  void givenA57SnapshotAndNoEngine_whenRolledBack_thenRestoredAsTheSnapshotsEngine() {
    rds.snapshots.put(SNAPSHOT, 0L);
    rds.snapshotEngine = "aurora-mysql";
    rds.snapshotVersion = "5.7.mysql_aurora.2.11.2";
    stub().run(request(SNAPSHOT));
    assertEquals("aurora-mysql", rds.restoredEngines.get("orders-56"));
  }

  @Test
  void givenADryRun_whenPlanned_thenStepsWithExactCallsAndReadOnlyResultsAndNothingChanged() {
    rds.snapshots.put(SNAPSHOT, 0L);
    RollbackResult r = stub().run(withDns(FakeRoute53.ZONE_ID, FakeRoute53.RECORD, true));

    assertEquals(RollbackResult.PLANNED, r.outcome());
    assertEquals(0, rds.restoreCalls.get());
    assertTrue(rds.createdInstances.isEmpty());
    assertTrue(route53.upserts.isEmpty());
    assertEquals(
        List.of("validate", "restore", "instances", "approve", "repoint"),
        r.plan().stream().map(dev.dbops.workflows.common.PlanStep::step).toList());
    String all = r.plan().toString();
    for (String call :
        List.of(
            "DescribeDBClusterSnapshots DBClusterSnapshotIdentifier=" + SNAPSHOT,
            "RestoreDBClusterFromSnapshot DBClusterIdentifier=orders-56 SnapshotIdentifier="
                + SNAPSHOT
                + " Engine=aurora",
            "CreateDBInstance DBClusterIdentifier=orders-56 DBInstanceClass=db.r5.large",
            "orders-56-1,orders-56-2",
            "ChangeResourceRecordSets HostedZoneId="
                + FakeRoute53.ZONE_ID
                + " UPSERT "
                + FakeRoute53.RECORD
                + " CNAME <writer endpoint of orders-56> TTL 0; GetChange until INSYNC",
            "now " + FakeRoute53.OLD_VALUE,
            "approval by 2 of [alice, carol, bob]")) {
      assertTrue(all.contains(call), call + " in " + all);
    }
  }

  @Test
  void givenADryRunWithoutACname_whenPlanned_thenNoApprovalOrRepointStepAndTheSnapshotsVersion() {
    rds.snapshots.put(SNAPSHOT, 0L);
    RollbackResult r = stub().run(withDns(null, null, true));

    assertEquals(RollbackResult.PLANNED, r.outcome());
    assertEquals(
        List.of("validate", "restore", "instances"),
        r.plan().stream().map(dev.dbops.workflows.common.PlanStep::step).toList());
    assertTrue(
        r.plan().get(0).call().contains("EngineVersion=5.6.mysql_aurora.1.22.2"),
        r.plan().toString());
    assertEquals(RollbackPhase.COMPLETED, wf().status().phase());
    assertEquals(0, rds.restoreCalls.get());
  }

  UpgradeRollbackWorkflow wf() {
    return client.newWorkflowStub(UpgradeRollbackWorkflow.class, ID);
  }

  @Test
  void givenOnlyOneOfZoneAndRecord_whenStarted_thenInvalidInputNamingTheMissingOne() {
    ApplicationFailure f =
        runFailsWith(withDns(FakeRoute53.ZONE_ID, null, null), ErrorTypes.INVALID_INPUT);
    assertTrue(
        f.getOriginalMessage().contains("recordName: required with hostedZoneId (both or neither)"),
        f.getOriginalMessage());
    assertEquals(0, rds.restoreCalls.get());
  }

  @Test
  void givenACname_whenTargetsAsked_thenTheClusterAndTheRecordAndNoneForADryRun() {
    assertEquals(
        List.of("cluster/orders-56", "dns/" + FakeRoute53.ZONE_ID + "/" + FakeRoute53.RECORD),
        withDns(FakeRoute53.ZONE_ID, "DB.orders.internal", null).targets());
    assertEquals(List.of("cluster/orders-56"), request(SNAPSHOT).targets());
    assertEquals(List.of(), withDns(FakeRoute53.ZONE_ID, FakeRoute53.RECORD, true).targets());
  }

  ApplicationFailure runFailsWith(RollbackRequest r, String type) {
    WorkflowFailedException e = assertThrows(WorkflowFailedException.class, () -> stub().run(r));
    ApplicationFailure f = assertInstanceOf(ApplicationFailure.class, e.getCause());
    assertEquals(type, f.getType(), f.getOriginalMessage());
    return f;
  }
}
