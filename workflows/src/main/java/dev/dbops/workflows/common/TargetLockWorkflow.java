package dev.dbops.workflows.common;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Holds one target for one run (see {@link TargetLockInterceptor}): open while the run is. Its id
 * is {@link TargetLocks#lockId}, so Temporal itself refuses a second holder while it runs.
 */
@WorkflowInterface
public interface TargetLockWorkflow {
  /**
   * Returns once the holder's chain is seen closed (completed, failed, cancelled, terminated, timed
   * out).
   */
  @WorkflowMethod
  void hold(LockHolder holder);

  @QueryMethod
  LockHolder holder();
}
