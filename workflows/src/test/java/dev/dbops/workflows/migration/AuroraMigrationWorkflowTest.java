package dev.dbops.workflows.migration;

import static dev.dbops.workflows.migration.MigrationFixture.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.dbops.workflows.common.Abort;
import dev.dbops.workflows.common.Approval;
import dev.dbops.workflows.common.ErrorTypes;
import dev.dbops.workflows.common.Rejection;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

class AuroraMigrationWorkflowTest {
  MigrationFixture f;

  @BeforeEach
  void setUp() {
    f = new MigrationFixture();
  }

  @AfterEach
  void tearDown() {
    f.close();
  }

  ApplicationFailure failure() {
    WorkflowFailedException e = assertThrows(WorkflowFailedException.class, f::result);
    return assertInstanceOf(ApplicationFailure.class, e.getCause());
  }

  /** Nothing that changes anything was called. */
  void verifyNothingChanged() {
    verify(f.aws, never()).startInstanceUpgrade(any());
    verify(f.aws, never()).ensureReplicaCluster(any());
    verify(f.rds, never()).createInstance(any());
    verify(f.aws, never()).promote(anyString());
    verify(f.route53, never()).upsertCname(any());
  }

  @Test
  void givenReplicaCatchingUpFor6h_whenApproved_thenPromotedCnameSwitchedAndHistorySmall() {
    f.caughtUpAt = f.env.currentTimeMillis() + Duration.ofHours(6).toMillis();
    AuroraMigrationWorkflow wf = f.stub();
    WorkflowClient.start(wf::run, request(alice(Duration.ofDays(1)), null));
    f.env.sleep(Duration.ofHours(3));
    MigrationStatus mid = wf.status();
    assertEquals(MigrationPhase.CATCHING_UP, mid.phase());
    assertEquals(CLUSTER, mid.clusterId());
    assertTrue(mid.lag() != null && mid.lag().lagSeconds() > 0, "lag in status: " + mid.lag());
    verify(f.aws, never()).promote(anyString());

    f.env.sleep(Duration.ofHours(4));
    assertEquals(MigrationPhase.AWAITING_APPROVAL, wf.status().phase());
    assertEquals(0L, wf.status().lag().lagSeconds());
    wf.approve(new Approval("bob", "my own run")); // the requester may not approve
    f.env.sleep(Duration.ofMinutes(1));
    assertEquals(MigrationPhase.AWAITING_APPROVAL, wf.status().phase());
    wf.approve(new Approval("alice", "CHG-7"));
    f.env.sleep(Duration.ofMinutes(10));
    assertEquals(MigrationPhase.REVERT_WINDOW, wf.status().phase());
    assertEquals(CLUSTER_ENDPOINT, wf.status().cname());

    MigrationResult r = f.result();
    assertEquals(MigrationResult.COMPLETED, r.outcome());
    assertEquals(CLUSTER_ENDPOINT, r.cname());
    assertEquals(SOURCE_ENDPOINT, r.previousCname());
    assertEquals(PromoteOutcome.PROMOTED, r.promoteAction());
    assertEquals(ID, r.writeCheck().token());
    ArgumentCaptor<ReplicaClusterSpec> spec = ArgumentCaptor.forClass(ReplicaClusterSpec.class);
    verify(f.aws, times(1)).ensureReplicaCluster(spec.capture());
    assertEquals(ARN, spec.getValue().sourceArn());
    assertEquals(ID, spec.getValue().tags().get("dbops:owner"));
    assertEquals("default.aurora-mysql5.7", spec.getValue().clusterParameterGroup());
    verify(f.aws, times(1)).promote(CLUSTER);
    assertEquals(List.of(CLUSTER_ENDPOINT), f.cnameValues());
    var order = inOrder(f.replication, f.aws, f.route53);
    order.verify(f.replication).sourceFinalPosition(any());
    order.verify(f.aws).promote(CLUSTER);
    order.verify(f.aws).verifyWrite(any());
    order.verify(f.route53).upsertCname(any());
    assertEquals(List.of("before-cutover", "after-cutover"), f.hooks.phases());
    assertTrue(
        r.warnings().stream().anyMatch(w -> w.contains("max_connections")),
        "default parameter group warning: " + r.warnings());
    assertTrue(
        r.approvals().stream()
            .anyMatch(a -> "bob".equals(a.by()) && a.comment().contains("requester")),
        "requester's approval refused: " + r.approvals());
    assertTrue(
        r.resources().stream().anyMatch(x -> x.id().equals(SOURCE) && x.action().equals("KEPT")));
    assertTrue(f.historyEvents() <= 140, "history events: " + f.historyEvents());
  }

  @Test
  void givenMysql56Source_whenNotAskedToUpgrade_thenRefusedNamingWhyBeforeAnyChange() {
    f.sourceVersion = "5.6.51";
    WorkflowClient.start(f.stub()::run, request(alice(null), null));
    ApplicationFailure e = failure();
    assertEquals(ErrorTypes.INVALID_INPUT, e.getType());
    assertTrue(
        e.getOriginalMessage().contains("sourceInstanceId")
            && e.getOriginalMessage().contains("cannot have an Aurora read replica"),
        e.getOriginalMessage());
    verifyNothingChanged();
  }

  @Test
  void givenMysql56Source_whenUpgradeAsked_thenUpgradedAfterItsOwnApprovalBeforeTheReplica() {
    f.sourceVersion = "5.6.51";
    f.caughtUpAt = f.env.currentTimeMillis();
    AuroraMigrationWorkflow wf = f.stub();
    WorkflowClient.start(wf::run, request(alice(null), true));
    f.env.sleep(Duration.ofMinutes(5));
    assertEquals(MigrationPhase.AWAITING_UPGRADE_APPROVAL, wf.status().phase());
    verifyNothingChanged();
    wf.approve(new Approval("alice", "upgrade first"));
    f.env.sleep(Duration.ofHours(1));
    assertEquals(MigrationPhase.AWAITING_APPROVAL, wf.status().phase());
    assertEquals("5.7.44", wf.status().sourceVersion());
    var order = inOrder(f.aws);
    order.verify(f.aws).startInstanceUpgrade(any());
    order.verify(f.aws).checkInstanceUpgraded(any());
    order.verify(f.aws).ensureReplicaCluster(any());
    verify(f.aws, never()).promote(anyString());
  }

  @Test
  void givenLagThatNeverReaches0_when60hPass_thenKeepsWaitingNotifiesOnceAndHistoryStaysFlat() {
    AuroraMigrationWorkflow wf = f.stub();
    WorkflowClient.start(wf::run, request(alice(null), null));
    f.env.sleep(Duration.ofHours(6));
    int at6h = f.historyEvents();
    MigrationStatus s = wf.status();
    assertEquals(MigrationPhase.CATCHING_UP, s.phase());
    assertTrue(s.stalled(), "stalled after the 2h threshold");
    assertEquals(7_200L, s.lag().lagSeconds());
    assertEquals(
        1, f.notices.stream().filter(n -> n.step().equals("replica past stall threshold")).count());

    f.env.sleep(Duration.ofHours(54));
    assertEquals(MigrationPhase.CATCHING_UP, wf.status().phase());
    assertEquals(at6h, f.historyEvents(), "no history while the lag band stays the same");
    assertTrue(f.lagChecks.get() >= 60 * 12 - 12, "polled every 5 min: " + f.lagChecks.get());
    assertEquals(
        1, f.notices.stream().filter(n -> n.step().equals("replica past stall threshold")).count());

    wf.abort(new Abort("alice", "replica cannot keep up"));
    ApplicationFailure e = failure();
    assertEquals(ErrorTypes.ABORTED, e.getType());
    verify(f.aws, never()).promote(anyString());
    verify(f.route53, never()).upsertCname(any());
    verify(f.replication, never()).sourceFinalPosition(any());
  }

  /**
   * Events of a whole run whose replica starts {@code behind} and catches up, approved at once. The
   * numbers (and calls per waiting hour) are printed by bench's AuroraMigrationBenchmark.
   */
  static int eventsForCatchUp(Duration behind) {
    try (MigrationFixture m = new MigrationFixture()) {
      m.caughtUpAt = m.env.currentTimeMillis() + behind.toMillis();
      AuroraMigrationWorkflow wf = m.stub();
      WorkflowClient.start(wf::run, request(alice(Duration.ofDays(30)), null));
      m.env.sleep(behind.plusMinutes(10));
      wf.approve(new Approval("alice", "go"));
      assertEquals(MigrationResult.COMPLETED, m.result().outcome());
      return m.historyEvents();
    }
  }

  @Test
  void givenCatchUpsOf6hAnd60h_whenCompleted_thenHistoryDoesNotGrowWithTheWait() {
    int six = eventsForCatchUp(Duration.ofHours(6));
    int sixty = eventsForCatchUp(Duration.ofHours(60));
    assertTrue(sixty <= six + 12, "6 h: " + six + " events, 60 h: " + sixty);
  }

  @Test
  void givenReplicaStoppedOnAnError_whenCatchingUp_thenReplicationBrokenAndNothingPromoted() {
    f.replicaErrno = 1062;
    WorkflowClient.start(f.stub()::run, request(alice(null), null));
    ApplicationFailure e = failure();
    assertEquals(ErrorTypes.REPLICATION_BROKEN, e.getType());
    assertTrue(e.getOriginalMessage().contains("1062"), e.getOriginalMessage());
    verify(f.aws, never()).promote(anyString());
    verify(f.route53, never()).upsertCname(any());
    assertEquals(List.of("on-failure"), f.hooks.phases());
  }

  @Test
  void givenSourceStillWritten_whenTheCutOverWindowEnds_thenRefusedBeforePromote() {
    f.caughtUpAt = f.env.currentTimeMillis();
    when(f.replication.sourceFinalPosition(any()))
        .thenReturn(FINAL, new dev.dbops.workflows.binlog.BinlogPosition(FINAL.file(), 9_999));
    AuroraMigrationWorkflow wf = f.stub();
    WorkflowClient.start(wf::run, request(alice(null), null));
    f.env.sleep(Duration.ofMinutes(30));
    wf.approve(new Approval("alice", "go"));
    ApplicationFailure e = failure();
    assertEquals(ErrorTypes.CUTOVER_REFUSED, e.getType());
    assertTrue(e.getOriginalMessage().contains("still writes"), e.getOriginalMessage());
    verify(f.aws, never()).promote(anyString());
    verify(f.route53, never()).upsertCname(any());
    assertEquals(List.of("before-cutover", "on-failure"), f.hooks.phases());
  }

  @Test
  void givenCaughtUpReplica_whenNobodyApproves_thenApprovalTimeoutAndSourceUntouched() {
    f.caughtUpAt = f.env.currentTimeMillis();
    WorkflowClient.start(f.stub()::run, request(alice(Duration.ofHours(4)), null));
    ApplicationFailure e = failure();
    assertEquals(ErrorTypes.APPROVAL_TIMEOUT, e.getType());
    verify(f.replication, never()).sourceFinalPosition(any());
    verify(f.aws, never()).promote(anyString());
    verify(f.route53, never()).upsertCname(any());
    assertTrue(f.hooks.phases().stream().noneMatch(p -> p.equals("before-cutover")));
  }

  @Test
  void givenPromoteFails_whenCutOver_thenRunFailsCnameUntouchedAndOnFailureHookTold() {
    f.caughtUpAt = f.env.currentTimeMillis();
    when(f.aws.promote(anyString()))
        .thenThrow(
            ApplicationFailure.newNonRetryableFailure(
                "InvalidDBClusterStateFault", ErrorTypes.INVALID_STATE));
    AuroraMigrationWorkflow wf = f.stub();
    WorkflowClient.start(wf::run, request(alice(null), null));
    f.env.sleep(Duration.ofMinutes(30));
    wf.approve(new Approval("alice", "go"));
    ApplicationFailure e = failure();
    assertEquals(ErrorTypes.INVALID_STATE, e.getType());
    verify(f.route53, never()).upsertCname(any());
    assertEquals(List.of("before-cutover", "on-failure"), f.hooks.phases());
    assertEquals(SOURCE_ENDPOINT, wf.status().cname());
  }

  @Test
  void givenAfterCutoverHookFails_whenRejected_thenCnamePutBackAndRunFails() {
    f.caughtUpAt = f.env.currentTimeMillis();
    f.hooks.failing = java.util.Set.of("after-cutover");
    AuroraMigrationWorkflow wf = f.stub();
    WorkflowClient.start(wf::run, request(alice(null), null));
    f.env.sleep(Duration.ofMinutes(30));
    wf.approve(new Approval("alice", "go"));
    f.env.sleep(Duration.ofMinutes(30));
    assertTrue(wf.status().waitingFor().contains("after-cutover"), wf.status().waitingFor());
    wf.reject(new Rejection("alice", "app cannot reach Aurora"));
    ApplicationFailure e = failure();
    assertEquals(ErrorTypes.HOOK_FAILED, e.getType());
    assertEquals(List.of(CLUSTER_ENDPOINT, SOURCE_ENDPOINT), f.cnameValues());
    verify(f.route53, times(2)).checkChangeInsync(any(), anyString());
    MigrationStatus s = wf.status();
    assertEquals(MigrationPhase.FAILED, s.phase());
    assertEquals(SOURCE_ENDPOINT, s.cname());
    assertTrue(s.timeline().stream().anyMatch(t -> t.step().equals("CNAME reverted")));
    assertEquals(List.of("before-cutover", "after-cutover", "on-failure"), f.hooks.phases());
  }

  @Test
  void givenCompletedMigration_whenAbortedWithinTheRevertWindow_thenCnameBackAndReverted() {
    f.caughtUpAt = f.env.currentTimeMillis();
    AuroraMigrationWorkflow wf = f.stub();
    WorkflowClient.start(wf::run, request(alice(null), null));
    f.env.sleep(Duration.ofMinutes(30));
    wf.approve(new Approval("alice", "go"));
    f.env.sleep(Duration.ofMinutes(20));
    assertEquals(MigrationPhase.REVERT_WINDOW, wf.status().phase());
    wf.abort(new Abort("carol", "latency on Aurora"));
    MigrationResult r = f.result();
    assertEquals(MigrationResult.REVERTED, r.outcome());
    assertEquals(MigrationPhase.REVERTED, wf.status().phase());
    assertNull(wf.status().waitingFor(), "a reverted run waits for nothing");
    assertTrue(dev.dbops.workflows.catalog.Phases.TERMINAL.contains("REVERTED"));
    assertEquals(SOURCE_ENDPOINT, r.cname());
    assertEquals(List.of(CLUSTER_ENDPOINT, SOURCE_ENDPOINT), f.cnameValues());
    assertEquals(List.of("before-cutover", "after-cutover", "after-revert"), f.hooks.phases());
  }

  @Test
  void givenDryRun_whenPlanned_thenStepsNameTheCallsAndNothingChanges() {
    WorkflowClient.start(f.stub()::run, request(alice(null), null).asDryRun());
    MigrationResult r = f.result();
    assertEquals(MigrationResult.PLANNED, r.outcome());
    assertTrue(
        r.plan().stream()
            .anyMatch(
                p ->
                    p.call().contains("CreateDBCluster")
                        && p.call().contains("ReplicationSourceIdentifier=" + ARN)),
        r.plan().toString());
    assertTrue(r.plan().stream().anyMatch(p -> p.call().contains("PromoteReadReplicaDBCluster")));
    assertNull(r.cname() == null ? null : r.cname().equals(SOURCE_ENDPOINT) ? null : r.cname());
    verifyNothingChanged();
    verify(f.aws, never()).checkReplicaLag(any());
  }
}
