package dev.dbops.sandbox;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * RDS events (DescribeEvents). An event may be dated in the future (an upgrade's phases, a
 * snapshot's "created"): it is visible once the sandbox clock reaches its date. Guarded by {@link
 * RdsSandbox}'s lock.
 */
final class RdsEventLog {

  private final List<RdsEvent> events = new ArrayList<>();

  void add(
      Instant at,
      String sourceId,
      String sourceType,
      String message,
      List<String> categories,
      String sourceArn) {
    events.add(new RdsEvent(at, sourceId, sourceType, message, categories, sourceArn));
  }

  void addAll(Collection<RdsEvent> more) {
    events.addAll(more);
  }

  /** Every event visible at {@code now}, oldest first, of every source and account. */
  List<RdsEvent> visible(Instant now) {
    return events.stream()
        .filter(e -> !e.date().isAfter(now))
        .sorted(Comparator.comparing(RdsEvent::date))
        .toList();
  }

  /**
   * Events of {@code account}'s resources visible at {@code now} with {@code start ≤ date ≤ end},
   * oldest first.
   */
  List<RdsEvent> query(
      String account,
      String sourceType,
      String sourceId,
      Instant start,
      Instant end,
      List<String> categories,
      Instant now) {
    Instant until = end.isAfter(now) ? now : end;
    String accountPart = ":" + account + ":";
    return events.stream()
        .filter(e -> e.sourceArn() != null && e.sourceArn().contains(accountPart))
        .filter(e -> !e.date().isBefore(start) && !e.date().isAfter(until))
        .filter(e -> sourceType == null || e.sourceType().equals(sourceType))
        .filter(e -> sourceId == null || e.sourceIdentifier().equals(sourceId))
        .filter(e -> categories.isEmpty() || e.categories().stream().anyMatch(categories::contains))
        .sorted(Comparator.comparing(RdsEvent::date))
        .toList();
  }
}
