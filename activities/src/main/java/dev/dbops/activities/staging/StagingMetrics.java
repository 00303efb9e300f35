package dev.dbops.activities.staging;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * What the staging activities changed, for Prometheus: {@value #CHANGES}{@code {change}} (the same
 * counter the upgrade uses, with staging's own change names) and how long masking took.
 */
final class StagingMetrics {
  static final String CHANGES = "dbops_rds_changes_total";
  static final String MASKING = "dbops_staging_masking_seconds";

  private final MeterRegistry registry;

  StagingMetrics(MeterRegistry registry) {
    this.registry = registry;
    masking(); // served from the start (count 0): a dashboard tells "never masked" from "no worker"
  }

  private Timer masking() {
    return Timer.builder(MASKING)
        .description("Masking SQL plus verification on a restored staging copy")
        .register(registry);
  }

  void created(String what) {
    registry.counter(CHANGES, "change", "staging_" + what + "_created").increment();
  }

  void deleted(String what) {
    registry.counter(CHANGES, "change", "staging_" + what + "_deleted").increment();
  }

  void masked(long millis) {
    masking().record(Duration.ofMillis(millis));
  }
}
