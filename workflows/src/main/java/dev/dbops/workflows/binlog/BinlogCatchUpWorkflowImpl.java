package dev.dbops.workflows.binlog;

import static dev.dbops.workflows.binlog.BinlogSteps.APPROVE;
import static dev.dbops.workflows.binlog.BinlogSteps.CATCH_UP;
import static dev.dbops.workflows.binlog.BinlogSteps.CHECK_SOURCE;
import static dev.dbops.workflows.binlog.BinlogSteps.CUT_OVER;
import static dev.dbops.workflows.binlog.BinlogSteps.SET_UP;
import static dev.dbops.workflows.binlog.BinlogSteps.START_POSITION;
import static dev.dbops.workflows.binlog.BinlogSteps.STEPS;

import dev.dbops.workflows.binlog.BinlogPhase.Phase;
import dev.dbops.workflows.common.ActivityStubs;
import dev.dbops.workflows.common.ApprovalRecord;
import dev.dbops.workflows.common.ErrorTypes;
import dev.dbops.workflows.common.ProcedureRun;
import dev.dbops.workflows.common.ProcedureWorkflow;
import dev.dbops.workflows.common.RunStatus;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * docs/procedures.md, binlog. The minute-scale loop (poll, skip, poll again at once) lives in one
 * heartbeating monitor activity; the workflow sees one event per slice, per decision, and continues
 * as new when history grows, carrying the journal and counters ({@link JournalTally}). The steps
 * are declared in {@link BinlogSteps}.
 */
public class BinlogCatchUpWorkflowImpl extends ProcedureWorkflow<Phase>
    implements BinlogCatchUpWorkflow {
  /**
   * Change id: the skip mode default (STATEMENT) resolved into the request, and the never-applies
   * rule.
   */
  public static final String SKIP_MODE_DEFAULT = "skip-mode-statement-by-default";

  /**
   * Journal entries the run keeps, the newest (status, result, continue-as-new): at about 1 KB an
   * entry, a catch-up that skips thousands would outgrow Temporal's payload limit. Every entry is
   * in the replica's journal table; the run counts them all.
   */
  public static final int JOURNAL_KEPT = 200;

  /**
   * Issue 18 item 8: the monitor watches through the approval wait, and the cut-over drains the
   * replica to the source's final position read after writes stopped (see {@link
   * #watchUntilApproved}).
   */
  static final String WATCH_THROUGH_CUTOVER = "binlog-watch-through-cutover";

  /** How often the cut-over looks again for read_only on the source. */
  static final Duration FINAL_POSITION_POLL = Duration.ofSeconds(5);

  private final ReplicationActivities sql =
      Workflow.newActivityStub(ReplicationActivities.class, ActivityStubs.DB_CALL);

  private final ReplicaMonitor replica = new ReplicaMonitor(run);
  private BinlogCatchUpRequest request;
  private int runs;

  public BinlogCatchUpWorkflowImpl() {
    super(BinlogPhase.PROCEDURE, Phase.class);
  }

  @Override
  public BinlogCatchUpResult run(BinlogCatchUpRequest r) {
    if (r == null) throw run.invalidInput("request: missing");
    // A run started without a skip mode records STATEMENT (zero collateral) in its request, which
    // continue-as-new carries; runs recorded before keep theirs (null: whole transactions).
    boolean modeDefault = Workflow.getVersion(SKIP_MODE_DEFAULT, Workflow.DEFAULT_VERSION, 1) == 1;
    request = modeDefault ? r.withSkipModeDefault() : r;
    run.openGate(request.approval(), request.requestedBy());
    replica.start(request);
    run.tellHooks(this::hookData);
    List<String> problems =
        modeDefault ? request.problems() : request.problemsAsRecordedBeforeSkipModeDefault();
    if (!problems.isEmpty()) throw run.invalidInput(String.join("; ", problems));
    return run.guard(this::catchUpAndCutOver);
  }

  private BinlogCatchUpResult catchUpAndCutOver() {
    if (request.carryOver() == null) {
      run.note("started", "requested by " + request.requestedBy());
      BinlogSteps.Facts facts = checkSource();
      if (request.isDryRun()) return run.complete(result(null, facts));
      run.step(SET_UP, () -> setUp(facts.start()));
    } else {
      resume(request.carryOver());
    }
    catchUp();
    boolean watched = Workflow.getVersion(WATCH_THROUGH_CUTOVER, Workflow.DEFAULT_VERSION, 1) == 1;
    if (watched) watchUntilApproved();
    else run.gate(APPROVE, "cut over: stop replication on " + request.replica().address());
    CutoverReport cut =
        run.step(
            CUT_OVER,
            () -> {
              CutoverReport c =
                  watched
                      ? cutOverAtFinalPosition()
                      : sql.cutOver(request.replica(), request.source());
              run.note(
                  "cut over",
                  "replica stopped at " + c.replicaExecuted() + ", source at " + c.sourceAtStop());
              return c;
            });
    return run.complete(result(cut, null));
  }

  /** The source checks (read-only for a dry run) and the start position. */
  private BinlogSteps.Facts checkSource() {
    SourceReport src =
        run.step(
            CHECK_SOURCE,
            () ->
                sql.checkSource(
                    new SourceCheck(
                        request.source(),
                        request.replicationUser(),
                        request.setRetentionHours(),
                        request.isDryRun() ? Boolean.TRUE : null)));
    // The check may have set the retention or created the replication user.
    if (!request.isDryRun()) run.changing();
    run.warnAll(src.warnings());
    if (!src.problems().isEmpty()) {
      throw run.fail(
          ApplicationFailure.newNonRetryableFailure(
              "source "
                  + request.source().address()
                  + " cannot be replicated from: "
                  + String.join("; ", src.problems()),
              ErrorTypes.INVALID_STATE));
    }
    run.note(
        "source checked",
        "binlog_format " + src.binlogFormat() + ", retention " + src.retentionHours() + " h");
    BinlogPosition start = request.startPosition();
    if (start == null) start = run.step(START_POSITION, this::startFromRdsEvents);
    return new BinlogSteps.Facts(request, src, start);
  }

  private BinlogPosition startFromRdsEvents() {
    try {
      return sql.startFromRdsEvents(request.replicaClusterId());
    } catch (ActivityFailure f) {
      throw run.invalidInput(
          "startPosition: not given, and no start position could be read from the RDS events of '"
              + request.replicaClusterId()
              + "' ("
              + f.getCause().getMessage()
              + ")");
    }
  }

  private void setUp(BinlogPosition start) {
    sql.setUpReplica(
        new ReplicaSetup(
            request.replica(),
            request.source(),
            request.replicationUser(),
            start,
            Boolean.TRUE.equals(request.ssl())));
    run.note("replication started", "from " + start);
  }

  private void resume(CarryOver c) {
    replica.resume(c);
    run.carryTimeline(c.timeline());
    runs = c.runs();
    run.changing();
  }

  private void catchUp() {
    run.begin(CATCH_UP);
    while (true) {
      run.enter(Phase.CATCHING_UP);
      run.waitFor("the replica to catch up with " + request.source().address());
      MonitorOutcome o = replica.slice(null);
      if (MonitorOutcome.CAUGHT_UP.equals(o.kind())) break;
      if (MonitorOutcome.NEEDS_DECISION.equals(o.kind())) {
        replica.decideOn(o);
      } else if (Workflow.getInfo().isContinueAsNewSuggested()
          || Workflow.getInfo().getHistoryLength() > request.continueAfterEventsOrDefault()) {
        run.note(
            "continued as new",
            "run " + (runs + 1) + ", " + replica.tally().journaled() + " journaled");
        Workflow.continueAsNew(request.continued(replica.carryOver(runs + 1)));
      }
    }
    Duration window = request.caughtUpWindowOrDefault();
    run.note(
        "caught up",
        (window.isZero() ? "source position confirmed" : "lag 0 for " + window)
            + " at "
            + replica.last().replica().executed());
  }

  /**
   * Issue 18 item 8: the monitor keeps watching (skipping per policy, journaling, reporting lag)
   * while the cut-over waits for approval, and a conflict that needs a person goes to the decide
   * flow as before. No continue-as-new here: approval state is not carried over, and the wait is
   * bounded by the approval timeout (a slice is ~6 events).
   */
  private void watchUntilApproved() {
    run.enter(Phase.AWAITING_CUTOVER);
    run.waitFor(null);
    Promise<Void> approved =
        Async.procedure(
            () ->
                run.gate(APPROVE, "cut over: stop replication on " + request.replica().address()));
    while (!approved.isCompleted()) {
      replica.watch(approved);
      if (!run.failed()) run.enter(Phase.AWAITING_CUTOVER);
    }
    approved.get();
  }

  /**
   * The cut-over as a sequence: writes stopped on the source (the hook, and read_only unless the
   * request says the hook is enough), the source's final position read, the replica drained to
   * exactly that position with conflicts on the way handled by the policy (journaled) or by a
   * person, then replication stopped and reset by an activity that refuses any other position.
   */
  private CutoverReport cutOverAtFinalPosition() {
    WritesStopped writes = request.writesStoppedOrDefault();
    run.waitFor(
        writes == WritesStopped.READ_ONLY
            ? "read_only ON on the source " + request.source().address() + " (writes stopped)"
            : "the source's final position");
    ReplicationActivities poll =
        Workflow.newActivityStub(
            ReplicationActivities.class,
            ActivityStubs.pollEvery(FINAL_POSITION_POLL, request.decisionTimeoutOrDefault()));
    BinlogPosition finalPosition;
    try {
      finalPosition = poll.sourceFinalPosition(new CutoverCheck(request.source(), writes));
    } catch (ActivityFailure f) {
      if (!ErrorTypes.NOT_READY.equals(ProcedureRun.causeType(f))) throw run.fail(f);
      throw run.fail(
          ApplicationFailure.newNonRetryableFailure(
              "writes did not stop on the source within "
                  + request.decisionTimeoutOrDefault()
                  + " ("
                  + ((ApplicationFailure) f.getCause()).getOriginalMessage()
                  + "); replication goes on, nothing was cut over",
              ErrorTypes.WAIT_TIMEOUT));
    }
    run.note("source writes stopped", "final position " + finalPosition + " (" + writes + ")");
    while (true) {
      run.enter(Phase.CUTTING_OVER);
      run.waitFor("the replica to execute up to the source's final position " + finalPosition);
      MonitorOutcome o = replica.slice(finalPosition);
      if (MonitorOutcome.CAUGHT_UP.equals(o.kind())) break;
      if (MonitorOutcome.SOURCE_MOVED.equals(o.reason())
          && MonitorOutcome.NEEDS_DECISION.equals(o.kind())) {
        throw run.fail(
            ApplicationFailure.newNonRetryableFailure(
                "cut-over refused: the replica executed up to "
                    + o.replica().executed()
                    + ", past the source's final position "
                    + finalPosition
                    + " — the source still takes writes; replication goes on, nothing was reset",
                ErrorTypes.CUTOVER_REFUSED));
      }
      if (MonitorOutcome.NEEDS_DECISION.equals(o.kind())) replica.decideOn(o);
    }
    run.note(
        "final position reached", "replica executed up to " + replica.last().replica().executed());
    try {
      return sql.cutOverAt(new CutoverRequest(request.replica(), request.source(), finalPosition));
    } catch (ActivityFailure f) {
      throw run.fail(f);
    }
  }

  @Override
  public void decide(ErrorDecision d) {
    replica.offer(d);
  }

  @Override
  public BinlogStatus status() {
    RunStatus s = run.status();
    MonitorOutcome last = replica.last();
    JournalTally tally = replica.tally();
    return new BinlogStatus(
        s.phase(),
        run.phase() == Phase.AWAITING_DECISION
            ? "a decision on " + replica.pendingError()
            : s.waitingFor(),
        s.approvers(),
        last == null ? -1 : last.lagSeconds(),
        last == null ? null : last.lagSource(),
        last == null ? null : last.replica(),
        last == null ? null : last.sourcePosition(),
        tally.skippedByPolicy(),
        replica.budgetRemaining(),
        replica.pendingError(),
        tally.journal(),
        allDecisions(),
        runs,
        s.warnings(),
        s.timeline(),
        tally.journaled(),
        request == null ? null : request.replica(),
        request == null ? null : request.source());
  }

  private BinlogCatchUpResult result(CutoverReport cut, BinlogSteps.Facts planned) {
    JournalTally tally = replica.tally();
    return new BinlogCatchUpResult(
        cut,
        tally.journal(),
        tally.skippedByPolicy(),
        tally.byPeople(),
        allDecisions(),
        run.warnings(),
        run.timeline(),
        tally.journaled(),
        planned == null ? null : STEPS.plan(planned),
        planned == null ? null : planned.source());
  }

  private List<ApprovalRecord> allDecisions() {
    List<ApprovalRecord> all = new ArrayList<>(replica.decisions());
    all.addAll(run.approvals());
    return all;
  }

  /** What hooks are told at every phase (as DBOPS_<KEY> variables and JSON). */
  private Map<String, String> hookData() {
    Map<String, String> d = new LinkedHashMap<>();
    d.put("phase_of_run", run.phase().name());
    d.put("source", request.source().address());
    d.put("replica", request.replica().address());
    d.put("skipped", String.valueOf(replica.tally().journaled()));
    return d;
  }
}
