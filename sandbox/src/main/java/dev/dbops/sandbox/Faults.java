package dev.dbops.sandbox;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

/**
 * Fault injection, applied before a call reaches its service handler. A script (the next N calls of
 * one operation) wins over a rate; the rate draws from a {@link Random} seeded from {@link
 * SandboxConfig#seed()}, so a run is reproducible for the same call order.
 */
public final class Faults {

  /** What an injected fault does to the call. */
  public enum Kind {
    /** The service's throttling error (S3: 503 {@code SlowDown}; RDS: 400 {@code Throttling}). */
    THROTTLE,
    /** 500 {@code InternalError} (RDS: {@code InternalFailure}). */
    ERROR_500,
    /** 503 {@code ServiceUnavailable}. */
    ERROR_503,
    /** The socket is closed with no response. */
    DROP_CONNECTION,
    /** The call is served normally after {@link #latency(Duration)}. */
    LATENCY,
    /**
     * S3 only: 503 {@code GlacierExpeditedRetrievalNotAvailable} for a RestoreObject with Tier
     * Expedited; any other call is served normally.
     */
    EXPEDITED_UNAVAILABLE,
    /** The service's access-denied error (S3, RDS, Route53, STS: 403 {@code AccessDenied}). */
    ACCESS_DENIED,
    /**
     * The service's not-found error for the call's resource (S3: 404 {@code NoSuchKey}; RDS: 404
     * {@code DBClusterNotFoundFault}; Route53: 404 {@code NoSuchHostedZone}).
     */
    NOT_FOUND,
    /**
     * The service's invalid-parameter error (S3: 400 {@code InvalidArgument}; RDS, STS: 400 {@code
     * InvalidParameterValue}; Route53: 400 {@code InvalidInput}).
     */
    INVALID_PARAMETER
  }

  static final Duration DEFAULT_LATENCY = Duration.ofMillis(200);

  private final Random random;
  private final Map<String, Deque<Kind>> scripts = new HashMap<>();
  private double probability;
  private List<Kind> rateKinds = List.of();
  private Set<String> rateOperations = Set.of();
  private Duration latency = DEFAULT_LATENCY;

  Faults(long seed) {
    this.random = new Random(seed);
  }

  /**
   * Each call of one of {@code operations} (empty = every operation) gets, with {@code
   * probability}, a fault drawn uniformly from {@code kinds}. Replaces any previous rate.
   */
  public synchronized void rate(double probability, Set<Kind> kinds, Set<String> operations) {
    if (probability < 0 || probability > 1) {
      throw new IllegalArgumentException("probability must be within [0, 1]: " + probability);
    }
    if (probability > 0 && kinds.isEmpty()) {
      throw new IllegalArgumentException("a fault rate needs at least one kind");
    }
    this.probability = probability;
    this.rateKinds = kinds.stream().sorted().toList(); // sorted: same draws for the same seed
    this.rateOperations = Set.copyOf(operations);
  }

  /**
   * The next {@code next.size()} calls of {@code operation} get these faults, in order, then
   * normal.
   */
  public synchronized void script(String operation, List<Kind> next) {
    Objects.requireNonNull(operation, "operation");
    scripts.computeIfAbsent(operation, op -> new ArrayDeque<>()).addAll(next);
  }

  /** How long a {@link Kind#LATENCY} fault delays a call (default 200 ms). */
  public synchronized void latency(Duration d) {
    if (d.isNegative()) {
      throw new IllegalArgumentException("latency must not be negative: " + d);
    }
    this.latency = d;
  }

  /** Removes the rate and every script; latency back to its default. */
  public synchronized void clear() {
    probability = 0;
    rateKinds = List.of();
    rateOperations = Set.of();
    scripts.clear();
    latency = DEFAULT_LATENCY;
  }

  synchronized Duration latency() {
    return latency;
  }

  /** Scripted faults still waiting, per operation. */
  public synchronized Map<String, List<Kind>> pendingScripts() {
    Map<String, List<Kind>> copy = new HashMap<>();
    scripts.forEach(
        (op, kinds) -> {
          if (!kinds.isEmpty()) {
            copy.put(op, new ArrayList<>(kinds));
          }
        });
    return copy;
  }

  /** Decides the fault, if any, for one call of {@code operation}; consumes a script entry. */
  synchronized Optional<Kind> next(String operation) {
    Deque<Kind> script = scripts.get(operation);
    if (script != null && !script.isEmpty()) {
      return Optional.of(script.removeFirst());
    }
    if (probability <= 0 || !(rateOperations.isEmpty() || rateOperations.contains(operation))) {
      return Optional.empty();
    }
    if (random.nextDouble() >= probability) {
      return Optional.empty();
    }
    return Optional.of(rateKinds.get(random.nextInt(rateKinds.size())));
  }
}
