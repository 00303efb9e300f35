package dev.dbops.starter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.temporal.api.enums.v1.ScheduleOverlapPolicy;
import io.temporal.api.workflowservice.v1.CreateScheduleRequest;
import io.temporal.api.workflowservice.v1.DeleteScheduleRequest;
import io.temporal.api.workflowservice.v1.PatchScheduleRequest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What {@code dbops schedule} puts on the wire and how it reads the answers, through the SDK's
 * ScheduleClient, against {@link ScheduleRecordingFrontend} — a recording double of the frontend's
 * schedule calls, not Temporal: whether a real server then runs the schedule at the right times is
 * not tested here (no real server runs in this build).
 */
class CliScheduleWireTest {
  static ScheduleRecordingFrontend frontend;

  @BeforeAll
  static void start() {
    frontend = new ScheduleRecordingFrontend();
  }

  @AfterAll
  static void stop() {
    frontend.close();
  }

  private static Cli.Result cli(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(
        List.of("--address", frontend.address(), "--namespace", "ops", "--task-queue", "dbops"));
    return Cli.run(all.toArray(String[]::new));
  }

  private static Cli.Result expect(int exit, Cli.Result r) {
    assertEquals(exit, r.exit(), r.toString());
    return r;
  }

  @Test
  void givenMondayTokyoSchedule_whenCreatedDescribedPausedTriggeredDeleted_thenTheRequestsCarryIt()
      throws Exception {
    Cli.Result created =
        expect(
            0,
            cli(
                "schedule",
                "create",
                "weekly-restore",
                "glacier-restore",
                "--bucket",
                "monthly-exports",
                "--prefix",
                "orders/",
                "--tier",
                "BULK",
                "--requested-by",
                "bob",
                "--approver",
                "alice",
                "--cron",
                "0 3 * * MON",
                "--timezone",
                "Asia/Tokyo",
                "--note",
                "month-end"));
    assertTrue(
        created
            .out()
            .contains(
                "created schedule weekly-restore: glacier-restore, cron \"0 3 * * MON\" in"
                    + " Asia/Tokyo, overlap SKIP"),
        created.toString());
    assertTrue(
        created
            .out()
            .contains(
                "runs as glacier-restore/weekly-restore-<scheduled time> on task queue dbops"),
        created.toString());

    CreateScheduleRequest sent = frontend.requests(CreateScheduleRequest.class).get(0);
    assertEquals("ops", sent.getNamespace());
    assertEquals("weekly-restore", sent.getScheduleId());
    var schedule = sent.getSchedule();
    assertEquals(List.of("0 3 * * MON"), schedule.getSpec().getCronStringList());
    assertEquals("Asia/Tokyo", schedule.getSpec().getTimezoneName());
    assertEquals(
        ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_SKIP,
        schedule.getPolicies().getOverlapPolicy());
    assertTrue(
        schedule.getState().getNotes().endsWith(": month-end"), schedule.getState().getNotes());
    var action = schedule.getAction().getStartWorkflow();
    assertEquals("GlacierRestoreWorkflow", action.getWorkflowType().getName());
    assertEquals("glacier-restore/weekly-restore", action.getWorkflowId());
    assertEquals("dbops", action.getTaskQueue().getName());
    JsonNode input =
        Render.MAPPER.readTree(action.getInput().getPayloads(0).getData().toStringUtf8());
    assertEquals("monthly-exports", input.path("bucket").asText(), input.toString());
    assertEquals("bob", input.path("requestedBy").asText());
    assertEquals("alice", input.path("approval").path("approvers").get(0).asText());

    Cli.Result again =
        expect(
            2,
            cli(
                "schedule",
                "create",
                "weekly-restore",
                "glacier-restore",
                "--bucket",
                "monthly-exports",
                "--prefix",
                "orders/",
                "--tier",
                "BULK",
                "--cron",
                "@weekly"));
    assertTrue(
        again.err().contains("schedule-id: a schedule 'weekly-restore' already exists"),
        again.toString());

    Cli.Result described = expect(0, cli("schedule", "describe", "weekly-restore"));
    assertTrue(
        described.out().startsWith("weekly-restore  glacier-restore  ACTIVE"),
        described.toString());
    assertTrue(
        described.out().contains("when: cron \"0 3 * * MON\" in Asia/Tokyo"), described.toString());
    assertTrue(
        described.out().contains("2026-01-12 03:00:00 +09:00"),
        "next run in Tokyo time:\n" + described);
    assertTrue(
        described.out().contains("glacier-restore/weekly-restore-2026-01-04T18:00:00Z"),
        described.toString());
    JsonNode json =
        Render.MAPPER.readTree(
            expect(0, cli("schedule", "describe", "weekly-restore", "--json")).out());
    assertEquals("SKIP", json.path("overlap").asText());
    assertEquals("2026-01-11T18:00:00Z", json.path("nextRuns").get(0).asText());

    Cli.Result listed = expect(0, cli("schedule", "list"));
    assertTrue(
        listed
            .out()
            .lines()
            .anyMatch(
                l ->
                    l.startsWith("weekly-restore ")
                        && l.contains("glacier-restore")
                        && l.contains("ACTIVE")
                        && l.contains("2026-01-12 03:00:00 +09:00")),
        listed.toString());

    expect(
        0,
        cli("schedule", "pause", "weekly-restore", "--reason", "change freeze", "--by", "carol"));
    expect(
        0,
        cli("schedule", "unpause", "weekly-restore", "--reason", "freeze over", "--by", "carol"));
    expect(0, cli("schedule", "trigger", "weekly-restore"));
    List<PatchScheduleRequest> patches = frontend.requests(PatchScheduleRequest.class);
    assertEquals("paused by carol: change freeze", patches.get(0).getPatch().getPause());
    assertEquals("unpaused by carol: freeze over", patches.get(1).getPatch().getUnpause());
    assertTrue(patches.get(2).getPatch().hasTriggerImmediately());

    expect(0, cli("schedule", "delete", "weekly-restore"));
    assertEquals(
        "weekly-restore", frontend.requests(DeleteScheduleRequest.class).get(0).getScheduleId());
    Cli.Result gone = expect(2, cli("schedule", "describe", "weekly-restore"));
    assertTrue(
        gone.err().contains("schedule-id: no schedule 'weekly-restore' in namespace 'ops'"),
        gone.toString());
    expect(2, cli("schedule", "pause", "weekly-restore", "--reason", "x"));
  }
}
