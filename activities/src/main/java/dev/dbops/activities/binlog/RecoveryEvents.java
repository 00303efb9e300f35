package dev.dbops.activities.binlog;

import dev.dbops.workflows.binlog.BinlogPosition;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The start position Aurora reports for a restored or cloned cluster, in an RDS event like {@code
 * Binlog position from crash recovery is mysql-bin-changelog.000118 245880}. Pure.
 */
final class RecoveryEvents {
  private static final Pattern POSITION =
      Pattern.compile(
          "Binlog position from crash recovery is\\s+([A-Za-z0-9._-]+)[\\s:]+(\\d+)",
          Pattern.CASE_INSENSITIVE);

  /** One RDS event, as DescribeEvents returns it. */
  record Entry(Instant date, String message) {}

  private RecoveryEvents() {}

  /** The position in the latest such event, if any. */
  static Optional<BinlogPosition> latest(List<Entry> events) {
    return events.stream()
        .sorted(
            Comparator.comparing(Entry::date, Comparator.nullsFirst(Comparator.naturalOrder()))
                .reversed())
        .map(e -> parse(e.message()))
        .flatMap(Optional::stream)
        .findFirst();
  }

  static Optional<BinlogPosition> parse(String message) {
    if (message == null) return Optional.empty();
    Matcher m = POSITION.matcher(message);
    return m.find()
        ? Optional.of(new BinlogPosition(m.group(1), Long.parseLong(m.group(2))))
        : Optional.empty();
  }
}
