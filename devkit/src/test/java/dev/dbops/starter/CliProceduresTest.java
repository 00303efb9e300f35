package dev.dbops.starter;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI's commands against the in-process dev server, sandbox and worker. */
@DevStackTest
class CliProceduresTest {
  static final String BUCKET = "cli-procedures";
  static final byte[] JAN = "month,total\n2023-01,42\n".getBytes();
  static final byte[] FEB = "month,total\n2023-02,43\n".getBytes();

  @BeforeAll
  static void seed() {
    var s3 = DevStack.sandbox().s3();
    s3.createBucket(BUCKET);
    s3.putObject(BUCKET, "orders/2023-01.csv", JAN, "GLACIER");
    s3.putObject(BUCKET, "orders/2023-02.csv", FEB, "GLACIER");
    s3.putObject(BUCKET, "orders/README", "readme".getBytes(), "STANDARD");
    s3.putObject(BUCKET, "gated/x.csv", "x".getBytes(), "GLACIER");
    s3.putObject(BUCKET, "rejected/x.csv", "x".getBytes(), "GLACIER");
    s3.putObject(BUCKET, "cancelled/x.csv", "x".getBytes(), "GLACIER");
    s3.putObject(BUCKET, "unsafe/ok.csv", JAN, "GLACIER");
    s3.putObject(BUCKET, "unsafe/dup/a.txt", "first".getBytes(), "GLACIER");
    s3.putObject(BUCKET, "unsafe/dup//a.txt", "second, other bytes".getBytes(), "GLACIER");
    s3.putObject(BUCKET, "unsafe/link/x.txt", "lands outside".getBytes(), "GLACIER");
  }

  private static Cli.Result expect(int exit, Cli.Result r) {
    assertEquals(exit, r.exit(), r.toString());
    return r;
  }

  private static JsonNode json(String text) throws Exception {
    return Render.MAPPER.readTree(text);
  }

  @Test
  void givenGlacierObjects_whenStartWait_thenDownloadedAndListedAndResultIsCompleted(
      @TempDir Path dir) throws Exception {
    Cli.Result start =
        expect(
            0,
            DevStack.cli(
                "start",
                "glacier-restore",
                "--bucket",
                BUCKET,
                "--prefix",
                "orders/",
                "--tier",
                "EXPEDITED",
                "--poll-interval",
                "1s",
                "--download-dir",
                dir.toString(),
                "--id",
                "cli/download",
                "--wait"));
    assertTrue(start.out().contains("COMPLETED cli/download"), start.toString());
    assertTrue(start.out().contains("[RESTORING]"), "progress narrated:\n" + start);
    assertArrayEquals(JAN, Files.readAllBytes(dir.resolve("orders/2023-01.csv")));
    assertArrayEquals(FEB, Files.readAllBytes(dir.resolve("orders/2023-02.csv")));

    JsonNode result = json(expect(0, DevStack.cli("result", "cli/download", "--json")).out());
    assertEquals("COMPLETED", result.get("outcome").asText());
    assertEquals(3, result.path("counts").path("DELIVERED").asInt(), result.toString());

    JsonNode status = json(expect(0, DevStack.cli("status", "cli/download", "--json")).out());
    assertEquals("COMPLETED", status.get("state").asText());
    assertEquals("glacier-restore", status.get("procedure").asText());
    assertEquals("COMPLETED", status.path("status").path("phase").asText());

    Cli.Result list = expect(0, DevStack.cli("list"));
    assertTrue(
        list.out()
            .lines()
            .anyMatch(
                l ->
                    l.startsWith("cli/download ")
                        && l.contains("glacier-restore")
                        && l.contains("COMPLETED")),
        list.toString());
  }

  @Test
  void
      givenSymlinkInDownloadDirAndDupKeys_whenStartWait_thenThoseFailUnrestoredAndNothingLandsOutside(
          @TempDir Path tmp) throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("downloads/unsafe"));
    Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));
    Files.createSymbolicLink(dir.resolve("link"), elsewhere);

    Cli.Result start =
        expect(
            1,
            DevStack.cli(
                "start",
                "glacier-restore",
                "--bucket",
                BUCKET,
                "--prefix",
                "unsafe/",
                "--tier",
                "EXPEDITED",
                "--poll-interval",
                "1s",
                "--download-dir",
                tmp.resolve("downloads").toString(),
                "--id",
                "cli/unsafe",
                "--wait"));

    assertTrue(start.out().contains("COMPLETED_WITH_FAILURES cli/unsafe"), start.toString());
    JsonNode result = json(expect(1, DevStack.cli("result", "cli/unsafe", "--json")).out());
    assertEquals(2, result.path("counts").path("DELIVERED").asInt(), result.toString());
    assertEquals(2, result.path("counts").path("FAILED").asInt(), result.toString());
    for (JsonNode o : result.path("objects")) {
      if (!"FAILED".equals(o.path("outcome").asText())) continue;
      assertTrue(
          o.path("detail").asText().startsWith("PathRefused: key '" + o.path("key").asText()),
          o.toString());
    }
    assertEquals(
        List.of("unsafe/dup/a.txt", "unsafe/ok.csv"),
        DevStack.restoreCalls(BUCKET).stream()
            .map(c -> c.key())
            .filter(k -> k.startsWith("unsafe/"))
            .sorted()
            .toList(),
        "refused keys are never restored");
    assertArrayEquals("first".getBytes(), Files.readAllBytes(dir.resolve("dup/a.txt")));
    try (var outside = Files.list(elsewhere)) {
      assertEquals(0, outside.count(), "nothing written through the link");
    }
    try (var all = Files.walk(tmp)) {
      assertEquals(
          List.of("downloads/unsafe/dup/a.txt", "downloads/unsafe/ok.csv"),
          all.filter(Files::isRegularFile)
              .map(p -> tmp.relativize(p).toString())
              .sorted()
              .toList());
    }
  }

  @Test
  void givenApprovalRequired_whenPeopleApprove_thenRefusalsExit2AndApprovalCounts() {
    Cli.Result start =
        expect(
            0,
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
                "cli/gated"));
    assertTrue(start.out().contains("./dbops approve cli/gated --by <name>"), start.toString());
    // What the Temporal UI shows of the run: its summary, and search attributes a query can find.
    var stubs =
        io.temporal.serviceclient.WorkflowServiceStubs.newServiceStubs(
            io.temporal.serviceclient.WorkflowServiceStubsOptions.newBuilder()
                .setTarget(DevStack.temporalAddress())
                .build());
    try {
      var described =
          io.temporal.client.WorkflowClient.newInstance(stubs)
              .newUntypedWorkflowStub("cli/gated")
              .describe();
      assertEquals(
          "glacier-restore s3/" + BUCKET + "/gated/, requested by bob",
          described.getStaticSummary());
      var attributes = described.getTypedSearchAttributes();
      assertEquals(
          "glacier-restore",
          attributes.get(dev.dbops.workflows.common.SearchAttributesInterceptor.PROCEDURE));
      assertEquals(
          "AWAITING_APPROVAL",
          attributes.get(dev.dbops.workflows.common.SearchAttributesInterceptor.PHASE));
      assertEquals(
          "APPROVAL",
          attributes.get(dev.dbops.workflows.common.SearchAttributesInterceptor.WAITING_FOR));
      assertEquals(
          "bob",
          attributes.get(dev.dbops.workflows.common.SearchAttributesInterceptor.REQUESTED_BY));
    } finally {
      stubs.shutdownNow();
    }

    Cli.Result self = expect(2, DevStack.cli("approve", "cli/gated", "--by", "bob"));
    assertTrue(self.err().contains("requester may not approve"), self.toString());
    Cli.Result stranger = expect(2, DevStack.cli("approve", "cli/gated", "--by", "carol"));
    assertTrue(stranger.err().contains("carol is not on the approver list"), stranger.toString());

    Cli.Result ok =
        expect(0, DevStack.cli("approve", "cli/gated", "--by", "alice", "--comment", "audit"));
    assertTrue(ok.out().contains("approval by alice recorded (approved)"), ok.toString());

    Cli.Result watch = expect(0, DevStack.cli("watch", "cli/gated"));
    assertTrue(watch.out().contains("COMPLETED cli/gated"), watch.toString());
    assertTrue(watch.out().contains("approved by alice: audit"), watch.toString());
  }

  @Test
  void givenApprovalRequired_whenRejected_thenRunFailsAndWatchAndResultExit1() {
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
            "EXPEDITED",
            "--require-approval",
            "--approver",
            "alice",
            "--requested-by",
            "bob",
            "--id",
            "cli/rejected"));
    expect(0, DevStack.cli("reject", "cli/rejected", "--by", "alice", "--reason", "wrong month"));

    Cli.Result watch = expect(1, DevStack.cli("watch", "cli/rejected"));
    assertTrue(watch.out().contains("FAILED cli/rejected: Rejected"), watch.toString());
    expect(1, DevStack.cli("result", "cli/rejected"));
    assertEquals(
        0,
        DevStack.restoreCalls(BUCKET).stream()
            .filter(c -> "rejected/x.csv".equals(c.key()))
            .count(),
        "a rejected run restores nothing");
  }

  @Test
  void givenWaitingRun_whenCancelled_thenRunEndsAndWatchExit1() {
    expect(
        0,
        DevStack.cli(
            "start",
            "glacier-restore",
            "--bucket",
            BUCKET,
            "--prefix",
            "cancelled/",
            "--tier",
            "EXPEDITED",
            "--require-approval",
            "--approver",
            "alice",
            "--requested-by",
            "bob",
            "--id",
            "cli/cancelled"));
    Cli.Result cancel = expect(0, DevStack.cli("cancel", "cli/cancelled"));
    assertTrue(cancel.out().contains("cli/cancelled stopped: CANCELED"), cancel.toString());
    Cli.Result watch = expect(1, DevStack.cli("watch", "cli/cancelled"));
    assertTrue(watch.out().contains("FAILED cli/cancelled"), watch.toString());
    expect(2, DevStack.cli("cancel", "cli/cancelled"));
  }

  @Test
  void givenJsonInputWithoutRequester_whenPlanned_thenReadLikeTheUiAndRequesterDefaulted(
      @TempDir Path dir) throws Exception {
    Path input = dir.resolve("restore.json");
    Files.writeString(
        input,
        "{\"bucket\": \""
            + BUCKET
            + "\", \"prefix\": \"orders/\","
            + " \"tier\": \"STANDARD\", \"pollInterval\": \"PT1M\", \"requireApproval\": true,"
            + " \"approval\": {\"approvers\": [\"zed-the-approver\"]}}");
    Cli.Result plan =
        expect(0, DevStack.cli("plan", "glacier-restore", "--input", input.toString(), "--json"));
    JsonNode result = json(plan.out());
    assertEquals("PLANNED", result.get("outcome").asText(), plan.toString());
    assertTrue(
        result
            .path("timeline")
            .get(0)
            .path("detail")
            .asText()
            .contains(ProcedureCommand.currentUser()),
        result.toString());
  }

  @Test
  void givenPlan_whenRun_thenStepsAndCallsPrintedAndNothingRestored() {
    long before = DevStack.restoreCalls(BUCKET).size();
    Cli.Result plan =
        expect(
            0,
            DevStack.cli(
                "plan",
                "glacier-restore",
                "--bucket",
                BUCKET,
                "--prefix",
                "orders/",
                "--tier",
                "BULK"));
    assertTrue(plan.out().contains("dry run; nothing was changed"), plan.toString());
    assertTrue(plan.out().contains("RestoreObject"), plan.toString());
    assertTrue(plan.out().contains("estimated cost"), plan.toString());
    assertEquals(before, DevStack.restoreCalls(BUCKET).size(), "plan must not restore");
  }
}
