package dev.dbops.sandbox;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Aurora read replica clusters of RDS for MySQL instances: CreateDBCluster with {@code
 * ReplicationSourceIdentifier} = the instance's ARN makes a cluster ({@code creating} for {@link
 * RdsTimings#clusterRestore()}) whose server, when the source is bound, is a real MariaDB replica
 * of the source's ({@link RdsBindings#onReplicaCreated}); PromoteReadReplicaDBCluster stops the
 * replication at once, keeps the cluster {@code promoting} for {@link RdsTimings#replicaPromote()},
 * then makes it a writable stand-alone cluster. Errors mirror RDS's for the same mistakes. Guarded
 * by {@link RdsSandbox}'s lock.
 */
final class RdsReadReplicas {

  private static final Logger log = LoggerFactory.getLogger(RdsReadReplicas.class);

  static final String REPLICATION_STARTED = "Replication from the source DB instance has started";
  static final String PROMOTING = "Promoting Read Replica cluster to stand-alone database cluster";
  static final String PROMOTED = "Promoted Read Replica cluster to stand-alone database cluster";

  /** What CreateDBCluster asked for; null fields were not sent. */
  record Create(
      String clusterId,
      String engine,
      String engineVersion,
      String replicationSource,
      String clusterParameterGroup,
      Integer port,
      Map<String, String> tags) {}

  private final SandboxClock clock;
  private final RdsTimings timings;
  private final RdsResources resources;
  private final RdsParameterGroups groups;
  private final RdsClusters clusters;
  private final RdsBindings bindings;
  private final RdsEventLog events;

  RdsReadReplicas(
      SandboxClock clock,
      RdsTimings timings,
      RdsResources resources,
      RdsParameterGroups groups,
      RdsClusters clusters,
      RdsBindings bindings,
      RdsEventLog events) {
    this.clock = clock;
    this.timings = timings;
    this.resources = resources;
    this.groups = groups;
    this.clusters = clusters;
    this.bindings = bindings;
    this.events = events;
  }

  /** CreateDBCluster. The sandbox makes clusters only as read replicas (or restores them). */
  RdsCluster create(String account, Create r) {
    if (resources.clusters.containsKey(RdsResources.key(account, r.clusterId()))) {
      throw RdsErrors.clusterAlreadyExists(r.clusterId()).exception();
    }
    if (r.replicationSource() == null) {
      throw RdsErrors.invalidParameterCombination(
              "The sandbox (a test double) creates a DB cluster only as an Aurora read replica "
                  + "(ReplicationSourceIdentifier) or from a snapshot (RestoreDBClusterFromSnapshot).")
          .exception();
    }
    if (RdsResources.Arn.parse(r.replicationSource(), "db") == null) {
      throw RdsErrors.invalidParameterValue(
              "The sandbox (a test double) models Aurora read replicas of RDS for MySQL DB "
                  + "instances only: ReplicationSourceIdentifier must be a DB instance ARN, not "
                  + r.replicationSource()
                  + ".")
          .exception();
    }
    RdsInstance source = resources.instanceOrFault(account, r.replicationSource());
    Instant now = clock.instant();
    if (!source.standalone()) {
      throw RdsErrors.invalidParameterCombination(
              "DB instance "
                  + source.id
                  + " is a member of DB cluster "
                  + source.clusterId
                  + "; an Aurora read replica replicates from an RDS for MySQL DB instance.")
          .exception();
    }
    String status = source.status(null, now);
    if (!"available".equals(status)) {
      throw RdsErrors.invalidInstanceState(source.id, status).exception();
    }
    if (source.backupRetention == 0) {
      throw RdsErrors.invalidParameterCombination(
              "Automated backups are not enabled for this database instance. To enable automated "
                  + "backups, use ModifyDBInstance to set the backup retention period to a non-zero "
                  + "value.")
          .exception();
    }
    if (!"aurora-mysql".equals(r.engine())) {
      throw RdsErrors.invalidParameterCombination(
              "Cannot create a read replica of the "
                  + source.version.engine()
                  + " DB instance "
                  + source.id
                  + " with engine "
                  + r.engine()
                  + ": use aurora-mysql.")
          .exception();
    }
    RdsEngineVersions.Version compatible =
        RdsEngineVersions.auroraReplicaOf(source.version)
            .orElseThrow(
                () ->
                    RdsErrors.invalidParameterCombination(
                            "Cannot create an Aurora read replica of DB instance "
                                + source.id
                                + ": its engine version "
                                + source.version.version()
                                + " can't replicate to aurora-mysql. Upgrade it to MySQL 5.7 first.")
                        .exception());
    RdsEngineVersions.Version version = compatible;
    if (r.engineVersion() != null) {
      version =
          RdsEngineVersions.find("aurora-mysql", r.engineVersion())
              .filter(v -> v.family().equals(compatible.family()))
              .orElseThrow(
                  () ->
                      RdsErrors.invalidParameterCombination(
                              "Cannot create an Aurora read replica of the "
                                  + source.version.version()
                                  + " DB instance "
                                  + source.id
                                  + " with engine version "
                                  + r.engineVersion()
                                  + ".")
                          .exception());
    }
    String group =
        r.clusterParameterGroup() == null
            ? RdsEngineVersions.defaultParameterGroup(version.family())
            : groups.clusterGroupOfFamily(r.clusterParameterGroup(), version.family());
    RdsCluster c =
        clusters.newCluster(
            account,
            r.clusterId(),
            version,
            group,
            r.port() == null ? 3306 : r.port(),
            false,
            null,
            now,
            now.plus(timings.clusterRestore()));
    c.tags.putAll(r.tags());
    c.masterUsername = source.masterUsername;
    c.masterPassword = source.masterPassword;
    c.replicationSource = source.arn;
    resources.clusters.put(RdsResources.key(account, c.id), c);
    source.replicaClusters.add(c.id);
    events.add(now, c.id, "db-cluster", "DB cluster created", List.of("creation"), c.arn);
    events.add(
        c.availableAt,
        c.id,
        "db-cluster",
        REPLICATION_STARTED + " " + source.arn,
        List.of("notification"),
        c.arn);
    bindings.onReplicaCreated(c, source);
    log.info(
        "[sandbox, test double] RDS cluster {}/{}: Aurora read replica of {} ({} {}), creating until"
            + " {}",
        account,
        c.id,
        source.arn,
        version.engine(),
        version.version(),
        c.availableAt);
    return c;
  }

  /**
   * PromoteReadReplicaDBCluster: only an {@code available} read replica; replication stops now, the
   * cluster is {@code promoting} until {@link RdsTimings#replicaPromote()} has passed.
   */
  RdsCluster promote(String account, String clusterId) {
    RdsCluster c = resources.clusterOrFault(account, clusterId);
    Instant now = clock.instant();
    String status = c.status(now);
    if (!"available".equals(status)) {
      throw RdsErrors.invalidClusterState(c.id, status).exception();
    }
    if (c.replicationSource == null) {
      throw new ServiceError(
              400, "InvalidDBClusterStateFault", "DB cluster " + c.id + " is not a read replica.")
          .exception();
    }
    bindings.stopReplication(c);
    c.promotedAt = now.plus(timings.replicaPromote());
    events.add(now, c.id, "db-cluster", PROMOTING, List.of("notification"), c.arn);
    events.add(c.promotedAt, c.id, "db-cluster", PROMOTED, List.of("notification"), c.arn);
    log.info(
        "[sandbox, test double] RDS cluster {}/{}: promoting until {}; replication from {} stopped",
        account,
        c.id,
        c.promotedAt,
        c.replicationSource);
    return c;
  }

  /** Ends a promotion the clock says is over: writable, no replication source any more. */
  void settle(RdsCluster c, Instant now) {
    if (c.promotedAt == null || now.isBefore(c.promotedAt)) {
      return;
    }
    bindings.makeWritable(c); // on failure this throws and the next call tries again
    resources.forgetReplicationSource(c);
    c.promotedAt = null;
    log.info("[sandbox, test double] RDS cluster {}/{} promoted", c.account, c.id);
  }
}
