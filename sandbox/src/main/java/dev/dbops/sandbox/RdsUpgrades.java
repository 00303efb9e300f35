package dev.dbops.sandbox;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The clock-driven engine upgrade: a cluster is {@code upgrading} (its bound server stopped) until
 * {@link RdsTimings#clusterUpgrade()} has passed, then it is on the target version (server
 * restarted reporting it) or, if the upgrade was scripted to fail, back on the old one. Also the
 * upgrade faults a test scripts ({@link #failNext}, {@link #stallNext}). Guarded by {@link
 * RdsSandbox}'s lock.
 */
final class RdsUpgrades {

  private static final Logger log = LoggerFactory.getLogger(RdsUpgrades.class);

  private final RdsTimings timings;
  private final RdsResources resources;
  private final RdsParameterGroups groups;
  private final RdsEventLog events;

  RdsUpgrades(
      RdsTimings timings, RdsResources resources, RdsParameterGroups groups, RdsEventLog events) {
    this.timings = timings;
    this.resources = resources;
    this.groups = groups;
    this.events = events;
  }

  /** See {@link RdsSandbox#failNextUpgrade}. */
  void failNext(RdsCluster c, String reason) {
    c.failNextUpgradeReason = Objects.requireNonNull(reason, "reason");
  }

  /** See {@link RdsSandbox#stallUpgrade}. */
  void stallNext(RdsCluster c, Duration duration) {
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException("duration must be positive: " + duration);
    }
    c.stallNextUpgrade = duration;
  }

  void start(
      RdsCluster c,
      RdsEngineVersions.Target target,
      String clusterGroup,
      String instanceGroup,
      Instant now) {
    Duration d = c.stallNextUpgrade != null ? c.stallNextUpgrade : timings.clusterUpgrade();
    boolean stalled = c.stallNextUpgrade != null;
    String failure = c.failNextUpgradeReason;
    c.stallNextUpgrade = null;
    c.failNextUpgradeReason = null;
    c.pendingEngineVersion = null;
    RdsUpgradeEvents plan = RdsUpgradeEvents.plan(c, target, now, d, failure, stalled);
    events.addAll(plan.events());
    Instant ends = plan.endsAt();
    c.upgrade =
        new RdsCluster.Upgrade(
            now,
            ends,
            c.version,
            target.to(),
            target.majorVersionUpgrade(),
            clusterGroup,
            instanceGroup,
            failure);
    log.info(
        "[sandbox, test double] RDS cluster {} upgrading {} -> {} until {}{}",
        c.id,
        c.version.version(),
        target.to().version(),
        ends,
        failure != null ? " (scripted to fail: " + failure + ")" : "");
    if (c.boundTo != null) {
      c.boundTo.stop(); // connections drop, as in a real major upgrade
    }
  }

  /**
   * ModifyDBInstance EngineVersion of a standalone RDS for MySQL instance: {@code upgrading} (its
   * bound server stopped) for {@link RdsTimings#clusterUpgrade()}, then on {@code target} (the
   * server restarted reporting it).
   */
  void startInstance(
      RdsInstance i, RdsEngineVersions.Target target, String parameterGroup, Instant now) {
    Instant ends = now.plus(timings.clusterUpgrade());
    i.pendingEngineVersion = null;
    i.upgrade = new RdsInstance.Upgrade(ends, target.to(), parameterGroup);
    events.add(
        now,
        i.id,
        "db-instance",
        "Upgrading database engine version to " + target.to().version() + ".",
        List.of("maintenance"),
        i.arn);
    events.add(
        ends,
        i.id,
        "db-instance",
        "Database instance engine version upgraded to " + target.to().version() + ".",
        List.of("maintenance"),
        i.arn);
    log.info(
        "[sandbox, test double] RDS instance {} upgrading {} -> {} until {}",
        i.id,
        i.version.version(),
        target.to().version(),
        ends);
    if (i.boundTo != null) {
      i.boundTo.stop();
    }
  }

  /** Ends a standalone instance's upgrade the clock says is over. */
  void settleInstance(RdsInstance i, Instant now) {
    RdsInstance.Upgrade u = i.upgrade;
    if (u == null || now.isBefore(u.endsAt())) {
      return;
    }
    if (i.boundTo != null && !i.boundTo.isClosed()) {
      i.boundTo.restart(u.to().mysqlVersion()); // on failure this throws and the next call retries
    }
    i.version = u.to();
    i.parameterGroup = u.parameterGroup();
    i.upgrade = null;
    log.info("[sandbox, test double] RDS instance {} upgraded to {}", i.id, u.to().version());
  }

  /** Ends an upgrade the clock says is over (new version or old, bound server restarted). */
  void settle(RdsCluster c, Instant now) {
    RdsCluster.Upgrade u = c.upgrade;
    if (u == null || now.isBefore(u.endsAt())) {
      return;
    }
    boolean succeeded = u.failureReason() == null;
    if (c.boundTo != null && c.boundTo.isClosed()) {
      log.warn(
          "[sandbox, test double] RDS cluster {}: its local MariaDB was closed during the upgrade; unbound",
          c.id);
      c.boundTo = null;
    }
    if (c.boundTo != null) {
      String version = succeeded ? u.to().mysqlVersion() : u.from().mysqlVersion();
      c.boundTo.restart(version); // on failure this throws and the next call tries again
    }
    if (succeeded) {
      c.version = u.to();
      c.clusterParameterGroup = u.clusterParameterGroup();
      for (String member : c.members) {
        RdsInstance i = resources.instances.get(RdsResources.key(c.account, member));
        if (u.instanceParameterGroup() != null) {
          i.parameterGroup = u.instanceParameterGroup();
        } else if (!u.to().family().equals(groups.dbFamily(i.parameterGroup))) {
          i.parameterGroup = RdsEngineVersions.defaultParameterGroup(u.to().family());
        }
      }
    }
    c.upgrade = null;
    log.info(
        "[sandbox, test double] RDS cluster {} upgrade to {} {}",
        c.id,
        u.to().version(),
        succeeded ? "completed" : "failed: " + u.failureReason());
  }
}
