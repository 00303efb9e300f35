package dev.dbops.starter;

import io.temporal.client.schedules.ScheduleCalendarSpec;
import io.temporal.client.schedules.ScheduleRange;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The time fields of a Temporal schedule, as people write them: checked cron expressions ({@code
 * --cron "0 3 * * MON"}) and calendars ({@code --calendar "dayOfWeek=MON hour=3"}), and calendars
 * printed back in the same syntax (a real server returns a cron expression as the calendar it
 * compiled it into).
 *
 * <p>Field syntax, as in Temporal's cron: {@code *}, {@code N}, {@code N-M}, {@code N/S}, {@code
 * N-M/S}, {@code * /S} (no space), comma-separated; month and day-of-week names (JAN, MON, …); day
 * of week 0–6 from Sunday (7 is Sunday too). No {@code L}, {@code W} or {@code #}: Temporal has
 * none. The server has the last word; this catches what can be caught before it.
 */
final class ScheduleFields {
  private ScheduleFields() {}

  /**
   * One calendar field: its name in {@code --calendar}, bounds, and what an omitted field means.
   */
  enum Field {
    SECOND("second", 0, 59, ScheduleCalendarSpec.BEGINNING),
    MINUTE("minute", 0, 59, ScheduleCalendarSpec.BEGINNING),
    HOUR("hour", 0, 23, ScheduleCalendarSpec.BEGINNING),
    DAY_OF_MONTH("dayOfMonth", 1, 31, ScheduleCalendarSpec.ALL_MONTH_DAYS),
    MONTH("month", 1, 12, ScheduleCalendarSpec.ALL_MONTHS),
    YEAR("year", 1970, 2999, List.of()),
    DAY_OF_WEEK("dayOfWeek", 0, 7, ScheduleCalendarSpec.ALL_WEEK_DAYS);

    final String key;
    final int min;
    final int max;

    /** Temporal's meaning of a field left out: second/minute/hour 0, the rest every value. */
    final List<ScheduleRange> omitted;

    Field(String key, int min, int max, List<ScheduleRange> omitted) {
      this.key = key;
      this.min = min;
      this.max = max;
      this.omitted = omitted;
    }

    /** {@code *}: every value (the year as Temporal's "any": an empty list). */
    List<ScheduleRange> every() {
      if (this == YEAR) return List.of();
      return List.of(new ScheduleRange(min, this == DAY_OF_WEEK ? 6 : max, 1));
    }
  }

  static final List<String> MONTHS =
      List.of("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC");
  static final List<String> DAYS = List.of("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT");

  /** Cron shorthands the server accepts instead of the fields. */
  static final Set<String> SHORTHANDS =
      Set.of("@yearly", "@annually", "@monthly", "@weekly", "@daily", "@hourly");

  /** Cron fields by count: 5 (minute … day of week), 6 (+ year), 7 (second first, + year). */
  static List<Field> cronLayout(int count) {
    return switch (count) {
      case 5 ->
          List.of(Field.MINUTE, Field.HOUR, Field.DAY_OF_MONTH, Field.MONTH, Field.DAY_OF_WEEK);
      case 6 ->
          List.of(
              Field.MINUTE,
              Field.HOUR,
              Field.DAY_OF_MONTH,
              Field.MONTH,
              Field.DAY_OF_WEEK,
              Field.YEAR);
      case 7 ->
          List.of(
              Field.SECOND,
              Field.MINUTE,
              Field.HOUR,
              Field.DAY_OF_MONTH,
              Field.MONTH,
              Field.DAY_OF_WEEK,
              Field.YEAR);
      default -> null;
    };
  }

  /**
   * What is wrong with a cron expression, or null when it looks right. A {@code CRON_TZ=} / {@code
   * TZ=} prefix and a trailing {@code # comment} are allowed, as the server allows them.
   */
  static String cronProblem(String cron) {
    String c = cron == null ? "" : cron.strip();
    int hash = c.indexOf('#');
    if (hash >= 0) c = c.substring(0, hash).strip();
    String zone = cronZone(cron);
    if (zone != null) {
      c = c.substring(c.indexOf(' ') + 1).strip();
      if (!ScheduleTiming.isZone(zone))
        return "'" + zone + "' is not a time zone (IANA name, e.g. Asia/Tokyo)";
    }
    if (c.isEmpty()) return "empty";
    if (c.startsWith("@")) {
      if (c.startsWith("@every"))
        return "@every is not supported here; give cron fields or --calendar";
      return SHORTHANDS.contains(c.toLowerCase(Locale.ROOT))
          ? null
          : "'" + c + "' is not one of " + String.join(", ", SHORTHANDS.stream().sorted().toList());
    }
    String[] parts = c.split("\\s+");
    List<Field> layout = cronLayout(parts.length);
    if (layout == null) {
      return parts.length
          + " field(s); a cron expression has 5 (minute hour day-of-month month"
          + " day-of-week), 6 (… year) or 7 (second … year)";
    }
    for (int i = 0; i < parts.length; i++) {
      try {
        parse(layout.get(i), parts[i]);
      } catch (IllegalArgumentException e) {
        return layout.get(i).key + " '" + parts[i] + "': " + e.getMessage();
      }
    }
    return null;
  }

  /** The zone of a {@code CRON_TZ=Zone …} or {@code TZ=Zone …} prefix, or null. */
  static String cronZone(String cron) {
    if (cron == null) return null;
    String c = cron.strip();
    for (String prefix : List.of("CRON_TZ=", "TZ=")) {
      if (c.startsWith(prefix)) {
        int space = c.indexOf(' ');
        return space < 0 ? c.substring(prefix.length()) : c.substring(prefix.length(), space);
      }
    }
    return null;
  }

  /**
   * {@code "dayOfWeek=MON hour=3 minute=30"} as a calendar; omitted fields mean what Temporal says
   * (second, minute, hour 0; every day, month, year).
   *
   * @throws IllegalArgumentException naming the field and why
   */
  static ScheduleCalendarSpec calendar(String text) {
    Map<Field, List<ScheduleRange>> given = new LinkedHashMap<>();
    String t = text == null ? "" : text.strip();
    if (t.isEmpty())
      throw new IllegalArgumentException(
          "empty; give field=value pairs, e.g. \"dayOfWeek=MON hour=3\"");
    for (String pair : t.split("\\s+")) {
      int eq = pair.indexOf('=');
      Field field = eq < 0 ? null : byKey(pair.substring(0, eq));
      if (field == null) {
        throw new IllegalArgumentException(
            "'" + pair + "' is not field=value with a field among " + String.join(", ", keys()));
      }
      if (given.containsKey(field)) throw new IllegalArgumentException(field.key + " given twice");
      given.put(field, parse(field, pair.substring(eq + 1)));
    }
    return ScheduleCalendarSpec.newBuilder()
        .setSeconds(given.getOrDefault(Field.SECOND, Field.SECOND.omitted))
        .setMinutes(given.getOrDefault(Field.MINUTE, Field.MINUTE.omitted))
        .setHour(given.getOrDefault(Field.HOUR, Field.HOUR.omitted))
        .setDayOfMonth(given.getOrDefault(Field.DAY_OF_MONTH, Field.DAY_OF_MONTH.omitted))
        .setMonth(given.getOrDefault(Field.MONTH, Field.MONTH.omitted))
        .setYear(given.getOrDefault(Field.YEAR, Field.YEAR.omitted))
        .setDayOfWeek(given.getOrDefault(Field.DAY_OF_WEEK, Field.DAY_OF_WEEK.omitted))
        .build();
  }

  /** A calendar in {@code --calendar} syntax, fields at their omitted meaning left out. */
  static String format(ScheduleCalendarSpec c) {
    List<String> parts = new ArrayList<>();
    add(parts, Field.DAY_OF_WEEK, c.getDayOfWeek());
    add(parts, Field.MONTH, c.getMonth());
    add(parts, Field.DAY_OF_MONTH, c.getDayOfMonth());
    add(parts, Field.YEAR, c.getYear());
    add(parts, Field.HOUR, c.getHour());
    add(parts, Field.MINUTE, c.getMinutes());
    add(parts, Field.SECOND, c.getSeconds());
    if (c.getComment() != null && !c.getComment().isBlank()) parts.add("(" + c.getComment() + ")");
    return parts.isEmpty() ? "every day at 00:00:00" : String.join(" ", parts);
  }

  private static void add(List<String> parts, Field f, List<ScheduleRange> ranges) {
    List<ScheduleRange> r = ranges == null ? List.of() : ranges;
    boolean everyValue = f.omitted != ScheduleCalendarSpec.BEGINNING && sameRanges(r, f.every());
    if (r.isEmpty() || sameRanges(r, f.omitted) || everyValue) return; // empty: the field's default
    List<String> items = new ArrayList<>();
    for (ScheduleRange range : r) items.add(format(f, range));
    parts.add(f.key + "=" + String.join(",", items));
  }

  private static String format(Field f, ScheduleRange r) {
    int end = Math.max(r.getEnd(), r.getStart());
    String s = name(f, r.getStart()) + (end == r.getStart() ? "" : "-" + name(f, end));
    return r.getStep() > 1 ? s + "/" + r.getStep() : s;
  }

  private static String name(Field f, int v) {
    if (f == Field.DAY_OF_WEEK && v >= 0 && v <= 7) return DAYS.get(v % 7);
    if (f == Field.MONTH && v >= 1 && v <= 12) return MONTHS.get(v - 1);
    return Integer.toString(v);
  }

  private static boolean sameRanges(List<ScheduleRange> a, List<ScheduleRange> b) {
    if (a.size() != b.size()) return false;
    for (int i = 0; i < a.size(); i++) {
      ScheduleRange x = a.get(i);
      ScheduleRange y = b.get(i);
      if (x.getStart() != y.getStart()
          || Math.max(x.getEnd(), x.getStart()) != Math.max(y.getEnd(), y.getStart())
          || Math.max(1, x.getStep()) != Math.max(1, y.getStep())) {
        return false;
      }
    }
    return true;
  }

  /**
   * One field's value as ranges.
   *
   * @throws IllegalArgumentException saying what is wrong
   */
  static List<ScheduleRange> parse(Field f, String value) {
    if (value == null || value.isEmpty()) throw new IllegalArgumentException("empty");
    List<ScheduleRange> out = new ArrayList<>();
    for (String item : value.split(",", -1)) {
      if (item.isEmpty()) throw new IllegalArgumentException("empty item in a list");
      int step = 1;
      String range = item;
      int slash = item.indexOf('/');
      if (slash >= 0) {
        step = number(item.substring(slash + 1), "step");
        if (step < 1) throw new IllegalArgumentException("step must be at least 1");
        range = item.substring(0, slash);
      }
      if (range.equals("*") || range.equals("?")) {
        if (step == 1) {
          out.addAll(f.every());
        } else {
          out.add(new ScheduleRange(f.min, f == Field.DAY_OF_WEEK ? 6 : f.max, step));
        }
        continue;
      }
      int dash = range.indexOf('-', 1);
      int start = value(f, dash < 0 ? range : range.substring(0, dash));
      int end =
          dash < 0
              ? (slash >= 0 ? (f == Field.DAY_OF_WEEK ? 6 : f.max) : start)
              : value(f, range.substring(dash + 1));
      if (end < start) throw new IllegalArgumentException("range " + range + " runs backwards");
      out.add(new ScheduleRange(start, end, step));
    }
    return out;
  }

  private static int value(Field f, String token) {
    String t = token.toUpperCase(Locale.ROOT);
    List<String> names = f == Field.MONTH ? MONTHS : f == Field.DAY_OF_WEEK ? DAYS : List.of();
    for (int i = 0; i < names.size(); i++) {
      if (t.equals(names.get(i)) || t.equals(fullName(f, i))) {
        return f == Field.MONTH ? i + 1 : i;
      }
    }
    int v = number(token, f.key);
    if (v < f.min || v > f.max) {
      throw new IllegalArgumentException(v + " is outside " + f.min + "-" + f.max);
    }
    return v;
  }

  private static String fullName(Field f, int i) {
    return (f == Field.MONTH
        ? java.time.Month.of(i + 1).name()
        : java.time.DayOfWeek.of(i == 0 ? 7 : i).name());
  }

  private static int number(String s, String what) {
    if (s.isEmpty() || !s.chars().allMatch(Character::isDigit)) {
      throw new IllegalArgumentException(
          "'"
              + s
              + "' is not a number"
              + (what.equals("step")
                  ? " (step)"
                  : what.equals(Field.MONTH.key) || what.equals(Field.DAY_OF_WEEK.key)
                      ? " or a name"
                      : ""));
    }
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + s + "' is too large");
    }
  }

  private static Field byKey(String key) {
    for (Field f : Field.values()) {
      if (f.key.equalsIgnoreCase(key)) return f;
    }
    return null;
  }

  private static List<String> keys() {
    List<String> out = new ArrayList<>();
    for (Field f : Field.values()) out.add(f.key);
    return out;
  }
}
