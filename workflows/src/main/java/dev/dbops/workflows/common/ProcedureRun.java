package dev.dbops.workflows.common;

import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.failure.TimeoutFailure;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The skeleton every procedure runs on, so a workflow keeps only its steps: the typed phase, the
 * timeline, warnings, the approval gate, operator hooks and notices, the failure helpers, the
 * approve / reject / abort handling, and the status state the query returns.
 *
 * <p>A workflow creates one in a field initializer, calls {@link #start} first thing in its
 * workflow method, runs its steps through {@link #step} and {@link #gate}, and forwards its signals
 * to {@link #approve}, {@link #reject} and {@link #abort}. Nothing here issues a command of its
 * own: every activity, timer and version marker comes from the wrapped {@link ApprovalGate}, {@link
 * PeopleNotifier} and {@link PhaseHooks}, in the order the workflow calls them.
 *
 * @param <P> the procedure's phase enum; its first constant is the phase a run starts in, and it
 *     must have {@code COMPLETED} and {@code FAILED}
 */
public final class ProcedureRun<P extends Enum<P>> {
  /** Shared phase names (see the catalog's {@code Phases}). */
  static final String COMPLETED = "COMPLETED";

  static final String FAILED = "FAILED";

  private final P completed;
  private final P failed;
  private final Timeline timeline = new Timeline();
  private final List<String> warnings = new ArrayList<>();
  private final PeopleNotifier people;
  private final PhaseHooks hooks;
  private final List<String> stepsRun = new ArrayList<>();
  private ApprovalGate gate = new ApprovalGate(null, null);
  private Supplier<Map<String, String>> hookData = Map::of;
  private P phase;
  private String waitingFor;
  private boolean acting;
  private Abort abort;

  public ProcedureRun(String procedure, Class<P> phases) {
    P[] all = phases.getEnumConstants();
    this.phase = all[0];
    this.completed = Enum.valueOf(phases, COMPLETED);
    this.failed = Enum.valueOf(phases, FAILED);
    this.people = new PeopleNotifier(procedure, warnings);
    this.hooks = new PhaseHooks(procedure, people, timeline::add, warnings);
  }

  // ---- start, phases, status ----

  /** Opens the approval gate for this run and notes who asked for it. */
  public void start(ApprovalPolicy approval, String requestedBy) {
    openGate(approval, requestedBy);
    note("started", "requested by " + requestedBy);
  }

  /** Opens the approval gate without a timeline line (e.g. a run continued as new). */
  public void openGate(ApprovalPolicy approval, String requestedBy) {
    gate = new ApprovalGate(approval, requestedBy);
  }

  public P phase() {
    return phase;
  }

  /** Moves to {@code p}; what the run waited for before is over. */
  public void enter(P p) {
    phase = p;
  }

  /** What the run waits for (S3, RDS, …) while no approval is pending; null when nothing. */
  public void waitFor(String what) {
    waitingFor = what;
  }

  /** What the run waits for: the gate's description while an approval is pending. */
  public String waitingFor() {
    return gate.waitingStep() != null ? gate.waitingDescription() : waitingFor;
  }

  /** The run is done: phase COMPLETED, waiting for nothing; returns {@code result}. */
  public <T> T complete(T result) {
    phase = completed;
    waitingFor = null;
    return result;
  }

  public boolean failed() {
    return phase == failed;
  }

  /** The state every {@code status()} shares, read at once. */
  public RunStatus status() {
    return new RunStatus(
        phase.name(), waitingFor(), gate.approvers(), warnings(), approvals(), timeline());
  }

  // ---- timeline and warnings ----

  public void note(String what, String detail) {
    timeline.add(what, detail);
  }

  /** Timeline lines carried over from an earlier run (continue-as-new). */
  public void carryTimeline(List<StepRecord> earlier) {
    timeline.addAll(earlier);
  }

  public List<StepRecord> timeline() {
    return timeline.steps();
  }

  public void warn(String warning) {
    warnings.add(warning);
  }

  public void warnAll(Collection<String> more) {
    warnings.addAll(more);
  }

  public List<String> warnings() {
    return List.copyOf(warnings);
  }

  // ---- steps ----

  /**
   * Runs a declared step: enters its phase, runs its before-hooks, the body, its after-hooks. From
   * a step that {@link Step#changes() changes} something on, a failure of the run is told to the
   * on-failure hooks ({@link #guard}).
   */
  public <T> T step(Step<P, ?> step, Supplier<T> body) {
    begin(step);
    T result = body.get();
    if (step.hookAfter() != null) hook(step.hookAfter());
    return result;
  }

  public void step(Step<P, ?> step, Runnable body) {
    step(
        step,
        () -> {
          body.run();
          return null;
        });
  }

  /** Enters a step whose body the workflow runs inline (no after-hooks). */
  public void begin(Step<P, ?> step) {
    phase = step.phase();
    stepsRun.add(step.name());
    if (step.isChange()) acting = true;
    if (step.hookBefore() != null) hook(step.hookBefore());
  }

  /**
   * From here a failure of the run is told to the on-failure hooks, as after a changing step: for a
   * run that carries on what an earlier one changed (continue-as-new).
   */
  public void changing() {
    acting = true;
  }

  /** Names of the declared steps this run has entered, in order. */
  public List<String> stepsRun() {
    return List.copyOf(stepsRun);
  }

  // ---- approvals ----

  /**
   * The approval step: enters its phase, tells the approvers, waits on the gate, and notes the
   * approval; a rejection or timeout is noted "not approved" and fails the run with the gate's
   * typed failure (REJECTED, APPROVAL_TIMEOUT).
   */
  public void gate(Step<P, ?> step, String what) {
    phase = step.phase();
    stepsRun.add(step.name());
    try {
      people.awaitApproval(gate, what);
    } catch (ApplicationFailure f) {
      note("not approved", f.getOriginalMessage());
      phase = failed;
      waitingFor = null;
      throw f;
    }
    note("approved", what);
  }

  /** The approval signal (and update) handler. */
  public void approve(Approval approval) {
    gate.approve(approval);
  }

  public void reject(Rejection rejection) {
    gate.reject(rejection);
  }

  /** For waits with their own rules (a grace period, a hook decision): the gate itself. */
  public ApprovalGate approvalGate() {
    return gate;
  }

  public List<ApprovalRecord> approvals() {
    return gate.records();
  }

  public List<String> approvers() {
    return gate.approvers();
  }

  // ---- abort ----

  /** Takes {@code abort} as an update too; the same rule answers the update and the signal. */
  public void acceptAborts() {
    DecisionUpdates.accept(
        Abort.DECISION,
        Abort.class,
        a -> {
          String unverified = SignedSignal.refusal(a, Abort.STEP);
          return unverified != null ? unverified : abortRefusal(a);
        },
        gate::records);
  }

  /** The abort signal handler: refused signatures are recorded, a valid abort is kept. */
  public void abort(Abort a) {
    if (gate.refusedSignature(a, Abort.STEP)) return;
    if (abortRefusal(a) == null) abort = a;
  }

  /** The abort a person sent, or null. */
  public Abort aborted() {
    return abort;
  }

  /** Why {@code a} would not stop the run (signature aside), or null. */
  public String abortRefusal(Abort a) {
    return a == null
        ? "abort is missing"
        : a.by() == null || a.by().isBlank()
            ? "name of who aborts is missing"
            : abort != null ? "already aborted by " + abort.by() : Bounds.refusal(a);
  }

  /**
   * The failure ending an aborted run: "{@code what} by who (why){@code consequence}", noted and
   * typed ABORTED.
   */
  public ApplicationFailure abortFailure(String what, String consequence, Object... details) {
    note("aborted", abort.by() + ": " + abort.reason());
    return fail(
        ApplicationFailure.newNonRetryableFailure(
            what + " by " + abort.by() + " (" + abort.reason() + ")" + consequence,
            ErrorTypes.ABORTED,
            details));
  }

  /** Stops the run here, before {@code where}'s change, when someone aborted it. */
  public void abortIfAsked(String where, Object... details) {
    if (abort != null) throw abortFailure("aborted", " " + where, details);
  }

  // ---- hooks and notices ----

  /** What hooks are told at every point (as DBOPS_<KEY> variables and JSON). */
  public void tellHooks(Supplier<Map<String, String>> data) {
    hookData = data;
  }

  /** Runs the hooks at {@code point}; a failing one asks the approvers (see {@link PhaseHooks}). */
  public void hook(String point) {
    hooks.at(point, gate, hookData.get());
  }

  public PhaseHooks hooks() {
    return hooks;
  }

  public PeopleNotifier people() {
    return people;
  }

  /** Tells the approvers the run waits for them; pass the notice to {@link #responded}. */
  public WaitNotice notifyWaiting(String step, String what, String command) {
    return people.waiting(step, what, gate.approvers(), command);
  }

  public void responded(WaitNotice notice) {
    people.responded(notice);
  }

  /**
   * Runs the procedure's body: a failure escaping it fails the run and, once a changing step has
   * begun, is told to the on-failure hooks.
   */
  public <T> T guard(Supplier<T> body) {
    try {
      return body.get();
    } catch (TemporalFailure f) {
      fail(f);
      if (acting) hooks.onFailure(hookData.get());
      throw f;
    }
  }

  // ---- failures ----

  /** Bad input: non-retryable INVALID_INPUT naming the field. */
  public static ApplicationFailure invalid(String message) {
    return ApplicationFailure.newNonRetryableFailure(message, ErrorTypes.INVALID_INPUT);
  }

  /** Fails the run with invalid input: {@code throw run.invalidInput("field: why")}. */
  public ApplicationFailure invalidInput(String message) {
    return fail(invalid(message));
  }

  /**
   * Marks the run FAILED (once: the first failure is the one noted, an activity's by its
   * application failure), waiting for nothing; returns {@code e} to throw.
   */
  public <E extends RuntimeException> E fail(E e) {
    if (phase != failed && e instanceof ApplicationFailure af)
      note("failed", af.getOriginalMessage());
    else if (phase != failed
        && e instanceof ActivityFailure f
        && f.getCause() instanceof ApplicationFailure af) note("failed", af.getOriginalMessage());
    phase = failed;
    waitingFor = null;
    return e;
  }

  /** The innermost meaningful message of an activity failure (a timeout says it gave up). */
  public static String message(ActivityFailure f) {
    Throwable c = f.getCause();
    while (c != null && c.getCause() != null && !(c instanceof ApplicationFailure))
      c = c.getCause();
    if (c instanceof TimeoutFailure) return "gave up waiting: " + c.getMessage();
    return c instanceof ApplicationFailure af ? af.getOriginalMessage() : String.valueOf(c);
  }

  /** The failure type of {@code f}: its application failure's, WAIT_TIMEOUT for a timeout. */
  public static String failureType(Throwable f) {
    Throwable c = f;
    while (c != null) {
      if (c instanceof ApplicationFailure af) return af.getType();
      if (c instanceof TimeoutFailure) return ErrorTypes.WAIT_TIMEOUT;
      c = c.getCause();
    }
    return ErrorTypes.INVALID_STATE;
  }

  /**
   * A poll that ran out of time: a timeout, or (when the next retry would pass the deadline) its
   * last NOT_READY failure.
   */
  public static boolean ranOutOfTime(ActivityFailure f) {
    return f.getCause() instanceof TimeoutFailure
        || (f.getCause() instanceof ApplicationFailure af
            && ErrorTypes.NOT_READY.equals(af.getType()));
  }

  /** The type of the application failure directly under {@code f}, or null. */
  public static String causeType(ActivityFailure f) {
    return f.getCause() instanceof ApplicationFailure af ? af.getType() : null;
  }
}
