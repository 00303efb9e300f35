package dev.dbops.sandbox;

import dev.dbops.sandbox.mysql.LocalMariaDb;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The sandbox's RDS state (Aurora MySQL clusters, instances, cluster snapshots, parameter groups,
 * engine versions, events, pending maintenance) and its in-process admin API. A test double, not
 * AWS. Every state change is computed lazily from {@link SandboxClock} on the next call (S3 does
 * the same): a snapshot is {@code creating} for {@link RdsTimings#snapshotCreate()}, an upgrade
 * keeps its cluster {@code upgrading} for {@link RdsTimings#clusterUpgrade()}, and so on.
 *
 * <p>A cluster can be {@linkplain #bind bound} to a real {@link LocalMariaDb}: its endpoints are
 * then that server's 127.0.0.1:port, an engine upgrade stops the server when it starts (open
 * connections drop) and restarts it reporting the target's MySQL version when it ends
 * ({@code 5.7.mysql_aurora.2.11.2} → {@code SELECT VERSION()} = {@code 5.7.12}), or the old one
 * when it fails. The restart happens inside the first RDS call (or admin call) that observes the
 * end of the upgrade, so a cluster is never reported {@code available} before its server is up.
 *
 * <p>All methods are thread-safe (one lock for all RDS state).
 */
public final class RdsSandbox {

    /** A cluster as the admin API shows it. */
    public record ClusterView(String id, String status, String engine, String engineVersion, String endpoint, int port,
                              String clusterParameterGroup, List<String> instances, Map<String, String> tags,
                              String boundTo) {
    }

    /** Region of every ARN and endpoint. */
    public static final String REGION = "us-east-1";
    /** Account id of every ARN (one sandbox = one account). */
    public static final String ACCOUNT_ID = "123456789012";

    static final String BINLOG_RECOVERY = "Binlog position from crash recovery is mysql-bin-changelog.000118 245880";

    private static final Logger log = LoggerFactory.getLogger(RdsSandbox.class);

    private final SandboxClock clock;
    private final RdsTimings timings;
    private final Map<String, RdsCluster> clusters = new LinkedHashMap<>();
    private final Map<String, RdsInstance> instances = new LinkedHashMap<>();
    private final Map<String, RdsSnapshot> snapshots = new LinkedHashMap<>();
    /** Parameter group name → family. */
    private final Map<String, String> clusterParameterGroups = new LinkedHashMap<>();
    private final Map<String, String> dbParameterGroups = new LinkedHashMap<>();
    private final List<RdsEvent> events = new ArrayList<>();
    private final AtomicLong resourceIds = new AtomicLong();

    RdsSandbox(SandboxConfig config, SandboxClock clock) {
        this.clock = clock;
        this.timings = config.rds();
        for (String family : RdsEngineVersions.FAMILIES) {
            clusterParameterGroups.put(RdsEngineVersions.defaultParameterGroup(family), family);
            dbParameterGroups.put(RdsEngineVersions.defaultParameterGroup(family), family);
        }
    }

    // ---------------------------------------------------------------- admin API

    /**
     * Seeds an {@code available} cluster with {@code available} instances. Custom parameter groups
     * the seed names are created (with the version's family) when missing.
     *
     * @throws IllegalArgumentException if the id is taken or the engine version is unknown
     */
    public synchronized ClusterView createCluster(ClusterSeed seed) {
        if (clusters.containsKey(seed.id())) {
            throw new IllegalArgumentException("cluster " + seed.id() + " already exists");
        }
        RdsEngineVersions.Version version = RdsEngineVersions.find(seed.engine(), seed.engineVersion())
                .orElseThrow(() -> new IllegalArgumentException("unknown engine version " + seed.engine() + " "
                        + seed.engineVersion() + "; known: " + RdsEngineVersions.ALL.stream()
                        .map(v -> v.engine() + " " + v.version()).toList()));
        for (String instanceId : seed.instances()) {
            if (instances.containsKey(instanceId)) {
                throw new IllegalArgumentException("instance " + instanceId + " already exists");
            }
        }
        String clusterGroup = seed.clusterParameterGroup() == null
                ? RdsEngineVersions.defaultParameterGroup(version.family()) : seed.clusterParameterGroup();
        String instanceGroup = seed.instanceParameterGroup() == null
                ? RdsEngineVersions.defaultParameterGroup(version.family()) : seed.instanceParameterGroup();
        clusterParameterGroups.putIfAbsent(clusterGroup, version.family());
        dbParameterGroups.putIfAbsent(instanceGroup, version.family());
        Instant now = clock.instant();
        Instant created = now.minus(Duration.ofDays(400)); // a long-lived production cluster
        RdsCluster c = newCluster(seed.id(), version, clusterGroup, seed.port(), seed.storageEncrypted(), created, created);
        c.tags.putAll(seed.tags());
        c.backtrackWindow = seed.backtrackWindow();
        for (String instanceId : seed.instances()) {
            RdsInstance i = new RdsInstance(instanceId, arn("db", instanceId), c.id, seed.instanceClass(), instanceGroup,
                    created, created);
            i.promotionTier = c.members.isEmpty() ? 0 : 1;
            instances.put(instanceId, i);
            c.members.add(instanceId);
        }
        clusters.put(c.id, c);
        log.info("[sandbox, test double] RDS cluster {} seeded: {} {}, instances {}", c.id, version.engine(),
                version.version(), c.members);
        return view(c, now);
    }

    /**
     * Binds a cluster to a real MariaDB: its endpoints become {@code 127.0.0.1:<db.port()>} and its
     * upgrades restart {@code db}. If {@code db} reports another version than the cluster's MySQL
     * version, it is restarted now to report it. The caller keeps owning {@code db} (closes it).
     */
    public synchronized void bind(String clusterId, LocalMariaDb db) {
        Objects.requireNonNull(db, "db");
        RdsCluster c = existing(clusterId);
        settle(clock.instant());
        if (c.upgrade != null) {
            throw new IllegalStateException("cluster " + clusterId + " is upgrading; bind it before or after");
        }
        releaseBinding(c);
        if (!c.version.mysqlVersion().equals(db.reportedVersion()) || !db.isRunning()) {
            db.restart(c.version.mysqlVersion());
        }
        c.boundTo = db;
        c.ownsBinding = false;
        log.info("[sandbox, test double] RDS cluster {} bound to local MariaDB {}:{}", clusterId, db.host(), db.port());
    }

    /**
     * Starts a {@link LocalMariaDb} reporting the cluster's MySQL version and binds the cluster to it;
     * the sandbox owns it (stopped and deleted by {@link AwsSandbox#close()}). For dev mode and
     * tests in another process (admin API).
     */
    public LocalMariaDb startLocalMariaDb(String clusterId) {
        String mysqlVersion;
        synchronized (this) {
            mysqlVersion = existing(clusterId).version.mysqlVersion();
        }
        LocalMariaDb db = LocalMariaDb.start(LocalMariaDb.Options.defaults().reportedVersion(mysqlVersion));
        synchronized (this) {
            bind(clusterId, db);
            clusters.get(clusterId).ownsBinding = true;
        }
        return db;
    }

    /** The local MariaDB a cluster is bound to, if any. */
    public synchronized Optional<LocalMariaDb> binding(String clusterId) {
        return Optional.ofNullable(existing(clusterId).boundTo);
    }

    /**
     * The cluster's next upgrade fails after its pre-upgrade checks (20% into the upgrade time) with
     * the event {@code "Database cluster is in a state that cannot be upgraded: <reason>"}; the
     * cluster goes back to {@code available} on its old version (a bound server restarts on it).
     */
    public synchronized void failNextUpgrade(String clusterId, String reason) {
        existing(clusterId).failNextUpgradeReason = Objects.requireNonNull(reason, "reason");
    }

    /**
     * The cluster's next upgrade lasts {@code duration} instead of {@link RdsTimings#clusterUpgrade()},
     * and its "Purging undo records" events keep reporting the same number of records remaining.
     * It then completes normally.
     */
    public synchronized void stallUpgrade(String clusterId, Duration duration) {
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("duration must be positive: " + duration);
        }
        existing(clusterId).stallNextUpgrade = duration;
    }

    /** Creates a DB cluster parameter group (e.g. a custom 5.7 counterpart). Idempotent for the same family. */
    public synchronized void createClusterParameterGroup(String name, String family) {
        createGroup(clusterParameterGroups, name, family);
    }

    /** Creates a DB (instance) parameter group. Idempotent for the same family. */
    public synchronized void createDbParameterGroup(String name, String family) {
        createGroup(dbParameterGroups, name, family);
    }

    /** Adds a pending maintenance action on the cluster (e.g. {@code system-update}). */
    public synchronized void addPendingMaintenance(String clusterId, String action, String description) {
        RdsCluster c = existing(clusterId);
        c.pendingActions.add(new RdsCluster.PendingAction(action, description, clock.instant().plus(Duration.ofDays(14))));
    }

    /** The cluster now (settles an ended upgrade first, restarting a bound server). */
    public synchronized ClusterView cluster(String clusterId) {
        Instant now = clock.instant();
        settle(now);
        return view(existing(clusterId), now);
    }

    public synchronized List<ClusterView> clusters() {
        Instant now = clock.instant();
        settle(now);
        return clusters.values().stream().map(c -> view(c, now)).toList();
    }

    /** {@code creating} / {@code available}; empty if there is no such snapshot. */
    public synchronized Optional<String> snapshotStatus(String snapshotId) {
        RdsSnapshot s = snapshots.get(snapshotId);
        return s == null ? Optional.empty() : Optional.of(s.status(clock.instant()));
    }

    /** {@code creating} / {@code available} / {@code upgrading}; empty if there is no such instance. */
    public synchronized Optional<String> instanceStatus(String instanceId) {
        Instant now = clock.instant();
        settle(now);
        RdsInstance i = instances.get(instanceId);
        return i == null ? Optional.empty() : Optional.of(i.status(clusters.get(i.clusterId), now));
    }

    /** Every event visible now (date ≤ sandbox clock), oldest first, of every source. */
    public synchronized List<RdsEvent> events() {
        Instant now = clock.instant();
        return events.stream().filter(e -> !e.date().isAfter(now)).sorted(Comparator.comparing(RdsEvent::date)).toList();
    }

    /**
     * The MySQL version a bound server reports for an engine version ({@code 5.6.10a} → {@code 5.6.10},
     * {@code 5.7.mysql_aurora.2.11.2} → {@code 5.7.12}, {@code 8.0.mysql_aurora.3.04.0} → {@code 8.0.28}).
     */
    public static String mysqlVersion(String engineVersion) {
        return RdsEngineVersions.find(engineVersion).map(RdsEngineVersions.Version::mysqlVersion)
                .orElseThrow(() -> new IllegalArgumentException("unknown engine version " + engineVersion));
    }

    /** Stops and deletes the MariaDB servers the sandbox started ({@link #startLocalMariaDb}). */
    synchronized void close() {
        for (RdsCluster c : clusters.values()) {
            releaseBinding(c);
        }
    }

    // ---------------------------------------------------------------- used by RdsHandler (under this lock)

    Instant now() {
        return clock.instant();
    }

    /** Finishes every upgrade whose time is up: new version (or old, if it failed), bound server restarted. */
    synchronized void settle(Instant now) {
        for (RdsCluster c : clusters.values()) {
            RdsCluster.Upgrade u = c.upgrade;
            if (u == null || now.isBefore(u.endsAt())) {
                continue;
            }
            boolean succeeded = u.failureReason() == null;
            if (c.boundTo != null && c.boundTo.isClosed()) {
                log.warn("[sandbox, test double] RDS cluster {}: its local MariaDB was closed during the upgrade; unbound",
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
                    RdsInstance i = instances.get(member);
                    if (u.instanceParameterGroup() != null) {
                        i.parameterGroup = u.instanceParameterGroup();
                    } else if (!u.to().family().equals(dbParameterGroups.get(i.parameterGroup))) {
                        i.parameterGroup = RdsEngineVersions.defaultParameterGroup(u.to().family());
                    }
                }
            }
            c.upgrade = null;
            log.info("[sandbox, test double] RDS cluster {} upgrade to {} {}", c.id, u.to().version(),
                    succeeded ? "completed" : "failed: " + u.failureReason());
        }
    }

    synchronized RdsCluster clusterOrFault(String idOrArn) {
        RdsCluster c = clusters.get(idFromArn(idOrArn, "cluster"));
        if (c == null) {
            throw RdsErrors.clusterNotFound(idOrArn).exception();
        }
        return c;
    }

    synchronized List<RdsCluster> allClusters() {
        return List.copyOf(clusters.values());
    }

    synchronized RdsInstance instanceOrFault(String idOrArn) {
        RdsInstance i = instances.get(idFromArn(idOrArn, "db"));
        if (i == null) {
            throw RdsErrors.instanceNotFound(idOrArn).exception();
        }
        return i;
    }

    synchronized List<RdsInstance> allInstances() {
        return List.copyOf(instances.values());
    }

    synchronized RdsCluster clusterOf(RdsInstance i) {
        return clusters.get(i.clusterId);
    }

    synchronized RdsSnapshot snapshotOrFault(String idOrArn) {
        RdsSnapshot s = snapshots.get(idFromArn(idOrArn, "cluster-snapshot"));
        if (s == null) {
            throw RdsErrors.snapshotNotFound(idOrArn).exception();
        }
        return s;
    }

    synchronized List<RdsSnapshot> allSnapshots() {
        return List.copyOf(snapshots.values());
    }

    synchronized Map<String, String> clusterParameterGroups() {
        return Map.copyOf(clusterParameterGroups);
    }

    synchronized Map<String, String> dbParameterGroups() {
        return Map.copyOf(dbParameterGroups);
    }

    String clusterParameterGroupArn(String name) {
        return arn("cluster-pg", name);
    }

    String dbParameterGroupArn(String name) {
        return arn("pg", name);
    }

    synchronized RdsSnapshot createSnapshot(String snapshotId, String clusterId, Map<String, String> tags) {
        RdsCluster c = clusterOrFault(clusterId);
        Instant now = clock.instant();
        if (snapshots.containsKey(snapshotId)) {
            throw RdsErrors.snapshotAlreadyExists(snapshotId).exception();
        }
        String status = c.status(now);
        if (!"available".equals(status)) {
            throw RdsErrors.invalidClusterState(c.id, status).exception();
        }
        RdsSnapshot s = new RdsSnapshot(snapshotId, arn("cluster-snapshot", snapshotId), c, now,
                now.plus(timings.snapshotCreate()));
        s.tags.putAll(tags);
        snapshots.put(snapshotId, s);
        // Seam (later issue): a snapshot of a bound cluster will dump its MariaDB here.
        event(now, snapshotId, "db-cluster-snapshot", "Creating manual cluster snapshot", List.of("backup"), s.arn);
        event(s.availableAt, snapshotId, "db-cluster-snapshot", "Manual cluster snapshot created", List.of("backup"),
                s.arn);
        return s;
    }

    /** What ModifyDBCluster asked for; null fields were not sent. */
    record Modification(String clusterId, String engineVersion, boolean allowMajorVersionUpgrade, boolean applyImmediately,
                        String clusterParameterGroup, String instanceParameterGroup, Long backtrackWindow) {
    }

    synchronized RdsCluster modifyCluster(Modification m) {
        RdsCluster c = clusterOrFault(m.clusterId());
        Instant now = clock.instant();
        String status = c.status(now);
        if (!"available".equals(status)) {
            throw RdsErrors.invalidClusterState(c.id, status).exception();
        }
        boolean versionChange = m.engineVersion() != null && !m.engineVersion().equals(c.version.version());
        if (!versionChange) {
            if (m.instanceParameterGroup() != null) {
                throw RdsErrors.invalidParameterCombination("The parameter DBInstanceParameterGroupName can only be "
                        + "specified with a major version upgrade (AllowMajorVersionUpgrade and EngineVersion).").exception();
            }
            if (m.clusterParameterGroup() != null) {
                c.clusterParameterGroup = clusterGroupOfFamily(m.clusterParameterGroup(), c.version.family());
            }
            if (m.backtrackWindow() != null) {
                c.backtrackWindow = m.backtrackWindow();
            }
            return c;
        }
        RdsEngineVersions.Target target = RdsEngineVersions.target(c.version, m.engineVersion())
                .orElseThrow(() -> RdsErrors.invalidParameterCombination("Cannot upgrade " + c.engine() + " from "
                        + c.version.version() + " to " + m.engineVersion()
                        + ": it is not a valid upgrade target (see DescribeDBEngineVersions ValidUpgradeTarget).")
                        .exception());
        if (target.majorVersionUpgrade() && !m.allowMajorVersionUpgrade()) {
            throw RdsErrors.invalidParameterCombination(
                    "The AllowMajorVersionUpgrade flag must be present when upgrading to a new major version.").exception();
        }
        if (!target.majorVersionUpgrade() && m.instanceParameterGroup() != null) {
            throw RdsErrors.invalidParameterCombination(
                    "The parameter DBInstanceParameterGroupName can only be specified with a major version upgrade.")
                    .exception();
        }
        String family = target.to().family();
        String clusterGroup = m.clusterParameterGroup() != null
                ? clusterGroupOfFamily(m.clusterParameterGroup(), family)
                : family.equals(clusterParameterGroups.get(c.clusterParameterGroup))
                        ? c.clusterParameterGroup : RdsEngineVersions.defaultParameterGroup(family);
        String instanceGroup = m.instanceParameterGroup() == null ? null : dbGroupOfFamily(m.instanceParameterGroup(), family);
        if (m.backtrackWindow() != null) {
            c.backtrackWindow = m.backtrackWindow();
        }
        if (!m.applyImmediately()) {
            c.pendingEngineVersion = m.engineVersion(); // next maintenance window: never, in the sandbox
            return c;
        }
        startUpgrade(c, target, clusterGroup, instanceGroup, now);
        return c;
    }

    synchronized RdsCluster restoreFromSnapshot(String clusterId, String snapshotIdOrArn, String engine,
                                                String engineVersion, String clusterParameterGroup, Integer port,
                                                Long backtrackWindow, Map<String, String> tags) {
        if (clusters.containsKey(clusterId)) {
            throw RdsErrors.clusterAlreadyExists(clusterId).exception();
        }
        RdsSnapshot s = snapshotOrFault(snapshotIdOrArn);
        Instant now = clock.instant();
        if (!"available".equals(s.status(now))) {
            throw RdsErrors.invalidSnapshotState(s.id, s.status(now)).exception();
        }
        if (!s.version.engine().equals(engine)) {
            throw RdsErrors.invalidParameterCombination("The engine " + engine + " does not match the snapshot's engine "
                    + s.version.engine() + ".").exception();
        }
        RdsEngineVersions.Version version = s.version;
        if (engineVersion != null && !engineVersion.equals(s.version.version())) {
            version = RdsEngineVersions.target(s.version, engineVersion).map(RdsEngineVersions.Target::to)
                    .filter(v -> v.engine().equals(engine))
                    .orElseThrow(() -> RdsErrors.invalidParameterCombination("Cannot restore a " + s.version.version()
                            + " snapshot as engine version " + engineVersion + ".").exception());
        }
        String group = clusterParameterGroup == null ? RdsEngineVersions.defaultParameterGroup(version.family())
                : clusterGroupOfFamily(clusterParameterGroup, version.family());
        RdsCluster c = newCluster(clusterId, version, group, port == null ? s.port : port, s.storageEncrypted, now,
                now.plus(timings.clusterRestore()));
        c.tags.putAll(tags);
        c.backtrackWindow = backtrackWindow == null ? 0 : backtrackWindow;
        clusters.put(clusterId, c);
        event(now, clusterId, "db-cluster", "DB cluster created", List.of("creation"), c.arn);
        event(c.availableAt, clusterId, "db-cluster", BINLOG_RECOVERY, List.of("notification"), c.arn);
        onRestored(s, c);
        return c;
    }

    /**
     * Seam for bound restores (a later issue): when {@code snapshot} was taken of a cluster bound to
     * a MariaDB, the snapshot will carry a dump, and this method will start a new {@link LocalMariaDb},
     * load the dump and bind {@code restored} to it (owned by the sandbox). Today restored clusters
     * are never bound.
     */
    private void onRestored(RdsSnapshot snapshot, RdsCluster restored) {
        RdsCluster source = clusters.get(snapshot.clusterId);
        if (source != null && source.boundTo != null) {
            log.info("[sandbox, test double] restored cluster {} is not bound to a MariaDB: restoring bound snapshots "
                    + "is not implemented yet", restored.id);
        }
    }

    synchronized RdsInstance createInstance(String instanceId, String clusterId, String instanceClass, String engine,
                                            String parameterGroup, Integer promotionTier, Map<String, String> tags) {
        if (instances.containsKey(instanceId)) {
            throw RdsErrors.instanceAlreadyExists(instanceId).exception();
        }
        if (clusterId == null) {
            throw RdsErrors.invalidParameterCombination("The sandbox (a test double) only creates Aurora instances: "
                    + "DBClusterIdentifier is required.").exception();
        }
        RdsCluster c = clusterOrFault(clusterId);
        Instant now = clock.instant();
        String status = c.status(now);
        if (!"available".equals(status)) {
            throw RdsErrors.invalidClusterState(c.id, status).exception();
        }
        if (!c.engine().equals(engine)) {
            throw RdsErrors.invalidParameterCombination("The engine " + engine + " does not match the engine "
                    + c.engine() + " of DB cluster " + c.id + ".").exception();
        }
        String group = parameterGroup == null ? RdsEngineVersions.defaultParameterGroup(c.version.family())
                : dbGroupOfFamily(parameterGroup, c.version.family());
        RdsInstance i = new RdsInstance(instanceId, arn("db", instanceId), c.id, instanceClass, group, now,
                now.plus(timings.instanceCreate()));
        i.promotionTier = promotionTier != null ? promotionTier : 1;
        i.tags.putAll(tags);
        instances.put(instanceId, i);
        c.members.add(instanceId);
        event(i.availableAt, instanceId, "db-instance", "DB instance created", List.of("creation"), i.arn);
        return i;
    }

    /** Events visible now with {@code start ≤ date ≤ end}, oldest first. */
    synchronized List<RdsEvent> events(String sourceType, String sourceId, Instant start, Instant end,
                                       List<String> categories) {
        Instant now = clock.instant();
        Instant until = end.isAfter(now) ? now : end;
        return events.stream()
                .filter(e -> !e.date().isBefore(start) && !e.date().isAfter(until))
                .filter(e -> sourceType == null || e.sourceType().equals(sourceType))
                .filter(e -> sourceId == null || e.sourceIdentifier().equals(sourceId))
                .filter(e -> categories.isEmpty() || e.categories().stream().anyMatch(categories::contains))
                .sorted(Comparator.comparing(RdsEvent::date))
                .toList();
    }

    /** The tags of a cluster, instance or cluster snapshot ARN (live map, modify under this lock). */
    synchronized Map<String, String> tagsOf(String arn) {
        String[] parts = arn.split(":", 7);
        if (parts.length != 7 || !"arn".equals(parts[0]) || !"rds".equals(parts[2])) {
            throw RdsErrors.invalidParameterValue("Invalid resource name: " + arn).exception();
        }
        return switch (parts[5]) {
            case "cluster" -> clusterOrFault(parts[6]).tags;
            case "db" -> instanceOrFault(parts[6]).tags;
            case "cluster-snapshot" -> snapshotOrFault(parts[6]).tags;
            default -> throw RdsErrors.invalidParameterValue("The sandbox (a test double) keeps no tags for " + arn)
                    .exception();
        };
    }

    // ---------------------------------------------------------------- internals

    private void startUpgrade(RdsCluster c, RdsEngineVersions.Target target, String clusterGroup, String instanceGroup,
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
        c.upgrade = new RdsCluster.Upgrade(now, ends, c.version, target.to(), target.majorVersionUpgrade(), clusterGroup,
                instanceGroup, failure);
        log.info("[sandbox, test double] RDS cluster {} upgrading {} -> {} until {}{}", c.id, c.version.version(),
                target.to().version(), ends, failure != null ? " (scripted to fail: " + failure + ")" : "");
        if (c.boundTo != null) {
            c.boundTo.stop(); // connections drop, as in a real major upgrade
        }
    }

    private void event(Instant at, String sourceId, String sourceType, String message, List<String> categories,
                       String sourceArn) {
        events.add(new RdsEvent(at, sourceId, sourceType, message, categories, sourceArn));
    }

    private RdsCluster newCluster(String id, RdsEngineVersions.Version version, String clusterGroup, int port,
                                  boolean encrypted, Instant created, Instant available) {
        long n = resourceIds.incrementAndGet();
        String kms = encrypted ? "arn:aws:kms:" + REGION + ":" + ACCOUNT_ID + ":key/sandbox-" + String.format("%04d", n) : null;
        return new RdsCluster(id, arn("cluster", id), String.format("cluster-SANDBOX%020d", n), version, clusterGroup,
                port, encrypted, kms, created, available);
    }

    private String clusterGroupOfFamily(String name, String family) {
        String actual = clusterParameterGroups.get(name);
        if (actual == null) {
            throw RdsErrors.clusterParameterGroupNotFound(name).exception();
        }
        if (!actual.equals(family)) {
            throw RdsErrors.invalidParameterCombination("The parameter group " + name + " with DBParameterGroupFamily "
                    + actual + " cannot be used for this cluster. Please use a parameter group with "
                    + "DBParameterGroupFamily " + family).exception();
        }
        return name;
    }

    private String dbGroupOfFamily(String name, String family) {
        String actual = dbParameterGroups.get(name);
        if (actual == null) {
            throw RdsErrors.parameterGroupNotFound(name).exception();
        }
        if (!actual.equals(family)) {
            throw RdsErrors.invalidParameterCombination("The parameter group " + name + " with DBParameterGroupFamily "
                    + actual + " cannot be used for this instance. Please use a parameter group with "
                    + "DBParameterGroupFamily " + family).exception();
        }
        return name;
    }

    private static void createGroup(Map<String, String> groups, String name, String family) {
        if (!RdsEngineVersions.FAMILIES.contains(family)) {
            throw new IllegalArgumentException("unknown family " + family + "; known: " + RdsEngineVersions.FAMILIES);
        }
        String existing = groups.putIfAbsent(name, family);
        if (existing != null && !existing.equals(family)) {
            throw new IllegalArgumentException("parameter group " + name + " exists with family " + existing);
        }
    }

    private RdsCluster existing(String clusterId) {
        RdsCluster c = clusters.get(clusterId);
        if (c == null) {
            throw new IllegalArgumentException("no RDS cluster " + clusterId + " in the sandbox");
        }
        return c;
    }

    private void releaseBinding(RdsCluster c) {
        if (c.boundTo != null && c.ownsBinding) {
            c.boundTo.close();
        }
        c.boundTo = null;
        c.ownsBinding = false;
    }

    private ClusterView view(RdsCluster c, Instant now) {
        return new ClusterView(c.id, c.status(now), c.engine(), c.version.version(), c.endpoint(REGION), c.port(),
                c.clusterParameterGroup, List.copyOf(c.members), Map.copyOf(c.tags),
                c.boundTo == null ? null : c.boundTo.host() + ":" + c.boundTo.port());
    }

    static String arn(String type, String id) {
        return "arn:aws:rds:" + REGION + ":" + ACCOUNT_ID + ":" + type + ":" + id;
    }

    /** {@code arn:aws:rds:…:<type>:<id>} → id; anything else is taken as an id. */
    private static String idFromArn(String idOrArn, String type) {
        String prefix = ":" + type + ":";
        if (idOrArn.startsWith("arn:") && idOrArn.contains(prefix)) {
            return idOrArn.substring(idOrArn.indexOf(prefix) + prefix.length());
        }
        return idOrArn;
    }
}
