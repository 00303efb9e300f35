package dev.dbops.starter;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dbops.worker.Procedures;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The one-line progress summary of a run's {@code status()}, per procedure. */
final class ProcedureViews {
  private ProcedureViews() {}

  static String progress(String procedureName, JsonNode status) {
    if (Procedures.GLACIER_RESTORE.name().equals(procedureName)) {
      return glacierRestore(status);
    }
    return numbers(status);
  }

  static String glacierRestore(JsonNode s) {
    int total = s.path("objectsTotal").asInt();
    if (total == 0) return "";
    String line = total + " object(s): " + s.path("objectsToRestore").asInt() + " to restore, "
        + s.path("restoresRequested").asInt() + " requested, " + s.path("restored").asInt()
        + " restored, " + s.path("delivered").asInt() + " delivered, "
        + s.path("failed").asInt() + " failed";
    JsonNode cost = s.path("cost").path("totalUsd");
    return cost.isNumber() ? line + String.format(" (est. $%.2f)", cost.asDouble()) : line;
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
