package dev.dbops.activities.binlog;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How long each running monitor slice has seen its replica caught up, as of its latest poll, kept
 * by the worker for the slice's next attempt. Heartbeat details would do it across workers, but the
 * SDK sends them at most every 0.8 × the heartbeat timeout (24 s) and a failed attempt's last ones
 * are not the latest: with connections dropped every few seconds the window never grew past what
 * the server had. An attempt on another worker (after a crash) falls back to those details.
 */
final class CaughtUpMemo {
  /**
   * Slices remembered at most; beyond it the oldest observations go (a slice that ended by
   * failing).
   */
  private static final int MAX = 10_000;

  record Seen(long caughtUpForMillis, long atMillis) {}

  private final Map<String, Seen> seen = new ConcurrentHashMap<>();

  void put(String slice, long caughtUpForMillis, long atMillis) {
    if (seen.size() >= MAX && !seen.containsKey(slice)) {
      seen.entrySet().stream()
          .min((a, b) -> Long.compare(a.getValue().atMillis(), b.getValue().atMillis()))
          .ifPresent(oldest -> seen.remove(oldest.getKey()));
    }
    seen.put(slice, new Seen(caughtUpForMillis, atMillis));
  }

  Optional<Seen> get(String slice) {
    return Optional.ofNullable(seen.get(slice));
  }

  void forget(String slice) {
    seen.remove(slice);
  }
}
