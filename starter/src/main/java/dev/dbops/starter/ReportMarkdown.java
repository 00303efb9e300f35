package dev.dbops.starter;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dbops.workflows.common.Printable;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** An audit report ({@link AuditReport}) as Markdown: a header table, then one section per part. */
final class ReportMarkdown {
  private ReportMarkdown() {}

  /** Rows of the per-object restore list shown; the JSON has them all. */
  static final int RESOURCE_ROWS = 200;

  static String render(JsonNode r) {
    StringBuilder md = new StringBuilder();
    md.append("# Audit report: ")
        .append(Printable.escape(r.path("procedure").asText()))
        .append(" `")
        .append(Printable.escape(r.path("workflowId").asText()))
        .append("`\n\n");
    List<String[]> header = new ArrayList<>();
    header.add(
        row(
            "procedure",
            r.path("procedure").asText() + " (" + r.path("workflowType").asText() + ")"));
    header.add(row("workflow id", "`" + r.path("workflowId").asText() + "`"));
    header.add(
        row(
            "run id",
            "`"
                + r.path("runId").asText()
                + "`"
                + (r.has("runs")
                    ? " (continued from " + (r.path("runs").size() - 1) + " earlier run(s))"
                    : "")));
    header.add(row("requested by", text(r, "requestedBy")));
    header.add(
        row(
            "started",
            Render.time(Render.text(r, "started"))
                + (r.hasNonNull("startedBy")
                    ? " by client `" + r.path("startedBy").asText() + "`"
                    : "")));
    header.add(
        row(
            "closed",
            r.hasNonNull("closed") ? Render.time(Render.text(r, "closed")) : "still running"));
    header.add(
        row(
            "outcome",
            "**"
                + r.path("outcome").asText()
                + "**"
                + (r.hasNonNull("phase") && !"COMPLETED".equals(r.path("state").asText())
                    ? " (phase " + r.path("phase").asText() + ")"
                    : "")));
    if (r.has("failure")) {
      header.add(
          row(
              "failure",
              cell(
                  r.path("failure").path("type").asText()
                      + ": "
                      + r.path("failure").path("message").asText())));
    }
    header.add(row("task queue", text(r, "taskQueue")));
    header.add(
        row(
            "built from",
            "history ("
                + r.path("historyEvents").asInt()
                + " events) and the run's "
                + r.path("source").asText()
                + "; generated "
                + Render.time(Render.text(r, "generatedAt"))));
    table(md, new String[] {"field", "value"}, header);

    section(
        md,
        "Timeline",
        r.path("timeline"),
        new String[] {"time", "step", "detail"},
        s -> row(Render.time(Render.text(s, "at")), text(s, "step"), text(s, "detail")));

    section(
        md,
        "Approvals and decisions",
        r.path("approvals"),
        new String[] {"time", "step", "by", "outcome", "why"},
        a ->
            row(
                Render.time(Render.text(a, "at")),
                text(a, "step"),
                text(a, "by"),
                text(a, "outcome"),
                text(a, "comment")));
    subsection(
        md,
        "Signals received",
        r.path("signals"),
        new String[] {"time", "signal", "by", "action", "comment / reason", "client"},
        s ->
            row(
                Render.time(Render.text(s, "at")),
                text(s, "signal"),
                text(s, "by"),
                text(s, "action"),
                s.hasNonNull("comment") ? text(s, "comment") : text(s, "reason"),
                text(s, "identity")));

    section(
        md,
        "Activities (AWS, SQL and other calls)",
        r.path("activities"),
        new String[] {"activity", "interface", "calls", "attempts", "outcomes", "first", "last"},
        a ->
            row(
                (a.path("local").asBoolean() ? "local: " : "") + text(a, "activity"),
                text(a, "interface"),
                a.path("calls").asText(),
                a.path("attempts").asText(),
                Render.inline(a.path("outcomes")),
                Render.time(Render.text(a, "first")),
                Render.time(Render.text(a, "last"))));
    List<String[]> failed = new ArrayList<>();
    for (JsonNode c : r.path("activityCalls")) {
      if (c.hasNonNull("failure") || c.hasNonNull("lastFailure")) {
        failed.add(
            row(
                Render.time(
                    Render.text(c, "closed") == null
                        ? Render.text(c, "scheduled")
                        : Render.text(c, "closed")),
                text(c, "activity"),
                text(c, "outcome"),
                c.path("attempts").asText(),
                c.hasNonNull("failure") ? text(c, "failure") : text(c, "lastFailure")));
      }
    }
    if (!failed.isEmpty()) {
      md.append("### Failed or retrying calls\n\n");
      table(md, new String[] {"time", "activity", "outcome", "attempts", "failure"}, failed);
    }

    section(
        md,
        "SQL run",
        r.path("sql"),
        new String[] {"what", "statement", "sha256", "result"},
        s ->
            row(
                text(s, "what"),
                code(Render.text(s, "statement")),
                code(Render.text(s, "sha256")),
                text(s, "result")));

    md.append("## Skipped replication events\n\n");
    JsonNode journal = r.path("skippedEventsSummary");
    if (journal.isObject()) {
      md.append(journal.path("shown").asInt())
          .append(" of ")
          .append(journal.path("journaled").asInt())
          .append(" journaled entries shown; rows lost: ")
          .append(journal.path("rowsLost").asLong())
          .append(
              journal.path("entriesWithRowsLostUnknown").asInt() > 0
                  ? " and unknown for "
                      + journal.path("entriesWithRowsLostUnknown").asInt()
                      + " entries"
                  : "")
          .append(".\n\n");
      if (journal.hasNonNull("notReadNote"))
        md.append("**Not complete:** ")
            .append(cell(journal.path("notReadNote").asText()))
            .append("\n\n");
    }
    // Every entry: the journal is what someone reconciles from, so it is never cut short here.
    rows(
        md,
        r.path("skippedEvents"),
        new String[] {
          "id",
          "source position",
          "errno",
          "error",
          "action",
          "decided by",
          "time",
          "rows lost",
          "conflicts",
          "events"
        },
        e ->
            row(
                e.path("id").asText(),
                e.path("source").path("file").asText()
                    + ":"
                    + e.path("source").path("position").asText(),
                e.path("errno").asText(),
                text(e, "error"),
                text(e, "action"),
                text(e, "decidedBy"),
                Render.time(Render.text(e, "at")),
                e.hasNonNull("rowsLost") ? e.path("rowsLost").asText() : "unknown",
                cell(conflicts(e.path("conflicts"))),
                code(String.join("; ", texts(e.path("events"))))),
        Integer.MAX_VALUE);

    JsonNode resources = r.path("resources");
    section(
        md,
        "Resources created / deleted",
        resources,
        new String[] {"kind", "id", "account", "action", "time", "detail"},
        x ->
            row(
                text(x, "kind"),
                code(Render.text(x, "id")),
                text(x, "account"),
                text(x, "action"),
                Render.time(Render.text(x, "at")),
                text(x, "detail")));

    if (!r.path("warnings").isEmpty()) {
      md.append("## Warnings\n\n");
      r.path("warnings").forEach(w -> md.append("- ").append(cell(w.asText())).append('\n'));
      md.append('\n');
    }
    md.append("## Request\n\n");
    md.append(
        "Secrets appear only as references (`env:`, `file:`, `secretsmanager:`); anything else in a field"
            + " named like a password or secret is shown as `"
            + Redaction.REDACTED
            + "`.\n\n");
    md.append("```json\n").append(Render.json(r.path("request"))).append("\n```\n");
    return md.toString();
  }

  private static void section(
      StringBuilder md,
      String title,
      JsonNode items,
      String[] columns,
      Function<JsonNode, String[]> row) {
    md.append("## ").append(title).append("\n\n");
    rows(md, items, columns, row);
  }

  private static void subsection(
      StringBuilder md,
      String title,
      JsonNode items,
      String[] columns,
      Function<JsonNode, String[]> row) {
    md.append("### ").append(title).append("\n\n");
    rows(md, items, columns, row);
  }

  private static void rows(
      StringBuilder md, JsonNode items, String[] columns, Function<JsonNode, String[]> row) {
    rows(md, items, columns, row, RESOURCE_ROWS);
  }

  private static void rows(
      StringBuilder md,
      JsonNode items,
      String[] columns,
      Function<JsonNode, String[]> row,
      int limit) {
    if (items == null || items.isEmpty()) {
      md.append("None.\n\n");
      return;
    }
    List<String[]> rows = new ArrayList<>();
    for (JsonNode item : items) {
      if (rows.size() == limit) break;
      rows.add(row.apply(item));
    }
    table(md, columns, rows);
    if (items.size() > limit) {
      md.append("… and ")
          .append(items.size() - limit)
          .append(" more (`--format json` has all).\n\n");
    }
  }

  /**
   * An entry's conflicts, alike ones counted: {@code 1062 app.orders INSERT KEPT_REPLICA_ROW ×2;
   * 1452 app.child INSERT APPLIED_WITHOUT_FK_CHECKS}. The rows themselves are in the JSON.
   */
  static String conflicts(JsonNode conflicts) {
    java.util.Map<String, Integer> counted = new java.util.LinkedHashMap<>();
    for (JsonNode c : conflicts) {
      counted.merge(
          c.path("errno").asText()
              + " "
              + c.path("table").asText()
              + " "
              + c.path("change").asText()
              + " "
              + c.path("resolution").asText(),
          1,
          Integer::sum);
    }
    List<String> out = new ArrayList<>();
    counted.forEach((what, n) -> out.add(n == 1 ? what : what + " ×" + n));
    return String.join("; ", out);
  }

  static void table(StringBuilder md, String[] columns, List<String[]> rows) {
    md.append('|');
    for (String c : columns) md.append(' ').append(c).append(" |");
    md.append("\n|");
    for (int i = 0; i < columns.length; i++) md.append("---|");
    md.append('\n');
    for (String[] r : rows) {
      md.append('|');
      for (String c : r) md.append(' ').append(c == null ? "" : oneCell(c)).append(" |");
      md.append('\n');
    }
    md.append('\n');
  }

  /**
   * Whatever a row holds stays one cell of one row: control characters escaped, a pipe not yet
   * escaped by {@link #cell} escaped (values put together from the run's data without it).
   */
  private static String oneCell(String c) {
    return Printable.escape(c).replaceAll("(?<!\\\\)\\|", "\\\\|");
  }

  private static String[] row(String... cells) {
    String[] out = new String[cells.length];
    for (int i = 0; i < cells.length; i++) out[i] = cells[i];
    return out;
  }

  /**
   * A value as a table cell: control characters escaped ({@link Printable}), pipes escaped, on one
   * line.
   */
  static String cell(String s) {
    if (s == null) return "";
    return Printable.escape(s.replace("\\", "\\\\").replace("|", "\\|"));
  }

  private static String text(JsonNode n, String field) {
    return cell(Render.text(n, field));
  }

  /** Inline code; backticks inside become quotes so the cell stays one span. */
  private static String code(String s) {
    if (s == null || s.isEmpty()) return "";
    return "`" + cell(s).replace('`', '\'') + "`";
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }
}
