package dev.dbops.workflows.binlog;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * One page of a binlog catch-up's journal, read by a worker: the host running {@code dbops
 * journal} may not reach the replica, the worker does. Not a procedure — the CLI starts one per
 * page and waits for its result.
 */
@WorkflowInterface
public interface JournalExportWorkflow {
  @WorkflowMethod
  JournalPage run(JournalPageRequest request);
}
