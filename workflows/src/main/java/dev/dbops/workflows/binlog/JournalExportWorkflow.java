package dev.dbops.workflows.binlog;

import dev.dbops.workflows.common.ActivityStubs;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.time.Duration;

/**
 * One page of a binlog catch-up's journal, read by a worker: the host running {@code dbops journal}
 * may not reach the replica, the worker does. Not a procedure — the CLI starts one per page and
 * waits for its result.
 *
 * <p>Bounded, because a person waits for it: the page activity gives up within {@link
 * ActivityStubs#JOURNAL_PAGE_WITHIN} (a replica that is gone fails it with the reason), and whoever
 * starts one sets {@link #RUN_TIMEOUT} as its run timeout and terminates it when it stops waiting,
 * so none outlives the command that asked for it.
 */
@WorkflowInterface
public interface JournalExportWorkflow {
  /** The run timeout of one page's workflow: its activity's bound and a little for scheduling. */
  Duration RUN_TIMEOUT = ActivityStubs.JOURNAL_PAGE_WITHIN.plusSeconds(5);

  @WorkflowMethod
  JournalPage run(JournalPageRequest request);
}
