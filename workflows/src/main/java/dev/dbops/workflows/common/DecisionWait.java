package dev.dbops.workflows.common;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A wait for one person's decision (binlog catch-up's {@code decide} on a replication error),
 * beside {@link ApprovalGate}: the same name rules (an approver, never the requester, no control
 * characters), the procedure's own rule on the decision, every decision and refusal recorded, the
 * signal and the update answered by one rule ({@link DecisionUpdates}), and the wait itself in
 * {@link #await}, told to the approvers ({@link PeopleNotifier}) and bounded by a timeout.
 *
 * @param <T> the decision's signal payload
 */
public final class DecisionWait<T extends SignedSignal> {
  private final String name;
  private final Class<T> type;
  private final String nothingWaiting;
  private final Function<T, String> rule;
  private final Function<T, String> outcome;
  private final List<ApprovalRecord> records = new ArrayList<>();
  private ApprovalPolicy policy = new ApprovalPolicy(List.of(), 1, null);
  private String requestedBy;
  private boolean open;
  private T decision;

  /**
   * @param name the signal and update name, and the step a decision is signed for
   * @param nothingWaiting the refusal while no wait is open
   * @param rule the procedure's own refusal of a decision (e.g. an unknown action), or null
   * @param outcome what an accepted decision's record says as its outcome
   */
  public DecisionWait(
      String name,
      Class<T> type,
      String nothingWaiting,
      Function<T, String> rule,
      Function<T, String> outcome) {
    this.name = name;
    this.type = type;
    this.nothingWaiting = nothingWaiting;
    this.rule = rule;
    this.outcome = outcome;
  }

  /** Takes decisions for the run {@code requestedBy} asked for, from {@code policy}'s approvers. */
  public void accept(ApprovalPolicy policy, String requestedBy) {
    if (policy != null) this.policy = policy;
    this.requestedBy = requestedBy;
    DecisionUpdates.accept(
        name,
        type,
        d -> {
          String unverified = SignedSignal.refusal(d, name);
          return unverified != null ? unverified : refusalOf(d);
        },
        this::records);
  }

  /** Decisions recorded by an earlier run (continue-as-new), kept in front. */
  public void carry(List<ApprovalRecord> earlier) {
    if (earlier != null) records.addAll(earlier);
  }

  /**
   * Tells the approvers, waits up to {@code timeout} for a decision and says that the wait ended;
   * returns the decision, or null when nobody decided in time.
   */
  public T await(ProcedureRun<?> run, String step, String what, String command, Duration timeout) {
    decision = null;
    open = true;
    WaitNotice n = run.notifyWaiting(step, what, command);
    boolean decided = Reminders.await(run.people(), n, policy, timeout, () -> decision != null);
    run.responded(n);
    open = false;
    return decided ? decision : null;
  }

  /** The signal handler: a refused decision is recorded as such, an accepted one ends the wait. */
  public void offer(T d) {
    String unverified = SignedSignal.refusal(d, name);
    if (unverified != null) {
      records.add(
          new ApprovalRecord(
              name,
              ApprovalPolicy.printable(d.by()),
              unverified,
              WorkflowClock.now(),
              ApprovalRecord.REFUSED));
      return;
    }
    String refusal = refusalOf(d);
    String by = d == null ? null : ApprovalPolicy.printable(Bounds.cut(d.by(), Bounds.MAX_NAME));
    if (refusal != null) {
      records.add(
          new ApprovalRecord(name, by, refusal, WorkflowClock.now(), ApprovalRecord.REFUSED));
      return;
    }
    records.add(
        new ApprovalRecord(
            d.decision(),
            by,
            d.text(),
            WorkflowClock.now(),
            outcome.apply(d),
            ApprovalRecord.signerOf(d)));
    decision = d;
  }

  /**
   * Why {@code d} would be refused now (signature aside), or null: the handler's and the update's.
   */
  public String refusalOf(T d) {
    if (d == null) return "decision is missing";
    if (Bounds.refusal(d) != null) return Bounds.refusal(d);
    if (!open || decision != null) return nothingWaiting;
    String own = rule == null ? null : rule.apply(d);
    if (own != null) return own;
    if (d.by() == null || d.by().isBlank()) return "name of who decides is missing";
    // Folded comparisons only where they disagree with the exact ones, so older runs replay as
    // they ran.
    if (ApprovalPolicy.hasControlCharacter(d.by()) && ApprovalPolicy.namesFolded())
      return "name of who decides has a control character";
    if (d.by().equals(requestedBy)
        || ApprovalPolicy.samePerson(d.by(), requestedBy) && ApprovalPolicy.namesFolded())
      return "the requester may not decide on their own run";
    if (!policy.approversOrEmpty().contains(d.by())) return d.by() + " is not on the approver list";
    return null;
  }

  /** Every decision and refusal so far, in order. */
  public List<ApprovalRecord> records() {
    return List.copyOf(records);
  }
}
