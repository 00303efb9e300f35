package dev.dbops.workflows.staging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dbops.workflows.common.Approval;
import dev.dbops.workflows.common.ApprovalPolicy;
import dev.dbops.workflows.common.ErrorTypes;
import dev.dbops.workflows.common.NotifyActivities;
import dev.dbops.workflows.common.Rejection;
import dev.dbops.workflows.common.RunNotice;
import dev.dbops.workflows.common.ScriptedHooks;
import dev.dbops.workflows.common.WaitNotice;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StagingRebuildWorkflowTest {
  static final String QUEUE = "dbops-test";
  static final String ID = "staging-rebuild/db.staging.internal./20261122";
  static final String CMK =
      "arn:aws:kms:us-east-1:" + FakeStaging.PROD + ":key/1234abcd-12ab-34cd-56ef-1234567890ab";

  TestWorkflowEnvironment env;
  FakeStaging aws;
  final ScriptedHooks hooks = new ScriptedHooks();
  final List<WaitNotice> notices = new CopyOnWriteArrayList<>();
  WorkflowClient client;

  @BeforeEach
  void setUp() {
    env = TestWorkflowEnvironment.newInstance();
    aws = new FakeStaging(env);
    Worker worker = env.newWorker(QUEUE);
    worker.registerWorkflowImplementationTypes(StagingRebuildWorkflowImpl.class);
    worker.registerActivitiesImplementations(
        aws,
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

  static StagingRebuildRequest request(RetirePolicy retire, ApprovalPolicy approval) {
    return new StagingRebuildRequest(
        new AccountRef(FakeStaging.PROD, null),
        "prod-main",
        new AccountRef(
            FakeStaging.STAGING, "arn:aws:iam::" + FakeStaging.STAGING + ":role/dbops-staging"),
        null,
        CMK,
        "db.r5.large",
        null,
        null,
        null,
        "env:STAGING_MASTER_PASSWORD",
        new MaskingSpec(
            List.of("UPDATE app.users SET email = CONCAT('user', id, '@example.invalid')"),
            null,
            List.of("SELECT COUNT(*) FROM app.users WHERE email NOT LIKE '%@example.invalid'")),
        null,
        null,
        null,
        new DnsTarget(FakeStaging.ZONE, FakeStaging.RECORD, 0L),
        retire,
        null,
        null,
        approval,
        "bob",
        null,
        null,
        null,
        null,
        null);
  }

  static StagingRebuildRequest grace() {
    return request(
        new RetirePolicy(RetirePolicy.GRACE, null, Duration.ofHours(24), null), alice(null));
  }

  static ApprovalPolicy alice(Duration timeout) {
    return new ApprovalPolicy(List.of("alice"), 1, timeout);
  }

  StagingRebuildWorkflow stub() {
    return client.newWorkflowStub(
        StagingRebuildWorkflow.class,
        WorkflowOptions.newBuilder().setTaskQueue(QUEUE).setWorkflowId(ID).build());
  }

  StagingRebuildResult result() {
    return client.newUntypedWorkflowStub(ID).getResult(StagingRebuildResult.class);
  }

  ApplicationFailure runFails(StagingRebuildRequest r) {
    WorkflowFailedException e = assertThrows(WorkflowFailedException.class, () -> stub().run(r));
    return assertInstanceOf(ApplicationFailure.class, e.getCause());
  }

  int historyEvents() {
    return client.fetchHistory(ID).getHistory().getEventsCount();
  }

  @Test
  void
      givenDefaultKeyProduction_whenRebuiltWith24hGrace_thenCopiedSharedRestoredMaskedCutOverAndOldRetired() {
    StagingRebuildWorkflow wf = stub();
    WorkflowClient.start(wf::run, grace());
    env.sleep(Duration.ofMinutes(30));
    assertEquals(StagingPhase.SNAPSHOTTING, wf.status().phase());
    env.sleep(Duration.ofHours(3));
    StagingStatus s = wf.status();
    assertEquals(StagingPhase.GRACE, s.phase());
    assertTrue(s.waitingFor().contains("grace period"), s.waitingFor());
    assertEquals(s.newClusterId() + ".cluster-abc.us-east-1.rds.amazonaws.com", aws.recordValue);
    assertTrue(
        aws.clusters.containsKey(FakeStaging.OLD), "old cluster lives through the grace period");

    StagingRebuildResult r = result();
    assertEquals(StagingRebuildResult.COMPLETED, r.outcome());
    assertEquals(StagingRebuildResult.RETIRED, r.retirement());
    assertEquals(FakeStaging.OLD_ENDPOINT, r.previousCname());
    assertEquals(FakeStaging.OLD, r.oldClusterId());
    assertEquals("abc123", r.maskingSha256());
    assertFalse(aws.clusters.containsKey(FakeStaging.OLD));
    StagingNames names = StagingNames.forWorkflow(ID);
    assertEquals(names.clusterId(), r.newClusterId());
    assertEquals(names.copySnapshotId(), r.sharedSnapshotId());
    // exactly one of each side effect, in saga order, and the temporary snapshots are gone
    assertEquals(
        List.of(
            "CreateDBClusterSnapshot " + names.snapshotId(),
            "CopyDBClusterSnapshot " + names.copySnapshotId(),
            "ModifyDBClusterSnapshotAttribute add " + FakeStaging.STAGING,
            "RestoreDBClusterFromSnapshot " + names.clusterId(),
            "ModifyDBCluster MasterUserPassword " + names.clusterId(),
            "CreateDBInstance " + names.clusterId() + "-1",
            "ChangeResourceRecordSets UPSERT " + r.newEndpoint(),
            "DeleteDBCluster " + FakeStaging.OLD,
            "DeleteDBClusterSnapshot " + names.copySnapshotId(),
            "DeleteDBClusterSnapshot " + names.snapshotId()),
        aws.mutations);
    assertTrue(aws.snapshots.isEmpty());
    assertTrue(
        r.timeline().stream()
            .anyMatch(
                t -> t.step().equals("retiring") && t.detail().endsWith("(grace period over)")),
        r.timeline().toString());
  }

  @Test
  void givenSimulated1hSnapshot40mRestore24hGrace_whenRun_thenHistoryStaysUnder90Events() {
    aws.restoreTime = Duration.ofMinutes(30);
    aws.instanceTime = Duration.ofMinutes(10);
    aws.defaultKey = false; // the shape the benchmark names: snapshot, restore, grace
    StagingRebuildResult r = stub().run(grace());
    assertEquals(StagingRebuildResult.RETIRED, r.retirement());
    int events = historyEvents();
    System.out.println(
        "staging rebuild (1 h snapshot + 40 min restore + 24 h grace): "
            + events
            + " history events");
    // 57 before reminders; the 24 h grace is reminded of at 4 h, 8 h, 12 h, 16 h and 20 h (a timer
    // and a notice each, ~6 events) — Reminders.
    assertTrue(events <= 90, "history events " + events);
  }

  @Test
  void givenA6hSnapshot_whenWaiting_thenAtMost12DescribeCallsPerHourAfterTheFirst() {
    aws.snapshotTime = Duration.ofHours(6);
    aws.defaultKey = false;
    StagingRebuildWorkflow wf = stub();
    WorkflowClient.start(
        wf::run, request(new RetirePolicy(RetirePolicy.KEEP, null, null, null), null));
    long start = env.currentTimeMillis();
    env.sleep(Duration.ofHours(6));
    long hour = Duration.ofHours(1).toMillis();
    long later;
    synchronized (aws) {
      later =
          aws.describeCalls.stream().filter(t -> t - start >= hour && t - start < 6 * hour).count();
    }
    double perHour = later / 5.0;
    System.out.println(
        "staging snapshot wait: "
            + perHour
            + " AWS describe calls per waiting hour after the first hour");
    assertTrue(perHour <= 12, "calls per hour " + perHour);
    assertTrue(perHour >= 1, "it does poll: " + perHour);
    assertEquals(StagingRebuildResult.KEPT, result().retirement());
  }

  @Test
  void
      givenMaskingVerificationFinds3Rows_whenRun_thenNoDnsChangeAndCreatedClusterAndSnapshotsRemoved() {
    aws.maskUnmaskedRows = 3;
    ApplicationFailure f = runFails(grace());
    assertEquals(ErrorTypes.MASKING_FAILED, f.getType());
    assertTrue(f.getOriginalMessage().contains("= 3"), f.getOriginalMessage());
    assertTrue(f.getOriginalMessage().contains("cleaned up"), f.getOriginalMessage());
    assertEquals(FakeStaging.OLD_ENDPOINT, aws.recordValue);
    assertEquals(0, aws.count("ChangeResourceRecordSets"));
    StagingNames names = StagingNames.forWorkflow(ID);
    assertFalse(aws.clusters.containsKey(names.clusterId()), "the restored copy is deleted");
    assertTrue(aws.clusters.containsKey(FakeStaging.OLD), "the old staging cluster is untouched");
    assertEquals(1, aws.count("DeleteDBCluster " + names.clusterId()));
    assertEquals(0, aws.count("DeleteDBCluster " + FakeStaging.OLD));
    assertTrue(aws.snapshots.isEmpty());
  }

  @Test
  void givenRoute53NeverInsync_whenCuttingOver_thenRevertedToOldValueAndTypedFailure() {
    aws.stuckChange = "C1";
    ApplicationFailure f = runFails(grace());
    assertEquals(ErrorTypes.DNS_CHANGE_FAILED, f.getType());
    assertTrue(f.getOriginalMessage().contains("CNAME reverted"), f.getOriginalMessage());
    assertEquals(FakeStaging.OLD_ENDPOINT, aws.recordValue);
    assertEquals(2, aws.count("ChangeResourceRecordSets"), "one change, one revert");
    assertFalse(aws.clusters.containsKey(StagingNames.forWorkflow(ID).clusterId()));
    assertTrue(aws.clusters.containsKey(FakeStaging.OLD));
  }

  @Test
  void givenOldClusterWithoutOwnerTag_whenStarted_thenRefusedBeforeAnyChangeAndNotDeleted() {
    aws.oldTags.clear();
    ApplicationFailure f = runFails(grace());
    assertEquals(ErrorTypes.INVALID_INPUT, f.getType());
    assertTrue(
        f.getOriginalMessage()
            .contains("retire.oldClusterId: 'staging-old' has no dbops:owner tag"),
        f.getOriginalMessage());
    assertTrue(aws.mutations.isEmpty(), aws.mutations.toString());
    assertTrue(aws.clusters.containsKey(FakeStaging.OLD));
  }

  @Test
  void givenApprovalModeAndNobodyApproves_whenTimeoutPasses_thenOldClusterKeptAndRunCompletes() {
    StagingRebuildResult r =
        stub()
            .run(
                request(
                    new RetirePolicy(RetirePolicy.APPROVAL, null, null, null),
                    alice(Duration.ofHours(8))));
    assertEquals(StagingRebuildResult.COMPLETED, r.outcome());
    assertEquals(StagingRebuildResult.KEPT_APPROVAL_TIMEOUT, r.retirement());
    assertTrue(aws.clusters.containsKey(FakeStaging.OLD));
    assertEquals(0, aws.count("DeleteDBCluster "));
    assertTrue(
        r.warnings().stream().anyMatch(w -> w.contains("left in place")), r.warnings().toString());
    assertEquals(r.newEndpoint(), aws.recordValue, "staging runs on the new cluster regardless");
  }

  @Test
  void givenGracePeriod_whenAliceApprovesEarly_thenRetiredAtOnceAndHerApprovalRecorded() {
    StagingRebuildWorkflow wf = stub();
    WorkflowClient.start(wf::run, grace());
    env.sleep(Duration.ofHours(3));
    assertEquals(StagingPhase.GRACE, wf.status().phase());
    wf.approve(new Approval("bob", "my own run"));
    wf.approve(new Approval("alice", "staging verified"));
    StagingRebuildResult r = result();
    assertEquals(StagingRebuildResult.RETIRED, r.retirement());
    assertEquals(
        List.of("refused", "approved"), r.approvals().stream().map(a -> a.outcome()).toList());
    assertEquals("alice", r.approvals().get(1).by());
    assertTrue(
        r.timeline().stream()
            .anyMatch(t -> t.step().equals("retiring") && t.detail().endsWith("(approved)")),
        "retired on the approval, not after the 24 h: " + r.timeline());
  }

  /** Runs until the hooks at {@code point} fail and the run asks whether to go on. */
  StagingRebuildWorkflow heldAtFailedHook(String point) {
    hooks.failing = java.util.Set.of(point);
    StagingRebuildWorkflow wf = stub();
    WorkflowClient.start(wf::run, grace());
    env.sleep(Duration.ofHours(3));
    StagingStatus s = wf.status();
    assertEquals(StagingPhase.CUTTING_OVER, s.phase());
    assertTrue(s.waitingFor().contains("go on after failed hook " + point), s.waitingFor());
    return wf;
  }

  @Test
  void givenBeforeCutoverHookFails_whenAliceApproves_thenTheRunGoesOnAndEveryPhaseHookRan() {
    StagingRebuildWorkflow wf = heldAtFailedHook("before-cutover");
    assertEquals(
        FakeStaging.OLD_ENDPOINT,
        aws.recordValue,
        "nothing repointed while the hook's failure is open");
    wf.approve(new Approval("alice", "maintenance page is up by hand"));
    StagingRebuildResult r = result();
    assertEquals(StagingRebuildResult.RETIRED, r.retirement());
    assertEquals(
        List.of("before-snapshot", "before-cutover", "after-cutover", "before-retire"),
        hooks.phases());
    assertEquals(r.newEndpoint(), hooks.calls.get(2).data().get("new_endpoint"));
    assertTrue(
        r.timeline().stream()
            .anyMatch(
                t ->
                    t.step().equals("hook failed")
                        && t.detail().contains("maintenance API said 503")),
        r.timeline().toString());
  }

  @Test
  void givenBeforeCutoverHookFails_whenAliceRejects_thenStoppedCompensatedAndOnFailureHookTold() {
    StagingRebuildWorkflow wf = heldAtFailedHook("before-cutover");
    wf.reject(new Rejection("alice", "site is busy, not today"));
    WorkflowFailedException e = assertThrows(WorkflowFailedException.class, () -> result());
    ApplicationFailure f = assertInstanceOf(ApplicationFailure.class, e.getCause());
    assertEquals(ErrorTypes.HOOK_FAILED, f.getType());
    assertTrue(f.getOriginalMessage().contains("stopped by alice"), f.getOriginalMessage());
    assertEquals(FakeStaging.OLD_ENDPOINT, aws.recordValue);
    assertFalse(aws.clusters.containsKey(StagingNames.forWorkflow(ID).clusterId()));
    assertEquals("on-failure", hooks.phases().get(hooks.phases().size() - 1));
  }

  @Test
  void givenMaskingFails_whenCompensated_thenUndoneNewestFirstAndNothingElseTouched() {
    aws.maskUnmaskedRows = 1;
    runFails(grace());
    StagingNames names = StagingNames.forWorkflow(ID);
    List<String> m = aws.mutations;
    int undo = m.indexOf("CreateDBInstance " + names.clusterId() + "-1") + 1;
    assertEquals(
        List.of(
            "DeleteDBCluster " + names.clusterId(),
            "DeleteDBClusterSnapshot " + names.copySnapshotId(),
            "DeleteDBClusterSnapshot " + names.snapshotId()),
        m.subList(undo, m.size()));
  }

  @Test
  void givenAfterCutoverHookFails_whenAliceRejects_thenNewClusterAndCnameStayAndSnapshotsGo() {
    StagingRebuildWorkflow wf = heldAtFailedHook("after-cutover");
    wf.reject(new Rejection("alice", "smoke test failed, look at it first"));
    WorkflowFailedException e = assertThrows(WorkflowFailedException.class, () -> result());
    ApplicationFailure f = assertInstanceOf(ApplicationFailure.class, e.getCause());
    assertEquals(ErrorTypes.HOOK_FAILED, f.getType());
    String newCluster = StagingNames.forWorkflow(ID).clusterId();
    assertTrue(aws.clusters.containsKey(newCluster), "staging runs on the new cluster");
    assertEquals(newCluster + ".cluster-abc.us-east-1.rds.amazonaws.com", aws.recordValue);
    assertEquals(1, aws.count("ChangeResourceRecordSets"), "no revert after the cut-over");
    assertEquals(0, aws.count("DeleteDBCluster "));
    assertTrue(aws.snapshots.isEmpty(), "the temporary snapshots are still undone");
    assertEquals("on-failure", hooks.phases().get(hooks.phases().size() - 1));
  }

  @Test
  void givenGracePeriod_whenAliceRejects_thenOldClusterKept() {
    StagingRebuildWorkflow wf = stub();
    WorkflowClient.start(wf::run, grace());
    env.sleep(Duration.ofHours(3));
    wf.reject(new Rejection("alice", "keep it for the load test"));
    StagingRebuildResult r = result();
    assertEquals(StagingRebuildResult.KEPT_REJECTED, r.retirement());
    assertTrue(aws.clusters.containsKey(FakeStaging.OLD));
  }

  @Test
  void givenCancelWhileRestoring_whenCancelled_thenWhatTheRunCreatedIsRemoved() {
    StagingRebuildWorkflow wf = stub();
    WorkflowClient.start(wf::run, grace());
    env.sleep(Duration.ofHours(1).plusMinutes(40));
    assertEquals(StagingPhase.RESTORING, wf.status().phase());
    WorkflowStub untyped = client.newUntypedWorkflowStub(ID);
    untyped.cancel();
    WorkflowFailedException e =
        assertThrows(
            WorkflowFailedException.class, () -> untyped.getResult(StagingRebuildResult.class));
    assertInstanceOf(CanceledFailure.class, e.getCause());
    assertFalse(aws.clusters.containsKey(StagingNames.forWorkflow(ID).clusterId()));
    assertTrue(aws.snapshots.isEmpty());
    assertEquals(FakeStaging.OLD_ENDPOINT, aws.recordValue);
  }

  @Test
  void givenDryRun_whenPlanned_thenStepsNameTheCallsAndNothingChanges() {
    StagingRebuildRequest g = grace();
    StagingRebuildRequest dry =
        new StagingRebuildRequest(
            g.source(),
            g.sourceClusterId(),
            g.target(),
            g.crossAccount(),
            g.kmsKeyId(),
            g.instanceClass(),
            g.instanceCount(),
            g.dbSubnetGroup(),
            g.vpcSecurityGroupIds(),
            g.masterPasswordRef(),
            g.masking(),
            g.schemaDriftCheck(),
            g.sourceLogin(),
            g.driftSchemas(),
            g.dns(),
            g.retire(),
            g.keepSnapshots(),
            g.confirmProduction(),
            g.approval(),
            g.requestedBy(),
            g.pollInterval(),
            g.snapshotMaxWait(),
            g.restoreMaxWait(),
            g.dnsMaxWait(),
            true);
    StagingRebuildResult r = stub().run(dry);
    assertEquals(StagingRebuildResult.PLANNED, r.outcome());
    assertTrue(aws.mutations.isEmpty());
    List<String> steps = r.plan().stream().map(p -> p.step()).toList();
    assertEquals(
        List.of(
            "validate",
            "snapshot",
            "copy",
            "share",
            "restore",
            "mask",
            "cutover",
            "retire",
            "clean up"),
        steps);
    assertTrue(r.plan().get(2).call().contains("KmsKeyId=" + CMK));
    assertNull(r.newEndpoint());
  }

  @Test
  void givenBadRequests_whenValidated_thenEachProblemNamesItsField() {
    StagingRebuildRequest g = grace();
    StagingRebuildRequest same =
        new StagingRebuildRequest(
            g.source(),
            g.sourceClusterId(),
            new AccountRef(FakeStaging.PROD, "arn:aws:iam::" + FakeStaging.PROD + ":role/x"),
            null,
            g.kmsKeyId(),
            "r5.large",
            0,
            null,
            List.of("sg-1; DROP"),
            "hunter2",
            new MaskingSpec(null, null, null),
            "MAYBE",
            null,
            null,
            new DnsTarget("bad zone", "db..x", -1L),
            new RetirePolicy("SOMETIMES", "old;drop", Duration.ofDays(90), null),
            null,
            null,
            null,
            "",
            Duration.ZERO,
            null,
            null,
            null,
            null);
    String all = String.join("\n", same.problems());
    for (String field :
        List.of(
            "target.accountId: same as source",
            "instanceClass:",
            "instanceCount:",
            "vpcSecurityGroupIds:",
            "masterPasswordRef:",
            "masking: give exactly one",
            "masking.verifyQueries:",
            "schemaDriftCheck:",
            "dns.hostedZoneId:",
            "dns.recordName:",
            "dns.ttl:",
            "retire.mode:",
            "retire.oldClusterId:",
            "retire.grace:",
            "requestedBy:",
            "pollInterval:")) {
      assertTrue(all.contains(field), field + " missing in\n" + all);
    }
  }

  @Test
  void givenUnknownZoneOrRecordOutsideIt_whenStarted_thenInvalidInputBeforeAnyChange() {
    StagingRebuildRequest g = grace();
    StagingRebuildRequest badZone = withDns(g, new DnsTarget("ZNOPE", FakeStaging.RECORD, 0L));
    assertTrue(
        runFails(badZone).getOriginalMessage().contains("dns.hostedZoneId: 'ZNOPE' not found"));
    env.close();
    setUp();
    StagingRebuildRequest outside =
        withDns(g, new DnsTarget(FakeStaging.ZONE, "db.prod.internal.", 0L));
    ApplicationFailure f = runFails(outside);
    assertEquals(ErrorTypes.INVALID_INPUT, f.getType());
    assertTrue(
        f.getOriginalMessage().contains("is not in zone staging.internal."),
        f.getOriginalMessage());
    assertTrue(aws.mutations.isEmpty());
  }

  @Test
  void
      givenInstanceClassNotOfferedForTheSourceVersion_whenStarted_thenInvalidInputNamingItBeforeAnyChange() {
    aws.notOffered.add(grace().instanceClass());
    ApplicationFailure f = runFails(grace());

    assertEquals(ErrorTypes.INVALID_INPUT, f.getType());
    assertTrue(
        f.getOriginalMessage()
            .contains(
                "instanceClass: '"
                    + grace().instanceClass()
                    + "' is not offered for "
                    + "aurora-mysql 5.7.mysql_aurora.2.11.2 (offered: db.r6g.large, …)"),
        f.getOriginalMessage());
    assertEquals(
        List.of(
            new dev.dbops.workflows.common.OrderableQuery(
                "aurora-mysql", "5.7.mysql_aurora.2.11.2", List.of(grace().instanceClass()))),
        aws.offerQueries);
    assertTrue(aws.mutations.isEmpty(), aws.mutations.toString());
  }

  @Test
  void givenDefaultKeyAndNoCmk_whenStarted_thenKmsKeyRequiredBeforeAnyChange() {
    StagingRebuildRequest g = grace();
    StagingRebuildRequest noKey =
        new StagingRebuildRequest(
            g.source(),
            g.sourceClusterId(),
            g.target(),
            null,
            null,
            g.instanceClass(),
            null,
            null,
            null,
            g.masterPasswordRef(),
            g.masking(),
            null,
            null,
            null,
            g.dns(),
            g.retire(),
            null,
            null,
            g.approval(),
            "bob",
            null,
            null,
            null,
            null,
            null);
    ApplicationFailure f = runFails(noKey);
    assertTrue(f.getOriginalMessage().contains("kmsKeyId: required"), f.getOriginalMessage());
    assertTrue(aws.mutations.isEmpty());
  }

  static StagingRebuildRequest withDns(StagingRebuildRequest g, DnsTarget dns) {
    return new StagingRebuildRequest(
        g.source(),
        g.sourceClusterId(),
        g.target(),
        g.crossAccount(),
        g.kmsKeyId(),
        g.instanceClass(),
        g.instanceCount(),
        g.dbSubnetGroup(),
        g.vpcSecurityGroupIds(),
        g.masterPasswordRef(),
        g.masking(),
        g.schemaDriftCheck(),
        g.sourceLogin(),
        g.driftSchemas(),
        dns,
        g.retire(),
        g.keepSnapshots(),
        g.confirmProduction(),
        g.approval(),
        g.requestedBy(),
        g.pollInterval(),
        g.snapshotMaxWait(),
        g.restoreMaxWait(),
        g.dnsMaxWait(),
        g.dryRun());
  }
}
