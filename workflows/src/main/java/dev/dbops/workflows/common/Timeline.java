package dev.dbops.workflows.common;

import java.util.ArrayList;
import java.util.List;

/** A run's timeline in workflow time, shared by status() and the result. */
public final class Timeline {
  private final List<StepRecord> steps = new ArrayList<>();

  public void add(String step, String detail) {
    steps.add(new StepRecord(step, WorkflowClock.now(), detail));
  }

  /** Lines recorded by an earlier run (continue-as-new), kept in front. */
  public void addAll(List<StepRecord> earlier) {
    if (earlier != null) steps.addAll(earlier);
  }

  public List<StepRecord> steps() {
    return List.copyOf(steps);
  }
}
