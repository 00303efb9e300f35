package dev.dbops.workflows.common;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Holds one target for one run (see {@link TargetLockInterceptor}): open while the run is. Its id
 * is {@link TargetLocks#lockId}, so Temporal itself refuses a second holder while it runs.
 */
@WorkflowInterface
public interface TargetLockWorkflow {
  /** Returns once the holder releases the target or is seen closed (cancelled, terminated, timed out). */
  @WorkflowMethod
  void hold(LockHolder holder);

  /** The holder is done with the target; from anyone else it is ignored. */
  @SignalMethod
  void release(String holderWorkflowId);

  @QueryMethod
  LockHolder holder();
}
