package dev.dbops.sandbox;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * DB instances: CreateDBInstance into an {@code available} Aurora cluster, or into a read replica
 * cluster still {@code creating} (as RDS's documented create-db-cluster, create-db-instance
 * sequence does; {@code creating} for {@link RdsTimings#instanceCreate()}, and at least as long as
 * its cluster), DeleteDBInstance, and standalone RDS for MySQL instances seeded by the admin API.
 * Guarded by {@link RdsSandbox}'s lock.
 */
final class RdsInstances {

  private final SandboxClock clock;
  private final RdsTimings timings;
  private final RdsResources resources;
  private final RdsParameterGroups groups;
  private final RdsEventLog events;
  private final RdsUpgrades upgrades;

  /** What ModifyDBInstance asked for; null fields were not sent. */
  record Modification(
      String instanceId,
      String engineVersion,
      boolean allowMajorVersionUpgrade,
      boolean applyImmediately,
      String parameterGroup,
      Integer backupRetentionPeriod) {}

  RdsInstances(
      SandboxClock clock,
      RdsTimings timings,
      RdsResources resources,
      RdsParameterGroups groups,
      RdsEventLog events,
      RdsUpgrades upgrades) {
    this.upgrades = upgrades;
    this.clock = clock;
    this.timings = timings;
    this.resources = resources;
    this.groups = groups;
    this.events = events;
  }

  RdsInstance create(
      String account,
      String instanceId,
      String clusterId,
      String instanceClass,
      String engine,
      String parameterGroup,
      Integer promotionTier,
      Map<String, String> tags) {
    if (resources.instances.containsKey(RdsResources.key(account, instanceId))) {
      throw RdsErrors.instanceAlreadyExists(instanceId).exception();
    }
    if (clusterId == null) {
      throw RdsErrors.invalidParameterCombination(
              "The sandbox (a test double) only creates Aurora instances: "
                  + "DBClusterIdentifier is required.")
          .exception();
    }
    RdsCluster c = resources.clusterOrFault(account, clusterId);
    Instant now = clock.instant();
    String status = c.status(now);
    boolean replicaBeingCreated = "creating".equals(status) && c.replicationSource != null;
    if (!"available".equals(status) && !replicaBeingCreated) {
      throw RdsErrors.invalidClusterState(c.id, status).exception();
    }
    if (!c.engine().equals(engine)) {
      throw RdsErrors.invalidParameterCombination(
              "The engine "
                  + engine
                  + " does not match the engine "
                  + c.engine()
                  + " of DB cluster "
                  + c.id
                  + ".")
          .exception();
    }
    if (!RdsOrderableOptions.offered(c.engine(), c.version.version(), instanceClass)) {
      throw RdsErrors.invalidParameterCombination(
              "RDS does not support creating a DB instance with the "
                  + "following combination: DBInstanceClass="
                  + instanceClass
                  + ", Engine="
                  + c.engine()
                  + ", EngineVersion="
                  + c.version.version()
                  + ", LicenseModel=general-public-license. For supported "
                  + "combinations of instance class and database engine version, see the documentation.")
          .exception();
    }
    String group =
        parameterGroup == null
            ? RdsEngineVersions.defaultParameterGroup(c.version.family())
            : groups.dbGroupOfFamily(parameterGroup, c.version.family());
    RdsInstance i =
        new RdsInstance(
            account,
            instanceId,
            RdsResources.arn(account, "db", instanceId),
            c.id,
            instanceClass,
            group,
            now,
            latest(now.plus(timings.instanceCreate()), c.availableAt));
    i.promotionTier = promotionTier != null ? promotionTier : 1;
    i.tags.putAll(tags);
    resources.instances.put(RdsResources.key(account, instanceId), i);
    c.members.add(instanceId);
    events.add(
        i.availableAt,
        instanceId,
        "db-instance",
        "DB instance created",
        List.of("creation"),
        i.arn);
    return i;
  }

  /**
   * ModifyDBInstance of a standalone RDS for MySQL instance: backup retention, parameter group, and
   * engine version (an upgrade, see {@link RdsUpgrades#startInstance}).
   */
  RdsInstance modify(String account, Modification m) {
    RdsInstance i = resources.instanceOrFault(account, m.instanceId());
    if (!i.standalone()) {
      throw RdsErrors.invalidParameterCombination(
              "The sandbox (a test double) modifies Aurora DB instances through their cluster "
                  + "(ModifyDBCluster); "
                  + i.id
                  + " is a member of "
                  + i.clusterId
                  + ".")
          .exception();
    }
    Instant now = clock.instant();
    String status = i.status(null, now);
    if (!"available".equals(status)) {
      throw RdsErrors.invalidInstanceState(i.id, status).exception();
    }
    if (m.backupRetentionPeriod() != null
        && (m.backupRetentionPeriod() < 0 || m.backupRetentionPeriod() > 35)) {
      throw RdsErrors.invalidParameterValue(
              "Invalid backup retention period: "
                  + m.backupRetentionPeriod()
                  + ". Must be 0 to 35.")
          .exception();
    }
    boolean versionChange =
        m.engineVersion() != null && !m.engineVersion().equals(i.version.version());
    if (!versionChange) {
      if (m.parameterGroup() != null) {
        i.parameterGroup = groups.dbGroupOfFamily(m.parameterGroup(), i.version.family());
      }
      if (m.backupRetentionPeriod() != null) {
        i.backupRetention = m.backupRetentionPeriod();
      }
      return i;
    }
    RdsEngineVersions.Target target =
        RdsEngineVersions.target(i.version, m.engineVersion())
            .orElseThrow(
                () ->
                    RdsErrors.invalidParameterCombination(
                            "Cannot upgrade mysql from "
                                + i.version.version()
                                + " to "
                                + m.engineVersion()
                                + ": it is not a valid upgrade target (see DescribeDBEngineVersions ValidUpgradeTarget).")
                        .exception());
    if (target.majorVersionUpgrade() && !m.allowMajorVersionUpgrade()) {
      throw RdsErrors.invalidParameterCombination(
              "The AllowMajorVersionUpgrade flag must be present when upgrading to a new major version.")
          .exception();
    }
    String family = target.to().family();
    String group =
        m.parameterGroup() != null
            ? groups.dbGroupOfFamily(m.parameterGroup(), family)
            : family.equals(groups.dbFamily(i.parameterGroup))
                ? i.parameterGroup
                : RdsEngineVersions.defaultParameterGroup(family);
    if (m.backupRetentionPeriod() != null) {
      i.backupRetention = m.backupRetentionPeriod();
    }
    if (!m.applyImmediately()) {
      i.pendingEngineVersion = m.engineVersion();
      return i;
    }
    upgrades.startInstance(i, target, group, now);
    return i;
  }

  /**
   * Seeds an {@code available} standalone RDS for MySQL instance (admin API).
   *
   * @throws IllegalArgumentException if the id is taken or the engine version is unknown
   */
  RdsInstance seed(InstanceSeed seed) {
    String account = seed.account();
    if (resources.instances.containsKey(RdsResources.key(account, seed.id()))) {
      throw new IllegalArgumentException(
          "instance " + seed.id() + " already exists in account " + account);
    }
    RdsEngineVersions.Version version =
        RdsEngineVersions.find("mysql", seed.engineVersion())
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "unknown mysql engine version "
                            + seed.engineVersion()
                            + "; known: "
                            + RdsEngineVersions.ALL.stream()
                                .filter(v -> v.engine().equals("mysql"))
                                .map(RdsEngineVersions.Version::version)
                                .toList()));
    String group =
        seed.parameterGroup() == null
            ? RdsEngineVersions.defaultParameterGroup(version.family())
            : seed.parameterGroup();
    groups.ensureDbGroup(group, version.family());
    Instant created = clock.instant().minus(java.time.Duration.ofDays(400));
    RdsInstance i =
        new RdsInstance(
            account,
            seed.id(),
            RdsResources.arn(account, "db", seed.id()),
            null,
            seed.instanceClass(),
            group,
            created,
            created);
    i.version = version;
    i.backupRetention = seed.backupRetentionDays();
    i.masterUsername = seed.masterUsername();
    i.masterPassword = seed.masterPassword();
    i.tags.putAll(seed.tags());
    resources.instances.put(RdsResources.key(account, i.id), i);
    return i;
  }

  /**
   * DeleteDBInstance: {@code deleting} for {@link RdsTimings#instanceDelete()}, then gone from its
   * cluster.
   */
  RdsInstance delete(String account, String instanceId) {
    RdsInstance i = resources.instanceOrFault(account, instanceId);
    Instant now = clock.instant();
    String status = i.status(resources.clusterOf(i), now);
    if (!"available".equals(status)) {
      throw RdsErrors.invalidInstanceState(i.id, status).exception();
    }
    i.deletedAt = now.plus(timings.instanceDelete());
    events.add(i.deletedAt, i.id, "db-instance", "DB instance deleted", List.of("deletion"), i.arn);
    return i;
  }

  private static Instant latest(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }
}
