package dev.dbops.workflows.common;

import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * One step of a procedure, declared once: the phase {@code status()} reports while it runs, the
 * operator hooks around it, whether it changes anything, and the plan lines (exact API calls / SQL)
 * the dry run shows for it. {@link ProcedureRun#step} runs it; {@link Runbook#plan} renders it.
 *
 * @param <P> the procedure's phase enum
 * @param <C> what the plan lines are rendered from (request and read-only facts)
 */
public final class Step<P extends Enum<P>, C> {
  private final String name;
  private final P phase;
  private final String hookBefore;
  private final String hookAfter;
  private final boolean changes;
  private final Predicate<C> when;
  private final Function<C, List<PlanStep>> lines;

  private Step(
      String name,
      P phase,
      String hookBefore,
      String hookAfter,
      boolean changes,
      Predicate<C> when,
      Function<C, List<PlanStep>> lines) {
    this.name = name;
    this.phase = phase;
    this.hookBefore = hookBefore;
    this.hookAfter = hookAfter;
    this.changes = changes;
    this.when = when;
    this.lines = lines;
  }

  /** A step shown in the plan as one line: its name, the call it makes, and for what. */
  public static <P extends Enum<P>, C> Step<P, C> of(
      String name, P phase, Function<C, String> call, Function<C, String> detail) {
    return new Step<>(
        name,
        phase,
        null,
        null,
        false,
        c -> true,
        c -> List.of(new PlanStep(name, call.apply(c), detail.apply(c))));
  }

  /** A step whose plan is several lines (e.g. one per batch). */
  public static <P extends Enum<P>, C> Step<P, C> lines(
      String name, P phase, Function<C, List<PlanStep>> lines) {
    return new Step<>(name, phase, null, null, false, c -> true, lines);
  }

  /**
   * The approval wait: shown as "wait for signal approve", M of the approvers within the timeout.
   */
  public static <P extends Enum<P>, C> Step<P, C> approval(
      String name, P phase, Function<C, ApprovalPolicy> policy) {
    return of(
        name,
        phase,
        c -> "wait for signal approve",
        c ->
            policy.apply(c).requiredOrDefault()
                + " of "
                + policy.apply(c).approversOrEmpty()
                + " within "
                + policy.apply(c).timeoutOrDefault());
  }

  /** Operator hooks run at {@code point} before the step (a failing one asks a person). */
  public Step<P, C> hookBefore(String point) {
    return new Step<>(name, phase, point, hookAfter, changes, when, lines);
  }

  /** Operator hooks run at {@code point} after the step succeeded. */
  public Step<P, C> hookAfter(String point) {
    return new Step<>(name, phase, hookBefore, point, changes, when, lines);
  }

  /**
   * The step changes something: from its start a failure of the run is told to the on-failure
   * hooks.
   */
  public Step<P, C> changes() {
    return new Step<>(name, phase, hookBefore, hookAfter, true, when, lines);
  }

  /** Shown in the plan (and expected to run) only when {@code condition} holds. */
  public Step<P, C> when(Predicate<C> condition) {
    return new Step<>(name, phase, hookBefore, hookAfter, changes, condition, lines);
  }

  public String name() {
    return name;
  }

  public P phase() {
    return phase;
  }

  public String hookBefore() {
    return hookBefore;
  }

  public String hookAfter() {
    return hookAfter;
  }

  public boolean isChange() {
    return changes;
  }

  public boolean appliesTo(C context) {
    return when.test(context);
  }

  /** The plan lines of this step for {@code context}; none when it does not apply. */
  public List<PlanStep> plan(C context) {
    return appliesTo(context) ? lines.apply(context) : List.of();
  }

  @Override
  public String toString() {
    return name;
  }
}
