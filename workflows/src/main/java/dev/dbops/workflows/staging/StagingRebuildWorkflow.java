package dev.dbops.workflows.staging;

import dev.dbops.workflows.common.Approval;
import dev.dbops.workflows.common.Rejection;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * docs/procedures.md, staging: snapshot production, share it, restore it in the staging account,
 * mask it, repoint the staging CNAME, retire the previous staging cluster.
 */
@WorkflowInterface
public interface StagingRebuildWorkflow {
  @WorkflowMethod
  StagingRebuildResult run(StagingRebuildRequest request);

  /** Retire the old staging cluster (at once, during a grace period). */
  @SignalMethod
  void approve(Approval approval);

  /** Keep the old staging cluster. */
  @SignalMethod
  void reject(Rejection rejection);

  @QueryMethod
  StagingStatus status();
}
