package dev.dbops.sandbox;

import dev.dbops.sandbox.mysql.LocalMariaDb;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * An Aurora cluster's state (also an Aurora read replica of an RDS for MySQL instance); guarded by
 * {@link RdsSandbox}'s lock, settled lazily from the clock.
 */
final class RdsCluster {

  /** An engine version change in progress; ends (succeeds or fails) at {@code endsAt}. */
  record Upgrade(
      Instant startedAt,
      Instant endsAt,
      RdsEngineVersions.Version from,
      RdsEngineVersions.Version to,
      boolean major,
      String clusterParameterGroup,
      String instanceParameterGroup,
      String failureReason) {}

  /** A pending maintenance action (DescribePendingMaintenanceActions). */
  record PendingAction(String action, String description, Instant autoAppliedAfter) {}

  final String account;
  final String id;
  final String arn;
  final String resourceId;
  final Instant createdAt;

  /** {@code creating} until then (restored clusters). */
  final Instant availableAt;

  final int seedPort;
  final boolean storageEncrypted;
  final String kmsKeyId;
  final Map<String, String> tags = new LinkedHashMap<>();

  /** Writer first. */
  final List<String> members = new ArrayList<>();

  final List<PendingAction> pendingActions = new ArrayList<>();
  RdsEngineVersions.Version version;
  String clusterParameterGroup;
  long backtrackWindow;
  Upgrade upgrade;

  /**
   * An engine version requested without ApplyImmediately: shown in PendingModifiedValues, never
   * applied.
   */
  String pendingEngineVersion;

  String failNextUpgradeReason;
  Duration stallNextUpgrade;
  LocalMariaDb boundTo;
  boolean ownsBinding;

  /**
   * A restored cluster's new server being started and loaded with the snapshot's data; bound when
   * done.
   */
  CompletableFuture<LocalMariaDb> restoringServer;

  /**
   * The data {@link #restoringServer} loads (its dump must outlive a DeleteDBClusterSnapshot
   * meanwhile).
   */
  SnapshotData restoringFrom;

  String masterUsername = RdsSandbox.DEFAULT_MASTER_USERNAME;
  String masterPassword = RdsSandbox.DEFAULT_MASTER_PASSWORD;

  /** How many times ModifyDBCluster set MasterUserPassword, and when last. */
  int masterPasswordChanges;

  Instant masterPasswordChangedAt;

  /** Set by DeleteDBCluster: {@code deleting} until then, gone after. */
  Instant deletedAt;

  /**
   * ReplicationSourceIdentifier: the ARN of the RDS for MySQL instance this Aurora read replica
   * cluster replicates from; null for a stand-alone cluster (never a replica, or promoted).
   */
  String replicationSource;

  /** Set by PromoteReadReplicaDBCluster: {@code promoting} until then, stand-alone after. */
  Instant promotedAt;

  RdsCluster(
      String account,
      String id,
      String arn,
      String resourceId,
      RdsEngineVersions.Version version,
      String clusterParameterGroup,
      int seedPort,
      boolean storageEncrypted,
      String kmsKeyId,
      Instant createdAt,
      Instant availableAt) {
    this.account = account;
    this.id = id;
    this.arn = arn;
    this.resourceId = resourceId;
    this.version = version;
    this.clusterParameterGroup = clusterParameterGroup;
    this.seedPort = seedPort;
    this.storageEncrypted = storageEncrypted;
    this.kmsKeyId = kmsKeyId;
    this.createdAt = createdAt;
    this.availableAt = availableAt;
  }

  String status(Instant now) {
    if (deletedAt != null) {
      return "deleting";
    }
    if (upgrade != null) {
      return "upgrading";
    }
    if (promotedAt != null) {
      return "promoting";
    }
    return now.isBefore(availableAt) ? "creating" : "available";
  }

  String engine() {
    return version.engine();
  }

  String endpoint(String region) {
    return boundTo != null ? boundTo.host() : id + ".cluster-sandbox." + region + ".rds.invalid";
  }

  String readerEndpoint(String region) {
    return boundTo != null ? boundTo.host() : id + ".cluster-ro-sandbox." + region + ".rds.invalid";
  }

  String instanceEndpoint(String instanceId, String region) {
    return boundTo != null ? boundTo.host() : instanceId + ".sandbox." + region + ".rds.invalid";
  }

  int port() {
    return boundTo != null ? boundTo.port() : seedPort;
  }
}
