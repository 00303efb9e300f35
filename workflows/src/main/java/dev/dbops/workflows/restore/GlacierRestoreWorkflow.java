package dev.dbops.workflows.restore;

import dev.dbops.workflows.common.Approval;
import dev.dbops.workflows.common.Rejection;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * docs/procedures.md, glacier: restore objects from Glacier / Deep Archive, wait with flat history,
 * deliver.
 */
@WorkflowInterface
public interface GlacierRestoreWorkflow {
  @WorkflowMethod
  GlacierRestoreResult run(GlacierRestoreRequest request);

  @SignalMethod
  void approve(Approval approval);

  @SignalMethod
  void reject(Rejection rejection);

  @QueryMethod
  GlacierRestoreStatus status();
}
