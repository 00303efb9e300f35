package dev.dbops.workflows.common;

import java.util.ArrayList;
import java.util.List;

/**
 * A procedure's steps in order, declared once: the run executes them ({@link ProcedureRun#step})
 * and the dry run renders them ({@link #plan}), so the plan cannot drift from the code.
 */
public final class Runbook<P extends Enum<P>, C> {
  private final List<Step<P, C>> steps;

  private Runbook(List<Step<P, C>> steps) {
    this.steps = List.copyOf(steps);
  }

  @SafeVarargs
  public static <P extends Enum<P>, C> Runbook<P, C> of(Step<P, C>... steps) {
    return new Runbook<>(List.of(steps));
  }

  public List<Step<P, C>> steps() {
    return steps;
  }

  /** The dry run: every applicable step's plan lines, in order. */
  public List<PlanStep> plan(C context) {
    List<PlanStep> out = new ArrayList<>();
    for (Step<P, C> s : steps) out.addAll(s.plan(context));
    return out;
  }

  /** Names of the steps that apply to {@code context}, in order: what a full run goes through. */
  public List<String> stepNames(C context) {
    return steps.stream().filter(s -> s.appliesTo(context)).map(Step::name).toList();
  }
}
