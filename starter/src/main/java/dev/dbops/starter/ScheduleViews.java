package dev.dbops.starter;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dbops.workflows.catalog.Procedure;
import dev.dbops.workflows.catalog.Procedures;
import io.temporal.client.schedules.Schedule;
import io.temporal.client.schedules.ScheduleActionExecution;
import io.temporal.client.schedules.ScheduleActionExecutionStartWorkflow;
import io.temporal.client.schedules.ScheduleActionResult;
import io.temporal.client.schedules.ScheduleActionStartWorkflow;
import io.temporal.client.schedules.ScheduleCalendarSpec;
import io.temporal.client.schedules.ScheduleDescription;
import io.temporal.client.schedules.ScheduleInfo;
import io.temporal.client.schedules.ScheduleListActionStartWorkflow;
import io.temporal.client.schedules.ScheduleListDescription;
import io.temporal.client.schedules.ScheduleSpec;
import io.temporal.client.schedules.ScheduleState;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * Schedules as JSON documents ({@code --json}) and as the lines {@code describe} and {@code list}
 * print, built from the SDK's descriptions only, so they are tested without a server.
 */
final class ScheduleViews {
  private ScheduleViews() {}

  /** Next run times shown. */
  static final int NEXT_RUNS = 5;

  static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss xxx");

  static ObjectNode describe(ScheduleDescription d) {
    ObjectNode doc = Render.MAPPER.createObjectNode();
    doc.put("scheduleId", d.getId());
    Schedule s = d.getSchedule();
    if (s.getAction() instanceof ScheduleActionStartWorkflow a) {
      doc.put("procedure", procedureName(a.getWorkflowType()));
      doc.put("workflowType", a.getWorkflowType());
      if (a.getOptions() != null) {
        doc.put("workflowId", a.getOptions().getWorkflowId());
        doc.put("taskQueue", a.getOptions().getTaskQueue());
      }
    }
    String zone = when(doc, s.getSpec());
    doc.put(
        "overlap",
        ScheduleTiming.Overlap.nameOf(s.getPolicy() == null ? null : s.getPolicy().getOverlap()));
    doc.put("pauseOnFailure", s.getPolicy() != null && s.getPolicy().isPauseOnFailure());
    ScheduleState state = s.getState();
    doc.put("paused", state != null && state.isPaused());
    doc.put("note", state == null ? null : state.getNote());
    ScheduleInfo info = d.getInfo();
    if (info != null) {
      ArrayNode next = doc.putArray("nextRuns");
      info.getNextActionTimes().stream().limit(NEXT_RUNS).forEach(t -> next.add(t.toString()));
      doc.set("recentRuns", runs(info.getRecentActions()));
      ArrayNode running = doc.putArray("running");
      for (ScheduleActionExecution e : info.getRunningActions()) {
        if (e instanceof ScheduleActionExecutionStartWorkflow w) running.add(w.getWorkflowId());
      }
      doc.put("runsStarted", info.getNumActions());
      doc.put("skippedOverlap", info.getNumActionsSkippedOverlap());
      doc.put("missedCatchupWindow", info.getNumActionsMissedCatchupWindow());
      doc.put("created", str(info.getCreatedAt()));
      doc.put("updated", str(info.getLastUpdatedAt()));
    }
    doc.put("zone", zone);
    return doc;
  }

  static ObjectNode listItem(ScheduleListDescription d) {
    ObjectNode doc = Render.MAPPER.createObjectNode();
    doc.put("scheduleId", d.getScheduleId());
    var s = d.getSchedule();
    if (s != null && s.getAction() instanceof ScheduleListActionStartWorkflow a) {
      doc.put("procedure", procedureName(a.getWorkflow()));
    }
    String zone = s == null ? ScheduleTiming.UTC : when(doc, s.getSpec());
    doc.put("paused", s != null && s.getState() != null && s.getState().isPaused());
    doc.put("note", s == null || s.getState() == null ? null : s.getState().getNote());
    var info = d.getInfo();
    List<Instant> next = info == null ? List.of() : info.getNextActionTimes();
    doc.put("nextRun", next.isEmpty() ? null : next.get(0).toString());
    List<ScheduleActionResult> recent = info == null ? List.of() : info.getRecentActions();
    doc.set(
        "lastRun",
        recent.isEmpty() ? null : runs(recent.subList(recent.size() - 1, recent.size())).get(0));
    doc.put("zone", zone);
    return doc;
  }

  /** Puts cron / calendars / timezone on {@code doc}; returns the zone. */
  private static String when(ObjectNode doc, ScheduleSpec spec) {
    ArrayNode cron = doc.putArray("cron");
    ArrayNode calendars = doc.putArray("calendars");
    if (spec == null) return ScheduleTiming.UTC;
    if (spec.getCronExpressions() != null) spec.getCronExpressions().forEach(cron::add);
    if (spec.getCalendars() != null) {
      for (ScheduleCalendarSpec c : spec.getCalendars()) calendars.add(ScheduleFields.format(c));
    }
    String zone =
        spec.getTimeZoneName() == null || spec.getTimeZoneName().isEmpty()
            ? ScheduleTiming.UTC
            : spec.getTimeZoneName();
    doc.put("timezone", zone);
    return zone;
  }

  private static ArrayNode runs(List<ScheduleActionResult> results) {
    ArrayNode out = Render.MAPPER.createArrayNode();
    for (ScheduleActionResult r : results) {
      ObjectNode run = out.addObject();
      run.put("scheduledAt", str(r.getScheduledAt()));
      run.put("startedAt", str(r.getStartedAt()));
      if (r.getAction() instanceof ScheduleActionExecutionStartWorkflow w) {
        run.put("workflowId", w.getWorkflowId());
        run.put("runId", w.getFirstExecutionRunId());
      }
    }
    return out;
  }

  static void printDescribe(PrintWriter out, ObjectNode d) {
    out.println(
        d.path("scheduleId").asText()
            + "  "
            + d.path("procedure").asText("?")
            + "  "
            + (d.path("paused").asBoolean() ? "PAUSED" : "ACTIVE"));
    if (d.hasNonNull("note")) out.println("  note: " + d.path("note").asText());
    out.println(
        "  runs as: "
            + d.path("workflowId").asText()
            + "-<scheduled time>  (task queue "
            + d.path("taskQueue").asText()
            + ")");
    out.println("  when: " + whenLine(d));
    out.println(
        "  overlap: "
            + d.path("overlap").asText()
            + (d.path("pauseOnFailure").asBoolean() ? "; pauses when a run fails" : ""));
    ZoneId zone = zoneOf(d.path("zone").asText(ScheduleTiming.UTC));
    out.println("  next runs:" + (d.path("nextRuns").isEmpty() ? " none" : ""));
    d.path("nextRuns").forEach(t -> out.println("    " + local(t.asText(), zone)));
    out.println("  recent runs:" + (d.path("recentRuns").isEmpty() ? " none yet" : ""));
    d.path("recentRuns")
        .forEach(
            r ->
                out.println(
                    "    "
                        + local(r.path("scheduledAt").asText(), zone)
                        + "  "
                        + r.path("workflowId").asText()
                        + "  (`./dbops report "
                        + Shell.quote(r.path("workflowId").asText())
                        + "`)"));
    if (!d.path("running").isEmpty()) {
      out.println(
          "  running: "
              + String.join(", ", Render.MAPPER.convertValue(d.path("running"), String[].class)));
    }
    out.println(
        "  started "
            + d.path("runsStarted").asLong()
            + ", skipped (overlap) "
            + d.path("skippedOverlap").asLong()
            + ", missed (catch-up window) "
            + d.path("missedCatchupWindow").asLong()
            + "; created "
            + Render.time(Render.text(d, "created")));
  }

  static void printList(PrintWriter out, List<ObjectNode> items) {
    out.println(
        String.format(
            "%-28s %-18s %-7s %-27s %s", "SCHEDULE", "PROCEDURE", "STATE", "NEXT RUN", "WHEN"));
    for (ObjectNode d : items) {
      ZoneId zone = zoneOf(d.path("zone").asText(ScheduleTiming.UTC));
      out.println(
          String.format(
              "%-28s %-18s %-7s %-27s %s",
              d.path("scheduleId").asText(),
              d.path("procedure").asText("?"),
              d.path("paused").asBoolean() ? "PAUSED" : "ACTIVE",
              d.hasNonNull("nextRun") ? local(d.path("nextRun").asText(), zone) : "-",
              whenLine(d)));
    }
    out.println(items.size() + " schedule(s)");
  }

  private static String whenLine(ObjectNode d) {
    List<String> parts = new java.util.ArrayList<>();
    d.path("cron").forEach(c -> parts.add("cron \"" + c.asText() + "\""));
    d.path("calendars").forEach(c -> parts.add(c.asText()));
    return (parts.isEmpty() ? "(no times)" : String.join("; ", parts))
        + " in "
        + d.path("timezone").asText(ScheduleTiming.UTC);
  }

  /** {@code 2026-01-05 03:00:00 +09:00} in the schedule's zone. */
  static String local(String isoInstant, ZoneId zone) {
    try {
      return LOCAL.format(Instant.parse(isoInstant).atZone(zone));
    } catch (RuntimeException e) {
      return isoInstant;
    }
  }

  private static ZoneId zoneOf(String zone) {
    try {
      return ZoneId.of(zone);
    } catch (RuntimeException e) {
      return ZoneId.of(ScheduleTiming.UTC);
    }
  }

  private static String procedureName(String workflowType) {
    return Procedures.byWorkflowType(workflowType).map(Procedure::name).orElse(workflowType);
  }

  private static String str(Instant t) {
    return t == null ? null : t.toString();
  }
}
