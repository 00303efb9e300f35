package dev.dbops.sandbox;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How a sandbox behaves: its port, how long archive restores take on the compressed clock, how long
 * a restored copy's "day" lasts, and the seed of every random choice (fault rates).
 *
 * @param port TCP port on 127.0.0.1; 0 picks a free port
 * @param restoreDurations restore time per {@code "STORAGECLASS/Tier"} key, e.g. {@code
 *     "GLACIER/Expedited"}
 * @param dayLength what one day of a restored copy's lifetime lasts ({@code Days} in RestoreObject)
 * @param seed seed of the fault-injection random generator
 * @param rds how long RDS snapshots, upgrades, restores, copies, creations and deletions take
 * @param route53 how long a Route53 change stays PENDING
 */
public record SandboxConfig(
    int port,
    Map<String, Duration> restoreDurations,
    Duration dayLength,
    long seed,
    RdsTimings rds,
    Route53Timings route53) {

  /** Dev-friendly restore durations: seconds instead of hours. */
  static final Map<String, Duration> DEFAULT_RESTORE_DURATIONS =
      Map.of(
          restoreKey("GLACIER", "Expedited"), Duration.ofSeconds(1),
          restoreKey("GLACIER", "Standard"), Duration.ofSeconds(5),
          restoreKey("GLACIER", "Bulk"), Duration.ofSeconds(10),
          restoreKey("DEEP_ARCHIVE", "Standard"), Duration.ofSeconds(15),
          restoreKey("DEEP_ARCHIVE", "Bulk"), Duration.ofSeconds(30));

  public SandboxConfig {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
    restoreDurations = Map.copyOf(Objects.requireNonNull(restoreDurations, "restoreDurations"));
    Objects.requireNonNull(dayLength, "dayLength");
    if (dayLength.isNegative() || dayLength.isZero()) {
      throw new IllegalArgumentException("dayLength must be positive: " + dayLength);
    }
    Objects.requireNonNull(rds, "rds");
    Objects.requireNonNull(route53, "route53");
  }

  /** With default Route53 timings. */
  public SandboxConfig(
      int port,
      Map<String, Duration> restoreDurations,
      Duration dayLength,
      long seed,
      RdsTimings rds) {
    this(port, restoreDurations, dayLength, seed, rds, Route53Timings.defaults());
  }

  /** Without RDS timings (defaults). */
  public SandboxConfig(
      int port, Map<String, Duration> restoreDurations, Duration dayLength, long seed) {
    this(port, restoreDurations, dayLength, seed, RdsTimings.defaults());
  }

  /** Port 0 (free port), compressed restore durations, real-length days, seed 1. */
  public static SandboxConfig defaults() {
    return new SandboxConfig(
        0,
        DEFAULT_RESTORE_DURATIONS,
        Duration.ofDays(1),
        1L,
        RdsTimings.defaults(),
        Route53Timings.defaults());
  }

  public SandboxConfig withPort(int port) {
    return new SandboxConfig(port, restoreDurations, dayLength, seed, rds, route53);
  }

  /**
   * RDS state machine durations (snapshot, upgrade, restore, copy, instance creation, deletions).
   */
  public SandboxConfig withRdsTimings(RdsTimings timings) {
    return new SandboxConfig(port, restoreDurations, dayLength, seed, timings, route53);
  }

  /** How long Route53 changes stay PENDING. */
  public SandboxConfig withRoute53Timings(Route53Timings timings) {
    return new SandboxConfig(port, restoreDurations, dayLength, seed, rds, timings);
  }

  /**
   * @param storageClass S3 spelling: {@code GLACIER}, {@code DEEP_ARCHIVE}
   * @param tier S3 spelling: {@code Expedited}, {@code Standard}, {@code Bulk}
   */
  public SandboxConfig withRestoreDuration(String storageClass, String tier, Duration d) {
    Objects.requireNonNull(d, "d");
    Map<String, Duration> durations = new HashMap<>(restoreDurations);
    durations.put(restoreKey(storageClass, tier), d);
    return new SandboxConfig(port, durations, dayLength, seed, rds, route53);
  }

  public SandboxConfig withDayLength(Duration d) {
    return new SandboxConfig(port, restoreDurations, d, seed, rds, route53);
  }

  public SandboxConfig withSeed(long seed) {
    return new SandboxConfig(port, restoreDurations, dayLength, seed, rds, route53);
  }

  /** How long a restore of that class and tier takes; falls back to the defaults, then 1 s. */
  public Duration restoreDuration(String storageClass, String tier) {
    String key = restoreKey(storageClass, tier);
    Duration d = restoreDurations.get(key);
    if (d == null) {
      d = DEFAULT_RESTORE_DURATIONS.getOrDefault(key, Duration.ofSeconds(1));
    }
    return d;
  }

  static String restoreKey(String storageClass, String tier) {
    return storageClass + "/" + tier;
  }
}
