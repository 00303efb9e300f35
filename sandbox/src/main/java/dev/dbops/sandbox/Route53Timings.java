package dev.dbops.sandbox;

import java.time.Duration;
import java.util.Objects;

/**
 * How long Route53 changes take on the sandbox clock.
 *
 * @param changePropagation a ChangeResourceRecordSets change is {@code PENDING} this long
 *     (GetChange), then {@code INSYNC}; zero = {@code INSYNC} at once. The record sets themselves
 *     change at once, as in Route53 (PENDING is about its DNS servers, not its API)
 */
public record Route53Timings(Duration changePropagation) {

  public Route53Timings {
    Objects.requireNonNull(changePropagation, "changePropagation");
    if (changePropagation.isNegative()) {
      throw new IllegalArgumentException(
          "changePropagation must not be negative: " + changePropagation);
    }
  }

  /** Changes are INSYNC after 5 s (Route53 itself usually takes under a minute). */
  public static Route53Timings defaults() {
    return new Route53Timings(Duration.ofSeconds(5));
  }

  public Route53Timings withChangePropagation(Duration d) {
    return new Route53Timings(d);
  }
}
