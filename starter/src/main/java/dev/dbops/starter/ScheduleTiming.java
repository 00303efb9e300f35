package dev.dbops.starter;

import io.temporal.api.enums.v1.ScheduleOverlapPolicy;
import io.temporal.client.schedules.ScheduleCalendarSpec;
import io.temporal.client.schedules.SchedulePolicy;
import io.temporal.client.schedules.ScheduleSpec;
import io.temporal.client.schedules.ScheduleState;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * When a schedule runs and what it does when a run is still going: {@code --cron} / {@code
 * --calendar} in {@code --timezone}, {@code --overlap}, and its note. Checked without a server
 * ({@link #problems()}), then turned into the SDK's spec, policy and state.
 */
final class ScheduleTiming {
  /** Temporal's overlap policies, by the names people type. */
  enum Overlap {
    SKIP(ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_SKIP),
    BUFFER_ONE(ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_BUFFER_ONE),
    BUFFER_ALL(ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_BUFFER_ALL),
    CANCEL_OTHER(ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_CANCEL_OTHER),
    TERMINATE_OTHER(ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_TERMINATE_OTHER),
    ALLOW_ALL(ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_ALLOW_ALL);

    final ScheduleOverlapPolicy policy;

    Overlap(ScheduleOverlapPolicy policy) {
      this.policy = policy;
    }

    /** SKIP for SCHEDULE_OVERLAP_POLICY_SKIP; the server's "unspecified" is SKIP too. */
    static String nameOf(ScheduleOverlapPolicy p) {
      if (p == null || p == ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_UNSPECIFIED)
        return SKIP.name();
      return p.name().replace("SCHEDULE_OVERLAP_POLICY_", "");
    }
  }

  static final String UTC = "UTC";

  @Option(
      names = "--cron",
      paramLabel = "EXPR",
      description =
          "when to run, e.g. \"0 3 * * MON\" (minute hour day-of-month month day-of-week;"
              + " 6 fields add the year, 7 put seconds first); repeatable")
  List<String> crons;

  @Option(
      names = "--calendar",
      paramLabel = "FIELDS",
      description =
          "when to run as field=value pairs, e.g. \"dayOfWeek=MON hour=3\" (second, minute,"
              + " hour, dayOfMonth, month, year, dayOfWeek; values like cron fields; left out: second,"
              + " minute, hour 0, the rest every value); repeatable")
  List<String> calendars;

  @Option(
      names = "--timezone",
      paramLabel = "ZONE",
      description = "IANA time zone the times are in, e.g. Asia/Tokyo (default UTC)")
  String timezone;

  @Option(
      names = "--overlap",
      paramLabel = "POLICY",
      defaultValue = "SKIP",
      description =
          "when the previous run is still going: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE})")
  Overlap overlap;

  @Option(names = "--pause-on-failure", description = "pause the schedule when a run fails")
  boolean pauseOnFailure;

  @Option(names = "--paused", description = "create the schedule paused (unpause it to start)")
  boolean paused;

  @Option(
      names = "--note",
      paramLabel = "TEXT",
      description = "why this schedule exists (shown by describe)")
  String note;

  static boolean isZone(String zone) {
    if (zone == null || zone.isBlank()) return false;
    return UTC.equals(zone) || ZoneId.getAvailableZoneIds().contains(zone);
  }

  /** Everything wrong with these options, one message per problem naming the option. */
  List<String> problems() {
    List<String> out = new ArrayList<>();
    if (crons == null && calendars == null) {
      out.add("--cron or --calendar: required (when should the schedule run?)");
    }
    if (timezone != null && !isZone(timezone)) {
      out.add("--timezone: '" + timezone + "' is not a time zone (IANA name, e.g. Asia/Tokyo)");
    }
    for (String cron : crons == null ? List.<String>of() : crons) {
      String problem = ScheduleFields.cronProblem(cron);
      if (problem != null) out.add("--cron \"" + cron + "\": " + problem);
      if (problem == null && ScheduleFields.cronZone(cron) != null && timezone != null) {
        out.add("--cron \"" + cron + "\": names its own zone and --timezone is given; give one");
      }
    }
    for (String calendar : calendars == null ? List.<String>of() : calendars) {
      try {
        ScheduleFields.calendar(calendar);
      } catch (IllegalArgumentException e) {
        out.add("--calendar \"" + calendar + "\": " + e.getMessage());
      }
    }
    return out;
  }

  /** The spec; call after {@link #problems()} came back empty. */
  ScheduleSpec spec() {
    ScheduleSpec.Builder b = ScheduleSpec.newBuilder();
    if (crons != null) b.setCronExpressions(List.copyOf(crons));
    if (calendars != null) {
      List<ScheduleCalendarSpec> specs = new ArrayList<>();
      for (String c : calendars) specs.add(ScheduleFields.calendar(c));
      b.setCalendars(specs);
    }
    if (timezone != null) b.setTimeZoneName(timezone);
    return b.build();
  }

  SchedulePolicy policy() {
    return SchedulePolicy.newBuilder()
        .setOverlap(overlap.policy)
        .setPauseOnFailure(pauseOnFailure)
        .build();
  }

  /** Paused or not, with the note (and who created it, for describe). */
  ScheduleState state(String createdBy) {
    String text = "created by " + createdBy + (note == null || note.isBlank() ? "" : ": " + note);
    return ScheduleState.newBuilder().setPaused(paused).setNote(text).build();
  }

  /** One line for the CLI's confirmation: when and in which zone, what on overlap. */
  String summary() {
    List<String> when = new ArrayList<>();
    if (crons != null) crons.forEach(c -> when.add("cron \"" + c + "\""));
    if (calendars != null) calendars.forEach(c -> when.add("calendar \"" + c + "\""));
    return String.join(", ", when)
        + " in "
        + (timezone == null ? UTC : timezone)
        + ", overlap "
        + overlap.name()
        + (pauseOnFailure ? ", pauses on failure" : "");
  }
}
