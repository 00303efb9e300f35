package dev.dbops.sandbox;

import dev.dbops.sandbox.mysql.LocalMariaDb;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * <p>All methods are thread-safe (one lock for all RDS state).
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
      int masterPasswordChanges) {}

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

  /** A cluster's master user (MasterUsername and the password a bound server accepts). */
  public record MasterCredentials(String username, String password) {}

  /** Region of every ARN and endpoint. */
  public static final String REGION = "us-east-1";

  /** The default account ({@link SandboxAccounts#DEFAULT_ACCOUNT}). */
  public static final String ACCOUNT_ID = SandboxAccounts.DEFAULT_ACCOUNT;

  public static final String DEFAULT_MASTER_USERNAME = "admin";
  public static final String DEFAULT_MASTER_PASSWORD = "admin-secret";

  static final String BINLOG_RECOVERY =
      "Binlog position from crash recovery is mysql-bin-changelog.000118 245880";
  private static final int MAX_SHARED_ACCOUNTS = 20;

  private static final Logger log = LoggerFactory.getLogger(RdsSandbox.class);

  private final SandboxClock clock;
  private final RdsTimings timings;
  private final SandboxAccounts accounts;
  private final RdsBoundServers servers = new RdsBoundServers();

  /** Keyed by {@link #key(String, String)}: account + "/" + id. */
  private final Map<String, RdsCluster> clusters = new LinkedHashMap<>();

  private final Map<String, RdsInstance> instances = new LinkedHashMap<>();
  private final Map<String, RdsSnapshot> snapshots = new LinkedHashMap<>();

  /** Parameter group name → family (one catalog for every account). */
  private final Map<String, String> clusterParameterGroups = new LinkedHashMap<>();

  private final Map<String, String> dbParameterGroups = new LinkedHashMap<>();
  private final List<RdsEvent> events = new ArrayList<>();
  private final AtomicLong resourceIds = new AtomicLong();

  RdsSandbox(SandboxConfig config, SandboxClock clock, SandboxAccounts accounts) {
    this.clock = clock;
    this.timings = config.rds();
    this.accounts = accounts;
    for (String family : RdsEngineVersions.FAMILIES) {
      clusterParameterGroups.put(RdsEngineVersions.defaultParameterGroup(family), family);
      dbParameterGroups.put(RdsEngineVersions.defaultParameterGroup(family), family);
    }
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
    String account = seed.account();
    if (clusters.containsKey(key(account, seed.id()))) {
      throw new IllegalArgumentException(
          "cluster " + seed.id() + " already exists in account " + account);
    }
    RdsEngineVersions.Version version =
        RdsEngineVersions.find(seed.engine(), seed.engineVersion())
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "unknown engine version "
                            + seed.engine()
                            + " "
                            + seed.engineVersion()
                            + "; known: "
                            + RdsEngineVersions.ALL.stream()
                                .map(v -> v.engine() + " " + v.version())
                                .toList()));
    for (String instanceId : seed.instances()) {
      if (instances.containsKey(key(account, instanceId))) {
        throw new IllegalArgumentException(
            "instance " + instanceId + " already exists in account " + account);
      }
    }
    accounts.add(account);
    String clusterGroup =
        seed.clusterParameterGroup() == null
            ? RdsEngineVersions.defaultParameterGroup(version.family())
            : seed.clusterParameterGroup();
    String instanceGroup =
        seed.instanceParameterGroup() == null
            ? RdsEngineVersions.defaultParameterGroup(version.family())
            : seed.instanceParameterGroup();
    clusterParameterGroups.putIfAbsent(clusterGroup, version.family());
    dbParameterGroups.putIfAbsent(instanceGroup, version.family());
    Instant now = clock.instant();
    Instant created = now.minus(Duration.ofDays(400)); // a long-lived production cluster
    String kms =
        !seed.storageEncrypted()
            ? null
            : seed.kmsKeyId() != null
                ? accounts.kms().resolve(account, seed.kmsKeyId())
                : accounts.kms().defaultRdsKey(account);
    RdsCluster c =
        newCluster(
            account,
            seed.id(),
            version,
            clusterGroup,
            seed.port(),
            seed.storageEncrypted(),
            kms,
            created,
            created);
    c.tags.putAll(seed.tags());
    c.backtrackWindow = seed.backtrackWindow();
    c.masterUsername = seed.masterUsername();
    c.masterPassword = seed.masterPassword();
    for (String instanceId : seed.instances()) {
      RdsInstance i =
          new RdsInstance(
              account,
              instanceId,
              arn(account, "db", instanceId),
              c.id,
              seed.instanceClass(),
              instanceGroup,
              created,
              created);
      i.promotionTier = c.members.isEmpty() ? 0 : 1;
      instances.put(key(account, instanceId), i);
      c.members.add(instanceId);
    }
    clusters.put(key(account, c.id), c);
    log.info(
        "[sandbox, test double] RDS cluster {} seeded in account {}: {} {}, instances {}",
        c.id,
        account,
        version.engine(),
        version.version(),
        c.members);
    return view(c, now);
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
    RdsCluster c = existing(account, clusterId);
    settle(clock.instant());
    if (c.upgrade != null) {
      throw new IllegalStateException(
          "cluster " + clusterId + " is upgrading; bind it before or after");
    }
    releaseBinding(c);
    if (!c.version.mysqlVersion().equals(db.reportedVersion()) || !db.isRunning()) {
      db.restart(c.version.mysqlVersion());
    }
    c.boundTo = db;
    c.ownsBinding = false;
    log.info(
        "[sandbox, test double] RDS cluster {} bound to local MariaDB {}:{}",
        clusterId,
        db.host(),
        db.port());
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
      RdsCluster c = existing(account, clusterId);
      mysqlVersion = c.version.mysqlVersion();
      master = new MasterCredentials(c.masterUsername, c.masterPassword);
    }
    LocalMariaDb db =
        LocalMariaDb.start(LocalMariaDb.Options.defaults().reportedVersion(mysqlVersion));
    try {
      RdsBoundServers.setMasterPassword(db, master.username(), master.password());
      synchronized (this) {
        bind(account, clusterId, db);
        existing(account, clusterId).ownsBinding = true;
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
    return Optional.ofNullable(existing(account, clusterId).boundTo);
  }

  /** The cluster's master user and its current password (what a bound server accepts). */
  public synchronized MasterCredentials masterCredentials(String account, String clusterId) {
    RdsCluster c = existing(account, clusterId);
    return new MasterCredentials(c.masterUsername, c.masterPassword);
  }

  /**
   * The cluster's next upgrade fails after its pre-upgrade checks (20% into the upgrade time) with
   * the event {@code "Database cluster is in a state that cannot be upgraded: <reason>"}; the
   * cluster goes back to {@code available} on its old version (a bound server restarts on it).
   */
  public synchronized void failNextUpgrade(String clusterId, String reason) {
    existing(ACCOUNT_ID, clusterId).failNextUpgradeReason =
        Objects.requireNonNull(reason, "reason");
  }

  /**
   * The cluster's next upgrade lasts {@code duration} instead of {@link
   * RdsTimings#clusterUpgrade()}, and its "Purging undo records" events keep reporting the same
   * number of records remaining. It then completes normally.
   */
  public synchronized void stallUpgrade(String clusterId, Duration duration) {
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException("duration must be positive: " + duration);
    }
    existing(ACCOUNT_ID, clusterId).stallNextUpgrade = duration;
  }

  /**
   * Creates a DB cluster parameter group (e.g. a custom 5.7 counterpart). Idempotent for the same
   * family.
   */
  public synchronized void createClusterParameterGroup(String name, String family) {
    createGroup(clusterParameterGroups, name, family);
  }

  /** Creates a DB (instance) parameter group. Idempotent for the same family. */
  public synchronized void createDbParameterGroup(String name, String family) {
    createGroup(dbParameterGroups, name, family);
  }

  /** Adds a pending maintenance action on the cluster (e.g. {@code system-update}). */
  public synchronized void addPendingMaintenance(
      String clusterId, String action, String description) {
    RdsCluster c = existing(ACCOUNT_ID, clusterId);
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
    return view(existing(account, clusterId), now);
  }

  /** True while the cluster exists (also while {@code deleting}). */
  public synchronized boolean clusterExists(String account, String clusterId) {
    settle(clock.instant());
    return clusters.containsKey(key(account, clusterId));
  }

  /** Every account's clusters. */
  public synchronized List<ClusterView> clusters() {
    Instant now = clock.instant();
    settle(now);
    return clusters.values().stream().map(c -> view(c, now)).toList();
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
    RdsSnapshot s = snapshots.get(key(account, snapshotId));
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
    RdsInstance i = instances.get(key(account, instanceId));
    return i == null ? Optional.empty() : Optional.of(i.status(clusterOf(i), now));
  }

  /** Every event visible now (date ≤ sandbox clock), oldest first, of every source and account. */
  public synchronized List<RdsEvent> events() {
    Instant now = clock.instant();
    return events.stream()
        .filter(e -> !e.date().isAfter(now))
        .sorted(Comparator.comparing(RdsEvent::date))
        .toList();
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
    for (RdsCluster c : clusters.values()) {
      if (c.restoringServer != null) {
        try {
          c.restoringServer.join().close();
        } catch (CompletionException | java.util.concurrent.CancellationException e) {
          // the restore failed; nothing was left running
        }
        c.restoringServer = null;
      }
      releaseBinding(c);
    }
    servers.close();
  }

  // ---------------------------------------------------------------- used by RdsHandler (under this
  // lock)

  Instant now() {
    return clock.instant();
  }

  SandboxAccounts accounts() {
    return accounts;
  }

  /**
   * Finishes what the clock says is over: upgrades (new version or old, bound server restarted),
   * restores (the new server bound), instance and cluster deletions (gone).
   */
  synchronized void settle(Instant now) {
    for (RdsCluster c : clusters.values()) {
      settleUpgrade(c, now);
      settleRestore(c, now);
    }
    for (Iterator<RdsInstance> it = instances.values().iterator(); it.hasNext(); ) {
      RdsInstance i = it.next();
      if (i.deletedAt != null && !now.isBefore(i.deletedAt)) {
        it.remove();
        RdsCluster c = clusters.get(key(i.account, i.clusterId));
        if (c != null) {
          c.members.remove(i.id);
        }
      }
    }
    for (Iterator<RdsCluster> it = clusters.values().iterator(); it.hasNext(); ) {
      RdsCluster c = it.next();
      if (c.deletedAt != null && !now.isBefore(c.deletedAt)) {
        it.remove();
        for (String member : c.members) {
          instances.remove(key(c.account, member));
        }
        log.info("[sandbox, test double] RDS cluster {}/{} deleted", c.account, c.id);
      }
    }
  }

  synchronized RdsCluster clusterOrFault(String account, String idOrArn) {
    RdsCluster c = clusters.get(ownKey(account, idOrArn, "cluster"));
    if (c == null) {
      throw RdsErrors.clusterNotFound(idOrArn).exception();
    }
    return c;
  }

  synchronized List<RdsCluster> allClusters(String account) {
    return clusters.values().stream().filter(c -> c.account.equals(account)).toList();
  }

  synchronized RdsInstance instanceOrFault(String account, String idOrArn) {
    RdsInstance i = instances.get(ownKey(account, idOrArn, "db"));
    if (i == null) {
      throw RdsErrors.instanceNotFound(idOrArn).exception();
    }
    return i;
  }

  synchronized List<RdsInstance> allInstances(String account) {
    return instances.values().stream().filter(i -> i.account.equals(account)).toList();
  }

  synchronized RdsCluster clusterOf(RdsInstance i) {
    return clusters.get(key(i.account, i.clusterId));
  }

  /** One of {@code account}'s own snapshots, by id or ARN. */
  synchronized RdsSnapshot snapshotOrFault(String account, String idOrArn) {
    RdsSnapshot s = snapshots.get(ownKey(account, idOrArn, "cluster-snapshot"));
    if (s == null) {
      throw RdsErrors.snapshotNotFound(idOrArn).exception();
    }
    return s;
  }

  /**
   * An own snapshot by id or ARN, or another account's snapshot by ARN if shared with {@code
   * account}.
   */
  synchronized RdsSnapshot visibleSnapshotOrFault(String account, String idOrArn) {
    Arn arn = Arn.parse(idOrArn, "cluster-snapshot");
    if (arn == null || arn.account().equals(account)) {
      return snapshotOrFault(account, idOrArn);
    }
    RdsSnapshot s = snapshots.get(key(arn.account(), arn.id()));
    if (s == null || !s.visibleTo(account)) {
      throw RdsErrors.snapshotNotFound(idOrArn).exception();
    }
    return s;
  }

  synchronized List<RdsSnapshot> allSnapshots(String account) {
    return snapshots.values().stream().filter(s -> s.account.equals(account)).toList();
  }

  /**
   * Other accounts' snapshots shared with {@code account} by id ({@code public}: shared with {@code
   * all}).
   */
  synchronized List<RdsSnapshot> sharedSnapshots(String account, boolean publicOnes) {
    return snapshots.values().stream()
        .filter(s -> !s.account.equals(account))
        .filter(s -> publicOnes ? s.sharedWith.contains("all") : s.sharedWith.contains(account))
        .toList();
  }

  synchronized Map<String, String> clusterParameterGroups() {
    return Map.copyOf(clusterParameterGroups);
  }

  synchronized Map<String, String> dbParameterGroups() {
    return Map.copyOf(dbParameterGroups);
  }

  String clusterParameterGroupArn(String account, String name) {
    return arn(account, "cluster-pg", name);
  }

  String dbParameterGroupArn(String account, String name) {
    return arn(account, "pg", name);
  }

  synchronized RdsSnapshot createSnapshot(
      String account, String snapshotId, String clusterId, Map<String, String> tags) {
    RdsCluster c = clusterOrFault(account, clusterId);
    Instant now = clock.instant();
    if (snapshots.containsKey(key(account, snapshotId))) {
      throw RdsErrors.snapshotAlreadyExists(snapshotId).exception();
    }
    String status = c.status(now);
    if (!"available".equals(status)) {
      throw RdsErrors.invalidClusterState(c.id, status).exception();
    }
    return takeSnapshot(c, snapshotId, tags, now);
  }

  /** What CopyDBClusterSnapshot asked for; null fields were not sent. */
  record Copy(
      String source,
      String targetId,
      String kmsKeyId,
      boolean copyTags,
      Map<String, String> tags) {}

  synchronized RdsSnapshot copySnapshot(String account, Copy copy) {
    RdsSnapshot source = visibleSnapshotOrFault(account, copy.source());
    if (snapshots.containsKey(key(account, copy.targetId()))) {
      throw RdsErrors.snapshotAlreadyExists(copy.targetId()).exception();
    }
    Instant now = clock.instant();
    if (!"available".equals(source.status(now))) {
      throw RdsErrors.invalidSnapshotState(source.id, source.status(now)).exception();
    }
    boolean crossAccount = !source.account.equals(account);
    String kms = source.kmsKeyId;
    if (copy.kmsKeyId() != null) {
      if (!source.storageEncrypted) {
        throw RdsErrors.invalidParameterCombination(
                "KmsKeyId can't be specified when copying the unencrypted "
                    + "DB cluster snapshot "
                    + source.id
                    + ".")
            .exception();
      }
      kms = accounts.kms().resolve(account, copy.kmsKeyId());
    } else if (crossAccount && source.storageEncrypted) {
      throw new ServiceError(
              400,
              "KMSKeyNotAccessibleFault",
              "KmsKeyId is required to copy the encrypted DB "
                  + "cluster snapshot "
                  + source.arn
                  + " shared from account "
                  + source.account
                  + ".")
          .exception();
    }
    String targetArn = arn(account, "cluster-snapshot", copy.targetId());
    RdsSnapshot s =
        new RdsSnapshot(
            account,
            copy.targetId(),
            targetArn,
            source,
            kms,
            now,
            now.plus(timings.snapshotCopy()));
    if (copy.copyTags() && !crossAccount) {
      s.tags.putAll(source.tags);
    }
    s.tags.putAll(copy.tags());
    snapshots.put(key(account, s.id), s);
    event(
        now,
        s.id,
        "db-cluster-snapshot",
        "Copying manual cluster snapshot from " + source.arn,
        List.of("backup"),
        s.arn);
    event(
        s.availableAt,
        s.id,
        "db-cluster-snapshot",
        "Finished copy of manual cluster snapshot from " + source.arn,
        List.of("backup"),
        s.arn);
    log.info(
        "[sandbox, test double] RDS snapshot {} copied to {} (KMS key {})",
        source.arn,
        targetArn,
        kms);
    return s;
  }

  /**
   * ModifyDBClusterSnapshotAttribute {@code restore}: share with or unshare from accounts. A
   * snapshot encrypted with the AWS managed {@code aws/rds} key cannot be shared ({@link
   * RdsErrors#shareDefaultKey}), an encrypted one cannot be made public, at most {@value
   * #MAX_SHARED_ACCOUNTS} accounts.
   */
  synchronized RdsSnapshot modifySnapshotAttribute(
      String account,
      String snapshotId,
      String attributeName,
      List<String> add,
      List<String> remove) {
    RdsSnapshot s = snapshotOrFault(account, snapshotId);
    if (!"restore".equals(attributeName)) {
      throw RdsErrors.invalidParameterValue(
              "Invalid attribute name: "
                  + attributeName
                  + ". The only supported attribute is restore.")
          .exception();
    }
    Instant now = clock.instant();
    if (!"available".equals(s.status(now))) {
      throw RdsErrors.invalidSnapshotState(s.id, s.status(now)).exception();
    }
    for (String value : add) {
      if (!"all".equals(value) && !value.matches("\\d{12}")) {
        throw RdsErrors.invalidParameterValue("Invalid account identifier: " + value).exception();
      }
    }
    if (!add.isEmpty() && s.storageEncrypted && accounts.kms().isAwsManagedRdsKey(s.kmsKeyId)) {
      throw RdsErrors.shareDefaultKey(s.id).exception();
    }
    if (add.contains("all") && s.storageEncrypted) {
      throw RdsErrors.invalidParameterValue(
              "Encrypted snapshots can't be made public: share "
                  + s.id
                  + " with account ids instead of all.")
          .exception();
    }
    Set<String> after = new LinkedHashSet<>(s.sharedWith);
    remove.forEach(after::remove);
    after.addAll(add);
    if (after.size() > MAX_SHARED_ACCOUNTS) {
      throw new ServiceError(
              400,
              "SharedSnapshotQuotaExceeded",
              "You have exceeded the maximum number of accounts ("
                  + MAX_SHARED_ACCOUNTS
                  + ") you can share a manual DB snapshot with.")
          .exception();
    }
    s.sharedWith.clear();
    s.sharedWith.addAll(after);
    log.info("[sandbox, test double] RDS snapshot {} shared with {}", s.arn, s.sharedWith);
    return s;
  }

  /**
   * DeleteDBClusterSnapshot: gone at once ({@code copying} ones too: that cancels the copy). Its
   * dump is deleted with the last snapshot that shares it, unless a restore still loads it (then it
   * goes with the sandbox).
   */
  synchronized RdsSnapshot deleteSnapshot(String account, String snapshotId) {
    RdsSnapshot s = snapshotOrFault(account, snapshotId);
    Instant now = clock.instant();
    if ("creating".equals(s.status(now))) {
      throw RdsErrors.invalidSnapshotState(s.id, "creating").exception();
    }
    snapshots.remove(key(account, s.id));
    if (s.data != null
        && snapshots.values().stream().noneMatch(o -> o.data == s.data)
        && clusters.values().stream()
            .noneMatch(c -> c.restoringServer != null && c.restoringFrom == s.data)) {
      RdsBoundServers.delete(s.data);
    }
    event(
        now,
        s.id,
        "db-cluster-snapshot",
        "Deleted manual cluster snapshot",
        List.of("deletion"),
        s.arn);
    return s;
  }

  /** What ModifyDBCluster asked for; null fields were not sent. */
  record Modification(
      String clusterId,
      String engineVersion,
      boolean allowMajorVersionUpgrade,
      boolean applyImmediately,
      String clusterParameterGroup,
      String instanceParameterGroup,
      Long backtrackWindow,
      String masterUserPassword) {}

  synchronized RdsCluster modifyCluster(String account, Modification m) {
    RdsCluster c = clusterOrFault(account, m.clusterId());
    Instant now = clock.instant();
    String status = c.status(now);
    if (!"available".equals(status)) {
      throw RdsErrors.invalidClusterState(c.id, status).exception();
    }
    if (m.masterUserPassword() != null) {
      checkMasterPassword(m.masterUserPassword())
          .ifPresent(
              e -> {
                throw e.exception();
              });
    }
    boolean versionChange =
        m.engineVersion() != null && !m.engineVersion().equals(c.version.version());
    if (!versionChange) {
      if (m.instanceParameterGroup() != null) {
        throw RdsErrors.invalidParameterCombination(
                "The parameter DBInstanceParameterGroupName can only be "
                    + "specified with a major version upgrade (AllowMajorVersionUpgrade and EngineVersion).")
            .exception();
      }
      if (m.clusterParameterGroup() != null) {
        c.clusterParameterGroup =
            clusterGroupOfFamily(m.clusterParameterGroup(), c.version.family());
      }
      if (m.backtrackWindow() != null) {
        c.backtrackWindow = m.backtrackWindow();
      }
      changeMasterPassword(c, m.masterUserPassword(), now);
      return c;
    }
    RdsEngineVersions.Target target =
        RdsEngineVersions.target(c.version, m.engineVersion())
            .orElseThrow(
                () ->
                    RdsErrors.invalidParameterCombination(
                            "Cannot upgrade "
                                + c.engine()
                                + " from "
                                + c.version.version()
                                + " to "
                                + m.engineVersion()
                                + ": it is not a valid upgrade target (see DescribeDBEngineVersions ValidUpgradeTarget).")
                        .exception());
    if (target.majorVersionUpgrade() && !m.allowMajorVersionUpgrade()) {
      throw RdsErrors.invalidParameterCombination(
              "The AllowMajorVersionUpgrade flag must be present when upgrading to a new major version.")
          .exception();
    }
    if (!target.majorVersionUpgrade() && m.instanceParameterGroup() != null) {
      throw RdsErrors.invalidParameterCombination(
              "The parameter DBInstanceParameterGroupName can only be specified with a major version upgrade.")
          .exception();
    }
    for (String member : c.members) {
      RdsInstance i = instanceOrFault(c.account, member);
      if (!RdsOrderableOptions.offered(
          target.to().engine(), target.to().version(), i.instanceClass)) {
        throw RdsErrors.invalidParameterCombination(
                "Cannot upgrade "
                    + c.id
                    + " to "
                    + target.to().version()
                    + ": its DB instance "
                    + i.id
                    + " uses DBInstanceClass "
                    + i.instanceClass
                    + ", which is not supported by "
                    + target.to().engine()
                    + " "
                    + target.to().version()
                    + ". Modify the instance to a supported class first.")
            .exception();
      }
    }
    String family = target.to().family();
    String clusterGroup =
        m.clusterParameterGroup() != null
            ? clusterGroupOfFamily(m.clusterParameterGroup(), family)
            : family.equals(clusterParameterGroups.get(c.clusterParameterGroup))
                ? c.clusterParameterGroup
                : RdsEngineVersions.defaultParameterGroup(family);
    String instanceGroup =
        m.instanceParameterGroup() == null
            ? null
            : dbGroupOfFamily(m.instanceParameterGroup(), family);
    if (m.backtrackWindow() != null) {
      c.backtrackWindow = m.backtrackWindow();
    }
    changeMasterPassword(c, m.masterUserPassword(), now); // before an upgrade stops the server
    if (!m.applyImmediately()) {
      c.pendingEngineVersion = m.engineVersion(); // next maintenance window: never, in the sandbox
      return c;
    }
    startUpgrade(c, target, clusterGroup, instanceGroup, now);
    return c;
  }

  /** What RestoreDBClusterFromSnapshot asked for; null fields were not sent. */
  record Restore(
      String clusterId,
      String snapshot,
      String engine,
      String engineVersion,
      String clusterParameterGroup,
      Integer port,
      Long backtrackWindow,
      String kmsKeyId,
      Map<String, String> tags) {}

  synchronized RdsCluster restoreFromSnapshot(String account, Restore r) {
    if (clusters.containsKey(key(account, r.clusterId()))) {
      throw RdsErrors.clusterAlreadyExists(r.clusterId()).exception();
    }
    RdsSnapshot s = visibleSnapshotOrFault(account, r.snapshot());
    Instant now = clock.instant();
    if (!"available".equals(s.status(now))) {
      throw RdsErrors.invalidSnapshotState(s.id, s.status(now)).exception();
    }
    if (!s.version.engine().equals(r.engine())) {
      throw RdsErrors.invalidParameterCombination(
              "The engine "
                  + r.engine()
                  + " does not match the snapshot's engine "
                  + s.version.engine()
                  + ".")
          .exception();
    }
    RdsEngineVersions.Version version = s.version;
    if (r.engineVersion() != null && !r.engineVersion().equals(s.version.version())) {
      version =
          RdsEngineVersions.target(s.version, r.engineVersion())
              .map(RdsEngineVersions.Target::to)
              .filter(v -> v.engine().equals(r.engine()))
              .orElseThrow(
                  () ->
                      RdsErrors.invalidParameterCombination(
                              "Cannot restore a "
                                  + s.version.version()
                                  + " snapshot as engine version "
                                  + r.engineVersion()
                                  + ".")
                          .exception());
    }
    String group =
        r.clusterParameterGroup() == null
            ? RdsEngineVersions.defaultParameterGroup(version.family())
            : clusterGroupOfFamily(r.clusterParameterGroup(), version.family());
    String kms = r.kmsKeyId() != null ? accounts.kms().resolve(account, r.kmsKeyId()) : s.kmsKeyId;
    RdsCluster c =
        newCluster(
            account,
            r.clusterId(),
            version,
            group,
            r.port() == null ? s.port : r.port(),
            s.storageEncrypted || r.kmsKeyId() != null,
            kms,
            now,
            now.plus(timings.clusterRestore()));
    c.tags.putAll(r.tags());
    c.backtrackWindow = r.backtrackWindow() == null ? 0 : r.backtrackWindow();
    c.masterUsername = s.masterUsername;
    c.masterPassword = s.masterPassword;
    clusters.put(key(account, c.id), c);
    event(now, c.id, "db-cluster", "DB cluster created", List.of("creation"), c.arn);
    event(c.availableAt, c.id, "db-cluster", BINLOG_RECOVERY, List.of("notification"), c.arn);
    onRestored(s, c);
    return c;
  }

  /**
   * A snapshot with data (taken of a bound cluster) gets a new server: started and loaded in the
   * background now, bound to {@code restored} by the first call that sees it {@code available}
   * ({@link #settleRestore}).
   */
  private void onRestored(RdsSnapshot snapshot, RdsCluster restored) {
    if (snapshot.data == null) {
      return;
    }
    restored.restoringFrom = snapshot.data;
    restored.restoringServer =
        servers.startRestored(
            restored.account + "/" + restored.id,
            snapshot.data,
            restored.version.mysqlVersion(),
            restored.masterUsername,
            restored.masterPassword);
  }

  synchronized RdsInstance createInstance(
      String account,
      String instanceId,
      String clusterId,
      String instanceClass,
      String engine,
      String parameterGroup,
      Integer promotionTier,
      Map<String, String> tags) {
    if (instances.containsKey(key(account, instanceId))) {
      throw RdsErrors.instanceAlreadyExists(instanceId).exception();
    }
    if (clusterId == null) {
      throw RdsErrors.invalidParameterCombination(
              "The sandbox (a test double) only creates Aurora instances: "
                  + "DBClusterIdentifier is required.")
          .exception();
    }
    RdsCluster c = clusterOrFault(account, clusterId);
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
            : dbGroupOfFamily(parameterGroup, c.version.family());
    RdsInstance i =
        new RdsInstance(
            account,
            instanceId,
            arn(account, "db", instanceId),
            c.id,
            instanceClass,
            group,
            now,
            now.plus(timings.instanceCreate()));
    i.promotionTier = promotionTier != null ? promotionTier : 1;
    i.tags.putAll(tags);
    instances.put(key(account, instanceId), i);
    c.members.add(instanceId);
    event(
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
  synchronized RdsInstance deleteInstance(String account, String instanceId) {
    RdsInstance i = instanceOrFault(account, instanceId);
    Instant now = clock.instant();
    String status = i.status(clusterOf(i), now);
    if (!"available".equals(status)) {
      throw RdsErrors.invalidInstanceState(i.id, status).exception();
    }
    i.deletedAt = now.plus(timings.instanceDelete());
    event(i.deletedAt, i.id, "db-instance", "DB instance deleted", List.of("deletion"), i.arn);
    return i;
  }

  /**
   * DeleteDBCluster: refused while the cluster has instances not being deleted; an optional final
   * snapshot (with the bound server's data); a sandbox-owned server is stopped and its data
   * directory deleted at once; {@code deleting} for {@link RdsTimings#clusterDelete()}, then gone.
   */
  synchronized RdsCluster deleteCluster(
      String account, String clusterId, boolean skipFinalSnapshot, String finalSnapshotId) {
    RdsCluster c = clusterOrFault(account, clusterId);
    if (skipFinalSnapshot && finalSnapshotId != null) {
      throw RdsErrors.invalidParameterCombination(
              "FinalDBSnapshotIdentifier can't be specified when "
                  + "SkipFinalSnapshot is enabled.")
          .exception();
    }
    if (!skipFinalSnapshot && finalSnapshotId == null) {
      throw RdsErrors.invalidParameterCombination(
              "FinalDBSnapshotIdentifier is required unless SkipFinalSnapshot " + "is specified.")
          .exception();
    }
    Instant now = clock.instant();
    String status = c.status(now);
    if (!"available".equals(status)) {
      throw RdsErrors.invalidClusterState(c.id, status).exception();
    }
    boolean liveInstances =
        c.members.stream()
            .map(m -> instances.get(key(account, m)))
            .anyMatch(i -> i != null && i.deletedAt == null);
    if (liveInstances) {
      throw new ServiceError(
              400,
              "InvalidDBClusterStateFault",
              "Cluster cannot be deleted, it still contains DB instances in non-deleting state.")
          .exception();
    }
    if (finalSnapshotId != null) {
      if (snapshots.containsKey(key(account, finalSnapshotId))) {
        throw RdsErrors.snapshotAlreadyExists(finalSnapshotId).exception();
      }
      takeSnapshot(c, finalSnapshotId, Map.of(), now);
    }
    c.deletedAt = now.plus(timings.clusterDelete());
    releaseBinding(c);
    event(c.deletedAt, c.id, "db-cluster", "DB cluster deleted", List.of("deletion"), c.arn);
    log.info(
        "[sandbox, test double] RDS cluster {}/{} deleting until {}{}",
        account,
        c.id,
        c.deletedAt,
        finalSnapshotId == null ? "" : " (final snapshot " + finalSnapshotId + ")");
    return c;
  }

  /**
   * Events of {@code account}'s resources visible now with {@code start ≤ date ≤ end}, oldest
   * first.
   */
  synchronized List<RdsEvent> events(
      String account,
      String sourceType,
      String sourceId,
      Instant start,
      Instant end,
      List<String> categories) {
    Instant now = clock.instant();
    Instant until = end.isAfter(now) ? now : end;
    String accountPart = ":" + account + ":";
    return events.stream()
        .filter(e -> e.sourceArn() != null && e.sourceArn().contains(accountPart))
        .filter(e -> !e.date().isBefore(start) && !e.date().isAfter(until))
        .filter(e -> sourceType == null || e.sourceType().equals(sourceType))
        .filter(e -> sourceId == null || e.sourceIdentifier().equals(sourceId))
        .filter(e -> categories.isEmpty() || e.categories().stream().anyMatch(categories::contains))
        .sorted(Comparator.comparing(RdsEvent::date))
        .toList();
  }

  /**
   * The tags of one of {@code account}'s cluster, instance or cluster snapshot ARNs (live map,
   * modify under this lock).
   */
  synchronized Map<String, String> tagsOf(String account, String arn) {
    String[] parts = arn.split(":", 7);
    if (parts.length != 7 || !"arn".equals(parts[0]) || !"rds".equals(parts[2])) {
      throw RdsErrors.invalidParameterValue("Invalid resource name: " + arn).exception();
    }
    return switch (parts[5]) {
      case "cluster" -> clusterOrFault(account, arn).tags;
      case "db" -> instanceOrFault(account, arn).tags;
      case "cluster-snapshot" -> snapshotOrFault(account, arn).tags;
      default ->
          throw RdsErrors.invalidParameterValue(
                  "The sandbox (a test double) keeps no tags for " + arn)
              .exception();
    };
  }

  /**
   * AWS's rules for MasterUserPassword: 8 to 41 printable ASCII characters except {@code /},
   * {@code @}, {@code "} and space.
   */
  static Optional<ServiceError> checkMasterPassword(String password) {
    if (password == null || password.length() < 8) {
      return Optional.of(
          RdsErrors.invalidParameterValue(
              "The parameter MasterUserPassword is not a valid password "
                  + "because it is shorter than 8 characters."));
    }
    if (password.length() > 41) {
      return Optional.of(
          RdsErrors.invalidParameterValue(
              "The parameter MasterUserPassword is not a valid password "
                  + "because it is longer than 41 characters."));
    }
    for (char ch : password.toCharArray()) {
      if (ch <= ' ' || ch > '~' || ch == '/' || ch == '@' || ch == '"') {
        return Optional.of(
            RdsErrors.invalidParameterValue(
                "The parameter MasterUserPassword is not a valid "
                    + "password. Only printable ASCII characters besides '/', '@', '\"', ' ' may be used."));
      }
    }
    return Optional.empty();
  }

  // ---------------------------------------------------------------- internals

  private RdsSnapshot takeSnapshot(
      RdsCluster c, String snapshotId, Map<String, String> tags, Instant now) {
    SnapshotData data = null;
    if (c.boundTo != null && c.boundTo.isRunning()) {
      data = servers.dump(c.account, snapshotId, c.boundTo);
    } else if (c.boundTo != null) {
      log.warn(
          "[sandbox, test double] RDS cluster {}: its local MariaDB is not running; snapshot {} has no data",
          c.id,
          snapshotId);
    }
    RdsSnapshot s =
        new RdsSnapshot(
            snapshotId,
            arn(c.account, "cluster-snapshot", snapshotId),
            c,
            data,
            now,
            now.plus(timings.snapshotCreate()));
    s.tags.putAll(tags);
    snapshots.put(key(c.account, snapshotId), s);
    event(
        now,
        snapshotId,
        "db-cluster-snapshot",
        "Creating manual cluster snapshot",
        List.of("backup"),
        s.arn);
    event(
        s.availableAt,
        snapshotId,
        "db-cluster-snapshot",
        "Manual cluster snapshot created",
        List.of("backup"),
        s.arn);
    return s;
  }

  private void changeMasterPassword(RdsCluster c, String password, Instant now) {
    if (password == null) {
      return;
    }
    if (c.boundTo != null && c.boundTo.isRunning()) {
      RdsBoundServers.setMasterPassword(c.boundTo, c.masterUsername, password);
    }
    c.masterPassword = password;
    c.masterPasswordChanges++;
    c.masterPasswordChangedAt = now;
    event(
        now,
        c.id,
        "db-cluster",
        "Reset master credentials",
        List.of("configuration change"),
        c.arn);
    log.info(
        "[sandbox, test double] RDS cluster {}/{}: master user {} has a new password{}",
        c.account,
        c.id,
        c.masterUsername,
        c.boundTo != null ? " (also on " + c.boundTo + ")" : "");
  }

  private void settleUpgrade(RdsCluster c, Instant now) {
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
        RdsInstance i = instances.get(key(c.account, member));
        if (u.instanceParameterGroup() != null) {
          i.parameterGroup = u.instanceParameterGroup();
        } else if (!u.to().family().equals(dbParameterGroups.get(i.parameterGroup))) {
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

  /**
   * A restored cluster due {@code available}: waits for its new server (if still booting) and binds
   * it.
   */
  private void settleRestore(RdsCluster c, Instant now) {
    if (c.restoringServer == null || now.isBefore(c.availableAt)) {
      return;
    }
    try {
      LocalMariaDb db = c.restoringServer.join();
      c.boundTo = db;
      c.ownsBinding = true;
      log.info(
          "[sandbox, test double] restored RDS cluster {}/{} bound to {}", c.account, c.id, db);
    } catch (CompletionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      log.error(
          "[sandbox, test double] restored RDS cluster {}/{}: its local MariaDB could not be started and "
              + "loaded; the cluster stays unbound",
          c.account,
          c.id,
          cause);
      event(
          now,
          c.id,
          "db-cluster",
          "Sandbox (test double): loading the snapshot's data into a local MariaDB "
              + "failed: "
              + cause.getMessage(),
          List.of("failure"),
          c.arn);
    } finally {
      c.restoringServer = null;
      c.restoringFrom = null;
    }
  }

  private void startUpgrade(
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

  private void event(
      Instant at,
      String sourceId,
      String sourceType,
      String message,
      List<String> categories,
      String sourceArn) {
    events.add(new RdsEvent(at, sourceId, sourceType, message, categories, sourceArn));
  }

  private RdsCluster newCluster(
      String account,
      String id,
      RdsEngineVersions.Version version,
      String clusterGroup,
      int port,
      boolean encrypted,
      String kmsKeyId,
      Instant created,
      Instant available) {
    long n = resourceIds.incrementAndGet();
    String kms =
        encrypted ? (kmsKeyId != null ? kmsKeyId : accounts.kms().defaultRdsKey(account)) : null;
    return new RdsCluster(
        account,
        id,
        arn(account, "cluster", id),
        String.format("cluster-SANDBOX%020d", n),
        version,
        clusterGroup,
        port,
        encrypted,
        kms,
        created,
        available);
  }

  private String clusterGroupOfFamily(String name, String family) {
    String actual = clusterParameterGroups.get(name);
    if (actual == null) {
      throw RdsErrors.clusterParameterGroupNotFound(name).exception();
    }
    if (!actual.equals(family)) {
      throw RdsErrors.invalidParameterCombination(
              "The parameter group "
                  + name
                  + " with DBParameterGroupFamily "
                  + actual
                  + " cannot be used for this cluster. Please use a parameter group with "
                  + "DBParameterGroupFamily "
                  + family)
          .exception();
    }
    return name;
  }

  private String dbGroupOfFamily(String name, String family) {
    String actual = dbParameterGroups.get(name);
    if (actual == null) {
      throw RdsErrors.parameterGroupNotFound(name).exception();
    }
    if (!actual.equals(family)) {
      throw RdsErrors.invalidParameterCombination(
              "The parameter group "
                  + name
                  + " with DBParameterGroupFamily "
                  + actual
                  + " cannot be used for this instance. Please use a parameter group with "
                  + "DBParameterGroupFamily "
                  + family)
          .exception();
    }
    return name;
  }

  private static void createGroup(Map<String, String> groups, String name, String family) {
    if (!RdsEngineVersions.FAMILIES.contains(family)) {
      throw new IllegalArgumentException(
          "unknown family " + family + "; known: " + RdsEngineVersions.FAMILIES);
    }
    String existing = groups.putIfAbsent(name, family);
    if (existing != null && !existing.equals(family)) {
      throw new IllegalArgumentException(
          "parameter group " + name + " exists with family " + existing);
    }
  }

  private RdsCluster existing(String account, String clusterId) {
    RdsCluster c = clusters.get(key(account, clusterId));
    if (c == null) {
      throw new IllegalArgumentException(
          "no RDS cluster " + clusterId + " in account " + account + " of the sandbox");
    }
    return c;
  }

  /**
   * Unbinds; a sandbox-owned server (seeded, restored, or still booting) is stopped and its data
   * deleted.
   */
  private void releaseBinding(RdsCluster c) {
    if (c.boundTo != null && c.ownsBinding) {
      c.boundTo.close();
    }
    if (c.restoringServer != null) {
      c.restoringServer.thenAccept(LocalMariaDb::close);
      c.restoringServer = null;
    }
    c.boundTo = null;
    c.ownsBinding = false;
  }

  private ClusterView view(RdsCluster c, Instant now) {
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
        c.masterPasswordChanges);
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

  static String arn(String account, String type, String id) {
    return "arn:aws:rds:" + REGION + ":" + account + ":" + type + ":" + id;
  }

  private static String key(String account, String id) {
    return account + "/" + id;
  }

  /**
   * The map key of {@code idOrArn} in {@code account}: an ARN of another account (or of another
   * resource type) yields a key that matches nothing, so the caller answers "not found".
   */
  private static String ownKey(String account, String idOrArn, String type) {
    if (!idOrArn.startsWith("arn:")) {
      return key(account, idOrArn);
    }
    Arn arn = Arn.parse(idOrArn, type);
    return arn == null || !arn.account().equals(account) ? "-" : key(account, arn.id());
  }

  /** {@code arn:aws:rds:<region>:<account>:<type>:<id>}. */
  private record Arn(String account, String id) {

    /** Null when {@code s} is not an RDS ARN of {@code type}. */
    static Arn parse(String s, String type) {
      String[] parts = s.split(":", 7);
      if (parts.length != 7
          || !"arn".equals(parts[0])
          || !"rds".equals(parts[2])
          || !type.equals(parts[5])) {
        return null;
      }
      return new Arn(parts[4], parts[6]);
    }
  }
}
