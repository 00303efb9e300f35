package dev.dbops.sandbox;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * A manual cluster snapshot, taken ({@code creating}) or copied ({@code copying}) until {@link
 * #availableAt}, then {@code available}; state guarded by {@link RdsSandbox}'s lock. A snapshot of
 * a cluster bound to a MariaDB carries its {@link SnapshotData}; copies share it.
 */
final class RdsSnapshot {

  final String account;
  final String id;
  final String arn;
  final String clusterId;
  final RdsEngineVersions.Version version;
  final int port;
  final boolean storageEncrypted;
  final String kmsKeyId;
  final Instant clusterCreatedAt;
  final Instant createdAt;
  final Instant availableAt;

  /** The snapshot this one was copied from (CopyDBClusterSnapshot), else null. */
  final String sourceSnapshotArn;

  final String masterUsername;
  final String masterPassword;

  /** The bound server's data at snapshot time, or null (unbound cluster). */
  final SnapshotData data;

  final Map<String, String> tags = new LinkedHashMap<>();

  /** The {@code restore} attribute: account ids (or {@code all}) that may copy and restore it. */
  final Set<String> sharedWith = new LinkedHashSet<>();

  /** A snapshot of {@code source}, taken now. */
  RdsSnapshot(
      String id,
      String arn,
      RdsCluster source,
      SnapshotData data,
      Instant createdAt,
      Instant availableAt) {
    this.account = source.account;
    this.id = id;
    this.arn = arn;
    this.clusterId = source.id;
    this.version = source.version;
    this.port = source.seedPort;
    this.storageEncrypted = source.storageEncrypted;
    this.kmsKeyId = source.kmsKeyId;
    this.clusterCreatedAt = source.createdAt;
    this.createdAt = createdAt;
    this.availableAt = availableAt;
    this.sourceSnapshotArn = null;
    this.masterUsername = source.masterUsername;
    this.masterPassword = source.masterPassword;
    this.data = data;
  }

  /** A copy of {@code source} in {@code account}, encrypted with {@code kmsKeyId}. */
  RdsSnapshot(
      String account,
      String id,
      String arn,
      RdsSnapshot source,
      String kmsKeyId,
      Instant createdAt,
      Instant availableAt) {
    this.account = account;
    this.id = id;
    this.arn = arn;
    this.clusterId = source.clusterId;
    this.version = source.version;
    this.port = source.port;
    this.storageEncrypted = source.storageEncrypted;
    this.kmsKeyId = kmsKeyId;
    this.clusterCreatedAt = source.clusterCreatedAt;
    this.createdAt = createdAt;
    this.availableAt = availableAt;
    this.sourceSnapshotArn = source.arn;
    this.masterUsername = source.masterUsername;
    this.masterPassword = source.masterPassword;
    this.data = source.data;
  }

  String status(Instant now) {
    if (!now.isBefore(availableAt)) {
      return "available";
    }
    return sourceSnapshotArn != null ? "copying" : "creating";
  }

  /** Whether {@code account} may see, copy and restore it (owner, shared with it, or public). */
  boolean visibleTo(String account) {
    return this.account.equals(account)
        || sharedWith.contains(account)
        || sharedWith.contains("all");
  }

  int percentProgress(Instant now) {
    if (!now.isBefore(availableAt)) {
      return 100;
    }
    long total = Duration.between(createdAt, availableAt).toMillis();
    long done = Duration.between(createdAt, now).toMillis();
    return total <= 0 ? 0 : (int) Math.max(0, Math.min(99, done * 100 / total));
  }
}
