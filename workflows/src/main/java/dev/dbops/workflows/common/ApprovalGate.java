package dev.dbops.workflows.common;

import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Workflow-side approval state shared by every procedure: allow-list, requester may not approve
 * their own run, M-of-N, a timeout that fails the run. Signals are fed in through {@link #approve}
 * / {@link #reject}; refused signals are recorded, never silently dropped. Names compare as {@link
 * ApprovalPolicy} describes (requester and "counted once" trimmed and case-insensitive, the
 * allow-list exact, control characters refused), behind {@link ApprovalPolicy#NAMES_CHANGE} for
 * runs that started before.
 */
public final class ApprovalGate {
  /** Query answering the step the gate waits on (null when none): what a signed approval names. */
  public static final String STEP_QUERY = "dbops.approvalStep";

  /** {@link #STEP_QUERY}, registered by a gate when it first waits. */
  public interface StepQuery {
    @QueryMethod(name = STEP_QUERY)
    String approvalStep();
  }

  private final ApprovalPolicy policy;
  private boolean stepQueryRegistered;
  private final String requestedBy;
  private final List<ApprovalRecord> records = new ArrayList<>();
  private String step;
  private Set<String> approvedBy = new LinkedHashSet<>();
  private Rejection rejection;

  public ApprovalGate(ApprovalPolicy policy, String requestedBy) {
    this.policy = policy == null ? new ApprovalPolicy(List.of(), 1, null) : policy;
    this.requestedBy = requestedBy;
    DecisionUpdates.accept(Approval.DECISION, Approval.class, this::refusalOf, this::records);
    DecisionUpdates.accept(Rejection.DECISION, Rejection.class, this::refusalOf, this::records);
  }

  /**
   * Why {@code a} would be refused now, or null: what {@link #approve} records as refused, and what
   * an approve update's validator answers (without recording anything).
   */
  public String refusalOf(Approval a) {
    String refusal = refusalBeforeCounting(a);
    if (refusal == null
        && (approvedBy.contains(a.by())
            || approvedBy.stream().anyMatch(other -> ApprovalPolicy.samePerson(other, a.by()))
                && ApprovalPolicy.namesFolded())) {
      return "already approved; counted once";
    }
    return refusal;
  }

  /** Why {@code r} would be refused now, or null; as {@link #refusalOf(Approval)}. */
  public String refusalOf(Rejection r) {
    String refusal = SignedSignal.refusal(r, step);
    if (refusal == null) refusal = Bounds.refusal(r);
    if (refusal == null) refusal = refusal(r == null ? null : r.by());
    return refusal;
  }

  private String refusalBeforeCounting(Approval a) {
    String refusal = SignedSignal.refusal(a, step);
    if (refusal == null) refusal = Bounds.refusal(a);
    if (refusal == null) refusal = refusal(a == null ? null : a.by());
    return refusal;
  }

  /** Every approval, rejection and refusal so far, in order. */
  public List<ApprovalRecord> records() {
    return List.copyOf(records);
  }

  /** The step currently waiting for people, or null. */
  public String waitingStep() {
    return step;
  }

  public String waitingDescription() {
    if (step == null) return null;
    return "approval of '"
        + step
        + "' by "
        + policy.requiredOrDefault()
        + " of "
        + policy.approversOrEmpty()
        + " ("
        + approvedBy.size()
        + " so far)";
  }

  /** How long a wait for this gate's approvers lasts. */
  public java.time.Duration timeout() {
    return policy.timeoutOrDefault();
  }

  public List<String> approvers() {
    return policy.approversOrEmpty();
  }

  public void approve(Approval a) {
    String refusal = refusalBeforeCounting(a);
    if (refusal != null) {
      record(a == null ? null : shown(a.by()), refusal, ApprovalRecord.REFUSED);
      return;
    }
    if (!approvedBy.add(a.by()) || !countedOnce(a.by())) {
      record(a.by(), "already approved; counted once", ApprovalRecord.REFUSED);
      return;
    }
    records.add(
        new ApprovalRecord(
            step,
            a.by(),
            a.comment(),
            WorkflowClock.now(),
            ApprovalRecord.APPROVED,
            ApprovalRecord.signerOf(a)));
  }

  public void reject(Rejection r) {
    String refusal = refusalOf(r);
    if (refusal != null) {
      record(r == null ? null : shown(r.by()), refusal, ApprovalRecord.REFUSED);
      return;
    }
    rejection = r;
    records.add(
        new ApprovalRecord(
            step,
            r.by(),
            r.reason(),
            WorkflowClock.now(),
            ApprovalRecord.REJECTED,
            ApprovalRecord.signerOf(r)));
  }

  /** How a wait for approval ended, for steps where "no" or "no answer" is a legitimate outcome. */
  public enum Outcome {
    APPROVED,
    REJECTED,
    TIMED_OUT
  }

  /**
   * Blocks (durably) until enough approvals arrive; throws a non-retryable REJECTED or
   * APPROVAL_TIMEOUT failure otherwise. Never proceeds on timeout.
   */
  public void await(String stepName) {
    Outcome outcome = awaitWithin(stepName, policy.timeoutOrDefault());
    if (outcome == Outcome.REJECTED) {
      throw ApplicationFailure.newNonRetryableFailure(
          "'" + stepName + "' rejected by " + rejection.by() + ": " + rejection.reason(),
          ErrorTypes.REJECTED);
    }
    if (outcome == Outcome.TIMED_OUT) {
      throw ApplicationFailure.newNonRetryableFailure(
          "no approval of '"
              + stepName
              + "' within "
              + policy.timeoutOrDefault()
              + " ("
              + approvedBy.size()
              + " of "
              + policy.requiredOrDefault()
              + " received); nothing was done",
          ErrorTypes.APPROVAL_TIMEOUT);
    }
  }

  /**
   * Waits up to {@code timeout} and says how it ended; the caller decides what a rejection or
   * silence means (e.g. a grace period that ends in action, or a step that is simply skipped).
   */
  public Outcome awaitWithin(String stepName, java.time.Duration timeout) {
    if (!stepQueryRegistered) {
      stepQueryRegistered = true;
      Workflow.registerListener(
          new StepQuery() {
            @Override
            public String approvalStep() {
              return step;
            }
          });
    }
    step = stepName;
    approvedBy = new LinkedHashSet<>();
    rejection = null;
    int needed = policy.requiredOrDefault();
    boolean decided =
        Reminders.await(
            policy, stepName, timeout, () -> rejection != null || approvedBy.size() >= needed);
    step = null;
    if (rejection != null) return Outcome.REJECTED;
    return decided ? Outcome.APPROVED : Outcome.TIMED_OUT;
  }

  /** The rejection that ended the last wait, or null. */
  public Rejection lastRejection() {
    return rejection;
  }

  /** A refused name as recorded: escaped, and cut to {@link Bounds#MAX_NAME} characters. */
  private static String shown(String by) {
    return ApprovalPolicy.printable(Bounds.cut(by, Bounds.MAX_NAME));
  }

  /**
   * Records {@code s} as refused when the worker did not verify its signer or it was signed for
   * another step ({@link SignedSignal#refusal}); a check apart from the name rules below.
   */
  public boolean refusedSignature(SignedSignal s, String signedStep) {
    String refusal = SignedSignal.refusal(s, signedStep);
    if (refusal == null) return false;
    records.add(
        new ApprovalRecord(
            step != null ? step : signedStep,
            shown(s.by()),
            refusal,
            WorkflowClock.now(),
            ApprovalRecord.REFUSED));
    return true;
  }

  private String refusal(String by) {
    if (step == null) return "nothing is waiting for approval";
    if (by == null || by.isBlank()) return "approver name is missing";
    if (ApprovalPolicy.hasControlCharacter(by) && ApprovalPolicy.namesFolded()) {
      return "approver name contains a control character";
    }
    if (by.equals(requestedBy)) return "the requester may not approve their own run";
    if (ApprovalPolicy.samePerson(by, requestedBy) && ApprovalPolicy.namesFolded()) {
      return "the requester may not approve their own run (names compare trimmed and case-insensitively)";
    }
    if (!policy.approversOrEmpty().contains(by)) return by + " is not on the approver list";
    return null;
  }

  /**
   * False when someone already counted under another spelling ({@code alice} then {@code Alice})
   * approves again; {@code by} itself was just added to {@link #approvedBy} and is taken out again.
   */
  private boolean countedOnce(String by) {
    boolean twice =
        approvedBy.stream()
            .anyMatch(other -> !other.equals(by) && ApprovalPolicy.samePerson(other, by));
    if (twice && ApprovalPolicy.namesFolded()) {
      approvedBy.remove(by);
      return false;
    }
    return true;
  }

  private void record(String by, String comment, String outcome) {
    records.add(new ApprovalRecord(step, by, comment, WorkflowClock.now(), outcome));
  }
}
