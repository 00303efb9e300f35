package dev.dbops.workflows.upgrade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dbops.workflows.common.Abort;
import dev.dbops.workflows.common.Approval;
import dev.dbops.workflows.common.ApprovalPolicy;
import dev.dbops.workflows.common.DbLogin;
import dev.dbops.workflows.common.ErrorTypes;
import dev.dbops.workflows.common.NotifyActivities;
import dev.dbops.workflows.common.Rejection;
import dev.dbops.workflows.common.RunNotice;
import dev.dbops.workflows.common.WaitNotice;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class UpgradeWorkflowTest {
  final dev.dbops.workflows.common.ScriptedHooks hooks =
      new dev.dbops.workflows.common.ScriptedHooks();
  static final String QUEUE = "dbops-test";
  static final String TARGET = "5.7.mysql_aurora.2.11.2";
  static final String ID = "upgrade/orders";

  TestWorkflowEnvironment env;
  FakeRds rds;
  FakeMySql sql;
  final List<WaitNotice> notices = new CopyOnWriteArrayList<>();
  WorkflowClient client;

  @BeforeEach
  void setUp() {
    env = TestWorkflowEnvironment.newInstance();
    rds = new FakeRds(env);
    sql = new FakeMySql(rds);
    Worker worker = env.newWorker(QUEUE);
    worker.registerWorkflowImplementationTypes(UpgradeWorkflowImpl.class);
    worker.registerActivitiesImplementations(
        rds,
        sql,
        hooks,
        new NotifyActivities() {
          @Override
          public void waitingForPerson(WaitNotice n) {
            notices.add(n);
          }

          @Override
          public void personResponded(WaitNotice n) {
            notices.add(n);
          }

          @Override
          public void runEnded(RunNotice n) {}
        });
    env.start();
    client = env.getWorkflowClient();
  }

  @AfterEach
  void tearDown() {
    env.close();
  }

  static UpgradeRequest request(
      Boolean waive, ApprovalPolicy approval, Duration stall, String clusterGroup) {
    return new UpgradeRequest(
        "orders",
        TARGET,
        clusterGroup,
        null,
        new DbLogin("dbops", "env:DB_PASSWORD"),
        List.of("SELECT COUNT(*) FROM orders"),
        null,
        waive,
        approval,
        "bob",
        Duration.ofMinutes(5),
        stall,
        null,
        null,
        null,
        null,
        null);
  }

  static UpgradeRequest waived() {
    return request(true, null, null, null);
  }

  static ApprovalPolicy alice(Duration timeout) {
    return new ApprovalPolicy(List.of("alice"), 1, timeout);
  }

  UpgradeWorkflow stub() {
    return client.newWorkflowStub(
        UpgradeWorkflow.class,
        WorkflowOptions.newBuilder().setTaskQueue(QUEUE).setWorkflowId(ID).build());
  }

  UpgradeResult result() {
    return client.newUntypedWorkflowStub(ID).getResult(UpgradeResult.class);
  }

  static ApplicationFailure failureOf(WorkflowFailedException e) {
    return assertInstanceOf(ApplicationFailure.class, e.getCause());
  }

  ApplicationFailure runFails(UpgradeRequest r) {
    return failureOf(assertThrows(WorkflowFailedException.class, () -> stub().run(r)));
  }

  int historyEvents() {
    var h = client.fetchHistory(ID).getHistory();
    if (Boolean.getBoolean("dbops.dumpHistory")) {
      h.getEventsList()
          .forEach(
              e ->
                  System.err.println(
                      e.getEventId()
                          + " "
                          + e.getEventType()
                          + (e.hasActivityTaskScheduledEventAttributes()
                              ? " "
                                  + e.getActivityTaskScheduledEventAttributes()
                                      .getActivityType()
                                      .getName()
                              : "")));
    }
    return h.getEventsCount();
  }

  @Test
  void givenApprovedUpgrade_whenSnapshotTakes1hAndUpgrade3h_thenVerifiedOn57WithFewHistoryEvents() {
    UpgradeWorkflow wf = stub();
    WorkflowClient.start(wf::run, request(null, alice(null), null, null));
    env.sleep(Duration.ofMinutes(1));
    assertEquals(UpgradePhase.AWAITING_APPROVAL, wf.status().phase());
    assertEquals(0, rds.snapshotCreates.get());

    wf.approve(new Approval("alice", "change CHG-42"));
    env.sleep(Duration.ofMinutes(150));
    UpgradeStatus midway = wf.status();
    assertEquals(UpgradePhase.UPGRADING, midway.phase());
    assertTrue(
        FakeRds.PHASES.contains(midway.upgradePhase()),
        "phase from events: " + midway.upgradePhase());

    UpgradeResult r = result();
    assertEquals(UpgradeResult.COMPLETED, r.outcome());
    assertEquals("5.7.12", r.reportedVersion());
    assertEquals(UpgradeRequest.snapshotIdFor(ID), r.snapshotId());
    assertEquals(ModifyOutcome.STARTED, r.modifyAction());
    assertEquals(List.of("SELECT COUNT(*) FROM orders -> 1"), r.smokeResults());
    assertEquals(1, rds.snapshotCreates.get());
    assertEquals(1, rds.modifyCalls.get());
    assertTrue(r.approvals().stream().anyMatch(a -> "alice".equals(a.by())));
    assertTrue(
        r.warnings().stream().anyMatch(w -> w.contains("max_connections")),
        "default parameter group warning: " + r.warnings());
    // 60 before reminders, +2: their version marker and the reminder timer cancelled on approval
    assertTrue(historyEvents() <= 62, "history events: " + historyEvents());
    assertEquals(List.of("before-snapshot", "before-modify", "after-upgrade"), hooks.phases());
    assertEquals("orders", hooks.calls.get(1).data().get("cluster"));
  }

  @Test
  void givenBeforeModifyHookFails_whenAliceRejects_thenNoModifyAndOnFailureHookTold() {
    hooks.failing = java.util.Set.of("before-modify");
    UpgradeWorkflow wf = stub();
    WorkflowClient.start(wf::run, request(null, alice(null), null, null));
    env.sleep(Duration.ofMinutes(1));
    wf.approve(new Approval("alice", "change CHG-42"));
    env.sleep(Duration.ofHours(2));
    assertTrue(
        wf.status().waitingFor().contains("go on after failed hook before-modify"),
        wf.status().waitingFor());
    wf.reject(new Rejection("alice", "maintenance mode did not come up"));
    WorkflowFailedException e = assertThrows(WorkflowFailedException.class, this::result);
    assertEquals(ErrorTypes.HOOK_FAILED, failureOf(e).getType());
    assertEquals(0, rds.modifyCalls.get());
    assertEquals(List.of("before-snapshot", "before-modify", "on-failure"), hooks.phases());
  }

  @Test
  void givenThirtyHourUpgrade_whenStuckInPurge_thenHistoryStaysWithinBudget() {
    rds.stuckInPurge = Duration.ofHours(27);
    UpgradeResult r = stub().run(request(true, null, Duration.ofDays(3), null));

    assertEquals(UpgradeResult.COMPLETED, r.outcome());
    assertTrue(historyEvents() <= 60, "history events for a 30 h upgrade: " + historyEvents());
  }

  @Test
  void givenNoApproval_whenTimeoutElapses_thenApprovalTimeoutAndNothingChanged() {
    ApplicationFailure f = runFails(request(null, alice(Duration.ofHours(4)), null, null));

    assertEquals(ErrorTypes.APPROVAL_TIMEOUT, f.getType());
    assertEquals(0, rds.snapshotCreates.get());
    assertEquals(0, rds.modifyCalls.get());
  }

  @Test
  void givenWaitingForApproval_whenRejected_thenRejectedAndNothingChanged() {
    UpgradeWorkflow wf = stub();
    WorkflowClient.start(wf::run, request(null, alice(null), null, null));
    env.sleep(Duration.ofMinutes(1));
    wf.approve(new Approval("bob", "my own change"));
    wf.reject(new Rejection("alice", "not in the maintenance window"));

    WorkflowFailedException e = assertThrows(WorkflowFailedException.class, this::result);
    assertEquals(ErrorTypes.REJECTED, failureOf(e).getType());
    assertEquals(0, rds.snapshotCreates.get());
    assertTrue(wf.status().approvals().get(0).comment().contains("requester may not approve"));
  }

  @Test
  void givenStalledUpgrade_whenPastThreshold_thenNotifiesKeepsWaiting_andAbortFailsTyped() {
    rds.stuckInPurge = Duration.ofDays(2);
    UpgradeWorkflow wf = stub();
    WorkflowClient.start(wf::run, request(true, null, Duration.ofHours(2), null));
    env.sleep(Duration.ofHours(4));

    UpgradeStatus s = wf.status();
    assertEquals(UpgradePhase.UPGRADING, s.phase());
    assertTrue(s.stalled());
    assertTrue(
        notices.stream().anyMatch(n -> n.waiting() && n.command().contains("abort " + ID)),
        "people were told, with the abort command");
    int checksBefore = rds.checkCalls.get();
    env.sleep(Duration.ofHours(2));
    assertTrue(rds.checkCalls.get() > checksBefore, "still polling after the notice");

    wf.abort(new Abort("alice", "rollback instead"));
    WorkflowFailedException e = assertThrows(WorkflowFailedException.class, this::result);
    ApplicationFailure f = failureOf(e);
    assertEquals(ErrorTypes.ABORTED, f.getType());
    assertTrue(
        f.getOriginalMessage().contains(UpgradeRequest.snapshotIdFor(ID)), f.getOriginalMessage());
    assertEquals(0, sql.verifyCalls.get());
  }

  @Test
  void givenAbortDuringTheSnapshotWait_whenSnapshotIsReady_thenAbortedBeforeModifyDBCluster() {
    rds.snapshotTime = Duration.ofHours(3);
    UpgradeWorkflow wf = stub();
    WorkflowClient.start(wf::run, waived());
    env.sleep(Duration.ofMinutes(30));
    assertEquals(UpgradePhase.SNAPSHOTTING, wf.status().phase());

    wf.abort(new Abort("alice", "change window closed"));
    ApplicationFailure f = failureOf(assertThrows(WorkflowFailedException.class, this::result));
    assertEquals(ErrorTypes.ABORTED, f.getType());
    assertTrue(
        f.getOriginalMessage().contains("the cluster was not changed"), f.getOriginalMessage());
    assertEquals(0, rds.modifyCalls.get());
  }

  @Test
  void
      givenAbortTheWorkerRefusedAsUnverified_whenSignalled_thenRecordedRefusedAndTheUpgradeGoesOn() {
    rds.snapshotTime = Duration.ofHours(3);
    UpgradeWorkflow wf = stub();
    WorkflowClient.start(wf::run, waived());
    env.sleep(Duration.ofMinutes(30));
    // The verdict ApproverCheckInterceptor puts on an unsigned abort when the worker has allowed
    // signers.
    wf.abort(
        new Abort(
            "alice",
            "change window closed",
            null,
            null,
            null,
            dev.dbops.workflows.common.ApproverCheck.refused("unsigned")));
    env.sleep(Duration.ofMinutes(1));
    var refused = wf.status().approvals();
    assertEquals(1, refused.size(), refused.toString());
    assertEquals("abort", refused.get(0).step());
    assertEquals("refused", refused.get(0).outcome());
    assertEquals("approver not verified: unsigned", refused.get(0).comment());
    assertEquals(UpgradePhase.SNAPSHOTTING, wf.status().phase());
    result();
    assertEquals(1, rds.modifyCalls.get(), "the refused abort stopped nothing");
  }

  @Test
  void givenUpgradeFailsInRds_whenWaiting_thenUpgradeFailedNamingTheSnapshot() {
    rds.failUpgrade = true;
    ApplicationFailure f = runFails(waived());

    assertEquals(ErrorTypes.UPGRADE_FAILED, f.getType());
    assertTrue(
        f.getOriginalMessage().contains(UpgradeRequest.snapshotIdFor(ID)), f.getOriginalMessage());
    assertEquals(UpgradeRequest.snapshotIdFor(ID), f.getDetails().get(String.class));
    assertEquals(0, sql.verifyCalls.get());
  }

  @Test
  void givenSnapshotAlreadyPresent_whenRun_thenAdoptedWithoutASecondCreate() {
    rds.snapshots.put(UpgradeRequest.snapshotIdFor(ID), env.currentTimeMillis());
    UpgradeResult r = stub().run(waived());

    assertTrue(r.snapshotAdopted());
    assertEquals(0, rds.snapshotCreates.get());
    assertEquals(1, rds.modifyCalls.get());
  }

  @Test
  void givenPreparedXaTransaction_whenPrechecked_thenBlockedNamingItBeforeAnySnapshot() {
    sql.report =
        new PrecheckReport("5.6.10", List.of("formatID=1 gtrid=pay-77"), List.of(), 0, null, 10);
    ApplicationFailure f = runFails(waived());

    assertEquals(ErrorTypes.PRECHECK_BLOCKED, f.getType());
    assertTrue(f.getOriginalMessage().contains("pay-77"), f.getOriginalMessage());
    assertEquals(0, rds.snapshotCreates.get());
  }

  @Test
  void givenBadTargets_whenValidated_thenInvalidInputBeforeAnyChange() {
    assertEquals(
        ErrorTypes.INVALID_INPUT,
        runFails(
                new UpgradeRequest(
                    "missing",
                    TARGET,
                    null,
                    null,
                    new DbLogin("u", "env:P"),
                    null,
                    null,
                    true,
                    null,
                    "bob",
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null))
            .getType());
    env.close();
    setUp();
    rds.clusterGroup = "custom-56";
    ApplicationFailure unmapped = runFails(waived());
    assertEquals(ErrorTypes.INVALID_INPUT, unmapped.getType());
    assertTrue(unmapped.getOriginalMessage().contains("custom-56"), unmapped.getOriginalMessage());
    assertEquals(0, rds.snapshotCreates.get());
  }

  @Test
  void
      givenInstanceClassNotOfferedOnTheTarget_whenValidated_thenInvalidInputNamingItBeforePrecheckAndSnapshot() {
    rds.instanceClass = "db.t2.small";
    rds.notOffered.add("db.t2.small@" + TARGET);
    ApplicationFailure f = runFails(waived());

    assertEquals(ErrorTypes.INVALID_INPUT, f.getType());
    assertTrue(
        f.getOriginalMessage()
            .startsWith(
                "clusterId: instance orders-1 runs 'db.t2.small' is not offered for "
                    + "aurora-mysql "
                    + TARGET
                    + " (offered: db.r5.large, db.t3.medium, …)"),
        f.getOriginalMessage());
    assertEquals(
        List.of(
            new dev.dbops.workflows.common.OrderableQuery(
                "aurora-mysql", TARGET, List.of("db.t2.small"))),
        rds.offerQueries);
    assertEquals(0, rds.snapshotCreates.get());
    assertEquals(0, rds.modifyCalls.get());
  }

  @Test
  void givenInstanceClassOfferedOnTheTarget_whenRun_thenAskedOnceForTheTargetVersionAndUpgraded() {
    rds.notOffered.add("db.r5.large@" + rds.version);
    UpgradeResult r = stub().run(waived());

    assertEquals(UpgradeResult.COMPLETED, r.outcome());
    assertEquals(
        List.of(
            new dev.dbops.workflows.common.OrderableQuery(
                "aurora-mysql", TARGET, List.of("db.r5.large"))),
        rds.offerQueries);
  }

  @Test
  void givenProductionCluster_whenNotConfirmedOrApprovalWaived_thenRefused() {
    rds.tags = Map.of("environment", "production");
    ApplicationFailure f = runFails(waived());

    assertEquals(ErrorTypes.INVALID_INPUT, f.getType());
    assertTrue(f.getOriginalMessage().contains("confirmProduction"));
    assertTrue(f.getOriginalMessage().contains("waiveApproval"));
    assertEquals(0, rds.modifyCalls.get());
  }

  @Test
  void givenDryRun_whenRun_thenPlanNamesEveryCallAndNothingChanges() {
    UpgradeResult r =
        stub()
            .run(
                new UpgradeRequest(
                    "orders",
                    TARGET,
                    "custom-57",
                    null,
                    new DbLogin("u", "file:/run/secrets/db"),
                    null,
                    null,
                    true,
                    null,
                    "bob",
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    true));

    assertEquals(UpgradeResult.PLANNED, r.outcome());
    assertEquals(
        UpgradeRequest.snapshotIdFor("upgrade/orders"), r.snapshotId(), "the real run's snapshot");
    assertTrue(
        r.plan().stream()
            .anyMatch(
                p ->
                    p.call().contains("ModifyDBCluster")
                        && p.call().contains("EngineVersion=" + TARGET)
                        && p.call().contains("custom-57")));
    assertTrue(r.plan().stream().anyMatch(p -> p.call().contains("CreateDBClusterSnapshot")));
    assertEquals(0, rds.snapshotCreates.get());
    assertEquals(0, rds.modifyCalls.get());
    assertFalse(r.plan().isEmpty());
    assertEquals(
        List.of("validate", "pre-check", "snapshot", "modify", "wait", "verify"),
        r.plan().stream().map(p -> p.step()).toList(),
        "approval waived: every other declared step is planned, in order");
    String precheck = r.plan().get(1).detail();
    assertTrue(
        precheck.contains("0 prepared XA") && precheck.contains("history list length"),
        "the plan shows the read-only pre-check results: " + precheck);
  }
}
