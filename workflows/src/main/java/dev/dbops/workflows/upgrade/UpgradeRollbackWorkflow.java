package dev.dbops.workflows.upgrade;

import dev.dbops.workflows.common.Approval;
import dev.dbops.workflows.common.Rejection;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * docs/procedures.md, upgrade step 8: restore the pre-upgrade snapshot into a new cluster with
 * instances and, after an approval, repoint the private CNAME to it.
 */
@WorkflowInterface
public interface UpgradeRollbackWorkflow {
  @WorkflowMethod
  RollbackResult run(RollbackRequest request);

  /** Approves the CNAME repoint (runs that name a CNAME only). */
  @SignalMethod
  void approve(Approval approval);

  @SignalMethod
  void reject(Rejection rejection);

  @QueryMethod
  RollbackStatus status();
}
