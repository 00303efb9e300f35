package dev.dbops.workflows.common;

import io.temporal.workflow.Workflow;
import java.time.Instant;

/** Replay-safe timestamps for status and audit records. */
public final class WorkflowClock {
  private WorkflowClock() {}

  public static String now() {
    return Instant.ofEpochMilli(Workflow.currentTimeMillis()).toString();
  }
}
