package dev.dbops.activities.upgrade;

import dev.dbops.activities.aws.AwsFailures;
import dev.dbops.activities.aws.ClusterSnapshots;
import dev.dbops.activities.aws.OrderableInstanceClasses;
import dev.dbops.activities.aws.RdsReads;
import dev.dbops.activities.upgrade.UpgradeMetrics.Change;
import dev.dbops.workflows.common.ErrorTypes;
import dev.dbops.workflows.common.InstanceClassOffer;
import dev.dbops.workflows.common.OrderableQuery;
import dev.dbops.workflows.upgrade.ClusterEndpoints;
import dev.dbops.workflows.upgrade.ClusterFacts;
import dev.dbops.workflows.upgrade.ClusterFacts.InstanceFacts;
import dev.dbops.workflows.upgrade.ClusterFacts.UpgradeTarget;
import dev.dbops.workflows.upgrade.InstanceSpec;
import dev.dbops.workflows.upgrade.ModifyOutcome;
import dev.dbops.workflows.upgrade.ModifySpec;
import dev.dbops.workflows.upgrade.RdsUpgradeActivities;
import dev.dbops.workflows.upgrade.RestoreClusterSpec;
import dev.dbops.workflows.upgrade.SnapshotInfo;
import dev.dbops.workflows.upgrade.SnapshotSpec;
import dev.dbops.workflows.upgrade.UpgradeProgress;
import dev.dbops.workflows.upgrade.UpgradeWatch;
import io.micrometer.core.instrument.MeterRegistry;
import io.temporal.failure.ApplicationFailure;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBCluster;
import software.amazon.awssdk.services.rds.model.DBClusterSnapshot;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.rds.model.Event;
import software.amazon.awssdk.services.rds.model.PendingMaintenanceAction;
import software.amazon.awssdk.services.rds.model.SourceType;

/**
 * The RDS side of an in-place Aurora MySQL upgrade and of its rollback, against the real RDS API
 * (or the sandbox, which speaks it). Every mutating method looks first and adopts what a retried or
 * resumed run already made, so each change is requested once. Poll methods make one look and sort
 * it: done → return, not yet → {@link ErrorTypes#notReady}, terminal → non-retryable. Every AWS
 * failure is classified by {@link AwsFailures}.
 */
public final class RdsUpgradeActivitiesImpl implements RdsUpgradeActivities {
  private static final Logger log = LoggerFactory.getLogger(RdsUpgradeActivitiesImpl.class);

  static final String AVAILABLE = "available";
  static final String UPGRADING = "upgrading";

  /** "It exists already" answers of the creates: a concurrent attempt won the race; adopt. */
  static final String CLUSTER_EXISTS = "DBClusterAlreadyExistsFault";

  static final String INSTANCE_EXISTS = "DBInstanceAlreadyExists";

  /** DescribeEvents' largest page; a multi-day upgrade pages through the rest. */
  static final int EVENTS_PAGE = 100;

  /** Cluster / instance statuses that need a person, not more waiting. */
  private static final Set<String> TERMINAL =
      Set.of(
          "failed",
          "deleting",
          "deleted",
          "stopped",
          "stopping",
          "incompatible-parameters",
          "incompatible-restore",
          "incompatible-network",
          "inaccessible-encryption-credentials",
          "inaccessible-encryption-credentials-recoverable",
          "storage-full");

  private final RdsClient rds;
  private final RdsReads reads;
  private final ClusterSnapshots snapshots;
  private final UpgradeMetrics metrics;
  private final Clock clock;

  public RdsUpgradeActivitiesImpl(RdsClient rds, MeterRegistry registry) {
    this(rds, registry, Clock.systemUTC());
  }

  /**
   * @param clock decides when a new phase may be reported ({@link
   *     UpgradeWatch#reportAfterEpochMillis()})
   */
  public RdsUpgradeActivitiesImpl(RdsClient rds, MeterRegistry registry, Clock clock) {
    this.rds = rds;
    this.reads = new RdsReads(rds);
    this.snapshots = new ClusterSnapshots(rds);
    this.metrics = new UpgradeMetrics(registry);
    this.clock = clock;
  }

  // ------------------------------------------------------------------------------- inspect

  @Override
  public ClusterFacts inspectCluster(String clusterId, List<String> parameterGroupNames) {
    require(clusterId, "clusterId");
    DBCluster c = reads.cluster(clusterId);
    List<DBInstance> members = reads.members(clusterId);
    Map<String, Boolean> writers = new LinkedHashMap<>();
    c.dbClusterMembers()
        .forEach(
            m -> writers.put(m.dbInstanceIdentifier(), Boolean.TRUE.equals(m.isClusterWriter())));
    List<InstanceFacts> instances =
        members.stream()
            .map(
                i ->
                    new InstanceFacts(
                        i.dbInstanceIdentifier(),
                        writers.getOrDefault(i.dbInstanceIdentifier(), false),
                        i.dbInstanceStatus(),
                        i.dbParameterGroups().isEmpty()
                            ? null
                            : i.dbParameterGroups().get(0).dbParameterGroupName(),
                        i.dbInstanceClass()))
            .toList();

    List<UpgradeTarget> targets = reads.upgradeTargets(c.engine(), c.engineVersion());

    Map<String, String> families = new LinkedHashMap<>();
    if (c.dbClusterParameterGroup() != null) {
      reads
          .clusterGroupFamily(c.dbClusterParameterGroup())
          .ifPresent(f -> families.put(c.dbClusterParameterGroup(), f));
    }
    Set<String> instanceGroups = new LinkedHashSet<>();
    instances.forEach(
        i -> {
          if (i.parameterGroup() != null) instanceGroups.add(i.parameterGroup());
        });
    instanceGroups.forEach(g -> reads.instanceGroupFamily(g).ifPresent(f -> families.put(g, f)));
    if (parameterGroupNames != null) {
      for (String g : parameterGroupNames) {
        if (g == null || g.isBlank() || families.containsKey(g)) continue;
        Optional<String> family =
            reads.clusterGroupFamily(g).or(() -> reads.instanceGroupFamily(g));
        family.ifPresent(f -> families.put(g, f));
      }
    }

    List<String> maintenance = pendingMaintenance(c);
    Map<String, String> tags = new LinkedHashMap<>();
    c.tagList().forEach(t -> tags.put(t.key(), t.value()));
    return new ClusterFacts(
        c.dbClusterIdentifier(),
        c.dbClusterArn(),
        c.status(),
        c.engine(),
        c.engineVersion(),
        c.endpoint(),
        c.port() == null ? 0 : c.port(),
        c.dbClusterParameterGroup(),
        instances,
        c.backtrackWindow() == null ? 0 : c.backtrackWindow(),
        tags,
        targets,
        families,
        maintenance);
  }

  @Override
  public List<InstanceClassOffer> instanceClassOffers(OrderableQuery query) {
    return OrderableInstanceClasses.offers(rds, query);
  }

  private List<String> pendingMaintenance(DBCluster c) {
    return AwsFailures.call(
        "DescribePendingMaintenanceActions",
        "cluster " + c.dbClusterIdentifier(),
        () ->
            rds
                .describePendingMaintenanceActionsPaginator(
                    b -> b.resourceIdentifier(c.dbClusterArn()))
                .pendingMaintenanceActions()
                .stream()
                .flatMap(
                    r ->
                        r.pendingMaintenanceActionDetails().stream()
                            .map(a -> maintenanceLine(r.resourceIdentifier(), a)))
                .toList());
  }

  private static String maintenanceLine(String resource, PendingMaintenanceAction a) {
    StringBuilder sb = new StringBuilder(a.action());
    if (a.description() != null) sb.append(": ").append(a.description());
    sb.append(" [").append(resource);
    if (a.optInStatus() != null) sb.append(", opt-in ").append(a.optInStatus());
    if (a.autoAppliedAfterDate() != null)
      sb.append(", auto-applied after ").append(a.autoAppliedAfterDate());
    if (a.forcedApplyDate() != null) sb.append(", forced on ").append(a.forcedApplyDate());
    if (a.currentApplyDate() != null) sb.append(", applies ").append(a.currentApplyDate());
    return sb.append(']').toString();
  }

  // ------------------------------------------------------------------------------ snapshot

  @Override
  public SnapshotInfo ensureSnapshot(SnapshotSpec spec) {
    require(spec == null ? null : spec.clusterId(), "clusterId");
    require(spec.snapshotId(), "snapshotId");
    return snapshots.createOrAdopt(
        spec.snapshotId(),
        "CreateDBClusterSnapshot",
        () ->
            rds.createDBClusterSnapshot(
                    b ->
                        b.dbClusterIdentifier(spec.clusterId())
                            .dbClusterSnapshotIdentifier(spec.snapshotId())
                            .tags(RdsReads.tags(spec.tags())))
                .dbClusterSnapshot(),
        s -> {
          metrics.count(Change.SNAPSHOT_CREATED);
          log.info(
              "snapshot {} of cluster {} requested ({})",
              spec.snapshotId(),
              spec.clusterId(),
              s.status());
          return new SnapshotInfo(spec.snapshotId(), s.status(), false);
        },
        s -> adoptSnapshot(spec, s));
  }

  private SnapshotInfo adoptSnapshot(SnapshotSpec spec, DBClusterSnapshot s) {
    if (!spec.clusterId().equals(s.dbClusterIdentifier())) {
      throw ApplicationFailure.newNonRetryableFailure(
          "snapshot "
              + spec.snapshotId()
              + " already exists "
              + "but is of cluster "
              + s.dbClusterIdentifier()
              + ", not "
              + spec.clusterId()
              + "; choose another snapshot id",
          ErrorTypes.INVALID_STATE);
    }
    metrics.count(Change.SNAPSHOT_ADOPTED);
    log.info(
        "snapshot {} of cluster {} already exists ({}): adopted",
        spec.snapshotId(),
        spec.clusterId(),
        s.status());
    return new SnapshotInfo(spec.snapshotId(), s.status(), true);
  }

  @Override
  public SnapshotInfo checkSnapshotAvailable(String snapshotId) {
    require(snapshotId, "snapshotId");
    DBClusterSnapshot s =
        AwsFailures.call(
            "DescribeDBClusterSnapshots",
            "snapshot " + snapshotId,
            () ->
                rds.describeDBClusterSnapshots(b -> b.dbClusterSnapshotIdentifier(snapshotId))
                    .dbClusterSnapshots()
                    .get(0));
    String status = s.status();
    ClusterSnapshots.Availability a = ClusterSnapshots.availability(status);
    if (a == ClusterSnapshots.Availability.AVAILABLE) {
      return new SnapshotInfo(snapshotId, status, false, s.engine(), s.engineVersion());
    }
    if (a == ClusterSnapshots.Availability.NEVER) {
      throw ApplicationFailure.newNonRetryableFailure(
          "snapshot " + snapshotId + " is " + status + "; it will never be available",
          ErrorTypes.INVALID_STATE);
    }
    throw ErrorTypes.notReady(
        "snapshot "
            + snapshotId
            + " is "
            + status
            + (s.percentProgress() == null ? "" : " (" + s.percentProgress() + "%)"));
  }

  // ------------------------------------------------------------------------------- upgrade

  @Override
  public ModifyOutcome startUpgrade(ModifySpec spec) {
    require(spec == null ? null : spec.clusterId(), "clusterId");
    require(spec.targetEngineVersion(), "targetEngineVersion");
    DBCluster c = reads.cluster(spec.clusterId());
    String pending =
        c.pendingModifiedValues() == null ? null : c.pendingModifiedValues().engineVersion();
    if (UPGRADING.equals(c.status()) || spec.targetEngineVersion().equals(pending)) {
      metrics.count(Change.UPGRADE_ADOPTED);
      log.info(
          "cluster {} is already upgrading ({} → {}): nothing to call",
          spec.clusterId(),
          c.engineVersion(),
          spec.targetEngineVersion());
      return new ModifyOutcome(ModifyOutcome.ALREADY_UPGRADING, c.status(), c.engineVersion());
    }
    if (spec.targetEngineVersion().equals(c.engineVersion())) {
      log.info("cluster {} is already on {}: nothing to call", spec.clusterId(), c.engineVersion());
      return new ModifyOutcome(ModifyOutcome.ALREADY_AT_TARGET, c.status(), c.engineVersion());
    }
    DBCluster after =
        AwsFailures.call(
            "ModifyDBCluster",
            "cluster " + spec.clusterId(),
            () ->
                rds.modifyDBCluster(
                        b ->
                            b.dbClusterIdentifier(spec.clusterId())
                                .engineVersion(spec.targetEngineVersion())
                                .allowMajorVersionUpgrade(true)
                                .applyImmediately(true)
                                .dbClusterParameterGroupName(spec.clusterParameterGroup())
                                .dbInstanceParameterGroupName(spec.instanceParameterGroup()))
                    .dbCluster());
    metrics.count(Change.UPGRADE_STARTED);
    log.info(
        "cluster {}: upgrade {} → {} requested (cluster group {}, instance group {})",
        spec.clusterId(),
        c.engineVersion(),
        spec.targetEngineVersion(),
        spec.clusterParameterGroup(),
        spec.instanceParameterGroup());
    return new ModifyOutcome(ModifyOutcome.STARTED, after.status(), after.engineVersion());
  }

  @Override
  public UpgradeProgress checkUpgrade(UpgradeWatch watch) {
    require(watch == null ? null : watch.clusterId(), "clusterId");
    require(watch.targetEngineVersion(), "targetEngineVersion");
    DBCluster c = reads.cluster(watch.clusterId());
    UpgradeEvents.Reading events =
        UpgradeEvents.read(eventsSince(watch.clusterId(), watch.sinceEpochMillis()));
    String status = c.status();
    String version = c.engineVersion();

    if (AVAILABLE.equals(status) && watch.targetEngineVersion().equals(version)) {
      metrics.count(Change.UPGRADE_DONE);
      return progress(UpgradeProgress.DONE, events, c);
    }
    if (AVAILABLE.equals(status) && events.failure() != null) {
      metrics.count(Change.UPGRADE_FAILED);
      log.warn(
          "cluster {}: upgrade failed, still on {}: {}",
          watch.clusterId(),
          version,
          events.failure());
      return new UpgradeProgress(
          UpgradeProgress.FAILED,
          events.phase(),
          events.recordsRemaining(),
          events.failure(),
          status,
          version);
    }
    if (TERMINAL.contains(status)) {
      throw ApplicationFailure.newNonRetryableFailure(
          "cluster "
              + watch.clusterId()
              + " is "
              + status
              + " on "
              + version
              + " while upgrading to "
              + watch.targetEngineVersion()
              + (events.lastEvent() == null ? "" : "; last event: " + events.lastEvent()),
          ErrorTypes.INVALID_STATE);
    }
    if (events.phase() != null
        && !events.phase().equals(watch.lastReportedPhase())
        && clock.millis() >= watch.reportAfterEpochMillis()) {
      return progress(UpgradeProgress.UPGRADING, events, c);
    }
    throw ErrorTypes.notReady(notReadyMessage(c, events));
  }

  private static String notReadyMessage(DBCluster c, UpgradeEvents.Reading events) {
    if (AVAILABLE.equals(c.status()) && events.phase() == null) {
      return "cluster "
          + c.dbClusterIdentifier()
          + " is available on "
          + c.engineVersion()
          + "; waiting for the upgrade to start";
    }
    return c.status()
        + ": "
        + (events.phase() == null ? "no upgrade event yet" : events.phase())
        + (events.recordsRemaining() >= 0
            ? ", records remaining " + events.recordsRemaining()
            : "");
  }

  private static UpgradeProgress progress(String state, UpgradeEvents.Reading events, DBCluster c) {
    return new UpgradeProgress(
        state,
        events.phase(),
        events.recordsRemaining(),
        events.lastEvent(),
        c.status(),
        c.engineVersion());
  }

  /** The cluster's events from {@code sinceEpochMillis} on (StartTime: the default is one hour). */
  private List<UpgradeEvents.Entry> eventsSince(String clusterId, long sinceEpochMillis) {
    Instant since = Instant.ofEpochMilli(sinceEpochMillis);
    return AwsFailures.call(
        "DescribeEvents",
        "cluster " + clusterId,
        () ->
            rds
                .describeEventsPaginator(
                    b ->
                        b.sourceType(SourceType.DB_CLUSTER)
                            .sourceIdentifier(clusterId)
                            .startTime(since)
                            .maxRecords(EVENTS_PAGE))
                .events()
                .stream()
                .map(RdsUpgradeActivitiesImpl::entry)
                .toList());
  }

  private static UpgradeEvents.Entry entry(Event e) {
    return new UpgradeEvents.Entry(e.date(), e.message(), e.eventCategories());
  }

  // ------------------------------------------------------------------------------ rollback

  @Override
  public String restoreClusterFromSnapshot(RestoreClusterSpec spec) {
    require(spec == null ? null : spec.newClusterId(), "newClusterId");
    require(spec.snapshotId(), "snapshotId");
    Optional<DBCluster> existing = reads.findCluster(spec.newClusterId());
    if (existing.isPresent()) return adoptCluster(spec, existing.get());
    try {
      DBCluster c =
          rds.restoreDBClusterFromSnapshot(
                  b ->
                      b.dbClusterIdentifier(spec.newClusterId())
                          .snapshotIdentifier(spec.snapshotId())
                          .engine(spec.engine())
                          .engineVersion(spec.engineVersion())
                          .dbClusterParameterGroupName(spec.clusterParameterGroup())
                          .tags(RdsReads.tags(spec.tags())))
              .dbCluster();
      metrics.count(Change.CLUSTER_RESTORED);
      log.info(
          "cluster {} restoring from snapshot {} ({})",
          spec.newClusterId(),
          spec.snapshotId(),
          c.status());
      return spec.newClusterId();
    } catch (SdkException e) {
      if (CLUSTER_EXISTS.equals(AwsFailures.errorCode(e))) {
        Optional<DBCluster> now = reads.findCluster(spec.newClusterId());
        if (now.isPresent()) return adoptCluster(spec, now.get());
      }
      throw AwsFailures.failure(
          "RestoreDBClusterFromSnapshot", "cluster " + spec.newClusterId(), e);
    }
  }

  /** A cluster does not say which snapshot it came from; the id derived from the run is the key. */
  private String adoptCluster(RestoreClusterSpec spec, DBCluster c) {
    if (spec.engine() != null && !spec.engine().equals(c.engine())) {
      throw ApplicationFailure.newNonRetryableFailure(
          "cluster "
              + spec.newClusterId()
              + " already exists "
              + "with engine "
              + c.engine()
              + ", not "
              + spec.engine()
              + "; it was not restored by this run",
          ErrorTypes.INVALID_STATE);
    }
    metrics.count(Change.CLUSTER_ADOPTED);
    log.info(
        "cluster {} already exists ({}): adopted as the restore of {}",
        spec.newClusterId(),
        c.status(),
        spec.snapshotId());
    return spec.newClusterId();
  }

  @Override
  public String createInstance(InstanceSpec spec) {
    require(spec == null ? null : spec.instanceId(), "instanceId");
    require(spec.clusterId(), "clusterId");
    Optional<DBInstance> existing = reads.findInstance(spec.instanceId());
    if (existing.isPresent()) return adoptInstance(spec, existing.get());
    try {
      DBInstance i =
          rds.createDBInstance(
                  b ->
                      b.dbInstanceIdentifier(spec.instanceId())
                          .dbClusterIdentifier(spec.clusterId())
                          .dbInstanceClass(spec.instanceClass())
                          .engine(spec.engine())
                          .dbParameterGroupName(spec.parameterGroup())
                          .tags(RdsReads.tags(spec.tags())))
              .dbInstance();
      metrics.count(Change.INSTANCE_CREATED);
      log.info(
          "instance {} in cluster {} requested ({})",
          spec.instanceId(),
          spec.clusterId(),
          i.dbInstanceStatus());
      return spec.instanceId();
    } catch (SdkException e) {
      if (INSTANCE_EXISTS.equals(AwsFailures.errorCode(e))) {
        Optional<DBInstance> now = reads.findInstance(spec.instanceId());
        if (now.isPresent()) return adoptInstance(spec, now.get());
      }
      throw AwsFailures.failure("CreateDBInstance", "instance " + spec.instanceId(), e);
    }
  }

  private String adoptInstance(InstanceSpec spec, DBInstance i) {
    if (!spec.clusterId().equals(i.dbClusterIdentifier())) {
      throw ApplicationFailure.newNonRetryableFailure(
          "instance "
              + spec.instanceId()
              + " already exists "
              + "in cluster "
              + i.dbClusterIdentifier()
              + ", not "
              + spec.clusterId(),
          ErrorTypes.INVALID_STATE);
    }
    metrics.count(Change.INSTANCE_ADOPTED);
    log.info(
        "instance {} already exists in cluster {} ({}): adopted",
        spec.instanceId(),
        spec.clusterId(),
        i.dbInstanceStatus());
    return spec.instanceId();
  }

  @Override
  public ClusterEndpoints checkClusterStatusAvailable(String clusterId) {
    DBCluster c = availableCluster(clusterId);
    return new ClusterEndpoints(
        clusterId, c.endpoint(), c.readerEndpoint(), c.port() == null ? 0 : c.port());
  }

  /** The cluster, when its own status is available; NOT_READY before, INVALID_STATE if terminal. */
  private DBCluster availableCluster(String clusterId) {
    require(clusterId, "clusterId");
    DBCluster c = reads.cluster(clusterId);
    if (TERMINAL.contains(c.status())) {
      throw ApplicationFailure.newNonRetryableFailure(
          "cluster " + clusterId + " is " + c.status(), ErrorTypes.INVALID_STATE);
    }
    if (!AVAILABLE.equals(c.status()))
      throw ErrorTypes.notReady("cluster " + clusterId + " is " + c.status());
    return c;
  }

  @Override
  public ClusterEndpoints checkClusterAvailable(String clusterId) {
    DBCluster c = availableCluster(clusterId);
    List<DBInstance> members = reads.members(clusterId);
    if (members.isEmpty()) {
      throw ErrorTypes.notReady("cluster " + clusterId + " is available but has no instance yet");
    }
    List<String> waiting = new ArrayList<>();
    for (DBInstance i : members) {
      if (TERMINAL.contains(i.dbInstanceStatus())) {
        throw ApplicationFailure.newNonRetryableFailure(
            "instance "
                + i.dbInstanceIdentifier()
                + " of cluster "
                + clusterId
                + " is "
                + i.dbInstanceStatus(),
            ErrorTypes.INVALID_STATE);
      }
      if (!AVAILABLE.equals(i.dbInstanceStatus()))
        waiting.add(i.dbInstanceIdentifier() + " " + i.dbInstanceStatus());
    }
    if (!waiting.isEmpty()) {
      throw ErrorTypes.notReady(
          "cluster " + clusterId + " is available; waiting for " + String.join(", ", waiting));
    }
    return new ClusterEndpoints(
        clusterId, c.endpoint(), c.readerEndpoint(), c.port() == null ? 0 : c.port());
  }

  // ------------------------------------------------------------------------------- helpers

  private static void require(String value, String field) {
    if (value == null || value.isBlank()) {
      throw ApplicationFailure.newNonRetryableFailure(
          field + ": required", ErrorTypes.INVALID_INPUT);
    }
  }
}
