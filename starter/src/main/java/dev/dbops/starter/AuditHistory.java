package dev.dbops.starter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.dbops.workflows.binlog.ReplicationActivities;
import dev.dbops.workflows.catalog.Procedures;
import dev.dbops.workflows.common.HookActivities;
import dev.dbops.workflows.common.NotifyActivities;
import dev.dbops.workflows.restore.S3RestoreActivities;
import dev.dbops.workflows.staging.StagingActivities;
import dev.dbops.workflows.upgrade.MySqlCheckActivities;
import dev.dbops.workflows.upgrade.RdsUpgradeActivities;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.Payloads;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.failure.v1.Failure;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.history.v1.MarkerRecordedEventAttributes;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.metadata.POJOActivityInterfaceMetadata;
import io.temporal.common.metadata.POJOActivityMethodMetadata;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a run's history says, read for an audit: the request, who signalled what and when, every
 * activity (and local activity) with its attempts and outcome, and how the run ended. Payloads are
 * read as JSON trees, so this works for every procedure without its record classes; activity
 * payloads are not kept (the report names calls, it does not dump them).
 */
final class AuditHistory {
  /** The local activity marker's name and detail keys (the Java SDK's). */
  static final String LOCAL_ACTIVITY_MARKER = "LocalActivity";

  static final String MARKER_TYPE = "type";
  static final String MARKER_META = "meta";
  static final String MARKER_ACTIVITY_ID = "activityId";

  /** Activity interfaces the catalog's workflows call; the interface names the system. */
  static final List<Class<?>> ACTIVITY_INTERFACES =
      List.of(
          S3RestoreActivities.class,
          RdsUpgradeActivities.class,
          MySqlCheckActivities.class,
          StagingActivities.class,
          ReplicationActivities.class,
          NotifyActivities.class,
          HookActivities.class);

  private static final Map<String, List<Class<?>>> INTERFACES_BY_TYPE = interfacesByType();

  /** One activity invocation. */
  final class Call {
    String type;
    String activityId;
    boolean local;
    String scheduled;
    String closed;
    int attempts;
    String outcome = "PENDING";
    Runs.Failure failure;

    /** The activity interface (e.g. {@code S3Restore}): the system the call went to. */
    String system() {
      return AuditHistory.this.system(type);
    }
  }

  final DataConverter converter;
  final List<String> runIds = new ArrayList<>();
  int events;
  String workflowType;
  String taskQueue;
  String startedBy;
  String started;
  JsonNode request;

  /** COMPLETED, FAILED, CANCELED, TERMINATED, TIMED_OUT, or RUNNING (no close event yet). */
  String state = "RUNNING";

  String closed;
  JsonNode result;
  Runs.Failure failure;
  final ArrayNode signals = Render.MAPPER.createArrayNode();
  final List<Call> calls = new ArrayList<>();

  AuditHistory(DataConverter converter) {
    this.converter = converter;
  }

  /** Reads a chain of runs, oldest first (see {@link RunHistory#chain}). */
  static AuditHistory read(List<RunHistory.Run> runs, DataConverter converter) {
    AuditHistory h = new AuditHistory(converter);
    for (int i = 0; i < runs.size(); i++) {
      h.runIds.add(runs.get(i).runId());
      h.readRun(runs.get(i).events(), i == 0, i == runs.size() - 1);
    }
    return h;
  }

  private void readRun(List<HistoryEvent> history, boolean first, boolean last) {
    Map<Long, Call> bySchedule = new HashMap<>();
    for (HistoryEvent e : history) {
      events++;
      String at = time(e);
      EventType type = e.getEventType();
      switch (type) {
        case EVENT_TYPE_WORKFLOW_EXECUTION_STARTED -> {
          var a = e.getWorkflowExecutionStartedEventAttributes();
          if (first) {
            workflowType = a.getWorkflowType().getName();
            taskQueue = a.getTaskQueue().getName();
            startedBy = a.getIdentity();
            started = at;
            request = first(a.hasInput() ? a.getInput() : null);
          }
        }
        case EVENT_TYPE_ACTIVITY_TASK_SCHEDULED -> {
          var a = e.getActivityTaskScheduledEventAttributes();
          Call c = new Call();
          c.type = a.getActivityType().getName();
          c.activityId = a.getActivityId();
          c.scheduled = at;
          bySchedule.put(e.getEventId(), c);
          calls.add(c);
        }
        case EVENT_TYPE_ACTIVITY_TASK_STARTED -> {
          var a = e.getActivityTaskStartedEventAttributes();
          Call c = bySchedule.get(a.getScheduledEventId());
          if (c != null) c.attempts = a.getAttempt();
        }
        case EVENT_TYPE_ACTIVITY_TASK_COMPLETED ->
            close(
                bySchedule.get(e.getActivityTaskCompletedEventAttributes().getScheduledEventId()),
                at,
                "COMPLETED",
                null);
        case EVENT_TYPE_ACTIVITY_TASK_FAILED -> {
          var a = e.getActivityTaskFailedEventAttributes();
          close(bySchedule.get(a.getScheduledEventId()), at, "FAILED", a.getFailure());
        }
        case EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT -> {
          var a = e.getActivityTaskTimedOutEventAttributes();
          close(bySchedule.get(a.getScheduledEventId()), at, "TIMED_OUT", a.getFailure());
        }
        case EVENT_TYPE_ACTIVITY_TASK_CANCELED ->
            close(
                bySchedule.get(e.getActivityTaskCanceledEventAttributes().getScheduledEventId()),
                at,
                "CANCELED",
                null);
        case EVENT_TYPE_MARKER_RECORDED -> localActivity(e.getMarkerRecordedEventAttributes(), at);
        case EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED -> {
          var a = e.getWorkflowExecutionSignaledEventAttributes();
          signal(at, a.getSignalName(), first(a.hasInput() ? a.getInput() : null), a.getIdentity());
        }
        case EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED -> {
          // approve / reject / decide / abort sent as Workflow Updates: an accepted one is in
          // history as this event (a refused one leaves none), read as its signal would be
          var request = e.getWorkflowExecutionUpdateAcceptedEventAttributes().getAcceptedRequest();
          var input = request.getInput();
          signal(
              at,
              input.getName(),
              first(input.hasArgs() ? input.getArgs() : null),
              request.getMeta().getIdentity());
        }
        case EVENT_TYPE_WORKFLOW_EXECUTION_CANCEL_REQUESTED -> {
          var a = e.getWorkflowExecutionCancelRequestedEventAttributes();
          ObjectNode s = signal(at, "cancel (requested)", null, a.getIdentity());
          if (!a.getCause().isEmpty()) s.put("reason", a.getCause());
        }
        case EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED -> {
          if (last) {
            var a = e.getWorkflowExecutionCompletedEventAttributes();
            end("COMPLETED", at);
            result = first(a.hasResult() ? a.getResult() : null);
          }
        }
        case EVENT_TYPE_WORKFLOW_EXECUTION_FAILED -> {
          if (last) {
            end("FAILED", at);
            failure = failure(e.getWorkflowExecutionFailedEventAttributes().getFailure());
          }
        }
        case EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED -> {
          if (last) end("CANCELED", at);
        }
        case EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED -> {
          if (last) {
            var a = e.getWorkflowExecutionTerminatedEventAttributes();
            end("TERMINATED", at);
            failure =
                new Runs.Failure(
                    "Terminated",
                    (a.getReason().isEmpty() ? "no reason given" : a.getReason())
                        + (a.getIdentity().isEmpty() ? "" : " (by " + a.getIdentity() + ")"));
          }
        }
        case EVENT_TYPE_WORKFLOW_EXECUTION_TIMED_OUT -> {
          if (last) {
            end("TIMED_OUT", at);
            failure = new Runs.Failure("TimedOut", "the run's execution timeout passed");
          }
        }
        case EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW -> {
          if (last) end("CONTINUED_AS_NEW", at);
        }
        default -> {
          // Workflow tasks, timers, version markers: Temporal's mechanics, not the audit's.
        }
      }
    }
  }

  private void end(String state, String at) {
    this.state = state;
    this.closed = at;
  }

  private ObjectNode signal(String at, String name, JsonNode payload, String identity) {
    ObjectNode s = signals.addObject();
    s.put("at", at);
    s.put("signal", name);
    // The fields people put on approve / reject / abort / decide; nothing else is copied.
    for (String f : List.of("by", "action", "comment", "reason")) {
      if (payload != null && payload.hasNonNull(f)) s.put(f, payload.get(f).asText());
    }
    if (identity != null && !identity.isEmpty()) s.put("identity", identity);
    return s;
  }

  private void localActivity(MarkerRecordedEventAttributes m, String at) {
    if (!LOCAL_ACTIVITY_MARKER.equals(m.getMarkerName())) return;
    Call c = new Call();
    c.local = true;
    c.type = text(m.getDetailsMap().get(MARKER_TYPE));
    c.activityId = text(m.getDetailsMap().get(MARKER_ACTIVITY_ID));
    c.scheduled = at;
    JsonNode meta = first(m.getDetailsMap().get(MARKER_META));
    c.attempts = meta == null ? 1 : Math.max(1, meta.path("attempt").asInt(1));
    close(c, at, m.hasFailure() ? "FAILED" : "COMPLETED", m.hasFailure() ? m.getFailure() : null);
    calls.add(c);
  }

  private void close(Call c, String at, String outcome, Failure f) {
    if (c == null) return;
    c.closed = at;
    c.outcome = outcome;
    if (c.attempts == 0) c.attempts = 1;
    if (f != null) c.failure = failure(f);
  }

  /** Why something failed, as {@code result} and {@code watch} print it. */
  Runs.Failure failure(Failure f) {
    try {
      return Runs.failure(converter.failureToException(f));
    } catch (RuntimeException e) {
      return new Runs.Failure(f.getFailureInfoCase().name(), f.getMessage());
    }
  }

  /** The first payload as a JSON tree; null when there is none. */
  JsonNode first(Payloads payloads) {
    if (payloads == null || payloads.getPayloadsCount() == 0) return null;
    return tree(payloads.getPayloads(0));
  }

  JsonNode tree(Payload payload) {
    try {
      return converter.fromPayload(payload, JsonNode.class, JsonNode.class);
    } catch (RuntimeException e) {
      String encoding =
          payload.getMetadataMap().containsKey("encoding")
              ? payload.getMetadataMap().get("encoding").toStringUtf8()
              : "unknown";
      return TextNode.valueOf("(not readable as JSON: encoding " + encoding + ")");
    }
  }

  private String text(Payloads payloads) {
    JsonNode n = first(payloads);
    return n == null ? null : n.asText();
  }

  static String time(HistoryEvent e) {
    return e.hasEventTime()
        ? Instant.ofEpochSecond(e.getEventTime().getSeconds(), e.getEventTime().getNanos())
            .toString()
        : null;
  }

  /**
   * The interface declaring {@code activityType}, without "Activities"; where two declare it, the
   * one in the workflow's own package, else both.
   */
  String system(String activityType) {
    List<Class<?>> declaring = INTERFACES_BY_TYPE.getOrDefault(activityType, List.of());
    String workflowPackage =
        Procedures.byWorkflowType(workflowType)
            .map(p -> p.workflowInterface().getPackageName())
            .orElse(null);
    List<Class<?>> chosen =
        declaring.stream().filter(i -> i.getPackageName().equals(workflowPackage)).toList();
    List<Class<?>> named = chosen.isEmpty() ? declaring : chosen;
    return named.isEmpty()
        ? null
        : String.join(
            "|", named.stream().map(i -> i.getSimpleName().replace("Activities", "")).toList());
  }

  private static Map<String, List<Class<?>>> interfacesByType() {
    Map<String, List<Class<?>>> out = new LinkedHashMap<>();
    for (Class<?> i : ACTIVITY_INTERFACES) {
      for (POJOActivityMethodMetadata m :
          POJOActivityInterfaceMetadata.newInstance(i).getMethodsMetadata()) {
        out.computeIfAbsent(m.getActivityTypeName(), k -> new ArrayList<>()).add(i);
      }
    }
    return out;
  }
}
