package dev.dbops.workflows.common;

import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Operator hooks at a procedure's named phases, with gh-ost's semantics: a failing hook stops the
 * procedure there and asks a person — approve to go on anyway, reject (or no answer) to stop. The
 * {@code on-failure} phase only informs: its own failure changes nothing. Versioned, so runs
 * recorded before hooks existed replay without them.
 */
public final class PhaseHooks {
  static final String CHANGE = "phase-hooks";
  public static final String ON_FAILURE = "on-failure";

  private final HookActivities hooks =
      Workflow.newLocalActivityStub(HookActivities.class, ActivityStubs.LOCAL_HOOK);
  private final String procedure;
  private final PeopleNotifier people;
  private final BiConsumer<String, String> timeline;
  private final List<String> warnings;
  private final List<HookReport.HookRun> runs = new ArrayList<>();
  private Boolean enabled;

  public PhaseHooks(
      String procedure,
      PeopleNotifier people,
      BiConsumer<String, String> timeline,
      List<String> warnings) {
    this.procedure = procedure;
    this.people = people;
    this.timeline = timeline;
    this.warnings = warnings;
  }

  private boolean enabled() {
    if (enabled == null) enabled = Workflow.getVersion(CHANGE, Workflow.DEFAULT_VERSION, 1) == 1;
    return enabled;
  }

  /** Every hook that ran in this run, in order (for the audit trail). */
  public List<HookReport.HookRun> runs() {
    return List.copyOf(runs);
  }

  /**
   * Runs the phase's hooks. When one fails, the gate's approvers decide: approve → the run goes on,
   * reject or the gate's timeout → a non-retryable HOOK_FAILED. With no approvers to ask the run
   * stops at once.
   */
  public void at(String phase, ApprovalGate gate, Map<String, String> data) {
    if (!enabled()) return;
    HookReport report = run(phase, data);
    if (!report.failed()) return;
    HookReport.HookRun f = report.failure();
    String what =
        "hook "
            + f.hook()
            + " at "
            + phase
            + " failed (exit "
            + f.exitCode()
            + ")"
            + (f.outputTail() == null || f.outputTail().isBlank()
                ? ""
                : ": " + f.outputTail().strip());
    timeline.accept("hook failed", what);
    if (gate.approvers().isEmpty()) {
      throw ApplicationFailure.newNonRetryableFailure(
          what + "; no approvers to ask, so the run stops here", ErrorTypes.HOOK_FAILED);
    }
    String step = "go on after failed hook " + phase;
    WaitNotice notice =
        people.waiting(
            step,
            what + "; approve to go on anyway, reject to stop",
            gate.approvers(),
            "./dbops approve "
                + Workflow.getInfo().getWorkflowId()
                + " --by <name>   (or reject … --reason <why>)");
    ApprovalGate.Outcome outcome;
    try {
      outcome = gate.awaitWithin(step, gate.timeout());
    } finally {
      people.responded(notice);
    }
    if (outcome == ApprovalGate.Outcome.APPROVED) {
      timeline.accept("hook failure accepted", phase + ": approved to go on");
      return;
    }
    String why =
        outcome == ApprovalGate.Outcome.REJECTED
            ? "stopped by " + gate.lastRejection().by() + " (" + gate.lastRejection().reason() + ")"
            : "nobody answered within " + gate.timeout();
    throw ApplicationFailure.newNonRetryableFailure(what + "; " + why, ErrorTypes.HOOK_FAILED);
  }

  /** The procedure failed: tell the hooks (e.g. leave maintenance mode); never throws. */
  public void onFailure(Map<String, String> data) {
    inform(ON_FAILURE, data);
  }

  /**
   * Tells the hooks of a phase that only informs (on-failure, after-revert): their failure is a
   * warning and changes nothing; never throws, and runs even while the run is being cancelled.
   */
  public void inform(String phase, Map<String, String> data) {
    if (!enabled()) return;
    Workflow.newDetachedCancellationScope(
            () -> {
              HookReport report = run(phase, data);
              if (report.failed())
                warnings.add(
                    phase
                        + " hook "
                        + report.failure().hook()
                        + " failed (exit "
                        + report.failure().exitCode()
                        + ")");
            })
        .run();
  }

  private HookReport run(String phase, Map<String, String> data) {
    Map<String, String> clean = new LinkedHashMap<>();
    data.forEach((k, v) -> clean.put(k, v == null ? "" : v));
    HookReport report;
    try {
      report =
          hooks.runHooks(new HookCall(procedure, phase, Workflow.getInfo().getWorkflowId(), clean));
    } catch (ActivityFailure e) {
      String m =
          e.getCause() instanceof ApplicationFailure af
              ? af.getOriginalMessage()
              : String.valueOf(e.getCause());
      report = new HookReport(List.of(new HookReport.HookRun("(hook runner)", false, -1, m, 0)));
    }
    List<HookReport.HookRun> ran = report.runs() == null ? List.of() : report.runs();
    runs.addAll(ran);
    if (!ran.isEmpty() && !report.failed()) {
      timeline.accept(
          "hooks " + phase, String.join(", ", ran.stream().map(HookReport.HookRun::hook).toList()));
    }
    return report;
  }
}
