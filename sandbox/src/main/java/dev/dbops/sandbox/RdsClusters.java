package dev.dbops.sandbox;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Aurora clusters: seeded (admin API), restored from a snapshot ({@code creating} for {@link
 * RdsTimings#clusterRestore()}), modified (parameter groups, backtrack, master password, engine
 * version: an upgrade, see {@link RdsUpgrades}), deleted (optionally with a final snapshot).
 * Guarded by {@link RdsSandbox}'s lock.
 */
final class RdsClusters {

  private static final Logger log = LoggerFactory.getLogger(RdsClusters.class);

  static final String BINLOG_RECOVERY =
      "Binlog position from crash recovery is mysql-bin-changelog.000118 245880";

  private final SandboxClock clock;
  private final RdsTimings timings;
  private final SandboxAccounts accounts;
  private final RdsResources resources;
  private final RdsParameterGroups groups;
  private final RdsSnapshots snapshots;
  private final RdsUpgrades upgrades;
  private final RdsBindings bindings;
  private final RdsEventLog events;
  private final AtomicLong resourceIds = new AtomicLong();

  RdsClusters(
      SandboxClock clock,
      RdsTimings timings,
      SandboxAccounts accounts,
      RdsResources resources,
      RdsParameterGroups groups,
      RdsSnapshots snapshots,
      RdsUpgrades upgrades,
      RdsBindings bindings,
      RdsEventLog events) {
    this.clock = clock;
    this.timings = timings;
    this.accounts = accounts;
    this.resources = resources;
    this.groups = groups;
    this.snapshots = snapshots;
    this.upgrades = upgrades;
    this.bindings = bindings;
    this.events = events;
  }

  /**
   * Seeds an {@code available} cluster with {@code available} instances in the seed's account
   * (hosted from now on). Custom parameter groups the seed names are created (with the version's
   * family) when missing.
   *
   * @throws IllegalArgumentException if the id is taken or the engine version is unknown
   */
  RdsCluster seed(ClusterSeed seed) {
    String account = seed.account();
    if (resources.clusters.containsKey(RdsResources.key(account, seed.id()))) {
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
      if (resources.instances.containsKey(RdsResources.key(account, instanceId))) {
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
    groups.ensureClusterGroup(clusterGroup, version.family());
    groups.ensureDbGroup(instanceGroup, version.family());
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
              RdsResources.arn(account, "db", instanceId),
              c.id,
              seed.instanceClass(),
              instanceGroup,
              created,
              created);
      i.promotionTier = c.members.isEmpty() ? 0 : 1;
      resources.instances.put(RdsResources.key(account, instanceId), i);
      c.members.add(instanceId);
    }
    resources.clusters.put(RdsResources.key(account, c.id), c);
    log.info(
        "[sandbox, test double] RDS cluster {} seeded in account {}: {} {}, instances {}",
        c.id,
        account,
        version.engine(),
        version.version(),
        c.members);
    return c;
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

  RdsCluster modify(String account, Modification m) {
    RdsCluster c = resources.clusterOrFault(account, m.clusterId());
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
            groups.clusterGroupOfFamily(m.clusterParameterGroup(), c.version.family());
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
      RdsInstance i = resources.instanceOrFault(c.account, member);
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
            ? groups.clusterGroupOfFamily(m.clusterParameterGroup(), family)
            : family.equals(groups.clusterFamily(c.clusterParameterGroup))
                ? c.clusterParameterGroup
                : RdsEngineVersions.defaultParameterGroup(family);
    String instanceGroup =
        m.instanceParameterGroup() == null
            ? null
            : groups.dbGroupOfFamily(m.instanceParameterGroup(), family);
    if (m.backtrackWindow() != null) {
      c.backtrackWindow = m.backtrackWindow();
    }
    changeMasterPassword(c, m.masterUserPassword(), now); // before an upgrade stops the server
    if (!m.applyImmediately()) {
      c.pendingEngineVersion = m.engineVersion(); // next maintenance window: never, in the sandbox
      return c;
    }
    upgrades.start(c, target, clusterGroup, instanceGroup, now);
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

  RdsCluster restore(String account, Restore r) {
    if (resources.clusters.containsKey(RdsResources.key(account, r.clusterId()))) {
      throw RdsErrors.clusterAlreadyExists(r.clusterId()).exception();
    }
    RdsSnapshot s = snapshots.visibleOrFault(account, r.snapshot());
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
            : groups.clusterGroupOfFamily(r.clusterParameterGroup(), version.family());
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
    resources.clusters.put(RdsResources.key(account, c.id), c);
    events.add(now, c.id, "db-cluster", "DB cluster created", List.of("creation"), c.arn);
    events.add(c.availableAt, c.id, "db-cluster", BINLOG_RECOVERY, List.of("notification"), c.arn);
    bindings.onRestored(s, c);
    return c;
  }

  /**
   * DeleteDBCluster: refused while the cluster has instances not being deleted; an optional final
   * snapshot (with the bound server's data); a sandbox-owned server is stopped and its data
   * directory deleted at once; {@code deleting} for {@link RdsTimings#clusterDelete()}, then gone.
   */
  RdsCluster delete(
      String account, String clusterId, boolean skipFinalSnapshot, String finalSnapshotId) {
    RdsCluster c = resources.clusterOrFault(account, clusterId);
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
            .map(m -> resources.instances.get(RdsResources.key(account, m)))
            .anyMatch(i -> i != null && i.deletedAt == null);
    if (liveInstances) {
      throw new ServiceError(
              400,
              "InvalidDBClusterStateFault",
              "Cluster cannot be deleted, it still contains DB instances in non-deleting state.")
          .exception();
    }
    if (finalSnapshotId != null) {
      if (resources.snapshots.containsKey(RdsResources.key(account, finalSnapshotId))) {
        throw RdsErrors.snapshotAlreadyExists(finalSnapshotId).exception();
      }
      snapshots.take(c, finalSnapshotId, Map.of(), now);
    }
    c.deletedAt = now.plus(timings.clusterDelete());
    bindings.release(c);
    events.add(c.deletedAt, c.id, "db-cluster", "DB cluster deleted", List.of("deletion"), c.arn);
    log.info(
        "[sandbox, test double] RDS cluster {}/{} deleting until {}{}",
        account,
        c.id,
        c.deletedAt,
        finalSnapshotId == null ? "" : " (final snapshot " + finalSnapshotId + ")");
    return c;
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
    events.add(
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

  RdsCluster newCluster(
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
        RdsResources.arn(account, "cluster", id),
        String.format("cluster-SANDBOX%020d", n),
        version,
        clusterGroup,
        port,
        encrypted,
        kms,
        created,
        available);
  }
}
