package dev.dbops.starter;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dbops.client.TargetLockReader;
import dev.dbops.workflows.catalog.Procedure;
import dev.dbops.workflows.catalog.Procedures;
import dev.dbops.workflows.common.ApprovalPolicy;
import dev.dbops.workflows.common.Printable;
import dev.dbops.workflows.common.TargetLocks;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.query.v1.WorkflowQuery;
import io.temporal.api.workflow.v1.WorkflowExecutionInfo;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.QueryWorkflowRequest;
import io.temporal.api.workflowservice.v1.QueryWorkflowResponse;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.ChildWorkflowFailure;
import io.temporal.failure.TemporalFailure;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Procedure-agnostic operations on runs, through untyped stubs: every procedure has a {@code
 * status} query whose answer has a {@code phase}; which signals ({@code approve}, {@code reject},
 * {@code abort}) it takes is in its {@link Procedure}.
 */
final class Runs {
  static final String STATUS_QUERY = "status";
  static final String APPROVE_SIGNAL = "approve";
  static final String REJECT_SIGNAL = "reject";
  static final String ABORT_SIGNAL = "abort";

  /** Result outcome of a run that finished but failed some of its work. */
  static final String COMPLETED_WITH_FAILURES = "COMPLETED_WITH_FAILURES";

  private final Session session;

  Runs(Session session) {
    this.session = session;
  }

  /** What the server knows about a run, without asking a worker. */
  /**
   * @param taskQueue the run's own task queue (its workers are the ones that reach its databases)
   * @param pendingActivities its activities running or waiting to retry, as the server last heard
   * @param workflowTaskAttempt the attempt of its pending workflow task (0: none pending); above 1
   *     a worker ran the run's code and failed, which is not the same as no worker at all
   */
  record RunInfo(
      String workflowId,
      String runId,
      String workflowType,
      WorkflowExecutionStatus status,
      Instant started,
      Instant closed,
      String taskQueue,
      java.util.List<io.temporal.api.workflow.v1.PendingActivityInfo> pendingActivities,
      int workflowTaskAttempt) {
    boolean running() {
      return status == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING;
    }

    String statusName() {
      return status.name().replace("WORKFLOW_EXECUTION_STATUS_", "");
    }

    Optional<Procedure<?>> procedure() {
      return Procedures.byWorkflowType(workflowType);
    }

    String procedureName() {
      return procedure().map(Procedure::name).orElse(workflowType);
    }
  }

  /** Why a run failed: the failure type (e.g. {@code InvalidInput}) and its message. */
  record Failure(String type, String message) {
    @Override
    public String toString() {
      return Printable.escape(type) + ": " + Printable.escape(message);
    }
  }

  /** A finished run: its result, or why it failed. */
  record Closed(RunInfo info, JsonNode result, Failure failure) {
    String outcome() {
      if (failure != null) return "FAILED";
      return result == null || !result.hasNonNull("outcome")
          ? info.statusName()
          : result.get("outcome").asText();
    }

    boolean succeeded() {
      return failure == null && !COMPLETED_WITH_FAILURES.equals(outcome());
    }
  }

  /**
   * Starts {@code request} under {@code id}; a run already in progress under that id, or on one of
   * the request's targets under any id, is refused. (The run checks its targets again itself, for
   * starts that race this check and for starts from the Temporal UI or a schedule.)
   */
  WorkflowExecution start(Procedure<?> procedure, String id, Object request) {
    for (String target : procedure.targetsOf(request)) {
      TargetLockReader.openHolder(session.client(), TargetLocks.lockId(target))
          .ifPresent(
              h -> {
                throw CliException.invalid(
                    "one open run per target: "
                        + target
                        + " has an open run, "
                        + ApprovalPolicy.printable(h.workflowId())
                        + " (nothing was started); follow it with `./dbops watch "
                        + Shell.quote(h.workflowId())
                        + "`");
              });
    }
    WorkflowStub stub =
        session
            .client()
            .newUntypedWorkflowStub(
                procedure.workflowType(),
                WorkflowOptions.newBuilder()
                    .setWorkflowId(id)
                    .setTaskQueue(session.config().taskQueue())
                    .setStaticSummary(summary(procedure, request))
                    .setStaticDetails(
                        "follow: `./dbops watch "
                            + Shell.quote(id)
                            + "` · status: `./dbops status "
                            + Shell.quote(id)
                            + "`")
                    .build());
    try {
      return stub.start(request);
    } catch (WorkflowExecutionAlreadyStarted e) {
      throw CliException.invalid(
          "id: a run with id '"
              + id
              + "' is already in progress; follow it"
              + " with `./dbops watch "
              + Shell.quote(id)
              + "` or give another --id");
    }
  }

  /**
   * A run's static summary in the Temporal UI (user metadata): its procedure, targets and
   * requester, e.g. {@code upgrade dbops-demo-56, requested by bob}.
   */
  static String summary(Procedure<?> procedure, Object request) {
    String targets = String.join(", ", procedure.targetsOf(request));
    String by = null;
    try {
      Object v = request.getClass().getMethod("requestedBy").invoke(request);
      by = v == null ? null : v.toString();
    } catch (ReflectiveOperationException | RuntimeException e) {
      // a request without a requester
    }
    return Printable.escape(
        procedure.name()
            + (targets.isEmpty() ? "" : " " + targets)
            + (by == null || by.isBlank() ? "" : ", requested by " + by));
  }

  RunInfo describe(String id) {
    try {
      var response =
          session
              .stubs()
              .blockingStub()
              .describeWorkflowExecution(
                  DescribeWorkflowExecutionRequest.newBuilder()
                      .setNamespace(session.config().namespace())
                      .setExecution(WorkflowExecution.newBuilder().setWorkflowId(id))
                      .build());
      WorkflowExecutionInfo i = response.getWorkflowExecutionInfo();
      String queue = response.getExecutionConfig().getTaskQueue().getName();
      return new RunInfo(
          i.getExecution().getWorkflowId(),
          i.getExecution().getRunId(),
          i.getType().getName(),
          i.getStatus(),
          i.hasStartTime() ? toInstant(i.getStartTime()) : null,
          i.hasCloseTime() ? toInstant(i.getCloseTime()) : null,
          queue.isEmpty() ? session.config().taskQueue() : queue,
          response.getPendingActivitiesList(),
          response.hasPendingWorkflowTask() ? response.getPendingWorkflowTask().getAttempt() : 0);
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
        throw CliException.invalid(
            "id: no run with id '"
                + id
                + "' in namespace '"
                + session.config().namespace()
                + "' (see `./dbops list`)");
      }
      throw e;
    }
  }

  /**
   * The newest heartbeat of a running activity of type {@code activityType} (the binlog catch-up's
   * monitor checkpoints in it at every poll): its details as JSON plus {@code heartbeatAt} and
   * {@code attempt}; empty when none is running or it has not heartbeated. Fresher than {@code
   * status()}, which learns of progress when a monitor slice ends (every few minutes); the server
   * keeps a heartbeat at most about 30 s old while the activity runs.
   */
  Optional<JsonNode> activityHeartbeat(RunInfo run, String activityType) {
    for (var a : run.pendingActivities()) {
      if (!a.getActivityType().getName().equals(activityType)
          || !a.hasHeartbeatDetails()
          || a.getHeartbeatDetails().getPayloadsCount() == 0) {
        continue;
      }
      JsonNode details =
          session
              .dataConverter()
              .fromPayloads(
                  0, Optional.of(a.getHeartbeatDetails()), JsonNode.class, JsonNode.class);
      if (!(details instanceof com.fasterxml.jackson.databind.node.ObjectNode o)) continue;
      com.fasterxml.jackson.databind.node.ObjectNode out = o.deepCopy();
      if (a.hasLastHeartbeatTime())
        out.put("heartbeatAt", toInstant(a.getLastHeartbeatTime()).toString());
      out.put("attempt", a.getAttempt());
      return Optional.of(out);
    }
    return Optional.empty();
  }

  /**
   * The run's {@code status()} answer, or empty when no worker answered in time (none running, or
   * the run has not had its first workflow task yet).
   */
  Optional<JsonNode> status(String id) {
    return query(id, STATUS_QUERY);
  }

  /** The answer to query {@code type}, or empty when no worker answers or it rejects the query. */
  Optional<JsonNode> query(String id, String type) {
    QueryWorkflowResponse response;
    try {
      // The raw call, so the deadline is ours: the SDK's query keeps waiting for a worker.
      response =
          session
              .stubs()
              .blockingStub()
              .withDeadlineAfter(Session.QUERY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
              .queryWorkflow(
                  QueryWorkflowRequest.newBuilder()
                      .setNamespace(session.config().namespace())
                      .setExecution(WorkflowExecution.newBuilder().setWorkflowId(id))
                      .setQuery(WorkflowQuery.newBuilder().setQueryType(type))
                      .build());
    } catch (StatusRuntimeException e) {
      Status.Code code = e.getStatus().getCode();
      if (code == Status.Code.UNAVAILABLE) throw e;
      if (code == Status.Code.NOT_FOUND) describe(id); // says which id is unknown
      return Optional.empty();
    }
    if (response.hasQueryRejected() || !response.hasQueryResult()) {
      return Optional.empty();
    }
    return Optional.ofNullable(
        session
            .dataConverter()
            .fromPayloads(
                0, Optional.of(response.getQueryResult()), JsonNode.class, JsonNode.class));
  }

  /** Waits for the run to finish and returns its result or failure. */
  Closed awaitClosed(String id) {
    WorkflowStub stub = stub(id);
    try {
      JsonNode result = stub.getResult(JsonNode.class);
      return new Closed(describe(id), result, null);
    } catch (WorkflowFailedException e) {
      return new Closed(describe(id), null, failure(e.getCause()));
    }
  }

  /**
   * Sends {@code name} as a Workflow Update and returns what the run recorded (a JSON null when it
   * recorded nothing), or empty when the run's worker does not know the update (a worker from
   * before updates: send the signal instead). A refusal by the run's validator is answered at once
   * and exits 2 with the run's reason; nothing was recorded.
   */
  Optional<JsonNode> update(String id, String name, Object argument) {
    Updated u = tryUpdate(id, name, argument);
    if (u.refusal() != null) {
      throw CliException.invalid(
          NOUNS.getOrDefault(name, name) + " refused by the run: " + Printable.escape(u.refusal()));
    }
    return u.record();
  }

  /**
   * As {@link #update}, but a refusal comes back as the record a refused signal leaves ({@code by},
   * {@code comment} = the run's reason, {@code outcome} = refused), for callers that report both
   * paths alike.
   */
  Optional<JsonNode> updateOrRefusal(String id, String name, Object argument, String by) {
    Updated u = tryUpdate(id, name, argument);
    if (u.refusal() == null) return u.record();
    return Optional.of(
        Render.MAPPER
            .createObjectNode()
            .put("by", by)
            .put("comment", u.refusal())
            .put("outcome", dev.dbops.workflows.common.ApprovalRecord.REFUSED));
  }

  /** The run's record (empty: a worker from before updates), or the validator's refusal. */
  private record Updated(Optional<JsonNode> record, String refusal) {}

  private Updated tryUpdate(String id, String name, Object argument) {
    try {
      JsonNode record = stub(id).update(name, JsonNode.class, argument);
      return new Updated(
          Optional.of(
              record == null ? com.fasterxml.jackson.databind.node.NullNode.getInstance() : record),
          null);
    } catch (WorkflowNotFoundException e) {
      throw CliException.invalid(
          "id: run '" + id + "' is not running (see `./dbops status " + Shell.quote(id) + "`)");
    } catch (WorkflowUpdateException e) {
      String reason =
          e.getCause() instanceof ApplicationFailure af
              ? af.getOriginalMessage()
              : String.valueOf(e.getCause());
      if (reason != null && reason.startsWith(UNKNOWN_UPDATE)) {
        return new Updated(Optional.empty(), null);
      }
      return new Updated(Optional.empty(), String.valueOf(reason));
    }
  }

  private static final java.util.Map<String, String> NOUNS =
      java.util.Map.of("approve", "approval", "reject", "rejection", "decide", "decision");

  /** How the SDK answers an update no handler knows (a worker from before updates). */
  static final String UNKNOWN_UPDATE = "Unknown update name";

  void signal(String id, String signal, Object argument) {
    try {
      stub(id).signal(signal, argument);
    } catch (WorkflowNotFoundException e) {
      throw CliException.invalid(
          "id: run '" + id + "' is not running (see `./dbops status " + Shell.quote(id) + "`)");
    }
  }

  void cancel(String id) {
    try {
      stub(id).cancel();
    } catch (WorkflowNotFoundException e) {
      throw CliException.invalid("id: run '" + id + "' is not running");
    }
  }

  private WorkflowStub stub(String id) {
    return session.client().newUntypedWorkflowStub(id, Optional.empty(), Optional.empty());
  }

  static Failure failure(Throwable cause) {
    if (cause instanceof ApplicationFailure af) {
      return new Failure(af.getType(), af.getOriginalMessage());
    }
    // A run that let an activity's typed failure end it (e.g. a non-retryable AccessDenied): the
    // typed failure is the answer, not the "Activity task failed" wrapper around it.
    if ((cause instanceof ActivityFailure || cause instanceof ChildWorkflowFailure)
        && cause.getCause() instanceof ApplicationFailure af) {
      return new Failure(af.getType(), af.getOriginalMessage());
    }
    if (cause instanceof TemporalFailure tf) {
      String type = tf.getClass().getSimpleName().replace("Failure", "");
      String message = tf.getOriginalMessage();
      Throwable inner = tf.getCause();
      if (inner instanceof ApplicationFailure af) {
        message =
            (message == null || message.isBlank() ? "" : message + ": ")
                + af.getType()
                + ": "
                + af.getOriginalMessage();
      }
      return new Failure(type, message);
    }
    return new Failure("Unknown", cause == null ? "no details" : cause.getMessage());
  }

  private static Instant toInstant(com.google.protobuf.Timestamp t) {
    return Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
  }
}
