package dev.dbops.starter;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryRequest;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The history of a run — Temporal's own record of everything it did, which is the audit log — and
 * of the runs it continued (continue-as-new), oldest first.
 */
final class RunHistory {
  /** Runs followed back through continue-as-new; a longer chain is cut (and says so). */
  static final int MAX_RUNS = 100;

  /** One run's events. */
  record Run(String runId, List<HistoryEvent> events) {}

  private RunHistory() {}

  /**
   * The run {@code runId} of {@code workflowId} and every run before it in its continue-as-new
   * chain, oldest first.
   */
  static List<Run> chain(Session session, String workflowId, String runId) {
    List<Run> runs = new ArrayList<>();
    String next = runId;
    while (next != null && !next.isEmpty() && runs.size() < MAX_RUNS) {
      List<HistoryEvent> events = events(session, workflowId, next);
      runs.add(new Run(next, events));
      next =
          events.isEmpty() || !events.get(0).hasWorkflowExecutionStartedEventAttributes()
              ? null
              : events
                  .get(0)
                  .getWorkflowExecutionStartedEventAttributes()
                  .getContinuedExecutionRunId();
    }
    Collections.reverse(runs);
    return runs;
  }

  static List<HistoryEvent> events(Session session, String workflowId, String runId) {
    List<HistoryEvent> events = new ArrayList<>();
    ByteString token = ByteString.EMPTY;
    do {
      GetWorkflowExecutionHistoryResponse page;
      try {
        page =
            session
                .stubs()
                .blockingStub()
                .getWorkflowExecutionHistory(
                    GetWorkflowExecutionHistoryRequest.newBuilder()
                        .setNamespace(session.config().namespace())
                        .setExecution(
                            WorkflowExecution.newBuilder()
                                .setWorkflowId(workflowId)
                                .setRunId(runId))
                        .setNextPageToken(token)
                        .build());
      } catch (StatusRuntimeException e) {
        if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
          throw CliException.invalid(
              "run-id: no run '"
                  + runId
                  + "' of '"
                  + workflowId
                  + "' in namespace '"
                  + session.config().namespace()
                  + "' (its history may be past the namespace's retention)");
        }
        throw e;
      }
      events.addAll(page.getHistory().getEventsList());
      token = page.getNextPageToken();
    } while (!token.isEmpty());
    return events;
  }
}
