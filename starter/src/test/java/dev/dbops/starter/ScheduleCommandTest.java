package dev.dbops.starter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dbops.workflows.catalog.Procedures;
import dev.dbops.workflows.restore.GlacierRestoreRequest;
import dev.dbops.workflows.restore.RestoreTier;
import io.temporal.api.enums.v1.ScheduleOverlapPolicy;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.schedules.Schedule;
import io.temporal.client.schedules.ScheduleActionExecutionStartWorkflow;
import io.temporal.client.schedules.ScheduleActionResult;
import io.temporal.client.schedules.ScheduleActionStartWorkflow;
import io.temporal.client.schedules.ScheduleCalendarSpec;
import io.temporal.client.schedules.ScheduleDescription;
import io.temporal.client.schedules.ScheduleInfo;
import io.temporal.client.schedules.SchedulePolicy;
import io.temporal.client.schedules.ScheduleRange;
import io.temporal.client.schedules.ScheduleSpec;
import io.temporal.client.schedules.ScheduleState;
import io.temporal.common.SearchAttributes;
import io.temporal.common.converter.DefaultDataConverter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code dbops schedule}: what is built and refused without a server. The embedded test server has
 * no schedules (see {@link CliScheduleTest}); these check the Schedule the CLI would send.
 */
class ScheduleCommandTest {
  /** Nothing listens here: a command that got this far would exit 3 "cannot reach Temporal". */
  static final String NO_SERVER = "127.0.0.1:1";

  static final String[] RESTORE = {
    "--bucket",
    "monthly-exports",
    "--prefix",
    "orders/",
    "--tier",
    "BULK",
    "--requested-by",
    "bob",
    "--approver",
    "alice"
  };

  private static ScheduleCreateCommand.ForProcedure parsed(String procedure, String... args) {
    CommandLine cli = DbopsCli.tree();
    List<String> all =
        new java.util.ArrayList<>(List.of("schedule", "create", "weekly", procedure));
    all.addAll(List.of(args));
    CommandLine.ParseResult r = cli.parseArgs(all.toArray(String[]::new));
    while (r.hasSubcommand()) r = r.subcommand();
    return (ScheduleCreateCommand.ForProcedure) r.commandSpec().userObject();
  }

  private static String[] with(String[] base, String... more) {
    List<String> all = new java.util.ArrayList<>(List.of(base));
    all.addAll(List.of(more));
    return all.toArray(String[]::new);
  }

  @Test
  void givenStartSubcommands_whenCliBuilt_thenEveryProcedureCanBeScheduledWithTheSameFlags() {
    CommandLine cli = DbopsCli.tree();
    CommandLine create = cli.getSubcommands().get("schedule").getSubcommands().get("create");
    CommandLine start = cli.getSubcommands().get("start");
    assertEquals(start.getSubcommands().keySet(), create.getSubcommands().keySet());
    for (var e : start.getSubcommands().entrySet()) {
      var scheduled = create.getSubcommands().get(e.getKey()).getCommandSpec();
      var flags = e.getValue().getCommandSpec().mixins().get(ProcedureCommand.FLAGS_MIXIN);
      for (var option : flags.options()) {
        assertTrue(
            scheduled.findOption(option.longestName()) != null,
            e.getKey() + " " + option.longestName());
      }
    }
  }

  @Test
  void givenMondayTokyoCron_whenScheduleBuilt_thenActionStartsTheProcedureUnderItsScheduleId() {
    ScheduleCreateCommand.ForProcedure cmd =
        parsed(
            "glacier-restore",
            with(
                RESTORE,
                "--cron",
                "0 3 * * MON",
                "--timezone",
                "Asia/Tokyo",
                "--note",
                "monthly export restore"));
    assertEquals("weekly", cmd.scheduleId());
    assertEquals(List.of(), cmd.timing.problems());
    Object request = cmd.validRequest();

    Schedule s =
        ScheduledProcedure.schedule(
            cmd.procedure(), request, cmd.scheduleId(), "dbops", cmd.timing, "carol");

    ScheduleActionStartWorkflow action = (ScheduleActionStartWorkflow) s.getAction();
    assertEquals("GlacierRestoreWorkflow", action.getWorkflowType());
    assertEquals("glacier-restore/weekly", action.getOptions().getWorkflowId());
    assertEquals("dbops", action.getOptions().getTaskQueue());
    action.getArguments().setDataConverter(DefaultDataConverter.STANDARD_INSTANCE);
    GlacierRestoreRequest sent = action.getArguments().get(0, GlacierRestoreRequest.class);
    assertEquals("monthly-exports", sent.bucket());
    assertEquals(RestoreTier.BULK, sent.tier());
    assertEquals("bob", sent.requestedBy());
    assertEquals(List.of("0 3 * * MON"), s.getSpec().getCronExpressions());
    assertEquals("Asia/Tokyo", s.getSpec().getTimeZoneName());
    assertEquals(ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_SKIP, s.getPolicy().getOverlap());
    assertFalse(s.getPolicy().isPauseOnFailure());
    assertFalse(s.getState().isPaused());
    assertEquals("created by carol: monthly export restore", s.getState().getNote());
  }

  @Test
  void givenEveryOverlapName_whenParsed_thenTemporalsPolicy() {
    for (ScheduleTiming.Overlap o : ScheduleTiming.Overlap.values()) {
      ScheduleCreateCommand.ForProcedure cmd =
          parsed(
              "glacier-restore",
              with(
                  RESTORE,
                  "--cron",
                  "@weekly",
                  "--overlap",
                  o.name(),
                  "--pause-on-failure",
                  "--paused"));
      SchedulePolicy p = cmd.timing.policy();
      assertEquals("SCHEDULE_OVERLAP_POLICY_" + o.name(), p.getOverlap().name());
      assertEquals(o.name(), ScheduleTiming.Overlap.nameOf(p.getOverlap()));
      assertTrue(p.isPauseOnFailure());
      assertTrue(cmd.timing.state("x").isPaused());
    }
    Cli.Result bad =
        Cli.run(
            with(
                with(new String[] {"schedule", "create", "weekly", "glacier-restore"}, RESTORE),
                "--cron",
                "@weekly",
                "--overlap",
                "SOMETIMES",
                "--address",
                NO_SERVER));
    assertEquals(ExitCodes.INVALID_INPUT, bad.exit(), bad.toString());
    assertTrue(bad.err().contains("--overlap"), bad.toString());
  }

  @Test
  void givenCalendar_whenParsed_thenRangesWithTemporalsDefaultsAndPrintedBackTheSame() {
    ScheduleCalendarSpec c = ScheduleFields.calendar("dayOfWeek=MON-FRI hour=3 minute=30");
    assertEquals(List.of(new ScheduleRange(1, 5, 1)), c.getDayOfWeek());
    assertEquals(List.of(new ScheduleRange(3, 3, 1)), c.getHour());
    assertEquals(List.of(new ScheduleRange(30, 30, 1)), c.getMinutes());
    assertEquals(ScheduleCalendarSpec.BEGINNING, c.getSeconds());
    assertEquals(ScheduleCalendarSpec.ALL_MONTHS, c.getMonth());
    assertEquals(List.of(), c.getYear());
    assertEquals("dayOfWeek=MON-FRI hour=3 minute=30", ScheduleFields.format(c));

    ScheduleCalendarSpec quarterly =
        ScheduleFields.calendar("month=JAN,APR,JUL,OCT dayOfMonth=1 hour=*/6");
    assertEquals(List.of(new ScheduleRange(0, 23, 6)), quarterly.getHour());
    assertEquals(
        "month=JAN,APR,JUL,OCT dayOfMonth=1 hour=0-23/6", ScheduleFields.format(quarterly));
    assertEquals(
        "dayOfWeek=SUN", ScheduleFields.format(ScheduleFields.calendar("dayOfWeek=sunday")));
    assertEquals("dayOfWeek=SUN", ScheduleFields.format(ScheduleFields.calendar("dayOfWeek=7")));

    // What a real server returns for --cron "0 3 * * MON": every field explicit.
    ScheduleCalendarSpec compiled =
        ScheduleCalendarSpec.newBuilder()
            .setSeconds(List.of(new ScheduleRange(0, 0, 1)))
            .setMinutes(List.of(new ScheduleRange(0, 0, 1)))
            .setHour(List.of(new ScheduleRange(3, 3, 1)))
            .setDayOfMonth(List.of(new ScheduleRange(1, 31, 1)))
            .setMonth(List.of(new ScheduleRange(1, 12, 1)))
            .setYear(List.of())
            .setDayOfWeek(List.of(new ScheduleRange(1, 1, 1)))
            .build();
    assertEquals("dayOfWeek=MON hour=3", ScheduleFields.format(compiled));

    assertThrows(IllegalArgumentException.class, () -> ScheduleFields.calendar("hour=24"));
    assertThrows(IllegalArgumentException.class, () -> ScheduleFields.calendar("hours=3"));
    assertThrows(IllegalArgumentException.class, () -> ScheduleFields.calendar("hour=3 hour=4"));
    assertThrows(
        IllegalArgumentException.class, () -> ScheduleFields.calendar("dayOfWeek=FRI-MON"));
  }

  @Test
  void givenCronExpressions_whenChecked_thenTemporalsFormsPassAndOthersNameTheField() {
    for (String ok :
        List.of(
            "0 3 * * MON",
            "*/15 * * * *",
            "0 3 1,15 * MON-FRI",
            "30 0 3 * * SUN 2027",
            "0 3 * * 1 2027",
            "@weekly",
            "CRON_TZ=Asia/Tokyo 0 3 * * MON",
            "0 3 * * MON # weekly")) {
      assertNull(ScheduleFields.cronProblem(ok), ok);
    }
    assertTrue(ScheduleFields.cronProblem("0 3 * *").startsWith("4 field(s)"));
    assertTrue(
        ScheduleFields.cronProblem("61 3 * * *").startsWith("minute '61': 61 is outside 0-59"));
    assertTrue(ScheduleFields.cronProblem("0 3 L * *").startsWith("dayOfMonth 'L'"));
    assertTrue(ScheduleFields.cronProblem("@every 1h").contains("not supported"));
    assertTrue(
        ScheduleFields.cronProblem("CRON_TZ=Mars/Base 0 3 * * *").contains("not a time zone"));

    ScheduleTiming both =
        parsed(
                "glacier-restore",
                with(
                    RESTORE,
                    "--cron",
                    "CRON_TZ=Asia/Tokyo 0 3 * * MON",
                    "--timezone",
                    "Asia/Tokyo"))
            .timing;
    assertEquals(1, both.problems().size(), both.problems().toString());
    assertTrue(both.problems().get(0).contains("names its own zone"), both.problems().toString());
  }

  @Test
  void givenBadScheduleOrRequest_whenCreate_thenExit2NamingTheFieldBeforeAnyServerCall() {
    String[] base = with(new String[] {"schedule", "create", "weekly", "glacier-restore"}, RESTORE);

    Cli.Result noTimes = Cli.run(with(base, "--address", NO_SERVER));
    assertEquals(ExitCodes.INVALID_INPUT, noTimes.exit(), noTimes.toString());
    assertTrue(noTimes.err().contains("--cron or --calendar: required"), noTimes.toString());

    Cli.Result badZone =
        Cli.run(
            with(
                base, "--cron", "0 3 * * MON", "--timezone", "Asia/Tokio", "--address", NO_SERVER));
    assertEquals(ExitCodes.INVALID_INPUT, badZone.exit(), badZone.toString());
    assertTrue(
        badZone.err().contains("--timezone: 'Asia/Tokio' is not a time zone"), badZone.toString());

    Cli.Result badRequest =
        Cli.run(
            "schedule",
            "create",
            "weekly",
            "glacier-restore",
            "--bucket",
            "monthly-exports",
            "--tier",
            "BULK",
            "--cron",
            "0 3 * * MON",
            "--address",
            NO_SERVER);
    assertEquals(ExitCodes.INVALID_INPUT, badRequest.exit(), badRequest.toString());
    assertTrue(
        badRequest.err().startsWith("schedule not created: invalid input"), badRequest.toString());
    assertTrue(badRequest.err().contains("prefix"), badRequest.toString());
    assertFalse(badRequest.err().contains("cannot reach Temporal"), badRequest.toString());

    Cli.Result noFile =
        Cli.run(
            "schedule",
            "create",
            "weekly",
            "glacier-restore",
            "--input",
            "/nonexistent/r.json",
            "--cron",
            "0 3 * * MON",
            "--address",
            NO_SERVER);
    assertEquals(ExitCodes.INVALID_INPUT, noFile.exit(), noFile.toString());
    assertTrue(
        noFile.err().contains("--input: no such file: /nonexistent/r.json"), noFile.toString());

    Cli.Result noProcedure = Cli.run("schedule", "create", "weekly", "--address", NO_SERVER);
    assertEquals(ExitCodes.INVALID_INPUT, noProcedure.exit(), noProcedure.toString());

    Cli.Result good = Cli.run(with(base, "--cron", "0 3 * * MON", "--address", NO_SERVER));
    assertEquals(
        ExitCodes.UNREACHABLE, good.exit(), "a valid schedule goes on to the server:\n" + good);
    assertTrue(good.err().contains("cannot reach Temporal at " + NO_SERVER), good.toString());
  }

  @Test
  void givenUpgradeWithLongScheduleId_whenChecked_thenRefusedBecauseSnapshotIdsWouldRepeat() {
    assertEquals(List.of(), ScheduledProcedure.problems(Procedures.UPGRADE, "monthly"));
    List<String> problems =
        ScheduledProcedure.problems(Procedures.UPGRADE, "a-rather-long-schedule-id-for-db-1");
    assertEquals(1, problems.size(), problems.toString());
    assertTrue(
        problems.get(0).startsWith("schedule-id: too long for upgrade"), problems.toString());
    assertEquals(
        List.of(),
        ScheduledProcedure.problems(
            Procedures.GLACIER_RESTORE, "a-rather-long-schedule-id-for-db-1"));
    assertTrue(
        ScheduledProcedure.problems(Procedures.GLACIER_RESTORE, "two words")
            .get(0)
            .startsWith("schedule-id:"));
  }

  @Test
  void
      givenServerDescription_whenDescribed_thenNextRunsInTheSchedulesZoneAndRecentRunsWithTheirIds() {
    Schedule schedule =
        Schedule.newBuilder()
            .setAction(
                ScheduleActionStartWorkflow.newBuilder()
                    .setWorkflowType("GlacierRestoreWorkflow")
                    .setOptions(
                        WorkflowOptions.newBuilder()
                            .setWorkflowId("glacier-restore/weekly")
                            .setTaskQueue("dbops")
                            .build())
                    .build())
            .setSpec(
                ScheduleSpec.newBuilder()
                    .setCalendars(List.of(ScheduleFields.calendar("dayOfWeek=MON hour=3")))
                    .setTimeZoneName("Asia/Tokyo")
                    .build())
            .setPolicy(
                SchedulePolicy.newBuilder()
                    .setOverlap(ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_SKIP)
                    .build())
            .setState(
                ScheduleState.newBuilder()
                    .setPaused(true)
                    .setNote("paused by alice: freeze")
                    .build())
            .build();
    Instant last = Instant.parse("2026-01-04T18:00:00Z");
    ScheduleInfo info =
        new ScheduleInfo(
            1,
            0,
            2,
            List.of(),
            List.of(
                new ScheduleActionResult(
                    last,
                    last.plusSeconds(1),
                    new ScheduleActionExecutionStartWorkflow(
                        "glacier-restore/weekly-2026-01-04T18:00:00Z", "run-1"))),
            List.of(Instant.parse("2026-01-11T18:00:00Z"), Instant.parse("2026-01-18T18:00:00Z")),
            Instant.parse("2026-01-01T00:00:00Z"),
            null);
    ScheduleDescription d =
        new ScheduleDescription(
            "weekly",
            info,
            schedule,
            Map.of(),
            SearchAttributes.EMPTY,
            Map.of(),
            DefaultDataConverter.STANDARD_INSTANCE);

    ObjectNode doc = ScheduleViews.describe(d);
    assertEquals("glacier-restore", doc.path("procedure").asText());
    assertEquals("dayOfWeek=MON hour=3", doc.path("calendars").get(0).asText());
    assertEquals("2026-01-11T18:00:00Z", doc.path("nextRuns").get(0).asText());
    assertEquals(2, doc.path("skippedOverlap").asLong());

    StringWriter text = new StringWriter();
    ScheduleViews.printDescribe(new PrintWriter(text, true), doc);
    String out = text.toString();
    assertTrue(out.startsWith("weekly  glacier-restore  PAUSED"), out);
    assertTrue(out.contains("note: paused by alice: freeze"), out);
    assertTrue(out.contains("when: dayOfWeek=MON hour=3 in Asia/Tokyo"), out);
    assertTrue(out.contains("overlap: SKIP"), out);
    assertTrue(out.contains("2026-01-12 03:00:00 +09:00"), "next run in Tokyo time:\n" + out);
    assertTrue(out.contains("glacier-restore/weekly-2026-01-04T18:00:00Z"), out);
  }
}
