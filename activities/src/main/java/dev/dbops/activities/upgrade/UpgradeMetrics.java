package dev.dbops.activities.upgrade;

import io.micrometer.core.instrument.MeterRegistry;

/**
 * What the upgrade activities changed in RDS, for Prometheus: {@value #CHANGES}{@code {change}} —
 * created or adopted (a retried or resumed run found it done), so a dashboard tells real changes
 * from re-runs.
 */
final class UpgradeMetrics {
  static final String CHANGES = "dbops_rds_changes_total";

  enum Change {
    SNAPSHOT_CREATED,
    SNAPSHOT_ADOPTED,
    UPGRADE_STARTED,
    UPGRADE_ADOPTED,
    UPGRADE_DONE,
    UPGRADE_FAILED,
    CLUSTER_RESTORED,
    CLUSTER_ADOPTED,
    INSTANCE_CREATED,
    INSTANCE_ADOPTED;

    String tag() {
      return name().toLowerCase();
    }
  }

  private final MeterRegistry registry;

  UpgradeMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  void count(Change change) {
    registry.counter(CHANGES, "change", change.tag()).increment();
  }
}
