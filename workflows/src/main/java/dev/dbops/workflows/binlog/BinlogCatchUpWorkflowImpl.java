package dev.dbops.workflows.binlog;

import dev.dbops.workflows.common.ActivityStubs;
import dev.dbops.workflows.common.Approval;
import dev.dbops.workflows.common.ApprovalGate;
import dev.dbops.workflows.common.SignedSignal;
import dev.dbops.workflows.common.ApprovalPolicy;
import dev.dbops.workflows.common.ApprovalRecord;
import dev.dbops.workflows.common.Bounds;
import dev.dbops.workflows.common.ErrorTypes;
import dev.dbops.workflows.common.PeopleNotifier;
import dev.dbops.workflows.common.PhaseHooks;
import io.temporal.failure.TemporalFailure;
import java.util.LinkedHashMap;
import java.util.Map;
import dev.dbops.workflows.common.Rejection;
import dev.dbops.workflows.common.StepRecord;
import dev.dbops.workflows.common.WaitNotice;
import dev.dbops.workflows.common.WorkflowClock;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * DESIGN 4.3. The minute-scale loop (poll, skip, poll again at once) lives in one heartbeating
 * monitor activity; the workflow sees one event per slice, per decision, and continues as new
 * when history grows, carrying the journal and counters.
 */
public class BinlogCatchUpWorkflowImpl implements BinlogCatchUpWorkflow {
  /** Change id: the skip mode default (STATEMENT) resolved into the request, and the never-applies rule. */
  public static final String SKIP_MODE_DEFAULT = "skip-mode-statement-by-default";
  static final Set<String> ACTIONS = Set.of(ErrorDecision.SKIP, ErrorDecision.RETRY, ErrorDecision.ABORT);
  /**
   * Journal entries the run keeps, the newest (status, result, continue-as-new): at about 1 KB an
   * entry, a catch-up that skips thousands would outgrow Temporal's payload limit. Every entry is
   * in the replica's journal table; the run counts them all.
   */
  public static final int JOURNAL_KEPT = 200;

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
    List<String> problems = modeDefault ? r.problems() : r.problemsAsRecordedBeforeSkipModeDefault();
    if (!problems.isEmpty()) throw fail(invalid(String.join("; ", problems)));
    try {
      return replicateAndCutOver(r);
    } catch (TemporalFailure f) {
      if (!"VALIDATING".equals(phase) && !"CHECKING_SOURCE".equals(phase)) hooks.onFailure(hookData());
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
        Workflow.continueAsNew(r.continued(new CarryOver(List.copyOf(journal), skippedByPolicy, runs + 1,
            List.copyOf(decisions), List.copyOf(timeline), new JournalCounts(journaled, journaled - byPeople,
                lastJournalId))));
      }
    }
    step("caught up", "lag 0 for " + r.caughtUpWindowOrDefault() + " at " + last.replica().executed());

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
    step("cut over", "replica stopped at " + cut.replicaExecuted() + ", source at " + cut.sourceAtStop());
    hooks.at("after-cutover", gate, hookData());
    phase = "COMPLETED";
    return new BinlogCatchUpResult(cut, List.copyOf(journal), skippedByPolicy, byPeople,
        allDecisions(), List.copyOf(warnings), List.copyOf(timeline), journaled);
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
    SourceReport src = sql.checkSource(new SourceCheck(request.source(), request.replicationUser(),
        request.setRetentionHours()));
    warnings.addAll(src.warnings());
    if (!src.problems().isEmpty()) {
      throw fail(ApplicationFailure.newNonRetryableFailure("source " + request.source().address()
          + " cannot be replicated from: " + String.join("; ", src.problems()), ErrorTypes.INVALID_STATE));
    }
    step("source checked", "binlog_format " + src.binlogFormat() + ", retention " + src.retentionHours() + " h");
    BinlogPosition start = request.startPosition();
    if (start == null) {
      try {
        start = sql.startFromRdsEvents(request.replicaClusterId());
      } catch (ActivityFailure f) {
        throw fail(invalid("startPosition: not given, and no start position could be read from the RDS events"
            + " of '" + request.replicaClusterId() + "' (" + f.getCause().getMessage() + ")"));
      }
    }
    phase = "SETTING_UP";
    hooks.at("before-replication", gate, hookData());
    sql.setUpReplica(new ReplicaSetup(request.replica(), request.source(), request.replicationUser(), start,
        Boolean.TRUE.equals(request.ssl())));
    step("replication started", "from " + start);
  }

  private void resume(CarryOver c) {
    journal.addAll(c.journal());
    decisions.addAll(c.decisions());
    timeline.addAll(c.timeline());
    skippedByPolicy = c.skippedByPolicy();
    runs = c.runs();
    JournalCounts counts = c.journalCounts() != null ? c.journalCounts() : JournalCounts.of(c.journal());
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
    ReplicationActivities monitor = Workflow.newActivityStub(ReplicationActivities.class,
        ActivityStubs.monitor(request.monitorSliceOrDefault()));
    long lastId = lastJournalId;
    MonitorOutcome o;
    try {
      o = monitor.monitor(new MonitorRequest(request.replica(), request.source(), request.policyOrDefault(),
          lastId, budgetRemaining(), request.heartbeatTable(), request.caughtUpWindowOrDefault(),
          request.pollIntervalOrDefault(), request.monitorSliceOrDefault()));
    } catch (ActivityFailure f) {
      throw fail(f);
    }
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
    return o;
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
    pendingError = rs.lastSqlErrno() + ": " + rs.lastSqlError() + " at " + rs.executed() + " (" + o.reason() + ")";
    phase = "AWAITING_DECISION";
    decision = null;
    String id = Workflow.getInfo().getWorkflowId();
    WaitNotice n = people.waiting("replication error", pendingError, gate.approvers(),
        "./dbops decide " + id + " --action skip|retry|abort --by <name> --reason <why>");
    boolean decided = Workflow.await(request.decisionTimeoutOrDefault(), () -> decision != null);
    people.responded(n);
    if (!decided) {
      throw fail(ApplicationFailure.newNonRetryableFailure("no decision on replication error " + pendingError
          + " within " + request.decisionTimeoutOrDefault() + "; replication stays stopped",
          ErrorTypes.DECISION_TIMEOUT));
    }
    ErrorDecision d = decision;
    step("decided", d.action() + " by " + d.by() + ": " + d.reason());
    // Decided: nothing waits for a person while it is carried out (a STATEMENT-mode re-apply reads
    // the source's binlog first), so `watch` right after `decide` does not stop at the old error.
    phase = "CATCHING_UP";
    if (ErrorDecision.ABORT.equals(d.action())) {
      throw fail(ApplicationFailure.newNonRetryableFailure("aborted by " + d.by() + " (" + d.reason()
          + ") at replication error " + pendingError + "; replication stays stopped", ErrorTypes.ABORTED));
    }
    JournalEntry e = sql.carryOut(new DecisionRequest(request.replica(), request.source(), d, rs.executed()));
    if (e != null && e.id() > lastJournalId) counted(e);
    pendingError = null;
  }

  @Override
  public void decide(ErrorDecision d) {
    String unverified = SignedSignal.refusal(d, ErrorDecision.STEP);
    if (unverified != null) {
      decisions.add(new ApprovalRecord("decide", ApprovalPolicy.printable(d.by()), unverified, WorkflowClock.now(),
          ApprovalRecord.REFUSED));
      return;
    }
    String refusal = d == null ? "decision is missing"
        : Bounds.refusal(d) != null ? Bounds.refusal(d)
        : !"AWAITING_DECISION".equals(phase) || decision != null ? "no replication error is waiting for a decision"
        : d.action() == null || !ACTIONS.contains(d.action()) ? "action must be one of " + ACTIONS
        : d.by() == null || d.by().isBlank() ? "name of who decides is missing"
        // Folded comparisons only where they disagree with the exact ones, so older runs replay as they ran.
        : ApprovalPolicy.hasControlCharacter(d.by()) && ApprovalPolicy.namesFolded()
            ? "name of who decides has a control character"
        : d.by().equals(request.requestedBy())
            || ApprovalPolicy.samePerson(d.by(), request.requestedBy()) && ApprovalPolicy.namesFolded()
            ? "the requester may not decide on their own run"
        : !gate.approvers().contains(d.by()) ? d.by() + " is not on the approver list" : null;
    String by = d == null ? null : ApprovalPolicy.printable(Bounds.cut(d.by(), Bounds.MAX_NAME));
    if (refusal != null) {
      decisions.add(new ApprovalRecord("decide", by, refusal, WorkflowClock.now(), ApprovalRecord.REFUSED));
      return;
    }
    decisions.add(new ApprovalRecord("decide " + d.action(), by, d.reason(), WorkflowClock.now(), d.action(),
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
    String waiting = gate.waitingStep() != null ? gate.waitingDescription()
        : "AWAITING_DECISION".equals(phase) ? "a decision on " + pendingError : waitingFor;
    return new BinlogStatus(phase, waiting, gate.approvers(), last == null ? -1 : last.lagSeconds(),
        last == null ? null : last.lagSource(), last == null ? null : last.replica(),
        last == null ? null : last.sourcePosition(), skippedByPolicy,
        request == null ? 0 : budgetRemaining(), pendingError, List.copyOf(journal), allDecisions(), runs,
        List.copyOf(warnings), List.copyOf(timeline), journaled, request == null ? null : request.replica(),
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
    return e;
  }

  private static ApplicationFailure invalid(String message) {
    return ApplicationFailure.newNonRetryableFailure(message, ErrorTypes.INVALID_INPUT);
  }
}
