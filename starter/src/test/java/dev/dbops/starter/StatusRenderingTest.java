package dev.dbops.starter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dbops.workflows.catalog.Procedures;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code status} stays readable however much a run accumulated: no server, the renderer alone. */
class StatusRenderingTest {
  /**
   * A binlog catch-up's status after {@code skips} skipped transactions, each with long events and
   * conflicts.
   */
  static ObjectNode binlogStatusWithSkips(int skips) {
    ObjectNode s = Render.MAPPER.createObjectNode();
    s.put("phase", "REPLICATING");
    s.put("lagSeconds", 3);
    s.put("journaled", skips);
    ArrayNode journal = s.putArray("journal");
    for (int i = 1; i <= skips; i++) {
      ObjectNode e = journal.addObject();
      e.put("id", i);
      e.putObject("source").put("file", "mysql-bin.000042").put("position", 1000L * i);
      e.put("errno", 1062);
      e.put(
          "error",
          "Duplicate entry '"
              + i
              + "' for key 'PRIMARY' on query. Default database: 'orders'. "
              + "Query: 'INSERT INTO orders VALUES ("
              + i
              + ", "
              + "'x'".repeat(40)
              + ")'");
      ArrayNode events = e.putArray("events");
      for (int k = 0; k < 12; k++)
        events.add("Write_rows table_id=" + k + " flags=STMT_END_F " + "col".repeat(20));
      e.put("action", "SKIPPED");
      e.put("at", "2026-12-07T10:00:00Z");
    }
    ArrayNode timeline = s.putArray("timeline");
    for (int i = 0; i < 30; i++) {
      timeline
          .addObject()
          .put("at", "2026-12-07T10:00:00Z")
          .put("step", "SKIP")
          .put("detail", "d".repeat(500));
    }
    return s;
  }

  static List<String> render(ObjectNode status) {
    StringWriter text = new StringWriter();
    StatusCommand.print(
        new PrintWriter(text, true),
        "binlog/replica-1",
        Procedures.BINLOG_CATCH_UP.name(),
        status,
        Optional.empty(),
        Optional.empty());
    return text.toString().lines().toList();
  }

  @Test
  void givenFiveThousandSkips_whenStatusRendered_thenCountsLastFewAndJournalPointerNoLongLines() {
    List<String> lines = render(binlogStatusWithSkips(5_000));
    System.out.println(
        "status with 5000 skips: "
            + lines.size()
            + " lines, longest "
            + lines.stream().mapToInt(String::length).max().orElse(0)
            + " characters, "
            + lines.stream().mapToInt(String::length).sum()
            + " in all");

    List<String> tooLong = lines.stream().filter(l -> l.length() > Render.MAX_LINE).toList();
    assertEquals(List.of(), tooLong, "lines over " + Render.MAX_LINE + " characters");
    assertTrue(lines.size() < 40, lines.size() + " lines:\n" + String.join("\n", lines));
    assertTrue(
        lines.stream()
            .anyMatch(
                l ->
                    l.contains(
                        "5000 entries, the last 5 below; all 5000 skipped: "
                            + "./dbops journal binlog/replica-1")),
        String.join("\n", lines));
    assertTrue(
        lines.stream().anyMatch(l -> l.startsWith("    - 5000  ")), "the newest entry is shown");
    assertTrue(
        lines.stream().anyMatch(l -> l.startsWith("    - 4996  ")), "the last five are shown");
    assertTrue(
        lines.stream().noneMatch(l -> l.startsWith("    - 4995  ")), "older ones are left out");
    assertTrue(
        lines.stream().anyMatch(l -> l.contains("skipped 5000")), "the phase line counts them");
  }

  @Test
  void givenShortList_whenRendered_thenEveryItemShownCutToTheLineLimit() {
    List<String> lines = render(binlogStatusWithSkips(3));
    assertEquals(
        3, lines.stream().filter(l -> l.startsWith("    - ")).count(), String.join("\n", lines));
    assertTrue(
        lines.stream().allMatch(l -> l.length() <= Render.MAX_LINE), String.join("\n", lines));
    assertTrue(lines.stream().anyMatch(l -> l.endsWith("…")), "a long entry is cut visibly");
  }

  @Test
  void givenRollbackStatusWithACname_whenRendered_thenClusterInstancesAndThePreviousValue() {
    ObjectNode s = Render.MAPPER.createObjectNode();
    s.put("phase", "AWAITING_APPROVAL");
    s.put("newClusterId", "orders-56");
    s.putArray("instances").add("orders-56-1").add("orders-56-2");
    s.put("recordName", "db.orders.internal.");
    s.put("previousCname", "orders.cluster-x.rds.amazonaws.com");

    assertEquals(
        "new cluster orders-56, 2 instance(s); CNAME db.orders.internal. was"
            + " orders.cluster-x.rds.amazonaws.com",
        ProcedureViews.progress(Procedures.UPGRADE_ROLLBACK.name(), s));
    s.remove("recordName");
    assertEquals(
        "new cluster orders-56, 2 instance(s)",
        ProcedureViews.progress(Procedures.UPGRADE_ROLLBACK.name(), s));
  }
}
