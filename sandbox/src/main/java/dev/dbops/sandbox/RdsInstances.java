package dev.dbops.sandbox;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * DB instances of Aurora clusters: CreateDBInstance into an {@code available} cluster ({@code
 * creating} for {@link RdsTimings#instanceCreate()}), DeleteDBInstance. Guarded by {@link
 * RdsSandbox}'s lock.
 */
final class RdsInstances {

  private final SandboxClock clock;
  private final RdsTimings timings;
  private final RdsResources resources;
  private final RdsParameterGroups groups;
  private final RdsEventLog events;

  RdsInstances(
      SandboxClock clock,
      RdsTimings timings,
      RdsResources resources,
      RdsParameterGroups groups,
      RdsEventLog events) {
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
    if (!"available".equals(status)) {
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
            now.plus(timings.instanceCreate()));
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
}
