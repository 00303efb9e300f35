package dev.dbops.workflows.binlog;

import dev.dbops.workflows.common.ActivityStubs;
import dev.dbops.workflows.common.ErrorTypes;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Workflow;
import java.util.List;

public class JournalExportWorkflowImpl implements JournalExportWorkflow {
  private final ReplicationActivities replication =
      Workflow.newActivityStub(ReplicationActivities.class, ActivityStubs.JOURNAL_PAGE);

  @Override
  public JournalPage run(JournalPageRequest request) {
    if (request == null)
      throw ApplicationFailure.newNonRetryableFailure("request: missing", ErrorTypes.INVALID_INPUT);
    List<String> problems = request.problems();
    if (!problems.isEmpty()) {
      throw ApplicationFailure.newNonRetryableFailure(
          String.join("; ", problems), ErrorTypes.INVALID_INPUT);
    }
    return replication.journalPage(request);
  }
}
