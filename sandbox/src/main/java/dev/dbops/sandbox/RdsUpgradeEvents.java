package dev.dbops.sandbox;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The events of one engine upgrade, dated when it starts and revealed as the sandbox clock reaches
 * them: the documented Aurora MySQL major-upgrade phases spread over the upgrade (pre-checks,
 * pre-upgrade snapshot, volume clone, undo purge with "Records remaining" falling — or stuck when
 * stalled —, database objects, done), or the checks then the failure event of a scripted failure.
 *
 * @param endsAt when the cluster leaves {@code upgrading}
 * @param events oldest first
 */
record RdsUpgradeEvents(Instant endsAt, List<RdsEvent> events) {

  static final String UPGRADE_FAILED_PREFIX =
      "Database cluster is in a state that cannot be upgraded: ";
  static final String MAJOR_UPGRADE_DONE = "Database cluster major version has been upgraded";
  static final String PURGING =
      "Upgrade in progress: Purging undo records for old row versions. Records remaining: ";

  /**
   * A scripted failure ends after the offline pre-upgrade checks, this far into the upgrade time.
   */
  static final double FAILURE_AT = 0.20;

  private static final long UNDO_RECORDS_AT_START = 2_187_643;
  private static final long STUCK_UNDO_RECORDS = 1_843_297;

  RdsUpgradeEvents {
    events = List.copyOf(events);
  }

  /**
   * @param failure the scripted failure reason, or null
   * @param stalled true when {@code d} came from {@link RdsSandbox#stallUpgrade}
   */
  static RdsUpgradeEvents plan(
      RdsCluster c,
      RdsEngineVersions.Target target,
      Instant start,
      Duration d,
      String failure,
      boolean stalled) {
    Plan p = new Plan(c, start, d);
    if (failure != null) {
      p.phase(0, "Upgrade in progress: Performing online pre-upgrade checks.");
      p.phase(0.10, "Upgrade in progress: Performing offline pre-upgrade checks.");
      p.add(FAILURE_AT, UPGRADE_FAILED_PREFIX + failure, List.of("maintenance", "failure"));
      return new RdsUpgradeEvents(p.at(FAILURE_AT), p.events);
    }
    if (!target.majorVersionUpgrade()) {
      p.phase(
          0, "Upgrade in progress: Upgrading database engine to " + target.to().version() + ".");
      p.phase(1, "Database cluster engine version has been upgraded to " + target.to().version());
      return new RdsUpgradeEvents(start.plus(d), p.events);
    }
    p.phase(0, "Upgrade in progress: Performing online pre-upgrade checks.");
    p.phase(0.05, "Upgrade in progress: Performing offline pre-upgrade checks.");
    p.phase(0.10, "Upgrade in progress: Creating pre-upgrade snapshot.");
    p.phase(0.20, "Upgrade in progress: Cloning volume.");
    int purges = stalled ? 12 : 5;
    double from = 0.30;
    double to = stalled ? 0.90 : 0.75;
    for (int n = 0; n < purges; n++) {
      long remaining =
          stalled ? STUCK_UNDO_RECORDS : UNDO_RECORDS_AT_START * (purges - 1 - n) / (purges - 1);
      p.phase(from + (to - from) * n / (purges - 1), PURGING + remaining);
    }
    p.phase(stalled ? 0.95 : 0.85, "Upgrade in progress: Upgrading database objects.");
    p.phase(1, MAJOR_UPGRADE_DONE);
    return new RdsUpgradeEvents(start.plus(d), p.events);
  }

  /** Builds events at fractions of the upgrade time. */
  private static final class Plan {
    private final RdsCluster cluster;
    private final Instant start;
    private final Duration d;
    private final List<RdsEvent> events = new ArrayList<>();

    Plan(RdsCluster cluster, Instant start, Duration d) {
      this.cluster = cluster;
      this.start = start;
      this.d = d;
    }

    Instant at(double fraction) {
      return fraction >= 1 ? start.plus(d) : start.plusMillis((long) (d.toMillis() * fraction));
    }

    void phase(double fraction, String message) {
      add(fraction, message, List.of("maintenance"));
    }

    void add(double fraction, String message, List<String> categories) {
      events.add(
          new RdsEvent(at(fraction), cluster.id, "db-cluster", message, categories, cluster.arn));
    }
  }
}
