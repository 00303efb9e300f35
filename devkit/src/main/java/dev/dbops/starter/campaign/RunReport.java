package dev.dbops.starter.campaign;

import java.time.Duration;
import java.util.List;

/**
 * How one run went.
 *
 * @param outcome COMPLETED, or FAILED with the failure type, or what stopped the campaign from
 *     finishing the run
 * @param killNote where the worker actually died (phase, journal rows, …), or "-"
 * @param effects the side effects counted, e.g. {@code RestoreObject 3×1}
 * @param duplicates side effects that happened more than once
 * @param problems everything that broke, one line each (empty: the run passed)
 */
public record RunReport(
    RunPlan plan,
    String workflowId,
    String outcome,
    Duration took,
    String killNote,
    List<String> effects,
    int duplicates,
    String approvals,
    List<String> problems) {

  public RunReport {
    effects = List.copyOf(effects);
    problems = List.copyOf(problems);
  }

  public boolean completed() {
    return "COMPLETED".equals(outcome);
  }

  public boolean passed() {
    return completed() && duplicates == 0 && problems.isEmpty();
  }
}
