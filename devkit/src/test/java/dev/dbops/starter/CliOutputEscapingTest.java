package dev.dbops.starter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Output can't be forged (issue 14, class 4): a reason or a requester holding a newline, an ANSI
 * escape, a bidi override or a line separator shows in status, watch, list, result and the report
 * in every format as visible escapes, never as a line of its own or a terminal command; JSON keeps
 * the exact text.
 */
@DevStackTest
class CliOutputEscapingTest {
  static final String BUCKET = "cli-escaping";
  static final String FORGED =
      "ok\n  2026-12-07 10:00:00Z  approved by dave\u001B[2J \u202Eevil\u2028x\u0085y";
  static final List<String> RAW = List.of("\u001B", "\u202E", "\u2028", "\u0085");

  @BeforeAll
  static void seed() {
    var s3 = DevStack.sandbox().s3();
    s3.createBucket(BUCKET);
    s3.putObject(BUCKET, "rejected/x.csv", "x".getBytes(), "GLACIER");
    s3.putObject(BUCKET, "dry/y.csv", "y".getBytes(), "GLACIER");
  }

  private static Cli.Result expect(int exit, Cli.Result r) {
    assertEquals(exit, r.exit(), r.toString());
    return r;
  }

  /** No raw control / format character, and the forged text never starts a line of its own. */
  static void assertEscaped(String what, String output) {
    for (String c : RAW) {
      assertFalse(
          output.contains(c),
          what + " prints U+" + Integer.toHexString(c.charAt(0)) + " raw:\n" + output);
    }
    for (String line : output.split("\n")) {
      assertFalse(
          line.strip().startsWith("2026-12-07 10:00:00Z  approved by dave"),
          what + " forged a line:\n" + output);
    }
    assertTrue(output.contains("\\u001B[2J") || !output.contains("[2J"), what + ":\n" + output);
  }

  @Test
  void givenRejectionReasonWithControlAndBidiCharacters_whenShown_thenEveryOutputEscapesThem()
      throws Exception {
    String id = "cli/escaping-rejected";
    expect(
        0,
        DevStack.cli(
            "start",
            "glacier-restore",
            "--bucket",
            BUCKET,
            "--prefix",
            "rejected/",
            "--tier",
            "STANDARD",
            "--require-approval",
            "--approver",
            "alice",
            "--requested-by",
            "bob",
            "--id",
            id));
    expect(0, DevStack.cli("reject", id, "--by", "alice", "--reason", FORGED));
    Cli.Result watch = DevStack.cli("watch", id);
    assertEscaped("watch", watch.out() + watch.err());
    Cli.Result status = DevStack.cli("status", id);
    assertEscaped("status", status.out() + status.err());
    assertTrue(
        status
            .out()
            .contains("ok\\n  2026-12-07 10:00:00Z  approved by dave\\u001B[2J \\u202Eevil"),
        status.out());
    Cli.Result result = DevStack.cli("result", id);
    assertEscaped("result", result.out() + result.err());
    assertEscaped("list", DevStack.cli("list").out());
    String md = expect(0, DevStack.cli("report", id)).out();
    assertEscaped("report (markdown)", md);
    for (String line : md.split("\n")) {
      if (line.contains("evil"))
        assertTrue(line.startsWith("|") && line.endsWith("|"), "one table row: " + line);
    }
    String json = expect(0, DevStack.cli("report", id, "--format", "json")).out();
    assertEscaped("report (json)", json);
    JsonNode report = Render.MAPPER.readTree(json);
    JsonNode rejected = report.path("approvals").get(0);
    assertEquals(FORGED, rejected.path("comment").asText(), "JSON keeps the exact text");
    String statusJson = expect(0, DevStack.cli("status", id, "--json")).out();
    assertEscaped("status --json", statusJson);
  }

  @Test
  void givenRequesterWithControlCharacters_whenShown_thenEscaped(@TempDir Path dir)
      throws Exception {
    String id = "cli/escaping-requester";
    Path input = dir.resolve("dry.json");
    Render.MAPPER.writeValue(
        input.toFile(),
        Map.of(
            "bucket",
            BUCKET,
            "prefix",
            "dry/",
            "tier",
            "STANDARD",
            "dryRun",
            true,
            "requestedBy",
            "mallory\n  2026-12-07 10:00:00Z  approved by dave\u001B[2J"));
    Cli.Result start =
        DevStack.cli("start", "glacier-restore", "--input", input.toString(), "--id", id, "--wait");
    assertEscaped("start", start.out() + start.err());
    assertEscaped("status", DevStack.cli("status", id).out());
    assertEscaped("report", DevStack.cli("report", id).out());
    assertEscaped("report (text)", DevStack.cli("report", id, "--format", "text").out());
    assertTrue(Files.exists(input));
  }

  @Test
  void givenRunStartedOutsideTheCliWithANewlineInItsId_whenListed_thenTheIdStaysOnItsLine()
      throws Exception {
    var stubs =
        io.temporal.serviceclient.WorkflowServiceStubs.newServiceStubs(
            io.temporal.serviceclient.WorkflowServiceStubsOptions.newBuilder()
                .setTarget(DevStack.temporalAddress())
                .build());
    try {
      var client = io.temporal.client.WorkflowClient.newInstance(stubs);
      String id = "cli/escaping-id\n2026-12-07 10:00:00Z  approved by dave";
      var run =
          client.newWorkflowStub(
              dev.dbops.workflows.restore.GlacierRestoreWorkflow.class,
              io.temporal.client.WorkflowOptions.newBuilder()
                  .setTaskQueue(DevStack.QUEUE)
                  .setWorkflowId(id)
                  .build());
      var request =
          dev.dbops.workflows.restore.GlacierRestoreRequest.Builder.of(BUCKET, "dry/")
              .tier(dev.dbops.workflows.restore.RestoreTier.STANDARD)
              .dryRun(true)
              .requestedBy("bob")
              .build();
      run.run(request);
      String list = expect(0, DevStack.cli("list")).out();
      assertEscaped("list", list);
      assertTrue(list.contains("cli/escaping-id\\n2026-12-07 10:00:00Z  approved by dave"), list);
    } finally {
      stubs.shutdownNow();
    }
  }
}
