package dev.dbops.worker;

import dev.dbops.workflows.common.ErrorTypes;
import dev.dbops.workflows.common.LockHolder;
import dev.dbops.workflows.common.TargetLockActivities;
import dev.dbops.workflows.common.TargetLockInterceptor;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionDescription;
import io.temporal.client.WorkflowNotFoundException;
import java.util.Optional;

/**
 * Reads locks and their holders from Temporal (describe calls only): for the locks themselves
 * and, through {@link #openHolder}, for the CLI's check before a start.
 */
public final class TargetLockActivitiesImpl implements TargetLockActivities {
  private final WorkflowClient client;

  public TargetLockActivitiesImpl(WorkflowClient client) {
    this.client = client;
  }

  @Override
  public void awaitHolderClosed(LockHolder holder) {
    Optional<WorkflowExecutionDescription> d = describe(holder.workflowId());
    // The same workflow id may have been reused by a later chain: only the holder's own counts.
    if (d.isPresent() && isChainOf(holder, d.get())
        && d.get().getStatus() == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING) {
      throw ErrorTypes.notReady("holder " + holder.workflowId() + " is still open");
    }
  }

  @Override
  public LockHolder holderOf(String lockId) {
    return openHolder(client, lockId).orElse(null);
  }

  /**
   * The open run holding {@code lockId}; empty when the target is free, or about to be: a lock
   * outlives its holder by the moment it takes to see it closed, and a later run reusing the
   * holder's workflow id (its first run id differs) is not the holder.
   */
  public static Optional<LockHolder> openHolder(WorkflowClient client, String lockId) {
    return describe(client, lockId)
        .filter(d -> d.getStatus() == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING)
        .map(d -> {
          Object holder = d.getMemo(TargetLockInterceptor.MEMO_HOLDER, String.class);
          Object firstRun = d.getMemo(TargetLockInterceptor.MEMO_HOLDER_FIRST_RUN, String.class);
          String id = holder != null ? holder.toString()
              : d.getParentExecution() != null ? d.getParentExecution().getWorkflowId() : "?";
          return new LockHolder(null, id, firstRun == null ? null : firstRun.toString(), null);
        })
        .filter(h -> describe(client, h.workflowId()).map(d -> isChainOf(h, d)
            && d.getStatus() == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING).orElse(false));
  }

  /** Whether {@code d} (the latest run of the holder's workflow id) belongs to the holder's chain. */
  private static boolean isChainOf(LockHolder holder, WorkflowExecutionDescription d) {
    String first = d.getFirstRunId();
    return first == null || first.isEmpty() || holder.firstRunId() == null || first.equals(holder.firstRunId());
  }

  private Optional<WorkflowExecutionDescription> describe(String workflowId) {
    return describe(client, workflowId);
  }

  private static Optional<WorkflowExecutionDescription> describe(WorkflowClient client, String workflowId) {
    try {
      return Optional.of(client.newUntypedWorkflowStub(workflowId).describe());
    } catch (WorkflowNotFoundException e) {
      return Optional.empty();
    }
  }
}
