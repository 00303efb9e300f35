package dev.dbops.sandbox;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Manual cluster snapshots: create (a bound cluster's is dumped), copy (also from another account,
 * re-encrypted), share ({@code restore} attribute), delete, and which snapshots an account sees.
 * Guarded by {@link RdsSandbox}'s lock.
 */
final class RdsSnapshots {

  private static final Logger log = LoggerFactory.getLogger(RdsSnapshots.class);
  private static final int MAX_SHARED_ACCOUNTS = 20;

  /** What CopyDBClusterSnapshot asked for; null fields were not sent. */
  record Copy(
      String source,
      String targetId,
      String kmsKeyId,
      boolean copyTags,
      Map<String, String> tags) {}

  private final SandboxClock clock;
  private final RdsTimings timings;
  private final SandboxAccounts accounts;
  private final RdsResources resources;
  private final RdsBindings bindings;
  private final RdsEventLog events;

  RdsSnapshots(
      SandboxClock clock,
      RdsTimings timings,
      SandboxAccounts accounts,
      RdsResources resources,
      RdsBindings bindings,
      RdsEventLog events) {
    this.clock = clock;
    this.timings = timings;
    this.accounts = accounts;
    this.resources = resources;
    this.bindings = bindings;
    this.events = events;
  }

  /**
   * An own snapshot by id or ARN, or another account's snapshot by ARN if shared with {@code
   * account}.
   */
  RdsSnapshot visibleOrFault(String account, String idOrArn) {
    RdsResources.Arn arn = RdsResources.Arn.parse(idOrArn, "cluster-snapshot");
    if (arn == null || arn.account().equals(account)) {
      return resources.snapshotOrFault(account, idOrArn);
    }
    RdsSnapshot s = resources.snapshots.get(RdsResources.key(arn.account(), arn.id()));
    if (s == null || !s.visibleTo(account)) {
      throw RdsErrors.snapshotNotFound(idOrArn).exception();
    }
    return s;
  }

  /**
   * Other accounts' snapshots shared with {@code account} by id ({@code public}: shared with {@code
   * all}).
   */
  List<RdsSnapshot> shared(String account, boolean publicOnes) {
    return resources.snapshots.values().stream()
        .filter(s -> !s.account.equals(account))
        .filter(s -> publicOnes ? s.sharedWith.contains("all") : s.sharedWith.contains(account))
        .toList();
  }

  RdsSnapshot create(
      String account, String snapshotId, String clusterId, Map<String, String> tags) {
    RdsCluster c = resources.clusterOrFault(account, clusterId);
    Instant now = clock.instant();
    if (resources.snapshots.containsKey(RdsResources.key(account, snapshotId))) {
      throw RdsErrors.snapshotAlreadyExists(snapshotId).exception();
    }
    String status = c.status(now);
    if (!"available".equals(status)) {
      throw RdsErrors.invalidClusterState(c.id, status).exception();
    }
    return take(c, snapshotId, tags, now);
  }

  RdsSnapshot copy(String account, Copy copy) {
    RdsSnapshot source = visibleOrFault(account, copy.source());
    if (resources.snapshots.containsKey(RdsResources.key(account, copy.targetId()))) {
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
    String targetArn = RdsResources.arn(account, "cluster-snapshot", copy.targetId());
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
    resources.snapshots.put(RdsResources.key(account, s.id), s);
    events.add(
        now,
        s.id,
        "db-cluster-snapshot",
        "Copying manual cluster snapshot from " + source.arn,
        List.of("backup"),
        s.arn);
    events.add(
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
  RdsSnapshot modifyAttribute(
      String account,
      String snapshotId,
      String attributeName,
      List<String> add,
      List<String> remove) {
    RdsSnapshot s = resources.snapshotOrFault(account, snapshotId);
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
  RdsSnapshot delete(String account, String snapshotId) {
    RdsSnapshot s = resources.snapshotOrFault(account, snapshotId);
    Instant now = clock.instant();
    if ("creating".equals(s.status(now))) {
      throw RdsErrors.invalidSnapshotState(s.id, "creating").exception();
    }
    resources.snapshots.remove(RdsResources.key(account, s.id));
    bindings.dropDumpIfUnused(s.data, resources.snapshots.values(), resources.clusters.values());
    events.add(
        now,
        s.id,
        "db-cluster-snapshot",
        "Deleted manual cluster snapshot",
        List.of("deletion"),
        s.arn);
    return s;
  }

  /** A snapshot of {@code c} now (with its bound server's data); the caller checked the id. */
  RdsSnapshot take(RdsCluster c, String snapshotId, Map<String, String> tags, Instant now) {
    SnapshotData data = bindings.dump(c, snapshotId);
    RdsSnapshot s =
        new RdsSnapshot(
            snapshotId,
            RdsResources.arn(c.account, "cluster-snapshot", snapshotId),
            c,
            data,
            now,
            now.plus(timings.snapshotCreate()));
    s.tags.putAll(tags);
    resources.snapshots.put(RdsResources.key(c.account, snapshotId), s);
    events.add(
        now,
        snapshotId,
        "db-cluster-snapshot",
        "Creating manual cluster snapshot",
        List.of("backup"),
        s.arn);
    events.add(
        s.availableAt,
        snapshotId,
        "db-cluster-snapshot",
        "Manual cluster snapshot created",
        List.of("backup"),
        s.arn);
    return s;
  }
}
