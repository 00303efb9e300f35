package dev.dbops.workflows.binlog;

import dev.dbops.workflows.common.ActivityStubs;
import dev.dbops.workflows.common.Approval;
import dev.dbops.workflows.common.ApprovalGate;
import dev.dbops.workflows.common.ApprovalPolicy;
import dev.dbops.workflows.common.ApprovalRecord;
import dev.dbops.workflows.common.Bounds;
import dev.dbops.workflows.common.DecisionUpdates;
import dev.dbops.workflows.common.ErrorTypes;
import dev.dbops.workflows.common.PeopleNotifier;
import dev.dbops.workflows.common.PhaseHooks;
import dev.dbops.workflows.common.Rejection;
import dev.dbops.workflows.common.Reminders;
import dev.dbops.workflows.common.SignedSignal;
import dev.dbops.workflows.common.StepRecord;
import dev.dbops.workflows.common.WaitNotice;
import dev.dbops.workflows.common.WorkflowClock;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * DESIGN 4.3. The minute-scale loop (poll, skip, poll again at once) lives in one heartbeating
 * monitor activity; the workflow sees one event per slice, per decision, and continues as new when
 * history grows, carrying the journal and counters.
 */
public class BinlogCatchUpWorkflowImpl implements BinlogCatchUpWorkflow {
  /**
   * Change id: the skip mode default (STATEMENT) resolved into the request, and the never-applies
   * rule.
   */
  public static final String SKIP_MODE_DEFAULT = "skip-mode-statement-by-default";

  static final Set<String> ACTIONS =
      Set.of(ErrorDecision.SKIP, ErrorDecision.RETRY, ErrorDecision.ABORT);

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

  private final List<String> warnings = new ArrayList<>();
  private final PeopleNotifier people = new PeopleNotifier("binlog-catch-up", warnings);
  private final PhaseHooks hooks = new PhaseHooks("binlog-catch-up", people, this::step, warnings);
  private final List<JournalEntry> journal = new ArrayList<>();
  private final List<ApprovalRecord> decisions = new ArrayList<>();
  private final List<StepRecord> timeline = new ArrayList<>();
  private ApprovalGate gate = new ApprovalGate(null, null);
  private BinlogCatchUpRequest request;
  private String phase = "VALIDATING";
  private String waitingFor;
  private String pendingError;
  private ErrorDecision decision;
  private MonitorOutcome last;
  private int skippedByPolicy;
  private int runs;

  /** Every entry journaled for this run (its continuations too), by people, and the newest id. */
  private int journaled;

  private int byPeople;
  private long lastJournalId;

  @Override
  public BinlogCatchUpResult run(BinlogCatchUpRequest r) {
    if (r == null) throw fail(invalid("request: missing"));
    // A run started without a skip mode records STATEMENT (zero collateral) in its request, which
    // continue-as-new carries; runs recorded before keep theirs (null: whole transactions).
    boolean modeDefault = Workflow.getVersion(SKIP_MODE_DEFAULT, Workflow.DEFAULT_VERSION, 1) == 1;
    if (modeDefault) r = r.withSkipModeDefault();
    request = r;
    gate = new ApprovalGate(r.approval(), r.requestedBy());
    DecisionUpdates.accept(
        "decide",
        ErrorDecision.class,
        d -> {
          String unverified = SignedSignal.refusal(d, ErrorDecision.STEP);
          return unverified != null ? unverified : refusalOf(d);
        },
        () -> decisions);
    List<String> problems =
        modeDefault ? r.problems() : r.problemsAsRecordedBeforeSkipModeDefault();
    if (!problems.isEmpty()) throw fail(invalid(String.join("; ", problems)));
    try {
      return replicateAndCutOver(r);
    } catch (TemporalFailure f) {
      if (!"VALIDATING".equals(phase) && !"CHECKING_SOURCE".equals(phase))
        hooks.onFailure(hookData());
      throw f;
    }
  }

  private BinlogCatchUpResult replicateAndCutOver(BinlogCatchUpRequest r) {
    if (r.carryOver() == null) {
      step("started", "requested by " + r.requestedBy());
      setUp();
    } else {
      resume(r.carryOver());
    }

    while (true) {
      phase = "CATCHING_UP";
      waitingFor = "the replica to catch up with " + r.source().address();
      MonitorOutcome o = monitor();
      if (MonitorOutcome.CAUGHT_UP.equals(o.kind())) break;
      if (MonitorOutcome.NEEDS_DECISION.equals(o.kind())) {
        decideOn(o);
      } else if (Workflow.getInfo().isContinueAsNewSuggested()
          || Workflow.getInfo().getHistoryLength() > r.continueAfterEventsOrDefault()) {
        step("continued as new", "run " + (runs + 1) + ", " + journaled + " journaled");
        Workflow.continueAsNew(
            r.continued(
                new CarryOver(
                    List.copyOf(journal),
                    skippedByPolicy,
                    runs + 1,
                    List.copyOf(decisions),
                    List.copyOf(timeline),
                    new JournalCounts(journaled, journaled - byPeople, lastJournalId))));
      }
    }
    step(
        "caught up",
        (r.caughtUpWindowOrDefault().isZero()
                ? "source position confirmed"
                : "lag 0 for " + r.caughtUpWindowOrDefault())
            + " at "
            + last.replica().executed());

    if (Workflow.getVersion(WATCH_THROUGH_CUTOVER, Workflow.DEFAULT_VERSION, 1) == 1) {
      CutoverReport cut = watchUntilApproved(r);
      return complete(cut);
    }
    phase = "AWAITING_CUTOVER";
    waitingFor = null;
    try {
      people.awaitApproval(gate, "cut over: stop replication on " + r.replica().address());
    } catch (ApplicationFailure f) {
      throw fail(f);
    }
    phase = "CUTTING_OVER";
    hooks.at("before-cutover", gate, hookData());
    CutoverReport cut = sql.cutOver(r.replica(), r.source());
    return complete(cut);
  }

  private BinlogCatchUpResult complete(CutoverReport cut) {
    step(
        "cut over",
        "replica stopped at " + cut.replicaExecuted() + ", source at " + cut.sourceAtStop());
    hooks.at("after-cutover", gate, hookData());
    phase = "COMPLETED";
    return new BinlogCatchUpResult(
        cut,
        List.copyOf(journal),
        skippedByPolicy,
        byPeople,
        allDecisions(),
        List.copyOf(warnings),
        List.copyOf(timeline),
        journaled);
  }

  /**
   * Issue 18 item 8: the monitor keeps watching (skipping per policy, journaling, reporting lag)
   * while the cut-over waits for approval, and a conflict that needs a person goes to the decide
   * flow as before. No continue-as-new here: approval state is not carried over, and the wait is
   * bounded by the approval timeout (a slice is ~6 events).
   */
  private CutoverReport watchUntilApproved(BinlogCatchUpRequest r) {
    phase = "AWAITING_CUTOVER";
    waitingFor = null;
    Promise<Void> approved =
        Async.procedure(
            () ->
                people.awaitApproval(
                    gate, "cut over: stop replication on " + r.replica().address()));
    while (!approved.isCompleted()) {
      watchSlice(approved);
      if (!"FAILED".equals(phase)) phase = "AWAITING_CUTOVER";
    }
    try {
      approved.get();
    } catch (ApplicationFailure f) {
      throw fail(f);
    }
    return cutOverAtFinalPosition(r);
  }

  /** One watching slice, cancelled (and awaited) when the approval wait ends first. */
  private void watchSlice(Promise<Void> approved) {
    long lastId = lastJournalId;
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
      waitingFor =
          "the watching monitor to stop (a cancel reaches it at its next heartbeat sent, within 24 s)";
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
      throw fail(f);
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

  /**
   * The cut-over as a sequence: writes stopped on the source (the hook, and read_only unless the
   * request says the hook is enough), the source's final position read, the replica drained to
   * exactly that position with conflicts on the way handled by the policy (journaled) or by a
   * person, then replication stopped and reset by an activity that refuses any other position.
   */
  private CutoverReport cutOverAtFinalPosition(BinlogCatchUpRequest r) {
    phase = "CUTTING_OVER";
    hooks.at("before-cutover", gate, hookData());
    WritesStopped writes = r.writesStoppedOrDefault();
    waitingFor =
        writes == WritesStopped.READ_ONLY
            ? "read_only ON on the source " + r.source().address() + " (writes stopped)"
            : "the source's final position";
    ReplicationActivities poll =
        Workflow.newActivityStub(
            ReplicationActivities.class,
            ActivityStubs.pollEvery(FINAL_POSITION_POLL, r.decisionTimeoutOrDefault()));
    BinlogPosition finalPosition;
    try {
      finalPosition = poll.sourceFinalPosition(new CutoverCheck(r.source(), writes));
    } catch (ActivityFailure f) {
      if (f.getCause() instanceof ApplicationFailure af
          && ErrorTypes.NOT_READY.equals(af.getType())) {
        throw fail(
            ApplicationFailure.newNonRetryableFailure(
                "writes did not stop on the source within "
                    + r.decisionTimeoutOrDefault()
                    + " ("
                    + af.getOriginalMessage()
                    + "); replication goes on, nothing was"
                    + " cut over",
                ErrorTypes.WAIT_TIMEOUT));
      }
      throw fail(f);
    }
    step("source writes stopped", "final position " + finalPosition + " (" + writes + ")");
    while (true) {
      phase = "CUTTING_OVER";
      waitingFor = "the replica to execute up to the source's final position " + finalPosition;
      MonitorOutcome o = monitor(finalPosition);
      if (MonitorOutcome.CAUGHT_UP.equals(o.kind())) break;
      if (MonitorOutcome.NEEDS_DECISION.equals(o.kind())) {
        if (MonitorOutcome.SOURCE_MOVED.equals(o.reason())) {
          throw fail(
              ApplicationFailure.newNonRetryableFailure(
                  "cut-over refused: the replica executed up to "
                      + o.replica().executed()
                      + ", past the source's final position "
                      + finalPosition
                      + " — the source still takes writes; replication goes on, nothing was reset",
                  ErrorTypes.CUTOVER_REFUSED));
        }
        decideOn(o);
      }
    }
    step("final position reached", "replica executed up to " + last.replica().executed());
    try {
      return sql.cutOverAt(new CutoverRequest(r.replica(), r.source(), finalPosition));
    } catch (ActivityFailure f) {
      throw fail(f);
    }
  }

  /** What hooks are told at every phase (as DBOPS_<KEY> variables and JSON). */
  private Map<String, String> hookData() {
    Map<String, String> d = new LinkedHashMap<>();
    d.put("phase_of_run", phase);
    d.put("source", request.source().address());
    d.put("replica", request.replica().address());
    d.put("skipped", String.valueOf(journaled));
    return d;
  }

  private void setUp() {
    phase = "CHECKING_SOURCE";
    SourceReport src =
        sql.checkSource(
            new SourceCheck(
                request.source(), request.replicationUser(), request.setRetentionHours()));
    warnings.addAll(src.warnings());
    if (!src.problems().isEmpty()) {
      throw fail(
          ApplicationFailure.newNonRetryableFailure(
              "source "
                  + request.source().address()
                  + " cannot be replicated from: "
                  + String.join("; ", src.problems()),
              ErrorTypes.INVALID_STATE));
    }
    step(
        "source checked",
        "binlog_format " + src.binlogFormat() + ", retention " + src.retentionHours() + " h");
    BinlogPosition start = request.startPosition();
    if (start == null) {
      try {
        start = sql.startFromRdsEvents(request.replicaClusterId());
      } catch (ActivityFailure f) {
        throw fail(
            invalid(
                "startPosition: not given, and no start position could be read from the RDS events"
                    + " of '"
                    + request.replicaClusterId()
                    + "' ("
                    + f.getCause().getMessage()
                    + ")"));
      }
    }
    phase = "SETTING_UP";
    hooks.at("before-replication", gate, hookData());
    sql.setUpReplica(
        new ReplicaSetup(
            request.replica(),
            request.source(),
            request.replicationUser(),
            start,
            Boolean.TRUE.equals(request.ssl())));
    step("replication started", "from " + start);
  }

  private void resume(CarryOver c) {
    journal.addAll(c.journal());
    decisions.addAll(c.decisions());
    timeline.addAll(c.timeline());
    skippedByPolicy = c.skippedByPolicy();
    runs = c.runs();
    JournalCounts counts =
        c.journalCounts() != null ? c.journalCounts() : JournalCounts.of(c.journal());
    journaled = counts.entries();
    byPeople = counts.entries() - counts.byPolicy();
    lastJournalId = counts.lastId();
  }

  /** Keeps {@code e} among the newest {@link #JOURNAL_KEPT} (counting is the caller's). */
  private void keep(JournalEntry e) {
    journal.add(e);
    if (journal.size() > JOURNAL_KEPT) journal.remove(0);
  }

  private MonitorOutcome monitor() {
    return monitor(null);
  }

  /**
   * One monitor slice: catching up ({@code until} null) or draining to the cut-over's final
   * position.
   */
  private MonitorOutcome monitor(BinlogPosition until) {
    ReplicationActivities monitor =
        Workflow.newActivityStub(
            ReplicationActivities.class, ActivityStubs.monitor(request.monitorSliceOrDefault()));
    long lastId = lastJournalId;
    MonitorOutcome o;
    try {
      o =
          monitor.monitor(
              until == null ? monitorRequest(false, null) : monitorRequest(false, until));
    } catch (ActivityFailure f) {
      throw fail(f);
    }
    account(o, lastId);
    return o;
  }

  private MonitorRequest monitorRequest(boolean watch, BinlogPosition until) {
    if (!watch && until == null) {
      return new MonitorRequest(
          request.replica(),
          request.source(),
          request.policyOrDefault(),
          lastJournalId,
          budgetRemaining(),
          request.heartbeatTable(),
          request.caughtUpWindowOrDefault(),
          request.pollIntervalOrDefault(),
          request.monitorSliceOrDefault());
    }
    return new MonitorRequest(
        request.replica(),
        request.source(),
        request.policyOrDefault(),
        lastJournalId,
        budgetRemaining(),
        request.heartbeatTable(),
        request.caughtUpWindowOrDefault(),
        request.pollIntervalOrDefault(),
        request.monitorSliceOrDefault(),
        watch ? Boolean.TRUE : null,
        until);
  }

  /**
   * The slice's new journal entries kept and counted ({@code lastId}: the newest known when it
   * started).
   */
  private void account(MonitorOutcome o, long lastId) {
    if (o.newCounts() == null) {
      // Recorded before outcomes were counted: the entries are all of them.
      for (JournalEntry e : o.newEntries()) {
        // Ids come from the replica's journal table: a resumed monitor may report an entry again.
        if (e.id() > lastJournalId) counted(e);
      }
    } else {
      for (JournalEntry e : o.newEntries()) {
        if (e.id() > lastId) keep(e);
      }
      JournalCounts n = o.newCounts();
      journaled += n.entries();
      skippedByPolicy += n.byPolicy();
      byPeople += n.entries() - n.byPolicy();
      lastJournalId = Math.max(lastJournalId, n.lastId());
    }
    last = o;
  }

  /** One new entry, kept and counted. */
  private void counted(JournalEntry e) {
    keep(e);
    journaled++;
    if ("policy".equals(e.decidedBy())) skippedByPolicy++;
    else byPeople++;
    lastJournalId = e.id();
  }

  private int budgetRemaining() {
    return Math.max(0, request.policyOrDefault().budgetOrDefault() - skippedByPolicy);
  }

  private void decideOn(MonitorOutcome o) {
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
    phase = "AWAITING_DECISION";
    decision = null;
    String id = Workflow.getInfo().getWorkflowId();
    WaitNotice n =
        people.waiting(
            "replication error",
            pendingError,
            gate.approvers(),
            "./dbops decide " + id + " --action skip|retry|abort --by <name> --reason <why>");
    boolean decided =
        Reminders.await(
            people,
            n,
            request.approval(),
            request.decisionTimeoutOrDefault(),
            () -> decision != null);
    people.responded(n);
    if (!decided) {
      throw fail(
          ApplicationFailure.newNonRetryableFailure(
              "no decision on replication error "
                  + pendingError
                  + " within "
                  + request.decisionTimeoutOrDefault()
                  + "; replication stays stopped",
              ErrorTypes.DECISION_TIMEOUT));
    }
    ErrorDecision d = decision;
    step("decided", d.action() + " by " + d.by() + ": " + d.reason());
    // Decided: nothing waits for a person while it is carried out (a STATEMENT-mode re-apply reads
    // the source's binlog first), so `watch` right after `decide` does not stop at the old error.
    phase = "CATCHING_UP";
    if (ErrorDecision.ABORT.equals(d.action())) {
      throw fail(
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
    JournalEntry e =
        sql.carryOut(new DecisionRequest(request.replica(), request.source(), d, rs.executed()));
    if (e != null && e.id() > lastJournalId) counted(e);
    pendingError = null;
  }

  /**
   * Why {@code d} would be refused now (signature aside), or null: the handler's and the update
   * validator's rule.
   */
  private String refusalOf(ErrorDecision d) {
    return d == null
        ? "decision is missing"
        : Bounds.refusal(d) != null
            ? Bounds.refusal(d)
            : !"AWAITING_DECISION".equals(phase) || decision != null
                ? "no replication error is waiting for a decision"
                : d.action() == null || !ACTIONS.contains(d.action())
                    ? "action must be one of " + ACTIONS
                    : d.by() == null || d.by().isBlank()
                        ? "name of who decides is missing"
                        // Folded comparisons only where they disagree with the exact ones, so older
                        // runs replay as they ran.
                        : ApprovalPolicy.hasControlCharacter(d.by()) && ApprovalPolicy.namesFolded()
                            ? "name of who decides has a control character"
                            : d.by().equals(request.requestedBy())
                                    || ApprovalPolicy.samePerson(d.by(), request.requestedBy())
                                        && ApprovalPolicy.namesFolded()
                                ? "the requester may not decide on their own run"
                                : !gate.approvers().contains(d.by())
                                    ? d.by() + " is not on the approver list"
                                    : null;
  }

  @Override
  public void decide(ErrorDecision d) {
    String unverified = SignedSignal.refusal(d, ErrorDecision.STEP);
    if (unverified != null) {
      decisions.add(
          new ApprovalRecord(
              "decide",
              ApprovalPolicy.printable(d.by()),
              unverified,
              WorkflowClock.now(),
              ApprovalRecord.REFUSED));
      return;
    }
    String refusal = refusalOf(d);
    String by = d == null ? null : ApprovalPolicy.printable(Bounds.cut(d.by(), Bounds.MAX_NAME));
    if (refusal != null) {
      decisions.add(
          new ApprovalRecord("decide", by, refusal, WorkflowClock.now(), ApprovalRecord.REFUSED));
      return;
    }
    decisions.add(
        new ApprovalRecord(
            "decide " + d.action(),
            by,
            d.reason(),
            WorkflowClock.now(),
            d.action(),
            ApprovalRecord.signerOf(d)));
    decision = d;
  }

  @Override
  public void approve(Approval approval) {
    gate.approve(approval);
  }

  @Override
  public void reject(Rejection rejection) {
    gate.reject(rejection);
  }

  @Override
  public BinlogStatus status() {
    String waiting =
        "AWAITING_DECISION".equals(phase)
            ? "a decision on " + pendingError
            : gate.waitingStep() != null ? gate.waitingDescription() : waitingFor;
    return new BinlogStatus(
        phase,
        waiting,
        gate.approvers(),
        last == null ? -1 : last.lagSeconds(),
        last == null ? null : last.lagSource(),
        last == null ? null : last.replica(),
        last == null ? null : last.sourcePosition(),
        skippedByPolicy,
        request == null ? 0 : budgetRemaining(),
        pendingError,
        List.copyOf(journal),
        allDecisions(),
        runs,
        List.copyOf(warnings),
        List.copyOf(timeline),
        journaled,
        request == null ? null : request.replica(),
        request == null ? null : request.source());
  }

  private List<ApprovalRecord> allDecisions() {
    List<ApprovalRecord> all = new ArrayList<>(decisions);
    all.addAll(gate.records());
    return all;
  }

  private void step(String what, String detail) {
    timeline.add(new StepRecord(what, WorkflowClock.now(), detail));
  }

  private RuntimeException fail(RuntimeException e) {
    phase = "FAILED";
    waitingFor = null;
    if (e instanceof ApplicationFailure af) step("failed", af.getOriginalMessage());
    else if (e instanceof ActivityFailure f && f.getCause() instanceof ApplicationFailure af) {
      step("failed", af.getOriginalMessage());
    }
    return e;
  }

  private static ApplicationFailure invalid(String message) {
    return ApplicationFailure.newNonRetryableFailure(message, ErrorTypes.INVALID_INPUT);
  }
}
