package dev.dbops.workflows.upgrade;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** DESIGN 4.1 step 8: restore the pre-upgrade snapshot into a new cluster with instances. */
@WorkflowInterface
public interface UpgradeRollbackWorkflow {
  @WorkflowMethod
  RollbackResult run(RollbackRequest request);

  @QueryMethod
  RollbackStatus status();
}
