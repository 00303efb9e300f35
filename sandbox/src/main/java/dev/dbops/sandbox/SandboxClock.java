package dev.dbops.sandbox;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The sandbox's clock: a base clock plus an offset that tests (or the admin API) can move forward,
 * so a restore or an expiry can be reached without waiting. All state transitions in the sandbox
 * are computed lazily from this clock's {@link #instant()}.
 */
public final class SandboxClock extends Clock {

  private final Clock base;
  private final AtomicReference<Duration> offset;

  private SandboxClock(Clock base, AtomicReference<Duration> offset) {
    this.base = Objects.requireNonNull(base, "base");
    this.offset = offset;
  }

  /** Follows {@code base}, shifted by whatever {@link #advance} adds. */
  public static SandboxClock over(Clock base) {
    return new SandboxClock(base, new AtomicReference<>(Duration.ZERO));
  }

  /** Moves this clock forward (never backward) by {@code d}. */
  public void advance(Duration d) {
    if (d.isNegative()) {
      throw new IllegalArgumentException("the sandbox clock only moves forward: " + d);
    }
    offset.accumulateAndGet(d, Duration::plus);
  }

  /** Total time added by {@link #advance}. */
  public Duration offset() {
    return offset.get();
  }

  @Override
  public Instant instant() {
    return base.instant().plus(offset.get());
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }
}
