package dev.dbops.workflows.binlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dbops.workflows.catalog.Procedures;
import dev.dbops.workflows.common.Approval;
import dev.dbops.workflows.common.ApprovalPolicy;
import dev.dbops.workflows.common.ApprovalRecord;
import dev.dbops.workflows.common.DbLogin;
import dev.dbops.workflows.common.ErrorTypes;
import dev.dbops.workflows.common.HistoryReplayTest;
import dev.dbops.workflows.common.PlanStep;
import dev.dbops.workflows.common.SilentNotify;
import io.temporal.api.enums.v1.EventType;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.Worker;
import java.nio.file.Files;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BinlogCatchUpWorkflowTest {
  final dev.dbops.workflows.common.ScriptedHooks hooks =
      new dev.dbops.workflows.common.ScriptedHooks();
  static final String ID = "binlog/replica";
  TestWorkflowEnvironment env;
  FakeReplication repl;
  WorkflowClient client;

  @BeforeEach
  void setUp() {
    env = TestWorkflowEnvironment.newInstance();
    repl = new FakeReplication();
    Worker w = env.newWorker("q");
    w.registerWorkflowImplementationTypes(BinlogCatchUpWorkflowImpl.class);
    w.registerActivitiesImplementations(repl, hooks, new SilentNotify());
    env.start();
    client = env.getWorkflowClient();
  }

  @AfterEach
  void tearDown() {
    env.close();
  }

  static BinlogCatchUpRequest request(SkipPolicy policy, Integer continueAfter) {
    DbLogin admin = new DbLogin("admin", "env:DB_ADMIN_PASSWORD");
    return new BinlogCatchUpRequest(
        new DbTarget("10.0.0.1", 3306, admin),
        new DbTarget("10.0.0.2", 3306, admin),
        null,
        new BinlogPosition("mysql-bin-changelog.000118", 245880),
        new ReplicationUser("repl", "env:REPL_PASSWORD", true),
        168,
        false,
        policy,
        "dbops.heartbeat",
        null,
        null,
        null,
        Duration.ofHours(2),
        new ApprovalPolicy(List.of("alice", "carol"), 1, Duration.ofHours(8)),
        "bob",
        continueAfter,
        null);
  }

  static SkipPolicy dupKeys(int budget) {
    return new SkipPolicy(List.of(1062, 1032), null, budget, ForeignKeyMode.STOP_AND_ASK);
  }

  BinlogCatchUpWorkflow stub() {
    return client.newWorkflowStub(
        BinlogCatchUpWorkflow.class,
        WorkflowOptions.newBuilder().setTaskQueue("q").setWorkflowId(ID).build());
  }

  BinlogCatchUpResult result() {
    return client.newUntypedWorkflowStub(ID).getResult(BinlogCatchUpResult.class);
  }

  ApplicationFailure failure() {
    WorkflowFailedException e = assertThrows(WorkflowFailedException.class, this::result);
    Throwable c = e.getCause() instanceof ActivityFailure af ? af.getCause() : e.getCause();
    return assertInstanceOf(ApplicationFailure.class, c);
  }

  void conflicts(int errno, int n) {
    for (int i = 0; i < n; i++)
      repl.conflicts.add(new FakeReplication.Conflict(errno, "Duplicate entry '" + i + "'"));
  }

  @Test
  void givenAllowedDuplicateKeys_whenCaughtUp_thenJournaledAndCutOverAfterApproval() {
    conflicts(1062, 3);
    BinlogCatchUpWorkflow wf = stub();
    WorkflowClient.start(wf::run, request(dupKeys(10), null));
    env.sleep(Duration.ofMinutes(1));
    assertEquals("AWAITING_CUTOVER", wf.status().phase());
    assertEquals(3, wf.status().journal().size());
    assertEquals(0, repl.cutovers.get());

    wf.approve(new Approval("carol", "cut over now"));
    BinlogCatchUpResult r = result();
    assertEquals(1, repl.cutovers.get());
    assertEquals(3, r.skippedByPolicy());
    assertEquals(List.of(1L, 2L, 3L), r.journal().stream().map(JournalEntry::id).toList());
    assertTrue(
        r.journal().stream().allMatch(e -> e.errno() == 1062 && "policy".equals(e.decidedBy())));
  }

  @Test
  void
      givenADryRun_whenPlanned_thenEveryStepsCallsAreListedWithTheReadOnlyChecksAndNothingChanges() {
    BinlogCatchUpRequest dry =
        (BinlogCatchUpRequest) Procedures.BINLOG_CATCH_UP.dryRunOf(request(dupKeys(10), null));
    BinlogCatchUpWorkflow wf = stub();
    WorkflowClient.start(wf::run, dry);
    BinlogCatchUpResult r = result();

    // Read-only: the source check reads only; nothing is set up, monitored, skipped or cut over.
    assertEquals(List.of(true), repl.sourceChecks.stream().map(SourceCheck::isReadOnly).toList());
    assertEquals(0, repl.setups.get());
    assertEquals(0, repl.monitorCalls.get());
    assertTrue(repl.carriedOut.isEmpty());
    assertEquals(0, repl.cutovers.get());
    assertTrue(repl.cutOversAt.isEmpty());
    assertTrue(repl.finalPositions.isEmpty());
    assertEquals(null, r.cutover());
    assertEquals("COMPLETED", wf.status().phase());

    Map<String, PlanStep> plan = new LinkedHashMap<>();
    r.plan().forEach(p -> plan.put(p.step(), p));
    assertEquals(
        List.of(
            "check source",
            "set binlog retention",
            "set up replication",
            "catch up",
            "decide",
            "approve cut-over",
            "writes stopped",
            "drain",
            "cut over"),
        List.copyOf(plan.keySet()));
    assertTrue(
        plan.get("check source")
            .detail()
            .endsWith(
                "log_bin ON, binlog_format MIXED, retention 168 h, replication user 'repl' ready, at "
                    + r.sourceCheck().current()),
        plan.get("check source").detail());
    assertEquals(
        "CALL mysql.rds_set_configuration('binlog retention hours', 168)",
        plan.get("set binlog retention").call());
    assertEquals(
        "CALL mysql.rds_set_external_master('10.0.0.1', 3306, 'repl', <password from"
            + " env:REPL_PASSWORD>, 'mysql-bin-changelog.000118', 245880, 0);"
            + " CALL mysql.rds_start_replication",
        plan.get("set up replication").call());
    assertTrue(plan.get("catch up").call().contains("errno [1062, 1032] skipped (STATEMENT mode"));
    assertEquals("wait for signal approve", plan.get("approve cut-over").call());
    assertEquals(
        "CALL mysql.rds_stop_replication; CALL mysql.rds_reset_external_master",
        plan.get("cut over").call());
  }

  @Test
  void givenARequestWithoutSkipMode_whenStarted_thenStatementModeIsRecordedAndItsHistoryReplays()
      throws Exception {
    conflicts(1062, 2);
    BinlogCatchUpWorkflow wf = stub();
    WorkflowClient.start(wf::run, request(dupKeys(10), null));
    env.sleep(Duration.ofMinutes(1));
    wf.approve(new Approval("carol", "cut over now"));
    result();

    assertTrue(
        repl.monitoredWith.stream().allMatch(p -> p.mode() == SkipMode.STATEMENT),
        repl.monitoredWith.toString());
    String history = client.fetchHistory(ID).toJson(true);
    assertTrue(
        HistoryReplayTest.versionChangeIds(history)
            .contains(BinlogCatchUpWorkflowImpl.SKIP_MODE_DEFAULT),
        "the version marker is recorded");
    WorkflowReplayer.replayWorkflowExecution(history, BinlogCatchUpWorkflowImpl.class);
  }

  @Test
  void
      givenBinlogHistoriesFromBeforeTheSkipModeDefault_whenReplayed_thenTheirRequestsStayWithoutAMode()
          throws Exception {
    for (String name : List.of("binlog-catch-up-happy-path.json", "binlog-catch-up-aborted.json")) {
      String old = Files.readString(HistoryReplayTest.DIR.resolve(name));
      // recorded without a skip mode and without the change's marker: replay takes the old branch,
      // which leaves the request (and so every monitor call) as recorded — whole-transaction skips
      assertFalse(HistoryReplayTest.startInput(old).contains("\"mode\""), name);
      assertFalse(
          HistoryReplayTest.versionChangeIds(old)
              .contains(BinlogCatchUpWorkflowImpl.SKIP_MODE_DEFAULT),
          name);
      WorkflowReplayer.replayWorkflowExecution(old, BinlogCatchUpWorkflowImpl.class);
    }
  }

  @Test
  void givenHistoriesRecordedAfterTheSkipModeDefault_whenReplayed_thenTheyCarryTheMarker()
      throws Exception {
    for (String name :
        List.of(
            "binlog-catch-up-statement-default.json", "binlog-catch-up-fk-child-refused.json")) {
      String kept = Files.readString(HistoryReplayTest.DIR.resolve(name));
      assertTrue(
          HistoryReplayTest.versionChangeIds(kept)
              .contains(BinlogCatchUpWorkflowImpl.SKIP_MODE_DEFAULT),
          name);
      assertFalse(
          HistoryReplayTest.startInput(kept).contains("\"mode\":\""),
          name + ": started without a mode");
      WorkflowReplayer.replayWorkflowExecution(kept, BinlogCatchUpWorkflowImpl.class);
    }
  }

  @Test
  void givenAnExplicitTransactionMode_whenStarted_thenItIsKept() {
    conflicts(1062, 1);
    BinlogCatchUpWorkflow wf = stub();
    WorkflowClient.start(
        wf::run,
        request(
            new SkipPolicy(List.of(1062), null, 10, null, SkipMode.TRANSACTION, null, null), null));
    env.sleep(Duration.ofMinutes(1));

    assertEquals("AWAITING_CUTOVER", wf.status().phase());
    assertTrue(
        repl.monitoredWith.stream().allMatch(p -> p.mode() == SkipMode.TRANSACTION),
        repl.monitoredWith.toString());
  }

  @Test
  void givenFkChildAllowedWithoutDisabledChecks_whenStarted_thenInvalidInputBeforeAnyCall() {
    WorkflowClient.start(
        stub()::run, request(new SkipPolicy(List.of(1062, 1452), null, 10, null), null));

    ApplicationFailure f = failure();
    assertEquals(ErrorTypes.INVALID_INPUT, f.getType());
    assertTrue(
        f.getOriginalMessage()
            .contains(
                "skipPolicy.allowedErrnos: 1452 is never skipped while"
                    + " skipPolicy.foreignKeyMode is STOP_AND_ASK"),
        f.getOriginalMessage());
    assertEquals(0, repl.monitorCalls.get());
    assertEquals(0, repl.setups.get());
  }

  @Test
  void
      givenACaughtUpRun_whenConflictsArriveDuringTheApprovalWait_thenHandledAndJournaledBeforeTheCutOver() {
    conflicts(1062, 1);
    BinlogCatchUpWorkflow wf = stub();
    WorkflowClient.start(wf::run, request(dupKeys(10), null));
    env.sleep(Duration.ofMinutes(1));
    assertEquals("AWAITING_CUTOVER", wf.status().phase());
    assertEquals(1, wf.status().journaled());

    // The source goes on writing after "caught up": one conflict the policy allows, one it does
    // not.
    conflicts(1062, 1);
    env.sleep(Duration.ofMinutes(11));
    BinlogStatus watched = wf.status();
    assertEquals("AWAITING_CUTOVER", watched.phase());
    assertEquals(
        2, watched.journaled(), "skipped by the watching monitor while the approval waits");
    assertEquals(2, watched.skippedByPolicy());
    assertEquals(0, watched.lagSeconds());

    repl.conflicts.add(new FakeReplication.Conflict(1146, "Table 'shop.x' doesn't exist"));
    env.sleep(Duration.ofMinutes(11));
    BinlogStatus waiting = wf.status();
    assertEquals("AWAITING_DECISION", waiting.phase());
    assertTrue(waiting.waitingFor().startsWith("a decision on 1146"), waiting.waitingFor());
    wf.decide(new ErrorDecision(ErrorDecision.SKIP, "alice", "table dropped on purpose"));
    env.sleep(Duration.ofMinutes(1));
    assertEquals("AWAITING_CUTOVER", wf.status().phase());
    assertEquals(0, repl.cutovers.get());

    wf.approve(new Approval("carol", "cut over now"));
    BinlogCatchUpResult r = result();
    assertEquals(3, r.journaled());
    assertEquals(
        List.of("policy", "policy", "alice"),
        r.journal().stream().map(JournalEntry::decidedBy).toList());
    assertEquals(1, repl.cutovers.get());
    assertEquals(
        repl.finalPositions, repl.cutOversAt.stream().map(CutoverRequest::finalPosition).toList());
    assertEquals(r.cutover().sourceAtStop(), r.cutover().replicaExecuted());
    assertTrue(r.timeline().stream().anyMatch(t -> t.step().equals("source writes stopped")));
  }

  @Test
  void
      givenTheReplicaShortOfTheFinalPosition_whenApproved_thenTheCutOverWaitsAndConflictsOnTheWayAreDecided() {
    BinlogCatchUpWorkflow wf = stub();
    WorkflowClient.start(wf::run, request(dupKeys(10), null));
    env.sleep(Duration.ofMinutes(1));
    repl.drainSlicesShort = 2;
    repl.drainConflicts.add(new FakeReplication.Conflict(1062, "Duplicate entry '7'"));
    repl.drainConflicts.add(new FakeReplication.Conflict(1146, "Table 'shop.x' doesn't exist"));

    wf.approve(new Approval("carol", "go"));
    env.sleep(Duration.ofMinutes(1));
    BinlogStatus waiting = wf.status();
    assertEquals(
        "AWAITING_DECISION", waiting.phase(), "a conflict on the way to the final position");
    assertEquals(1, waiting.journaled(), "the allowed one skipped by policy on the way");
    assertEquals(0, repl.cutovers.get());
    assertTrue(repl.cutOversAt.isEmpty(), "nothing stopped while the replica is short");

    wf.decide(new ErrorDecision(ErrorDecision.SKIP, "alice", "known"));
    BinlogCatchUpResult r = result();
    assertEquals(2, r.journaled());
    assertTrue(repl.drains.get() >= 4, "drained over " + repl.drains.get() + " slices");
    assertEquals(1, repl.cutOversAt.size());
    assertEquals(repl.finalPositions.get(0), r.cutover().replicaExecuted());
  }

  @Test
  void
      givenTheReplicaStoppedShort_whenTheCutOverRefuses_thenTheRunFailsNamingBothPositionsAndNeverCompletes() {
    repl.refuseCutover = true;
    BinlogCatchUpWorkflow wf = stub();
    WorkflowClient.start(wf::run, request(dupKeys(10), null));
    env.sleep(Duration.ofMinutes(1));
    wf.approve(new Approval("carol", "go"));

    ApplicationFailure f = failure();
    assertEquals(ErrorTypes.CUTOVER_REFUSED, f.getType());
    BinlogPosition fin = repl.finalPositions.get(0);
    assertTrue(f.getOriginalMessage().contains(fin.toString()), f.getOriginalMessage());
    assertTrue(
        f.getOriginalMessage().contains("mysql-bin.000001:" + (fin.position() - 200)),
        f.getOriginalMessage());
    assertEquals("FAILED", wf.status().phase());
    assertEquals(0, repl.cutovers.get());
  }

  @Test
  void
      givenTheSourceStillWriting_whenTheDrainPassesTheFinalPosition_thenCutoverRefusedAndNothingStopped() {
    repl.drainPastFinal = true;
    BinlogCatchUpWorkflow wf = stub();
    WorkflowClient.start(wf::run, request(dupKeys(10), null));
    env.sleep(Duration.ofMinutes(1));
    wf.approve(new Approval("carol", "go"));

    ApplicationFailure f = failure();
    assertEquals(ErrorTypes.CUTOVER_REFUSED, f.getType());
    assertTrue(
        f.getOriginalMessage().contains(repl.finalPositions.get(0).toString()),
        f.getOriginalMessage());
    assertTrue(repl.cutOversAt.isEmpty());
  }

  @Test
  void
      givenASourceThatStaysWritable_whenApproved_thenTheRunWaitsForReadOnlyThenFailsWithoutCuttingOver() {
    repl.sourceWritable = true;
    BinlogCatchUpRequest base = request(dupKeys(10), null);
    BinlogCatchUpRequest r =
        new BinlogCatchUpRequest(
            base.source(),
            base.replica(),
            null,
            base.startPosition(),
            base.replicationUser(),
            null,
            false,
            base.skipPolicy(),
            null,
            null,
            null,
            null,
            Duration.ofMinutes(1),
            base.approval(),
            "bob",
            null,
            null,
            null);
    BinlogCatchUpWorkflow wf = stub();
    WorkflowClient.start(wf::run, r);
    env.sleep(Duration.ofMinutes(1));
    wf.approve(new Approval("carol", "go"));

    ApplicationFailure f = failure();
    assertEquals(ErrorTypes.WAIT_TIMEOUT, f.getType());
    assertTrue(f.getOriginalMessage().contains("read_only is OFF"), f.getOriginalMessage());
    assertTrue(
        repl.finalPositionChecks.get() > 1, "looked again: " + repl.finalPositionChecks.get());
    assertTrue(repl.cutOversAt.isEmpty());
    assertEquals(0, repl.cutovers.get());
  }

  @Test
  void givenErrorOutsideThePolicy_whenNobodyDecides_thenDecisionTimeoutAndNoCutover() {
    repl.conflicts.add(new FakeReplication.Conflict(1146, "Table 'shop.x' doesn't exist"));
    WorkflowClient.start(stub()::run, request(dupKeys(10), null));

    ApplicationFailure f = failure();
    assertEquals(ErrorTypes.DECISION_TIMEOUT, f.getType());
    assertTrue(f.getOriginalMessage().contains("1146"), f.getOriginalMessage());
    assertEquals(0, repl.cutovers.get());
  }

  @Test
  void givenErrorWaiting_whenAbortDecided_thenAbortedAndReplicationLeftStopped() {
    repl.conflicts.add(new FakeReplication.Conflict(1146, "Table 'shop.x' doesn't exist"));
    BinlogCatchUpWorkflow wf = stub();
    WorkflowClient.start(wf::run, request(dupKeys(10), null));
    env.sleep(Duration.ofMinutes(1));
    assertEquals("AWAITING_DECISION", wf.status().phase());
    assertTrue(wf.status().pendingError().startsWith("1146"), wf.status().pendingError());

    wf.decide(new ErrorDecision(ErrorDecision.ABORT, "alice", "restore the table first"));
    assertEquals(ErrorTypes.ABORTED, failure().getType());
    assertTrue(repl.carriedOut.isEmpty());
    assertEquals(0, repl.cutovers.get());
  }

  @Test
  void
      givenBudgetSpent_whenAnotherConflict_thenAPersonDecides_andTheirSkipIsJournaledWithTheirName() {
    conflicts(1062, 3);
    BinlogCatchUpWorkflow wf = stub();
    WorkflowClient.start(wf::run, request(dupKeys(2), null));
    env.sleep(Duration.ofMinutes(1));
    BinlogStatus waiting = wf.status();
    assertEquals("AWAITING_DECISION", waiting.phase());
    assertTrue(waiting.pendingError().contains("BUDGET_SPENT"), waiting.pendingError());
    assertEquals(2, waiting.skippedByPolicy());
    assertEquals(0, waiting.budgetRemaining());

    wf.decide(new ErrorDecision(ErrorDecision.SKIP, "bob", "my own run"));
    wf.decide(new ErrorDecision("DROP", "alice", "typo"));
    // As the worker's approver check marks a decision whose signature it refused.
    wf.decide(
        new ErrorDecision(
            ErrorDecision.SKIP,
            "alice",
            "forged",
            ErrorDecision.STEP,
            null,
            null,
            dev.dbops.workflows.common.ApproverCheck.refused(
                "key SHA256:x may sign as carol, not as 'alice'")));
    env.sleep(Duration.ofMinutes(1));
    assertEquals("AWAITING_DECISION", wf.status().phase());
    List<ApprovalRecord> refused = wf.status().decisions();
    assertTrue(refused.get(0).comment().contains("requester may not decide"));
    assertTrue(refused.get(1).comment().contains("action must be one of"));
    assertEquals(
        "approver not verified: key SHA256:x may sign as carol, not as 'alice'",
        refused.get(2).comment());
    assertEquals(ApprovalRecord.REFUSED, refused.get(2).outcome());

    wf.decide(new ErrorDecision(ErrorDecision.SKIP, "alice", "known duplicate from the backfill"));
    env.sleep(Duration.ofMinutes(1));
    wf.approve(new Approval("alice", "go"));
    BinlogCatchUpResult r = result();
    assertEquals(3, r.journal().size());
    assertEquals("alice", r.journal().get(2).decidedBy());
    assertEquals(1, r.skippedByPeople());
  }

  @Test
  void givenLongMonitor_whenHistoryGrows_thenContinuesAsNewKeepingJournalAndCounters() {
    conflicts(1062, 4);
    repl.slicesBeforeCatchUp = 40;
    BinlogCatchUpWorkflow wf = stub();
    WorkflowClient.start(wf::run, request(dupKeys(10), 100));
    env.sleep(Duration.ofMinutes(1));
    BinlogStatus s = wf.status();
    assertEquals("AWAITING_CUTOVER", s.phase());
    assertTrue(s.runs() >= 2, "continued as new " + s.runs() + " time(s)");
    assertEquals(4, s.journal().size());
    assertEquals(4, s.skippedByPolicy());
    assertEquals(1, repl.setups.get(), "replication is set up once, not per run");

    wf.approve(new Approval("alice", "go"));
    BinlogCatchUpResult r = result();
    assertEquals(4, r.skippedByPolicy());
    assertTrue(r.timeline().stream().anyMatch(t -> t.step().equals("continued as new")));
    var first = client.fetchHistory(ID, null);
    assertTrue(
        first.getHistory().getEventsList().stream()
            .noneMatch(
                e -> e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW),
        "the last run completes");
  }

  @Test
  void givenNoStartPosition_whenRestoredClusterNamed_thenPositionReadFromItsRdsEvent() {
    BinlogCatchUpRequest base = request(dupKeys(1), null);
    BinlogCatchUpRequest fromEvent =
        new BinlogCatchUpRequest(
            base.source(),
            base.replica(),
            "restored-1",
            null,
            base.replicationUser(),
            null,
            false,
            base.skipPolicy(),
            null,
            null,
            null,
            null,
            null,
            base.approval(),
            "bob",
            null,
            null);
    WorkflowClient.start(stub()::run, fromEvent);
    env.sleep(Duration.ofMinutes(1));
    assertEquals(1, repl.setups.get());

    env.close();
    setUp();
    BinlogCatchUpRequest unknown =
        new BinlogCatchUpRequest(
            base.source(),
            base.replica(),
            "not-restored",
            null,
            base.replicationUser(),
            null,
            false,
            base.skipPolicy(),
            null,
            null,
            null,
            null,
            null,
            base.approval(),
            "bob",
            null,
            null);
    WorkflowClient.start(stub()::run, unknown);
    assertEquals(ErrorTypes.INVALID_INPUT, failure().getType());
    assertEquals(0, repl.setups.get());
  }

  @Test
  void givenBinlogPurgedOnSource_whenMonitoring_thenReplicationBrokenFailsTheRun() {
    repl.ioFailure =
        "IO thread error 1236: Could not find first log file name in binary log index file";
    WorkflowClient.start(stub()::run, request(dupKeys(1), null));
    ApplicationFailure f = failure();
    assertEquals(ErrorTypes.REPLICATION_BROKEN, f.getType());
    assertTrue(f.getOriginalMessage().contains("1236"));
  }

  @Test
  void givenBadRequest_whenStarted_thenEveryProblemNamedAndNothingTouched() {
    DbLogin admin = new DbLogin("admin", "hunter2");
    BinlogCatchUpRequest bad =
        new BinlogCatchUpRequest(
            new DbTarget("db", 3306, admin),
            new DbTarget("db", 3306, admin),
            null,
            null,
            new ReplicationUser("repl", "env:R", false),
            9999,
            false,
            new SkipPolicy(List.of(1062, 9999), "(", -1, null),
            null,
            null,
            null,
            null,
            null,
            null,
            "bob",
            null,
            null);
    WorkflowClient.start(stub()::run, bad);
    String msg = failure().getOriginalMessage();
    for (String field :
        List.of(
            "source.login.passwordRef",
            "replica: must not be the source",
            "startPosition",
            "setRetentionHours",
            "skipPolicy.allowedErrnos: 9999",
            "skipPolicy.errorPattern",
            "skipPolicy.budget",
            "approval.approvers")) {
      assertTrue(msg.contains(field), field + " in " + msg);
    }
    assertEquals(0, repl.setups.get());
  }
}
