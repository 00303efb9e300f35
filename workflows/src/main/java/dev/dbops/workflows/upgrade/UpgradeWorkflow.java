package dev.dbops.workflows.upgrade;

import dev.dbops.workflows.common.Abort;
import dev.dbops.workflows.common.Approval;
import dev.dbops.workflows.common.Rejection;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** docs/procedures.md, upgrade: in-place Aurora MySQL 5.6 → 5.7 upgrade. */
@WorkflowInterface
public interface UpgradeWorkflow {
  @WorkflowMethod
  UpgradeResult run(UpgradeRequest request);

  @SignalMethod
  void approve(Approval approval);

  @SignalMethod
  void reject(Rejection rejection);

  /** Stop waiting (e.g. an upgrade past its threshold); the run fails as ABORTED. */
  @SignalMethod
  void abort(Abort abort);

  @QueryMethod
  UpgradeStatus status();
}
