package dev.dbops.workflows.upgrade;

import dev.dbops.workflows.common.ErrorTypes;
import dev.dbops.workflows.common.InstanceClassOffer;
import dev.dbops.workflows.common.OrderableQuery;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * RDS as the upgrade workflow sees it, on the test server's clock: a snapshot is available a fixed
 * time after creation; an upgrade walks through the documented phases over its duration.
 */
class FakeRds implements RdsUpgradeActivities {
  static final List<String> PHASES =
      List.of(
          "Performing online pre-upgrade checks",
          "Performing offline pre-upgrade checks",
          "Creating pre-upgrade snapshot",
          "Cloning volume",
          "Purging undo records for old row versions",
          "Upgrading database objects");

  final TestWorkflowEnvironment env;
  final AtomicInteger inspectCalls = new AtomicInteger();
  final AtomicInteger snapshotCreates = new AtomicInteger();
  final AtomicInteger modifyCalls = new AtomicInteger();
  final AtomicInteger checkCalls = new AtomicInteger();
  final Map<String, Long> snapshots = new HashMap<>();
  Duration snapshotTime = Duration.ofHours(1);
  Duration upgradeTime = Duration.ofHours(3);

  /** Stay in the purge phase this long (a stuck upgrade) before moving on. */
  Duration stuckInPurge = Duration.ZERO;

  boolean failUpgrade;
  String status = "available";
  String engine = "aurora";
  String version = "5.6.mysql_aurora.1.22.2";
  String clusterGroup = "default.aurora5.6";
  String instanceGroup = "default.aurora5.6";
  Map<String, String> tags = Map.of("environment", "staging");
  Map<String, String> families =
      new HashMap<>(Map.of("custom-57", "aurora-mysql5.7", "custom-56", "aurora5.6"));
  volatile Long upgradeStartedAt;
  String instanceClass = "db.r5.large";
  String snapshotEngine = "aurora";
  String snapshotVersion = "5.6.mysql_aurora.1.22.2";

  /** {@code class@engineVersion} pairs RDS does not offer; every other pair is offered. */
  final Set<String> notOffered = new HashSet<>();

  final List<OrderableQuery> offerQueries = new ArrayList<>();

  FakeRds(TestWorkflowEnvironment env) {
    this.env = env;
  }

  @Override
  public ClusterFacts inspectCluster(String clusterId, List<String> names) {
    inspectCalls.incrementAndGet();
    if (!clusterId.equals("orders")) {
      throw ApplicationFailure.newNonRetryableFailure(
          "DBClusterNotFoundFault: " + clusterId, ErrorTypes.NOT_FOUND);
    }
    Map<String, String> fam = new HashMap<>();
    for (String n : names) if (families.containsKey(n)) fam.put(n, families.get(n));
    return new ClusterFacts(
        "orders",
        "arn:aws:rds:us-east-1:1:cluster:orders",
        status,
        engine,
        version,
        "127.0.0.1",
        3306,
        clusterGroup,
        List.of(
            new ClusterFacts.InstanceFacts(
                "orders-1", true, "available", instanceGroup, instanceClass)),
        0,
        tags,
        List.of(
            new ClusterFacts.UpgradeTarget("aurora-mysql", "5.7.mysql_aurora.2.11.2", true),
            new ClusterFacts.UpgradeTarget("aurora", "5.6.mysql_aurora.1.23.4", false)),
        fam,
        List.of());
  }

  @Override
  public synchronized List<InstanceClassOffer> instanceClassOffers(OrderableQuery q) {
    offerQueries.add(q);
    return q.instanceClasses().stream()
        .map(
            c ->
                notOffered.contains(c + "@" + q.engineVersion())
                    ? new InstanceClassOffer(
                        c,
                        q.engine(),
                        q.engineVersion(),
                        false,
                        List.of("db.r5.large", "db.t3.medium"))
                    : new InstanceClassOffer(c, q.engine(), q.engineVersion(), true, List.of()))
        .toList();
  }

  @Override
  public synchronized SnapshotInfo ensureSnapshot(SnapshotSpec spec) {
    if (snapshots.containsKey(spec.snapshotId()))
      return new SnapshotInfo(spec.snapshotId(), "creating", true);
    snapshotCreates.incrementAndGet();
    snapshots.put(spec.snapshotId(), env.currentTimeMillis());
    return new SnapshotInfo(spec.snapshotId(), "creating", false);
  }

  @Override
  public synchronized SnapshotInfo checkSnapshotAvailable(String snapshotId) {
    if (!snapshots.containsKey(snapshotId)) {
      throw ApplicationFailure.newNonRetryableFailure(
          "snapshot " + snapshotId + " not found", ErrorTypes.NOT_FOUND);
    }
    if (env.currentTimeMillis() - snapshots.get(snapshotId) < snapshotTime.toMillis()) {
      throw ErrorTypes.notReady(snapshotId + " creating");
    }
    return new SnapshotInfo(snapshotId, "available", false, snapshotEngine, snapshotVersion);
  }

  @Override
  public synchronized ModifyOutcome startUpgrade(ModifySpec spec) {
    if (upgradeStartedAt != null)
      return new ModifyOutcome(ModifyOutcome.ALREADY_UPGRADING, "upgrading", version);
    modifyCalls.incrementAndGet();
    upgradeStartedAt = env.currentTimeMillis();
    status = "upgrading";
    return new ModifyOutcome(ModifyOutcome.STARTED, status, version);
  }

  @Override
  public synchronized UpgradeProgress checkUpgrade(UpgradeWatch w) {
    checkCalls.incrementAndGet();
    long elapsed = env.currentTimeMillis() - upgradeStartedAt;
    long total = upgradeTime.plus(stuckInPurge).toMillis();
    if (failUpgrade && elapsed >= total / 2) {
      status = "available";
      return new UpgradeProgress(
          UpgradeProgress.FAILED,
          "Upgrading database objects",
          -1,
          "Database cluster is in a state that cannot be upgraded: invalid object",
          status,
          version);
    }
    if (elapsed >= total) {
      status = "available";
      version = w.targetEngineVersion();
      engine = "aurora-mysql";
      return new UpgradeProgress(
          UpgradeProgress.DONE,
          "done",
          0,
          "Database cluster major version has been upgraded",
          status,
          version);
    }
    String phase = phaseAt(elapsed);
    long records = phase.startsWith("Purging") ? 1_000_000 - Math.min(999_999, elapsed / 1000) : -1;
    if (!phase.equals(w.lastReportedPhase())
        && env.currentTimeMillis() >= w.reportAfterEpochMillis()) {
      return new UpgradeProgress(
          UpgradeProgress.UPGRADING,
          phase,
          records,
          "Upgrade in progress: " + phase,
          status,
          version);
    }
    throw ErrorTypes.notReady("upgrading: " + phase);
  }

  private String phaseAt(long elapsed) {
    long step = upgradeTime.toMillis() / PHASES.size();
    int purge = PHASES.indexOf("Purging undo records for old row versions");
    long purgeStart = step * purge;
    if (elapsed >= purgeStart && elapsed < purgeStart + step + stuckInPurge.toMillis())
      return PHASES.get(purge);
    long e = elapsed >= purgeStart + step ? elapsed - stuckInPurge.toMillis() : elapsed;
    return PHASES.get((int) Math.min(PHASES.size() - 1, e / step));
  }

  final Map<String, Long> restoredClusters = new HashMap<>();
  final Map<String, String> createdInstances = new HashMap<>();
  final AtomicInteger restoreCalls = new AtomicInteger();
  final Map<String, String> restoredEngines = new HashMap<>();
  Duration restoreTime = Duration.ofMinutes(40);

  @Override
  public synchronized String restoreClusterFromSnapshot(RestoreClusterSpec spec) {
    if (!snapshots.containsKey(spec.snapshotId())) {
      throw ApplicationFailure.newNonRetryableFailure(
          "DBClusterSnapshotNotFoundFault: " + spec.snapshotId(), ErrorTypes.NOT_FOUND);
    }
    if (restoredClusters.putIfAbsent(spec.newClusterId(), env.currentTimeMillis()) == null) {
      restoreCalls.incrementAndGet();
      restoredEngines.put(spec.newClusterId(), spec.engine());
    }
    return spec.newClusterId();
  }

  final Map<String, Long> instanceCreatedAt = new HashMap<>();

  @Override
  public synchronized ClusterEndpoints checkClusterStatusAvailable(String clusterId) {
    if (env.currentTimeMillis() - restoredClusters.get(clusterId) < restoreTime.toMillis()) {
      throw ErrorTypes.notReady(clusterId + " creating");
    }
    return new ClusterEndpoints(
        clusterId, clusterId + ".cluster-x", clusterId + ".cluster-ro-x", 3306);
  }

  /** Refused while the restored cluster is still creating, as RDS does. */
  @Override
  public synchronized String createInstance(InstanceSpec spec) {
    if (env.currentTimeMillis() - restoredClusters.get(spec.clusterId()) < restoreTime.toMillis()) {
      throw ApplicationFailure.newNonRetryableFailure(
          "InvalidDBClusterStateFault: " + spec.clusterId() + " is creating",
          ErrorTypes.INVALID_STATE);
    }
    createdInstances.putIfAbsent(spec.instanceId(), spec.clusterId());
    instanceCreatedAt.putIfAbsent(spec.instanceId(), env.currentTimeMillis());
    return spec.instanceId();
  }

  @Override
  public synchronized ClusterEndpoints checkClusterAvailable(String clusterId) {
    checkClusterStatusAvailable(clusterId);
    boolean instancesUp =
        !createdInstances.isEmpty()
            && instanceCreatedAt.values().stream()
                .allMatch(t -> env.currentTimeMillis() - t >= Duration.ofMinutes(10).toMillis());
    if (!instancesUp) throw ErrorTypes.notReady(clusterId + " instances creating");
    return new ClusterEndpoints(
        clusterId,
        clusterId + ".cluster-x.us-east-1.rds.amazonaws.com",
        clusterId + ".cluster-ro-x.us-east-1.rds.amazonaws.com",
        3306);
  }
}
