package dev.dbops.activities.restore;

import io.micrometer.core.instrument.MeterRegistry;

/** Restore progress for Prometheus: {@value #OBJECTS}{@code {event}}. */
final class RestoreMetrics {
  static final String OBJECTS = "dbops_restore_objects_total";

  enum Event {
    REQUESTED,
    ADOPTED,
    RESTORED,
    DELIVERED,
    FAILED;

    String tag() {
      return name().toLowerCase();
    }
  }

  private final MeterRegistry registry;

  RestoreMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  void count(Event event, long n) {
    if (n > 0) registry.counter(OBJECTS, "event", event.tag()).increment(n);
  }

  void count(Event event) {
    count(event, 1);
  }
}
