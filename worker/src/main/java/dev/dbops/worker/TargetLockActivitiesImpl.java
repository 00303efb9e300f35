package dev.dbops.worker;

import dev.dbops.client.TargetLockReader;
import dev.dbops.workflows.common.ErrorTypes;
import dev.dbops.workflows.common.LockHolder;
import dev.dbops.workflows.common.TargetLockActivities;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionDescription;
import java.util.Optional;

/**
 * Reads locks and their holders from Temporal for the lock workflows (describe calls only, through
 * {@link TargetLockReader}, which the CLI uses for its check before a start).
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
    if (d.isPresent()
        && TargetLockReader.isChainOf(holder, d.get())
        && d.get().getStatus() == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING) {
      throw ErrorTypes.notReady("holder " + holder.workflowId() + " is still open");
    }
  }

  @Override
  public LockHolder holderOf(String lockId) {
    return TargetLockReader.openHolder(client, lockId).orElse(null);
  }

  private Optional<WorkflowExecutionDescription> describe(String workflowId) {
    return TargetLockReader.describe(client, workflowId);
  }
}
