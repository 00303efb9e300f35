package dev.dbops.workflows.binlog;

import dev.dbops.workflows.common.Approval;
import dev.dbops.workflows.common.Rejection;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * docs/procedures.md, binlog: binlog catch-up with skip-error handling, then cut-over on approval.
 */
@WorkflowInterface
public interface BinlogCatchUpWorkflow {
  @WorkflowMethod
  BinlogCatchUpResult run(BinlogCatchUpRequest request);

  /** A person's decision on an error outside the policy (skip / retry / abort). */
  @SignalMethod
  void decide(ErrorDecision decision);

  /** Approves the cut-over once caught up. */
  @SignalMethod
  void approve(Approval approval);

  @SignalMethod
  void reject(Rejection rejection);

  @QueryMethod
  BinlogStatus status();
}
