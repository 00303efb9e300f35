package dev.dbops.starter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dbops.workflows.catalog.Procedure;
import dev.dbops.workflows.catalog.Procedures;
import dev.dbops.workflows.upgrade.UpgradeSql;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A run's audit report as one JSON document: header, timeline, approvals and decisions (with the
 * signals that carried them), activities called, SQL run, skipped replication events, resources
 * created / deleted, warnings and the request. Built from the history (what Temporal recorded) and
 * the run's own result — or its {@code status()} while it runs or when it failed — read as JSON,
 * field by field, so every procedure reports without code of its own where its fields say enough.
 * Secrets are redacted last ({@link Redaction}).
 */
final class AuditReport {
  private AuditReport() {}

  /** Per-call rows kept in the JSON; the summary per activity type always covers every call. */
  static final int CALLS_LIMIT = 2000;

  /** What the server says about an activity still being retried. */
  record Pending(int attempt, String lastFailure) {}

  /**
   * A binlog catch-up's journal as read for the report ({@link JournalExport}).
   *
   * @param entries every entry read, oldest first
   * @param gap what could not be read, null for nothing
   */
  record Journal(ArrayNode entries, JournalExport.Gap gap) {}

  static ObjectNode build(
      String workflowId,
      AuditHistory h,
      JsonNode status,
      Map<String, Pending> pending,
      Instant generatedAt) {
    return build(workflowId, h, status, pending, generatedAt, null);
  }

  /**
   * @param journal the run's whole journal as read; null: only what the run's result or status
   *     holds
   */
  static ObjectNode build(
      String workflowId,
      AuditHistory h,
      JsonNode status,
      Map<String, Pending> pending,
      Instant generatedAt,
      Journal journal) {
    JsonNode facts =
        h.result != null ? h.result : status != null ? status : MissingNode.getInstance();
    ObjectNode doc = Render.MAPPER.createObjectNode();
    doc.put("report", "dbops audit report");
    doc.put("generatedAt", generatedAt.toString());
    doc.put("workflowId", workflowId);
    doc.put("runId", h.runIds.isEmpty() ? null : h.runIds.get(h.runIds.size() - 1));
    if (h.runIds.size() > 1) {
      ArrayNode runs = doc.putArray("runs");
      h.runIds.forEach(runs::add);
    }
    doc.put(
        "procedure",
        Procedures.byWorkflowType(h.workflowType).map(Procedure::name).orElse(h.workflowType));
    doc.put("workflowType", h.workflowType);
    doc.put("taskQueue", h.taskQueue);
    doc.put("requestedBy", h.request == null ? null : Render.raw(h.request, "requestedBy"));
    doc.put("startedBy", h.startedBy);
    doc.put("started", h.started);
    doc.put("closed", h.closed);
    doc.put("state", h.state);
    doc.put("outcome", outcome(h));
    doc.put("phase", status == null ? null : Render.text(status, "phase"));
    if (h.failure != null) {
      ObjectNode f = doc.putObject("failure");
      f.put("type", h.failure.type());
      f.put("message", h.failure.message());
    }
    doc.put(
        "source",
        h.result != null
            ? "result"
            : status != null
                ? "status query"
                : "history only (no worker answered the status query)");
    doc.set("timeline", array(facts.path("timeline")));
    doc.set(
        "approvals",
        array(facts.has("approvals") ? facts.path("approvals") : facts.path("decisions")));
    doc.set("signals", h.signals);
    doc.set("activities", activitySummary(h.calls, pending));
    doc.set("activityCalls", activityCalls(h.calls, pending));
    doc.set("sql", sql(h.request, facts));
    if (facts.has("journal")) {
      Journal j = journal != null ? journal : kept(workflowId, facts);
      doc.set("skippedEvents", j.entries());
      doc.set("skippedEventsSummary", journalSummary(workflowId, facts, j));
    } else {
      doc.set("skippedEvents", array(facts.path("journal")));
    }
    doc.set("resources", resources(facts, h));
    doc.set("warnings", array(facts.path("warnings")));
    doc.set("request", h.request);
    doc.put("historyEvents", h.events);
    return Redaction.apply(doc);
  }

  /**
   * Only the entries the run keeps: when it journaled more, the rest are a gap saying how to read
   * them.
   */
  private static Journal kept(String workflowId, JsonNode facts) {
    ArrayNode kept = array(facts.path("journal"));
    int journaled = facts.hasNonNull("journaled") ? facts.path("journaled").asInt() : kept.size();
    if (journaled <= kept.size()) return new Journal(kept, null);
    long firstKept = kept.isEmpty() ? 0 : kept.get(0).path("id").asLong();
    return new Journal(
        kept,
        new JournalExport.Gap(
            journaled - kept.size(),
            journaled,
            0,
            firstKept,
            "the run keeps only its newest "
                + kept.size()
                + " and this report did not read the replica's journal table"));
  }

  /**
   * How complete the skipped events are and what they lost: entries journaled and shown, rows lost
   * (summed over entries that know theirs), entries whose rows lost are unknown, and what was not
   * read with why and how to get it.
   */
  private static ObjectNode journalSummary(String workflowId, JsonNode facts, Journal j) {
    ObjectNode s = Render.MAPPER.createObjectNode();
    int shown = j.entries().size();
    s.put(
        "journaled",
        facts.hasNonNull("journaled") ? Math.max(facts.path("journaled").asInt(), shown) : shown);
    s.put("shown", shown);
    long lost = 0;
    int unknown = 0;
    for (JsonNode e : j.entries()) {
      if (e.hasNonNull("rowsLost")) lost += e.path("rowsLost").asLong();
      else unknown++;
    }
    s.put("rowsLost", lost);
    s.put("entriesWithRowsLostUnknown", unknown);
    if (j.gap() != null) {
      s.put("notRead", j.gap().missing());
      s.put("notReadNote", j.gap().line(workflowId));
    }
    return s;
  }

  static String outcome(AuditHistory h) {
    if ("COMPLETED".equals(h.state) && h.result != null && h.result.hasNonNull("outcome")) {
      return h.result.get("outcome").asText();
    }
    return h.state;
  }

  private static ArrayNode array(JsonNode n) {
    return n != null && n.isArray() ? (ArrayNode) n.deepCopy() : Render.MAPPER.createArrayNode();
  }

  /** One row per activity type: calls, attempts, outcomes, first and last time. */
  static ArrayNode activitySummary(List<AuditHistory.Call> calls, Map<String, Pending> pending) {
    Map<String, ObjectNode> byType = new LinkedHashMap<>();
    for (AuditHistory.Call c : calls) {
      ObjectNode row =
          byType.computeIfAbsent(
              (c.local ? "local:" : "") + c.type,
              k -> {
                ObjectNode r = Render.MAPPER.createObjectNode();
                r.put("activity", c.type);
                r.put("interface", c.system());
                r.put("local", c.local);
                r.put("calls", 0);
                r.put("attempts", 0);
                r.putObject("outcomes");
                r.put("first", c.scheduled);
                return r;
              });
      row.put("calls", row.path("calls").asInt() + 1);
      row.put("attempts", row.path("attempts").asInt() + attempts(c, pending));
      ObjectNode outcomes = (ObjectNode) row.get("outcomes");
      outcomes.put(c.outcome, outcomes.path(c.outcome).asInt() + 1);
      row.put("last", c.closed != null ? c.closed : c.scheduled);
    }
    ArrayNode out = Render.MAPPER.createArrayNode();
    byType.values().forEach(out::add);
    return out;
  }

  static ArrayNode activityCalls(List<AuditHistory.Call> calls, Map<String, Pending> pending) {
    ArrayNode out = Render.MAPPER.createArrayNode();
    for (AuditHistory.Call c :
        calls.subList(Math.max(0, calls.size() - CALLS_LIMIT), calls.size())) {
      ObjectNode row = out.addObject();
      row.put("activity", c.type);
      row.put("interface", c.system());
      row.put("local", c.local);
      row.put("activityId", c.activityId);
      row.put("scheduled", c.scheduled);
      row.put("closed", c.closed);
      row.put("attempts", attempts(c, pending));
      row.put("outcome", c.outcome);
      Pending p = pending.get(c.activityId);
      if (c.failure != null) {
        row.put("failure", c.failure.toString());
      } else if ("PENDING".equals(c.outcome) && p != null && p.lastFailure() != null) {
        row.put("lastFailure", p.lastFailure());
      }
    }
    return out;
  }

  private static int attempts(AuditHistory.Call c, Map<String, Pending> pending) {
    Pending p = "PENDING".equals(c.outcome) ? pending.get(c.activityId) : null;
    return p != null ? p.attempt() : c.attempts;
  }

  /**
   * The SQL a run ran: masking (the script's sha256, or the inline statements) and its verification
   * with what each returned; the upgrade's read-only pre-checks with their numbers and its smoke
   * SQL with results.
   */
  static ArrayNode sql(JsonNode request, JsonNode facts) {
    ArrayNode out = Render.MAPPER.createArrayNode();
    JsonNode req = request == null ? MissingNode.getInstance() : request;
    JsonNode mask = facts.path("mask");
    String sha = firstText(facts, "maskingSha256", mask, "sha256");
    JsonNode masking = req.path("masking");
    JsonNode rows = mask.path("rowsChanged");
    if (masking.hasNonNull("scriptRef") || sha != null) {
      ObjectNode s = row(out, "masking script", masking.path("scriptRef").asText(null), sha);
      if (mask.has("statementsRun")) {
        s.put("result", mask.path("statementsRun").asInt() + " statement(s), rows changed " + rows);
      }
    }
    int i = 0;
    for (JsonNode statement : masking.path("statements")) {
      ObjectNode s = row(out, "masking", statement.asText(), null);
      if (rows.has(i)) s.put("result", rows.get(i).asLong() + " row(s) changed");
      i++;
    }
    JsonNode verification =
        mask.has("verification") ? mask.path("verification") : facts.path("verification");
    if (verification.isArray() && !verification.isEmpty()) {
      for (JsonNode v : verification) {
        row(out, "masking verification", v.path("query").asText(), null)
            .put(
                "result",
                v.path("value").asLong()
                    + (v.path("value").asLong() == 0 ? " (masked)" : " UNMASKED"));
      }
    } else {
      for (JsonNode q : masking.path("verifyQueries"))
        row(out, "masking verification", q.asText(), null);
    }
    JsonNode pre = facts.path("precheck");
    if (pre.isObject()) {
      row(out, "pre-check (read-only)", UpgradeSql.VERSION, null)
          .put("result", pre.path("version").asText());
      row(out, "pre-check (read-only)", UpgradeSql.XA_RECOVER, null)
          .put("result", pre.path("preparedXa").size() + " prepared XA transaction(s)");
      row(out, "pre-check (read-only)", UpgradeSql.RUNNING_STATEMENTS, null)
          .put("result", pre.path("runningDdl").size() + " running DDL statement(s)");
      row(out, "pre-check (read-only)", UpgradeSql.LARGEST_TRX, null)
          .put(
              "result",
              "largest transaction "
                  + pre.path("largestTrxRowsModified").asLong()
                  + " row(s) modified");
      row(out, "pre-check (read-only)", UpgradeSql.HISTORY_LIST_LENGTH, null)
          .put("result", "history list length " + pre.path("historyListLength").asLong());
    }
    JsonNode smokeResults = facts.path("smokeResults");
    int k = 0;
    for (JsonNode smoke : req.path("smokeSql")) {
      ObjectNode s = row(out, "smoke test", smoke.asText(), null);
      if (smokeResults.has(k)) {
        String result = smokeResults.get(k).asText();
        s.put(
            "result",
            result.startsWith(smoke.asText() + " -> ")
                ? result.substring(smoke.asText().length() + 4)
                : result);
      }
      k++;
    }
    return out;
  }

  private static ObjectNode row(ArrayNode out, String what, String statement, String sha256) {
    ObjectNode s = out.addObject();
    s.put("what", what);
    s.put("statement", statement);
    if (sha256 != null) s.put("sha256", sha256);
    return s;
  }

  private static String firstText(JsonNode a, String fa, JsonNode b, String fb) {
    String x = Render.raw(a, fa);
    return x != null ? x : Render.raw(b, fb);
  }

  /**
   * What the run created, changed or deleted: the staging rebuild's own list; the upgrade's
   * snapshot and modified cluster; the rollback's new cluster and instances; the restore's objects
   * per outcome and where each went.
   */
  static ArrayNode resources(JsonNode facts, AuditHistory h) {
    ArrayNode out = Render.MAPPER.createArrayNode();
    if (facts.path("resources").isArray()) {
      facts.path("resources").forEach(r -> out.add(r.deepCopy()));
      return out;
    }
    String snapshot = Render.text(facts, "snapshotId");
    if (snapshot != null && facts.has("fromVersion")) { // the upgrade
      boolean created = called(h, "EnsureSnapshot");
      if (created || h.result != null) {
        resource(
            out,
            "SNAPSHOT",
            snapshot,
            facts.path("snapshotAdopted").asBoolean() ? "ADOPTED" : "CREATED",
            "pre-upgrade snapshot of " + Render.text(facts, "clusterId"));
      }
      String to = firstText(facts, "toVersion", facts, "targetVersion");
      if (called(h, "StartUpgrade")) {
        resource(
            out,
            "CLUSTER",
            Render.text(facts, "clusterId"),
            "MODIFIED",
            Render.text(facts, "fromVersion")
                + " -> "
                + to
                + (facts.hasNonNull("modifyAction")
                    ? " (" + facts.path("modifyAction").asText() + ")"
                    : ""));
      }
    }
    if (facts.hasNonNull("newClusterId") && facts.has("instances")) { // the rollback
      resource(
          out,
          "CLUSTER",
          Render.text(facts, "newClusterId"),
          "CREATED",
          "restored from snapshot " + Render.text(facts, "snapshotId"));
      for (JsonNode i : facts.path("instances"))
        resource(out, "INSTANCE", i.asText(), "CREATED", null);
      if (facts.hasNonNull("cnameChange")) {
        resource(
            out,
            "CNAME",
            Render.text(facts, "recordName"),
            "CHANGED",
            Render.text(facts, "previousCname")
                + " -> "
                + Render.text(facts.path("endpoints"), "endpoint")
                + " (change "
                + Render.text(facts, "cnameChange")
                + ")");
      }
    }
    if (facts.path("counts").isObject()) { // the restore
      StringBuilder counts = new StringBuilder();
      facts
          .path("counts")
          .fields()
          .forEachRemaining(
              e ->
                  counts
                      .append(counts.isEmpty() ? "" : ", ")
                      .append(e.getKey())
                      .append(' ')
                      .append(e.getValue().asInt()));
      resource(out, "S3 OBJECTS", null, "COUNTS", counts.toString());
      for (JsonNode o : facts.path("objects")) {
        resource(
            out,
            "S3 OBJECT",
            o.path("key").asText(),
            o.path("outcome").asText(),
            Render.text(o, "detail"));
      }
      if (facts.path("objectsOmitted").asInt() > 0) {
        resource(
            out,
            "S3 OBJECT",
            null,
            "OMITTED",
            facts.path("objectsOmitted").asInt()
                + " more object(s) not kept in the result (history payloads are bounded)");
      }
    }
    return out;
  }

  private static boolean called(AuditHistory h, String activityType) {
    return h.calls.stream()
        .anyMatch(c -> activityType.equals(c.type) && "COMPLETED".equals(c.outcome));
  }

  private static void resource(
      ArrayNode out, String kind, String id, String action, String detail) {
    ObjectNode r = out.addObject();
    r.put("kind", kind);
    r.put("id", id);
    r.put("action", action);
    if (detail != null) r.put("detail", detail);
  }
}
