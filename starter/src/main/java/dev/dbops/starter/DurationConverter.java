package dev.dbops.starter;

import dev.dbops.workflows.common.Bounds;
import dev.dbops.workflows.common.Printable;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Durations as people type them: {@code 90s}, {@code 5m}, {@code 2h}, {@code 3d}, {@code 1h30m}, or
 * ISO {@code PT5M}; none longer than {@link Bounds#MAX_DURATION} (a field's own bounds, tighter,
 * are the request's check: {@link Bounds#FIELDS}).
 */
final class DurationConverter implements ITypeConverter<Duration> {
  private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h|d)");

  @Override
  public Duration convert(String value) {
    return parse(value);
  }

  static Duration parse(String value) {
    Duration d;
    try {
      d = parseUnbounded(value);
    } catch (ArithmeticException | NumberFormatException e) {
      d = null;
    }
    if (d == null || d.abs().compareTo(Bounds.MAX_DURATION) > 0) {
      throw new TypeConversionException(
          "'"
              + Printable.escape(value)
              + "' is longer than the longest duration"
              + " accepted ("
              + Bounds.human(Bounds.MAX_DURATION)
              + "; see docs/bounds.md)");
    }
    return d;
  }

  private static Duration parseUnbounded(String value) {
    String v = value.trim().toLowerCase();
    if (v.startsWith("p")) {
      try {
        return Duration.parse(value.trim().toUpperCase());
      } catch (DateTimeParseException e) {
        if (e.getCause() instanceof ArithmeticException a) throw a;
        throw new TypeConversionException(
            "'" + Printable.escape(value) + "' is not a duration (e.g. 90s, 5m, 2h, 3d, PT5M)");
      }
    }
    Matcher m = PART.matcher(v);
    Duration total = Duration.ZERO;
    int end = 0;
    while (m.find() && m.start() == end) {
      long n = Long.parseLong(m.group(1));
      total =
          total.plus(
              switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
              });
      end = m.end();
    }
    if (end == 0 || end != v.length()) {
      throw new TypeConversionException(
          "'" + Printable.escape(value) + "' is not a duration (e.g. 90s, 5m, 2h, 3d, 1h30m)");
    }
    return total;
  }
}
