package dev.dbops.starter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.temporal.common.converter.DefaultDataConverter;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The audit report built from a history's facts and a result, without a server: the sections of
 * procedures the CLI tests do not run to the end here (staging rebuild, binlog catch-up), the
 * redaction of secrets, and Markdown that stays a table.
 */
class AuditReportTest {
  static final Instant NOW = Instant.parse("2026-01-05T00:00:00Z");

  private static JsonNode json(String text) throws Exception {
    return Render.MAPPER.readTree(text.replace('\'', '"'));
  }

  private static AuditHistory history(String workflowType, JsonNode request, JsonNode result) {
    AuditHistory h = new AuditHistory(DefaultDataConverter.STANDARD_INSTANCE);
    h.runIds.add("run-1");
    h.workflowType = workflowType;
    h.taskQueue = "dbops";
    h.started = "2026-01-04T18:00:00Z";
    h.request = request;
    h.result = result;
    h.state = result == null ? "RUNNING" : "COMPLETED";
    return h;
  }

  @Test
  void givenStagingResult_whenReported_thenMaskingHashVerificationAndItsResourceList()
      throws Exception {
    JsonNode request =
        json(
            "{'sourceClusterId': 'prod-main', 'masterPasswordRef': 'secretsmanager:staging/master',"
                + " 'masking': {'scriptRef': 'file:/etc/dbops/mask.sql', 'verifyQueries': ['SELECT COUNT(*) FROM app.users"
                + " WHERE email NOT LIKE \\u0027%@example.invalid\\u0027']},"
                + " 'sourceLogin': {'user': 'dbops', 'passwordRef': 'hunter2'}, 'requestedBy': 'bob'}");
    JsonNode result =
        json(
            "{'outcome': 'COMPLETED', 'maskingSha256': 'ab12', 'mask': {'sha256': 'ab12',"
                + " 'statementsRun': 2, 'rowsChanged': [100, 40], 'verification': [{'query': 'SELECT 0', 'value': 0}]},"
                + " 'resources': [{'kind': 'SNAPSHOT', 'account': '111111111111', 'id': 'dbops-stg-x', 'action': 'CREATED',"
                + " 'at': '2026-01-04T18:01:00Z', 'detail': null}, {'kind': 'CLUSTER', 'account': '222222222222',"
                + " 'id': 'staging-old', 'action': 'DELETED', 'at': '2026-01-05T18:01:00Z', 'detail': 'owner tag checked'}],"
                + " 'approvals': [{'step': 'retire staging-old', 'by': 'alice', 'comment': 'go', 'at': '2026-01-05T09:00:00Z',"
                + " 'outcome': 'approved'}], 'timeline': [{'step': 'started', 'at': '2026-01-04T18:00:00Z', 'detail': 'x'}]}");

    ObjectNode r =
        AuditReport.build(
            "staging-rebuild/weekly-2026-01-04T18:00:00Z",
            history("StagingRebuildWorkflow", request, result),
            null,
            Map.of(),
            NOW);

    JsonNode script = r.path("sql").get(0);
    assertEquals("masking script", script.path("what").asText());
    assertEquals("file:/etc/dbops/mask.sql", script.path("statement").asText());
    assertEquals("ab12", script.path("sha256").asText());
    assertEquals("2 statement(s), rows changed [100,40]", script.path("result").asText());
    assertEquals("0 (masked)", r.path("sql").get(1).path("result").asText());
    assertEquals(
        List.of("CREATED", "DELETED"),
        List.of(
            r.path("resources").get(0).path("action").asText(),
            r.path("resources").get(1).path("action").asText()));
    assertEquals("alice", r.path("approvals").get(0).path("by").asText());
    assertEquals("bob", r.path("requestedBy").asText());
    // A reference stays; a password that is not a reference never reaches the report.
    assertEquals(
        "secretsmanager:staging/master", r.path("request").path("masterPasswordRef").asText());
    assertEquals(
        Redaction.REDACTED, r.path("request").path("sourceLogin").path("passwordRef").asText());
    assertFalse(Render.json(r).contains("hunter2"));
    String md = ReportMarkdown.render(r);
    assertFalse(md.contains("hunter2"), md);
    assertTrue(md.contains("| masking script | `file:/etc/dbops/mask.sql` | `ab12` |"), md);
    assertTrue(md.contains("| CLUSTER | `staging-old` | 222222222222 | DELETED |"), md);
  }

  @Test
  void givenBinlogStatusWhileRunning_whenReported_thenJournalDecisionsAndPhase() throws Exception {
    JsonNode status =
        json(
            "{'phase': 'AWAITING_DECISION', 'journal': [{'id': 1, 'source': {'file': 'mysql-bin.000003',"
                + " 'position': 1234}, 'relayLog': 'relay.000002:99', 'errno': 1062, 'error': 'Duplicate entry | 7',"
                + " 'events': ['INSERT INTO t VALUES (7)'], 'action': 'SKIP', 'decidedBy': 'policy', 'at': '2026-01-04T18:05:00Z'}],"
                + " 'decisions': [{'step': 'error 1032', 'by': 'carol', 'comment': 'row gone on purpose', 'at':"
                + " '2026-01-04T18:06:00Z', 'outcome': 'SKIP'}], 'timeline': []}");
    AuditHistory h =
        history(
            "BinlogCatchUpWorkflow",
            json(
                "{'requestedBy': 'bob', 'replicationUser':"
                    + " {'user': 'repl', 'passwordRef': 'env:REPL_PASSWORD'}}"),
            null);
    AuditHistory.Call call = h.new Call();
    call.type = "Monitor";
    call.activityId = "7";
    call.scheduled = "2026-01-04T18:01:00Z";
    h.calls.add(call);

    ObjectNode r =
        AuditReport.build(
            "binlog/replica-1", h, status, Map.of("7", new AuditReport.Pending(3, "lag")), NOW);

    assertEquals("RUNNING", r.path("outcome").asText());
    assertEquals("AWAITING_DECISION", r.path("phase").asText());
    assertEquals("status query", r.path("source").asText());
    assertEquals(1062, r.path("skippedEvents").get(0).path("errno").asInt());
    assertEquals("carol", r.path("approvals").get(0).path("by").asText());
    assertEquals(
        3,
        r.path("activities").get(0).path("attempts").asInt(),
        "pending attempts from the server");
    assertEquals("Replication", r.path("activities").get(0).path("interface").asText());
    assertEquals("lag", r.path("activityCalls").get(0).path("lastFailure").asText());
    assertEquals(
        "env:REPL_PASSWORD",
        r.path("request").path("replicationUser").path("passwordRef").asText());
    String md = ReportMarkdown.render(r);
    assertTrue(
        md.contains("| 1 | mysql-bin.000003:1234 | 1062 | Duplicate entry \\| 7 | SKIP | policy |"),
        md);
    assertTrue(md.contains("| closed | still running |"), md);
    assertTrue(md.contains("**RUNNING** (phase AWAITING_DECISION)"), md);
  }

  @Test
  void
      givenABinlogResultKeepingTheNewest200Of1000_whenReportedWithoutItsReplica_thenItSaysHowManyAreMissingAndHowToGetThem()
          throws Exception {
    com.fasterxml.jackson.databind.node.ObjectNode result = Render.MAPPER.createObjectNode();
    com.fasterxml.jackson.databind.node.ArrayNode journal = result.putArray("journal");
    for (int id = 801; id <= 1000; id++) {
      journal.add(
          json(
              "{'id': "
                  + id
                  + ", 'source': {'file': 'mysql-bin.000001', 'position': "
                  + id
                  + "}, 'errno': 1062,"
                  + " 'action': 'SKIPPED', 'decidedBy': 'policy', 'events': [], 'conflicts': [], 'rowsLost': null}"));
    }
    result.put("journaled", 1000);
    AuditHistory h = history("BinlogCatchUpWorkflow", json("{'requestedBy': 'bob'}"), result);

    ObjectNode r = AuditReport.build("binlog/replica-1", h, null, Map.of(), NOW);

    assertEquals(200, r.path("skippedEvents").size());
    JsonNode summary = r.path("skippedEventsSummary");
    assertEquals(1000, summary.path("journaled").asInt(), summary.toString());
    assertEquals(800, summary.path("notRead").asInt(), summary.toString());
    assertEquals(200, summary.path("entriesWithRowsLostUnknown").asInt(), summary.toString());
    String md = ReportMarkdown.render(r);
    assertTrue(
        md.contains(
            "200 of 1000 journaled entries shown; rows lost: 0 and unknown for 200 entries."),
        md);
    assertTrue(
        md.contains(
            "**Not complete:** 800 of the 1000 journal entries of run 'binlog/replica-1' (ids after 0 and"
                + " before 801) were not read"),
        md);
    assertTrue(md.contains("`./dbops journal binlog/replica-1 --format jsonl`"), md);
    assertEquals(
        200,
        md.lines().filter(l -> l.matches("\\| \\d+ \\| mysql-bin.*")).count(),
        "every kept entry, none cut");
  }

  @Test
  void givenSecretNamedFields_whenRedacted_thenOnlyReferencesAndNullsSurvive() throws Exception {
    JsonNode doc =
        Redaction.apply(
            json(
                "{'password': 'p1', 'dbPasswordRef': 'file:/run/secrets/db',"
                    + " 'clientSecret': {'value': 's'}, 'list': [{'masterPassword': 'p2'}, {'secretArn': null}],"
                    + " 'secretsmanagerRef': 'secretsmanager:x', 'comment': 'password is p3'}"));
    assertEquals(Redaction.REDACTED, doc.path("password").asText());
    assertEquals("file:/run/secrets/db", doc.path("dbPasswordRef").asText());
    assertEquals(Redaction.REDACTED, doc.path("clientSecret").asText());
    assertEquals(Redaction.REDACTED, doc.path("list").get(0).path("masterPassword").asText());
    assertTrue(doc.path("list").get(1).path("secretArn").isNull());
    assertEquals("secretsmanager:x", doc.path("secretsmanagerRef").asText());
    assertEquals("password is p3", doc.path("comment").asText(), "free text is not a field name");
  }

  @Test
  void givenActivityTypes_whenNamed_thenTheDeclaringInterfaceIsShown() {
    AuditHistory upgrade = history("UpgradeWorkflow", null, null);
    assertEquals("RdsUpgrade", upgrade.system("EnsureSnapshot"));
    assertEquals("S3Restore", upgrade.system("ListObjects"));
    assertNull(upgrade.system("NoSuchActivity"));
    // Staging's types carry their interface's prefix, so they never clash with the upgrade's.
    AuditHistory staging = history("StagingRebuildWorkflow", null, null);
    assertEquals("Staging", staging.system("StagingEnsureSnapshot"));
    assertEquals("RdsUpgrade", history("SomeOtherWorkflow", null, null).system("EnsureSnapshot"));
  }
}
