package dev.dbops.workflows.migration;

import dev.dbops.workflows.common.Abort;
import dev.dbops.workflows.common.Approval;
import dev.dbops.workflows.common.Rejection;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * docs/procedures.md, migration: RDS MySQL instance → Aurora MySQL through an Aurora read replica
 * cluster, promoted at a cut-over with writes stopped, the private CNAME switched to it; the source
 * instance is kept.
 */
@WorkflowInterface
public interface AuroraMigrationWorkflow {
  @WorkflowMethod
  MigrationResult run(MigrationRequest request);

  /** Approve the source upgrade, the cut-over, or going on after a failed hook. */
  @SignalMethod
  void approve(Approval approval);

  @SignalMethod
  void reject(Rejection rejection);

  /**
   * While the replica catches up: stop (the run fails as ABORTED; the source untouched, the replica
   * cluster kept). In the revert window after completion: put the CNAME back on the source.
   */
  @SignalMethod
  void abort(Abort abort);

  @QueryMethod
  MigrationStatus status();
}
