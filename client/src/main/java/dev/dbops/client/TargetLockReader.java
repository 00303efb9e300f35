package dev.dbops.client;

import dev.dbops.workflows.common.LockHolder;
import dev.dbops.workflows.common.TargetLockInterceptor;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionDescription;
import io.temporal.client.WorkflowNotFoundException;
import java.util.Optional;

/**
 * Reads a target's lock and its holder from Temporal (describe calls only): for the CLI's check
 * before a start and for the lock workflows' activities in the worker.
 */
public final class TargetLockReader {
  private TargetLockReader() {}

  /**
   * The open run holding {@code lockId}; empty when the target is free, or about to be: a lock
   * outlives its holder by the moment it takes to see it closed, and a later run reusing the
   * holder's workflow id (its first run id differs) is not the holder.
   */
  public static Optional<LockHolder> openHolder(WorkflowClient client, String lockId) {
    return describe(client, lockId)
        .filter(d -> d.getStatus() == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING)
        .map(
            d -> {
              Object holder = d.getMemo(TargetLockInterceptor.MEMO_HOLDER, String.class);
              Object firstRun =
                  d.getMemo(TargetLockInterceptor.MEMO_HOLDER_FIRST_RUN, String.class);
              String id =
                  holder != null
                      ? holder.toString()
                      : d.getParentExecution() != null
                          ? d.getParentExecution().getWorkflowId()
                          : "?";
              return new LockHolder(null, id, firstRun == null ? null : firstRun.toString(), null);
            })
        .filter(
            h ->
                describe(client, h.workflowId())
                    .map(
                        d ->
                            isChainOf(h, d)
                                && d.getStatus()
                                    == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING)
                    .orElse(false));
  }

  /**
   * Whether {@code d} (the latest run of the holder's workflow id) belongs to the holder's chain.
   */
  public static boolean isChainOf(LockHolder holder, WorkflowExecutionDescription d) {
    String first = d.getFirstRunId();
    return first == null
        || first.isEmpty()
        || holder.firstRunId() == null
        || first.equals(holder.firstRunId());
  }

  public static Optional<WorkflowExecutionDescription> describe(
      WorkflowClient client, String workflowId) {
    try {
      return Optional.of(client.newUntypedWorkflowStub(workflowId).describe());
    } catch (WorkflowNotFoundException e) {
      return Optional.empty();
    }
  }
}
