package dev.dbops.starter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dbops.workflows.catalog.Procedures;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The one-line progress summary of a run's {@code status()}, per procedure. */
final class ProcedureViews {
  private ProcedureViews() {}

  /** Status fields that say "not reported" with -1 rather than leaving the field out. */
  static final List<String> MINUS_ONE_UNREPORTED = List.of("recordsRemaining");

  static String progress(String procedureName, JsonNode status) {
    if (Procedures.GLACIER_RESTORE.name().equals(procedureName)) {
      return glacierRestore(status);
    }
    if (Procedures.BINLOG_CATCH_UP.name().equals(procedureName)) {
      return binlogCatchUp(status);
    }
    if (Procedures.STAGING_REBUILD.name().equals(procedureName)) {
      return stagingRebuild(status);
    }
    if (Procedures.UPGRADE_ROLLBACK.name().equals(procedureName)) {
      return upgradeRollback(status);
    }
    String known = knownFields(status);
    return known.isEmpty() ? numbers(status) : known;
  }

  static String glacierRestore(JsonNode s) {
    int total = s.path("objectsTotal").asInt();
    if (total == 0) return "";
    String line =
        total
            + " object(s): "
            + s.path("objectsToRestore").asInt()
            + " to restore, "
            + s.path("restoresRequested").asInt()
            + " requested, "
            + s.path("restored").asInt()
            + " restored, "
            + s.path("delivered").asInt()
            + " delivered, "
            + s.path("failed").asInt()
            + " failed";
    JsonNode cost = s.path("cost").path("totalUsd");
    return cost.isNumber() ? line + String.format(" (est. $%.2f)", cost.asDouble()) : line;
  }

  /**
   * Lag, replica and source positions (and the replica's GTIDs where GTID is on), skipped / budget,
   * the error waiting for a person.
   */
  static String binlogCatchUp(JsonNode s) {
    List<String> parts = new ArrayList<>();
    long lag = s.path("lagSeconds").asLong(-1);
    if (lag >= 0) {
      String source = Render.text(s, "lagSource");
      parts.add("lag " + lag + "s" + (source == null ? "" : " (" + source + ")"));
    }
    JsonNode executed = s.path("replica").path("executed");
    if (executed.isObject()) parts.add("replica at " + position(executed));
    // Replication positioned by GTID: where it stands is its executed GTIDs (the file position is
    // kept for the journal).
    String gtid = Render.text(s.path("replica"), "gtidExecuted");
    if (gtid != null) parts.add("replica GTIDs " + gtid);
    JsonNode source = s.path("sourcePosition");
    if (source.isObject()) parts.add("source at " + position(source));
    // journaled counts every entry; journal holds only the newest (runs before the count: all of
    // them).
    int skipped = s.has("journaled") ? s.path("journaled").asInt() : s.path("journal").size();
    parts.add(
        "skipped "
            + skipped
            + " (policy "
            + s.path("skippedByPolicy").asInt()
            + ", budget left "
            + s.path("budgetRemaining").asInt()
            + ")");
    String pending = Render.text(s, "pendingError");
    if (pending != null) parts.add("ERROR " + pending);
    return String.join("; ", parts);
  }

  /** Source and new cluster, the masking verification, and when the old cluster goes. */
  static String stagingRebuild(JsonNode s) {
    List<String> parts = new ArrayList<>();
    String source = Render.text(s, "sourceClusterId");
    String fresh = Render.text(s, "newClusterId");
    if (source != null && fresh != null) {
      String endpoint = Render.text(s, "newEndpoint");
      parts.add(source + " -> " + fresh + (endpoint == null ? "" : " (" + endpoint + ")"));
    }
    JsonNode verification = s.path("verification");
    if (verification.size() > 0) {
      long unmasked = 0;
      for (JsonNode v : verification) unmasked += v.path("value").asLong();
      parts.add(verification.size() + " verification query(ies), " + unmasked + " unmasked row(s)");
    }
    String retireAt = Render.text(s, "retireAt");
    if (retireAt != null)
      parts.add("retires " + Render.text(s, "oldClusterId") + " at " + retireAt);
    return String.join("; ", parts);
  }

  /** The cluster being restored and, with DNS, the CNAME and what it pointed at before the run. */
  static String upgradeRollback(JsonNode s) {
    List<String> parts = new ArrayList<>();
    String fresh = Render.text(s, "newClusterId");
    if (fresh != null) {
      parts.add("new cluster " + fresh + ", " + s.path("instances").size() + " instance(s)");
    }
    String record = Render.text(s, "recordName");
    if (record != null) {
      parts.add("CNAME " + record + " was " + Render.text(s, "previousCname"));
    }
    return String.join("; ", parts);
  }

  private static String position(JsonNode p) {
    return Render.text(p, "file") + ":" + p.path("position").asLong();
  }

  /**
   * Fields more than one procedure reports (the upgrade's today), each printed only when present:
   * versions, the RDS phase, records remaining, the stalled flag, and the pre-check numbers until
   * RDS reports a phase (they stay in {@code status}).
   */
  static String knownFields(JsonNode s) {
    List<String> parts = new ArrayList<>();
    String from = Render.text(s, "fromVersion");
    String to = Render.text(s, "targetVersion");
    if (from != null && to != null) parts.add(from + " -> " + to);
    String rdsPhase = Render.text(s, "upgradePhase");
    if (rdsPhase != null) parts.add("RDS: " + rdsPhase);
    JsonNode remaining = s.get("recordsRemaining");
    if (remaining != null && remaining.isNumber() && remaining.asLong() >= 0) {
      parts.add("records remaining " + remaining.asLong());
    }
    if (s.path("stalled").asBoolean(false)) parts.add("STALLED (past the threshold)");
    String precheck = precheck(s.path("precheck"));
    if (rdsPhase == null && !precheck.isEmpty()) parts.add("pre-check: " + precheck);
    return String.join("; ", parts);
  }

  /** A pre-check report's numbers on one line; empty when there is none. */
  static String precheck(JsonNode p) {
    if (p == null || !p.isObject()) return "";
    return p.path("preparedXa").size()
        + " prepared XA, "
        + p.path("runningDdl").size()
        + " running DDL, largest transaction "
        + p.path("largestTrxRowsModified").asLong()
        + " rows modified, history list length "
        + p.path("historyListLength").asLong();
  }

  /** The status without fields that only say "not reported", for the outline. */
  static ObjectNode withoutUnreported(ObjectNode status) {
    ObjectNode copy = status.deepCopy();
    for (String f : MINUS_ONE_UNREPORTED) {
      JsonNode v = copy.get(f);
      if (v != null && v.isNumber() && v.asLong() < 0) copy.remove(f);
    }
    return copy;
  }

  /** Fallback for a procedure without a view: every numeric field as name=value. */
  static String numbers(JsonNode s) {
    List<String> parts = new ArrayList<>();
    for (Map.Entry<String, JsonNode> e : (Iterable<Map.Entry<String, JsonNode>>) s::fields) {
      if (e.getValue().isNumber()) parts.add(e.getKey() + "=" + e.getValue().asText());
    }
    return String.join(" ", parts);
  }
}
