package dev.dbops.sandbox;

import dev.dbops.sandbox.mysql.LocalMariaDb;
import dev.dbops.sandbox.mysql.MariaDbCli;
import dev.dbops.sandbox.mysql.RdsProcedures;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The sandbox's RDS state (Aurora MySQL clusters, instances, cluster snapshots, parameter groups,
 * engine versions, events, pending maintenance) and its in-process admin API. A test double, not
 * AWS. Every state change is computed lazily from {@link SandboxClock} on the next call (S3 does
 * the same): a snapshot is {@code creating} for {@link RdsTimings#snapshotCreate()}, an upgrade
 * keeps its cluster {@code upgrading} for {@link RdsTimings#clusterUpgrade()}, and so on.
 *
 * <p>Every cluster, instance and snapshot belongs to an account ({@link SandboxAccounts}); a caller
 * sees only its own account's resources, plus snapshots other accounts shared with it (by ARN).
 * Methods without an account argument act on {@link #ACCOUNT_ID}.
 *
 * <p>A cluster can be {@linkplain #bind bound} to a real {@link LocalMariaDb}: its endpoints are
 * then that server's 127.0.0.1:port, an engine upgrade stops the server when it starts (open
 * connections drop) and restarts it reporting the target's MySQL version when it ends ({@code
 * 5.7.mysql_aurora.2.11.2} → {@code SELECT VERSION()} = {@code 5.7.12}), or the old one when it
 * fails. The restart happens inside the first RDS call (or admin call) that observes the end of the
 * upgrade, so a cluster is never reported {@code available} before its server is up. A snapshot of
 * a bound cluster dumps the server's application schemas; restoring it (in any account) starts a
 * new server with that data, owned by the sandbox and bound to the new cluster; deleting a cluster
 * stops and deletes its sandbox-owned server.
 *
 * <p>All methods are thread-safe (one lock, this object's, for all RDS state). This class is the
 * admin API and the views; the state and its rules live by resource: {@link RdsResources} (where
 * clusters, instances and snapshots are kept and found), {@link RdsClusters}, {@link RdsInstances},
 * {@link RdsSnapshots}, {@link RdsParameterGroups}, {@link RdsUpgrades} (the clock-driven upgrade
 * and its scripted faults), {@link RdsBindings} (real MariaDB servers behind clusters) and {@link
 * RdsEventLog}. {@link RdsHandler} calls them under this lock.
 */
public final class RdsSandbox {

  /** A cluster as the admin API shows it. */
  public record ClusterView(
      String id,
      String status,
      String engine,
      String engineVersion,
      String endpoint,
      int port,
      String clusterParameterGroup,
      List<String> instances,
      Map<String, String> tags,
      String boundTo,
      String account,
      String arn,
      boolean storageEncrypted,
      String kmsKeyId,
      String masterUsername,
      int masterPasswordChanges,
      String replicationSource) {}

  /**
   * A cluster snapshot as its owner sees it.
   *
   * @param sharedWith the {@code restore} attribute (account ids, or {@code all})
   * @param dataSchemas the schemas its dump holds (a snapshot of a bound cluster), else empty
   */
  public record SnapshotView(
      String account,
      String id,
      String arn,
      String status,
      String clusterId,
      boolean storageEncrypted,
      String kmsKeyId,
      List<String> sharedWith,
      String sourceSnapshotArn,
      Map<String, String> tags,
      boolean hasData,
      List<String> dataSchemas) {}

  /**
   * A standalone RDS for MySQL instance as the admin API shows it.
   *
   * @param replicaClusters ReadReplicaDBClusterIdentifiers: Aurora clusters replicating from it
   */
  public record InstanceView(
      String account,
      String id,
      String arn,
      String status,
      String engine,
      String engineVersion,
      String endpoint,
      int port,
      String boundTo,
      int backupRetentionDays,
      List<String> replicaClusters,
      Map<String, String> tags) {}

  /** A cluster's master user (MasterUsername and the password a bound server accepts). */
  public record MasterCredentials(String username, String password) {}

  /** Region of every ARN and endpoint. */
  public static final String REGION = "us-east-1";

  /** The default account ({@link SandboxAccounts#DEFAULT_ACCOUNT}). */
  public static final String ACCOUNT_ID = SandboxAccounts.DEFAULT_ACCOUNT;

  public static final String DEFAULT_MASTER_USERNAME = "admin";
  public static final String DEFAULT_MASTER_PASSWORD = "admin-secret";

  static final String BINLOG_RECOVERY = RdsClusters.BINLOG_RECOVERY;

  private final SandboxClock clock;
  private final SandboxAccounts accounts;
  private final RdsResources resources = new RdsResources();
  private final RdsEventLog events = new RdsEventLog();
  private final RdsParameterGroups parameterGroups = new RdsParameterGroups();
  private final RdsBindings bindings = new RdsBindings(events);
  private final RdsUpgrades upgrades;
  private final RdsSnapshots snapshots;
  private final RdsInstances instances;
  private final RdsClusters clusters;
  private final RdsReadReplicas readReplicas;

  RdsSandbox(SandboxConfig config, SandboxClock clock, SandboxAccounts accounts) {
    this.clock = clock;
    this.accounts = accounts;
    RdsTimings timings = config.rds();
    this.upgrades = new RdsUpgrades(timings, resources, parameterGroups, events);
    this.snapshots = new RdsSnapshots(clock, timings, accounts, resources, bindings, events);
    this.instances = new RdsInstances(clock, timings, resources, parameterGroups, events, upgrades);
    this.clusters =
        new RdsClusters(
            clock,
            timings,
            accounts,
            resources,
            parameterGroups,
            snapshots,
            upgrades,
            bindings,
            events);
    this.readReplicas =
        new RdsReadReplicas(clock, timings, resources, parameterGroups, clusters, bindings, events);
  }

  // ---------------------------------------------------------------- admin API

  /**
   * Seeds an {@code available} cluster with {@code available} instances in the seed's account
   * (hosted from now on). Custom parameter groups the seed names are created (with the version's
   * family) when missing.
   *
   * @throws IllegalArgumentException if the id is taken or the engine version is unknown
   */
  public synchronized ClusterView createCluster(ClusterSeed seed) {
    return view(clusters.seed(seed), clock.instant());
  }

  /**
   * Seeds an {@code available} standalone RDS for MySQL instance (e.g. the source of an Aurora read
   * replica).
   *
   * @throws IllegalArgumentException if the id is taken or the engine version is unknown
   */
  public synchronized InstanceView createInstance(InstanceSeed seed) {
    accounts.add(seed.account());
    return view(instances.seed(seed), clock.instant());
  }

  /** A standalone instance now. */
  public synchronized InstanceView instance(String account, String instanceId) {
    Instant now = clock.instant();
    settle(now);
    RdsInstance i = resources.instances.get(RdsResources.key(account, instanceId));
    if (i == null || !i.standalone()) {
      throw new IllegalArgumentException(
          "no standalone RDS instance "
              + instanceId
              + " in account "
              + account
              + " of the sandbox");
    }
    return view(i, now);
  }

  /**
   * Binds a standalone instance to a real MariaDB (its endpoint becomes that server; an Aurora read
   * replica of it replicates from it). An instance with backups needs {@code db} to have its binary
   * log on. The caller keeps owning {@code db}.
   */
  public synchronized void bindInstance(String account, String instanceId, LocalMariaDb db) {
    Objects.requireNonNull(db, "db");
    RdsInstance i = resources.instances.get(RdsResources.key(account, instanceId));
    if (i == null) {
      throw new IllegalArgumentException(
          "no RDS instance " + instanceId + " in account " + account + " of the sandbox");
    }
    bindings.bindInstance(i, db, false);
  }

  /** Every account's standalone instances. */
  public synchronized List<InstanceView> instances() {
    Instant now = clock.instant();
    settle(now);
    return resources.instances.values().stream()
        .filter(RdsInstance::standalone)
        .map(i -> view(i, now))
        .toList();
  }

  /**
   * Starts a {@link LocalMariaDb} for a standalone instance as RDS for MySQL runs one: reporting
   * the instance's MySQL version, binary log on ({@code MIXED}, server id 1), the instance's master
   * user with RDS master-user privileges (no SUPER); binds the instance to it. The sandbox owns it
   * (stopped and deleted by {@link AwsSandbox#close()}), with RDS's {@code mysql.rds_*} procedures
   * ({@link RdsProcedures}) and {@code binlog retention hours} = {@code binlogRetentionHours}
   * (null: NULL, RDS's default). For dev mode and tests in another process.
   */
  public LocalMariaDb startInstanceMariaDb(
      String account, String instanceId, Integer binlogRetentionHours) {
    String mysqlVersion;
    MasterCredentials master;
    synchronized (this) {
      RdsInstance i = standaloneOrThrow(account, instanceId);
      mysqlVersion = i.version.mysqlVersion();
      master = new MasterCredentials(i.masterUsername, i.masterPassword);
    }
    LocalMariaDb db =
        LocalMariaDb.start(
            LocalMariaDb.Options.defaults()
                .reportedVersion(mysqlVersion)
                .serverId(1)
                .logBin(true)
                .binlogFormat("MIXED"));
    try {
      RdsBoundServers.setMasterPassword(db, master.username(), master.password());
      MariaDbCli.script(db, RdsProcedures.installScript());
      if (binlogRetentionHours != null) {
        MariaDbCli.execute(
            db,
            "CALL mysql.rds_set_configuration("
                + MariaDbCli.literal(RdsProcedures.BINLOG_RETENTION_HOURS)
                + ", "
                + binlogRetentionHours.intValue()
                + ")");
      }
      synchronized (this) {
        bindings.bindInstance(standaloneOrThrow(account, instanceId), db, true);
      }
    } catch (RuntimeException e) {
      db.close();
      throw e;
    }
    return db;
  }

  private RdsInstance standaloneOrThrow(String account, String instanceId) {
    RdsInstance i = resources.instances.get(RdsResources.key(account, instanceId));
    if (i == null || !i.standalone()) {
      throw new IllegalArgumentException(
          "no standalone RDS instance "
              + instanceId
              + " in account "
              + account
              + " of the sandbox");
    }
    return i;
  }

  /**
   * An Aurora read replica cluster's server applies each source event {@code delay} after the
   * source wrote it ({@code MASTER_DELAY}), so its {@code Seconds_Behind_Master} shows real lag.
   * {@link Duration#ZERO} ends that.
   */
  public synchronized void delayReplication(String account, String clusterId, Duration delay) {
    settle(clock.instant());
    RdsCluster c = resources.existing(account, clusterId);
    if (c.replicationSource == null) {
      throw new IllegalArgumentException("cluster " + clusterId + " is not a read replica");
    }
    bindings.delayReplication(c, delay.toSeconds());
  }

  /** {@link #bind(String, String, LocalMariaDb)} in the default account. */
  public void bind(String clusterId, LocalMariaDb db) {
    bind(ACCOUNT_ID, clusterId, db);
  }

  /**
   * Binds a cluster to a real MariaDB: its endpoints become {@code 127.0.0.1:<db.port()>} and its
   * upgrades restart {@code db}. If {@code db} reports another version than the cluster's MySQL
   * version, it is restarted now to report it. The caller keeps owning {@code db} (closes it).
   */
  public synchronized void bind(String account, String clusterId, LocalMariaDb db) {
    Objects.requireNonNull(db, "db");
    RdsCluster c = resources.existing(account, clusterId);
    settle(clock.instant());
    bindings.bind(c, db, false);
  }

  /** {@link #startLocalMariaDb(String, String)} in the default account. */
  public LocalMariaDb startLocalMariaDb(String clusterId) {
    return startLocalMariaDb(ACCOUNT_ID, clusterId);
  }

  /**
   * Starts a {@link LocalMariaDb} reporting the cluster's MySQL version, creates the cluster's
   * master user on it (RDS master-user privileges, no SUPER) and binds the cluster to it; the
   * sandbox owns it (stopped and deleted by {@link AwsSandbox#close()} or DeleteDBCluster). For dev
   * mode and tests in another process (admin API).
   */
  public LocalMariaDb startLocalMariaDb(String account, String clusterId) {
    String mysqlVersion;
    MasterCredentials master;
    synchronized (this) {
      RdsCluster c = resources.existing(account, clusterId);
      mysqlVersion = c.version.mysqlVersion();
      master = new MasterCredentials(c.masterUsername, c.masterPassword);
    }
    LocalMariaDb db =
        LocalMariaDb.start(LocalMariaDb.Options.defaults().reportedVersion(mysqlVersion));
    try {
      RdsBoundServers.setMasterPassword(db, master.username(), master.password());
      synchronized (this) {
        RdsCluster c = resources.existing(account, clusterId);
        settle(clock.instant());
        bindings.bind(c, db, true);
      }
    } catch (RuntimeException e) {
      db.close();
      throw e;
    }
    return db;
  }

  /** The local MariaDB a cluster of the default account is bound to, if any. */
  public Optional<LocalMariaDb> binding(String clusterId) {
    return binding(ACCOUNT_ID, clusterId);
  }

  /**
   * The local MariaDB a cluster is bound to, if any (a restored cluster's once it is {@code
   * available}).
   */
  public synchronized Optional<LocalMariaDb> binding(String account, String clusterId) {
    settle(clock.instant());
    return Optional.ofNullable(resources.existing(account, clusterId).boundTo);
  }

  /** The cluster's master user and its current password (what a bound server accepts). */
  public synchronized MasterCredentials masterCredentials(String account, String clusterId) {
    RdsCluster c = resources.existing(account, clusterId);
    return new MasterCredentials(c.masterUsername, c.masterPassword);
  }

  /**
   * The cluster's next upgrade fails after its pre-upgrade checks (20% into the upgrade time) with
   * the event {@code "Database cluster is in a state that cannot be upgraded: <reason>"}; the
   * cluster goes back to {@code available} on its old version (a bound server restarts on it).
   */
  public synchronized void failNextUpgrade(String clusterId, String reason) {
    upgrades.failNext(resources.existing(ACCOUNT_ID, clusterId), reason);
  }

  /**
   * The cluster's next upgrade lasts {@code duration} instead of {@link
   * RdsTimings#clusterUpgrade()}, and its "Purging undo records" events keep reporting the same
   * number of records remaining. It then completes normally.
   */
  public synchronized void stallUpgrade(String clusterId, Duration duration) {
    upgrades.stallNext(resources.existing(ACCOUNT_ID, clusterId), duration);
  }

  /**
   * Creates a DB cluster parameter group (e.g. a custom 5.7 counterpart). Idempotent for the same
   * family.
   */
  public synchronized void createClusterParameterGroup(String name, String family) {
    parameterGroups.createClusterGroup(name, family);
  }

  /** Creates a DB (instance) parameter group. Idempotent for the same family. */
  public synchronized void createDbParameterGroup(String name, String family) {
    parameterGroups.createDbGroup(name, family);
  }

  /** Adds a pending maintenance action on the cluster (e.g. {@code system-update}). */
  public synchronized void addPendingMaintenance(
      String clusterId, String action, String description) {
    RdsCluster c = resources.existing(ACCOUNT_ID, clusterId);
    c.pendingActions.add(
        new RdsCluster.PendingAction(
            action, description, clock.instant().plus(Duration.ofDays(14))));
  }

  /** The default account's cluster now (settles ended upgrades and restores first). */
  public ClusterView cluster(String clusterId) {
    return cluster(ACCOUNT_ID, clusterId);
  }

  /** The cluster now (settles ended upgrades, restores and deletions first). */
  public synchronized ClusterView cluster(String account, String clusterId) {
    Instant now = clock.instant();
    settle(now);
    return view(resources.existing(account, clusterId), now);
  }

  /** True while the cluster exists (also while {@code deleting}). */
  public synchronized boolean clusterExists(String account, String clusterId) {
    settle(clock.instant());
    return resources.clusters.containsKey(RdsResources.key(account, clusterId));
  }

  /** Every account's clusters. */
  public synchronized List<ClusterView> clusters() {
    Instant now = clock.instant();
    settle(now);
    return resources.clusters.values().stream().map(c -> view(c, now)).toList();
  }

  /**
   * {@code creating} / {@code copying} / {@code available}; empty if the default account has no
   * such snapshot.
   */
  public Optional<String> snapshotStatus(String snapshotId) {
    return snapshot(ACCOUNT_ID, snapshotId).map(SnapshotView::status);
  }

  /** An account's snapshot, if it exists. */
  public synchronized Optional<SnapshotView> snapshot(String account, String snapshotId) {
    RdsSnapshot s = resources.snapshots.get(RdsResources.key(account, snapshotId));
    return s == null ? Optional.empty() : Optional.of(view(s, clock.instant()));
  }

  /**
   * {@code creating} / {@code available} / {@code upgrading} / {@code deleting}; empty if there is
   * no such instance.
   */
  public Optional<String> instanceStatus(String instanceId) {
    return instanceStatus(ACCOUNT_ID, instanceId);
  }

  public synchronized Optional<String> instanceStatus(String account, String instanceId) {
    Instant now = clock.instant();
    settle(now);
    RdsInstance i = resources.instances.get(RdsResources.key(account, instanceId));
    return i == null ? Optional.empty() : Optional.of(i.status(resources.clusterOf(i), now));
  }

  /** Every event visible now (date ≤ sandbox clock), oldest first, of every source and account. */
  public synchronized List<RdsEvent> events() {
    return events.visible(clock.instant());
  }

  /**
   * The MySQL version a bound server reports for an engine version ({@code 5.6.10a} → {@code
   * 5.6.10}, {@code 5.7.mysql_aurora.2.11.2} → {@code 5.7.12}, {@code 8.0.mysql_aurora.3.04.0} →
   * {@code 8.0.28}).
   */
  public static String mysqlVersion(String engineVersion) {
    return RdsEngineVersions.find(engineVersion)
        .map(RdsEngineVersions.Version::mysqlVersion)
        .orElseThrow(() -> new IllegalArgumentException("unknown engine version " + engineVersion));
  }

  /**
   * Stops and deletes the MariaDB servers the sandbox started (seeded, restored) and the snapshot
   * dumps.
   */
  synchronized void close() {
    bindings.close(resources.clusters.values(), resources.instances.values());
  }

  // ---------------------------------------------------------------- for RdsHandler (under this
  // lock)

  Instant now() {
    return clock.instant();
  }

  SandboxAccounts accounts() {
    return accounts;
  }

  RdsResources resources() {
    return resources;
  }

  RdsClusters clusterOps() {
    return clusters;
  }

  RdsInstances instanceOps() {
    return instances;
  }

  RdsSnapshots snapshotOps() {
    return snapshots;
  }

  RdsReadReplicas readReplicaOps() {
    return readReplicas;
  }

  RdsParameterGroups parameterGroups() {
    return parameterGroups;
  }

  RdsEventLog eventLog() {
    return events;
  }

  /**
   * Finishes what the clock says is over: upgrades (new version or old, bound server restarted),
   * restores (the new server bound), instance and cluster deletions (gone).
   */
  synchronized void settle(Instant now) {
    for (RdsCluster c : resources.clusters.values()) {
      upgrades.settle(c, now);
      bindings.settleRestore(c, now);
      readReplicas.settle(c, now);
    }
    for (RdsInstance i : resources.instances.values()) {
      upgrades.settleInstance(i, now);
    }
    resources.settleDeletions(now);
  }

  // ---------------------------------------------------------------- views

  private static ClusterView view(RdsCluster c, Instant now) {
    return new ClusterView(
        c.id,
        c.status(now),
        c.engine(),
        c.version.version(),
        c.endpoint(REGION),
        c.port(),
        c.clusterParameterGroup,
        List.copyOf(c.members),
        Map.copyOf(c.tags),
        c.boundTo == null ? null : c.boundTo.host() + ":" + c.boundTo.port(),
        c.account,
        c.arn,
        c.storageEncrypted,
        c.kmsKeyId,
        c.masterUsername,
        c.masterPasswordChanges,
        c.replicationSource);
  }

  private static InstanceView view(RdsInstance i, Instant now) {
    return new InstanceView(
        i.account,
        i.id,
        i.arn,
        i.status(null, now),
        i.version.engine(),
        i.version.version(),
        i.endpoint(REGION),
        i.port(),
        i.boundTo == null ? null : i.boundTo.host() + ":" + i.boundTo.port(),
        i.backupRetention,
        List.copyOf(i.replicaClusters),
        Map.copyOf(i.tags));
  }

  private static SnapshotView view(RdsSnapshot s, Instant now) {
    return new SnapshotView(
        s.account,
        s.id,
        s.arn,
        s.status(now),
        s.clusterId,
        s.storageEncrypted,
        s.kmsKeyId,
        List.copyOf(s.sharedWith),
        s.sourceSnapshotArn,
        Map.copyOf(s.tags),
        s.data != null,
        s.data == null ? List.of() : s.data.schemas());
  }
}
