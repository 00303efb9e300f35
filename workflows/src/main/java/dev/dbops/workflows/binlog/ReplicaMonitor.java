package dev.dbops.workflows.binlog;

import dev.dbops.workflows.binlog.BinlogPhase.Phase;
import dev.dbops.workflows.common.ActivityStubs;
import dev.dbops.workflows.common.ApprovalRecord;
import dev.dbops.workflows.common.DecisionWait;
import dev.dbops.workflows.common.ErrorTypes;
import dev.dbops.workflows.common.ProcedureRun;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The replica side of a binlog catch-up: monitor slices (catching up, watching through the cut-over
 * approval, draining to the final position), their journal ({@link JournalTally}), and a person's
 * decision on an error the policy does not cover ({@link DecisionWait}).
 */
final class ReplicaMonitor {
  static final Set<String> ACTIONS =
      Set.of(ErrorDecision.SKIP, ErrorDecision.RETRY, ErrorDecision.ABORT);

  private final ReplicationActivities sql =
      Workflow.newActivityStub(ReplicationActivities.class, ActivityStubs.DB_CALL);
  private final ProcedureRun<Phase> run;
  private final JournalTally tally = new JournalTally();
  private final DecisionWait<ErrorDecision> decisions =
      new DecisionWait<>(
          ErrorDecision.STEP,
          ErrorDecision.class,
          "no replication error is waiting for a decision",
          d ->
              d.action() == null || !ACTIONS.contains(d.action())
                  ? "action must be one of " + ACTIONS
                  : null,
          ErrorDecision::action);
  private BinlogCatchUpRequest request;
  private MonitorOutcome last;
  private String pendingError;

  ReplicaMonitor(ProcedureRun<Phase> run) {
    this.run = run;
  }

  /** Monitors for {@code r}; decisions come from its approvers. */
  void start(BinlogCatchUpRequest r) {
    request = r;
    decisions.accept(r.approval(), r.requestedBy());
  }

  /** Goes on from an earlier run's journal and decisions (continue-as-new). */
  void resume(CarryOver c) {
    tally.resume(c);
    decisions.carry(c.decisions());
  }

  /** What the next run takes over. */
  CarryOver carryOver(int runs) {
    return tally.carryOver(runs, decisions.records(), run.timeline());
  }

  /**
   * One monitor slice: catching up ({@code until} null) or draining to the cut-over's final
   * position.
   */
  MonitorOutcome slice(BinlogPosition until) {
    ReplicationActivities monitor =
        Workflow.newActivityStub(
            ReplicationActivities.class, ActivityStubs.monitor(request.monitorSliceOrDefault()));
    long lastId = tally.lastId();
    MonitorOutcome o;
    try {
      o = monitor.monitor(monitorRequest(false, until));
    } catch (ActivityFailure f) {
      throw run.fail(f);
    }
    account(o, lastId);
    return o;
  }

  /** One watching slice, cancelled (and awaited) when the approval wait ends first. */
  void watch(Promise<Void> approved) {
    long lastId = tally.lastId();
    long started = Workflow.currentTimeMillis();
    ReplicationActivities watcher =
        Workflow.newActivityStub(
            ReplicationActivities.class,
            ActivityStubs.cancellableMonitor(request.monitorSliceOrDefault()));
    MonitorRequest req = monitorRequest(true, null);
    List<Promise<MonitorOutcome>> slice = new ArrayList<>();
    CancellationScope scope =
        Workflow.newCancellationScope(() -> slice.add(Async.function(watcher::monitor, req)));
    scope.run();
    Promise<MonitorOutcome> p = slice.get(0);
    Workflow.await(() -> approved.isCompleted() || p.isCompleted());
    boolean cancelled = !p.isCompleted();
    if (cancelled) {
      run.waitFor(
          "the watching monitor to stop (a cancel reaches it at its next heartbeat sent, within 24 s)");
      scope.cancel();
    }
    MonitorOutcome o;
    try {
      o = p.get();
    } catch (CanceledFailure c) {
      return;
    } catch (ActivityFailure f) {
      // Cancelled, or ended otherwise once cancelled (its worker gone: a heartbeat timeout): the
      // drain that follows reads the replica afresh and meets any real problem itself.
      if (cancelled || f.getCause() instanceof CanceledFailure) return;
      throw run.fail(f);
    }
    account(o, lastId);
    if (MonitorOutcome.NEEDS_DECISION.equals(o.kind())) {
      // After approval the drain finds the same stop again and asks then.
      if (!approved.isCompleted()) decideOn(o);
      return;
    }
    // A watching slice only ends early by a fault of the replica's stand-in; wait out the rest of
    // it (or the approval) rather than spin.
    long left =
        request.monitorSliceOrDefault().toMillis() - (Workflow.currentTimeMillis() - started);
    if (left > 0) Workflow.await(Duration.ofMillis(left), approved::isCompleted);
  }

  private MonitorRequest monitorRequest(boolean watch, BinlogPosition until) {
    return new MonitorRequest(
        request.replica(),
        request.source(),
        request.policyOrDefault(),
        tally.lastId(),
        budgetRemaining(),
        request.heartbeatTable(),
        request.caughtUpWindowOrDefault(),
        request.pollIntervalOrDefault(),
        request.monitorSliceOrDefault(),
        watch ? Boolean.TRUE : null,
        until);
  }

  private void account(MonitorOutcome o, long lastId) {
    tally.account(o, lastId);
    last = o;
  }

  /** A person decides on an error the policy does not cover: skip, retry, or abort the run. */
  void decideOn(MonitorOutcome o) {
    ReplicaState rs = o.replica();
    pendingError =
        rs.lastSqlErrno()
            + ": "
            + rs.lastSqlError()
            + " at "
            + rs.executed()
            + " ("
            + o.reason()
            + ")";
    run.begin(BinlogSteps.DECIDE);
    String command =
        "./dbops decide "
            + Workflow.getInfo().getWorkflowId()
            + " --action skip|retry|abort --by <name> --reason <why>";
    Duration timeout = request.decisionTimeoutOrDefault();
    ErrorDecision d = decisions.await(run, "replication error", pendingError, command, timeout);
    if (d == null) {
      throw run.fail(
          ApplicationFailure.newNonRetryableFailure(
              "no decision on replication error "
                  + pendingError
                  + " within "
                  + timeout
                  + "; replication stays stopped",
              ErrorTypes.DECISION_TIMEOUT));
    }
    run.note("decided", d.action() + " by " + d.by() + ": " + d.reason());
    // Decided: nothing waits for a person while it is carried out (a STATEMENT-mode re-apply reads
    // the source's binlog first), so `watch` right after `decide` does not stop at the old error.
    run.enter(Phase.CATCHING_UP);
    if (ErrorDecision.ABORT.equals(d.action())) {
      throw run.fail(
          ApplicationFailure.newNonRetryableFailure(
              "aborted by "
                  + d.by()
                  + " ("
                  + d.reason()
                  + ") at replication error "
                  + pendingError
                  + "; replication stays stopped",
              ErrorTypes.ABORTED));
    }
    tally.decided(
        sql.carryOut(new DecisionRequest(request.replica(), request.source(), d, rs.executed())));
    pendingError = null;
  }

  /** The {@code decide} signal. */
  void offer(ErrorDecision d) {
    decisions.offer(d);
  }

  List<ApprovalRecord> decisions() {
    return decisions.records();
  }

  int budgetRemaining() {
    return request == null ? 0 : tally.budgetRemaining(request.policyOrDefault());
  }

  JournalTally tally() {
    return tally;
  }

  /** The last slice's outcome, or null. */
  MonitorOutcome last() {
    return last;
  }

  /** The error waiting for (or being carried out after) a person's decision, or null. */
  String pendingError() {
    return pendingError;
  }
}
