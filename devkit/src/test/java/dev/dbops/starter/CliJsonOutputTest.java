package dev.dbops.starter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code --json} of start, list (with its filters), approve and watch, read by a machine: every
 * document parses, and says what the text says.
 */
@DevStackTest
class CliJsonOutputTest {
  static final String BUCKET = "cli-json-output";
  static final String ID = "json/gated";

  @BeforeAll
  static void seed() {
    var s3 = DevStack.sandbox().s3();
    s3.createBucket(BUCKET);
    s3.putObject(BUCKET, "gated/x.csv", "x".getBytes(), "GLACIER");
  }

  private static Cli.Result expect(int exit, Cli.Result r) {
    assertEquals(exit, r.exit(), r.toString());
    return r;
  }

  private static List<String> ids(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(r -> out.add(r.path("workflowId").asText()));
    return out;
  }

  @Test
  void
      givenRunWaitingForApproval_whenStartedListedApprovedAndWatchedAsJson_thenEveryDocumentSaysSo()
          throws Exception {
    JsonNode started =
        Render.MAPPER.readTree(
            expect(
                    ExitCodes.OK,
                    DevStack.cli(
                        "start",
                        "glacier-restore",
                        "--bucket",
                        BUCKET,
                        "--prefix",
                        "gated/",
                        "--tier",
                        "EXPEDITED",
                        "--poll-interval",
                        "1s",
                        "--require-approval",
                        "--approver",
                        "alice",
                        "--requested-by",
                        "bob",
                        "--id",
                        ID,
                        "--json"))
                .out());
    assertEquals(ID, started.path("workflowId").asText(), started.toString());
    assertEquals("WAITING_FOR_PERSON", started.path("outcome").asText(), started.toString());
    assertEquals("glacier-restore", started.path("procedure").asText(), started.toString());

    JsonNode waiting =
        Render.MAPPER.readTree(
            expect(ExitCodes.OK, DevStack.cli("list", "--waiting", "--json")).out());
    assertTrue(ids(waiting).contains(ID), waiting.toString());
    JsonNode byPhase =
        Render.MAPPER.readTree(
            DevStack.cli("list", "--phase", "awaiting_approval", "--target", "json/", "--json")
                .out());
    assertEquals(List.of(ID), ids(byPhase), byPhase.toString());
    assertEquals("AWAITING_APPROVAL", byPhase.get(0).path("phase").asText(), byPhase.toString());
    JsonNode otherProcedure =
        Render.MAPPER.readTree(
            DevStack.cli("list", "--procedure", "upgrade", "--target", "json/", "--json").out());
    assertEquals(List.of(), ids(otherProcedure), otherProcedure.toString());
    Cli.Result unknown =
        expect(ExitCodes.INVALID_INPUT, DevStack.cli("list", "--procedure", "upgrayed"));
    assertTrue(
        unknown.err().startsWith("--procedure: 'upgrayed' is none of glacier-restore, upgrade"),
        unknown.toString());

    Cli.Result refused =
        expect(ExitCodes.INVALID_INPUT, DevStack.cli("approve", ID, "--by", "bob", "--json"));
    assertEquals(
        "refused",
        Render.MAPPER.readTree(refused.out()).path("outcome").asText(),
        refused.toString());
    JsonNode approved =
        Render.MAPPER.readTree(
            expect(
                    ExitCodes.OK,
                    DevStack.cli("approve", ID, "--by", "alice", "--comment", "ok", "--json"))
                .out());
    assertEquals("approved", approved.path("outcome").asText(), approved.toString());
    assertEquals("alice", approved.path("record").path("by").asText(), approved.toString());

    Cli.Result watch =
        expect(ExitCodes.OK, DevStack.cli("watch", ID, "--interval", "200ms", "--json"));
    List<JsonNode> events = new ArrayList<>();
    for (String line : watch.out().lines().toList()) events.add(Render.MAPPER.readTree(line));
    assertEquals("watching", events.get(0).path("event").asText(), watch.toString());
    JsonNode last = events.get(events.size() - 1);
    assertEquals("finished", last.path("event").asText(), watch.toString());
    assertEquals("COMPLETED", last.path("outcome").asText(), watch.toString());
    assertTrue(
        events.stream()
            .anyMatch(
                e ->
                    e.path("event").asText().equals("record")
                        && e.path("record").path("by").asText().equals("alice")),
        watch.toString());
  }
}
