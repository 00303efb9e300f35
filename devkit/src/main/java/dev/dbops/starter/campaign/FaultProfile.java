package dev.dbops.starter.campaign;

import dev.dbops.sandbox.Faults;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * The faults a run goes through besides the kill. On AWS: each call of any operation gets, with
 * {@code probability}, one of {@code kinds} drawn uniformly (the sandbox's fault rate); a LATENCY
 * fault holds the call for {@code latency}. On MySQL ({@code dropDbConnections}): the worker's
 * connections to the binlog catch-up's source and replica are killed every {@code dbKillPause} to
 * twice that (5–10 s by default) — that procedure makes no AWS call when it starts from an explicit
 * position.
 */
public record FaultProfile(
    double probability,
    List<Faults.Kind> kinds,
    Duration latency,
    boolean dropDbConnections,
    Duration dbKillPause) {
  public static final Duration DEFAULT_DB_KILL_PAUSE = Duration.ofSeconds(5);
  public static final FaultProfile NONE = new FaultProfile(0, List.of(), Duration.ZERO, false);

  /** How long a latency spike holds an AWS call. */
  public static final Duration SPIKE = Duration.ofSeconds(1);

  public FaultProfile {
    kinds = List.copyOf(kinds);
    if (dbKillPause == null) dbKillPause = DEFAULT_DB_KILL_PAUSE;
  }

  public FaultProfile(
      double probability, List<Faults.Kind> kinds, Duration latency, boolean dropDbConnections) {
    this(probability, kinds, latency, dropDbConnections, DEFAULT_DB_KILL_PAUSE);
  }

  /** The same faults with MySQL connections killed every {@code pause} to twice that. */
  public FaultProfile withDbKillPause(Duration pause) {
    return new FaultProfile(probability, kinds, latency, dropDbConnections, pause);
  }

  /**
   * The fault matrix: 20 % throttling, 20 % {@code serverError} (500 or 503), 20 % dropped
   * connections and 20 % one-second latency spikes on every AWS call; dropped MySQL connections.
   */
  public static FaultProfile matrix(Faults.Kind serverError) {
    if (serverError != Faults.Kind.ERROR_500 && serverError != Faults.Kind.ERROR_503) {
      throw new IllegalArgumentException("serverError: ERROR_500 or ERROR_503, was " + serverError);
    }
    return new FaultProfile(
        0.8,
        List.of(
            Faults.Kind.THROTTLE, serverError, Faults.Kind.DROP_CONNECTION, Faults.Kind.LATENCY),
        SPIKE,
        true);
  }

  public boolean active() {
    return probability > 0 || dropDbConnections;
  }

  /**
   * Sets the sandbox's fault rate (latency spikes need {@link Faults#latency}, set by the caller).
   */
  void apply(Faults faults) {
    if (probability > 0) faults.rate(probability, new LinkedHashSet<>(kinds), java.util.Set.of());
  }

  public String describe() {
    if (!active()) return "none";
    StringBuilder sb = new StringBuilder();
    if (probability > 0) {
      long each = Math.round(probability * 100 / kinds.size());
      sb.append(each).append(" % each of ").append(kinds).append(" on every AWS call");
    }
    if (dropDbConnections) {
      sb.append(sb.isEmpty() ? "" : "; ")
          .append("binlog: MySQL connections killed every ")
          .append(dbKillPause.toMillis() / 1000.0)
          .append("–")
          .append(dbKillPause.toMillis() * 2 / 1000.0)
          .append(" s");
    }
    return sb.toString();
  }
}
