package dev.dbops.sandbox;

import dev.dbops.sandbox.mysql.LocalMariaDb;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A DB instance: of an Aurora cluster ({@link #clusterId} set; engine, version, endpoint and master
 * user are the cluster's), or a standalone RDS for MySQL instance ({@link #clusterId} null; its own
 * {@link #version}, backups, master user and, when bound, real MariaDB). State guarded by {@link
 * RdsSandbox}'s lock.
 */
final class RdsInstance {

  final String account;
  final String id;
  final String arn;
  final String clusterId;
  final String instanceClass;
  final Instant createdAt;

  /** {@code creating} until then. */
  final Instant availableAt;

  final Map<String, String> tags = new LinkedHashMap<>();
  String parameterGroup;
  int promotionTier = 1;

  /** Set by DeleteDBInstance: {@code deleting} until then, gone after. */
  Instant deletedAt;

  // ---- standalone (RDS for MySQL) instances only

  /** The engine version of a standalone instance; null for a cluster member. */
  RdsEngineVersions.Version version;

  /** BackupRetentionPeriod in days; 0 = automated backups (and the binary log) off. */
  int backupRetention = 7;

  int seedPort = 3306;
  String masterUsername = RdsSandbox.DEFAULT_MASTER_USERNAME;
  String masterPassword = RdsSandbox.DEFAULT_MASTER_PASSWORD;
  LocalMariaDb boundTo;
  boolean ownsBinding;

  /** A ModifyDBInstance engine upgrade in progress: {@code upgrading} until it ends. */
  record Upgrade(Instant endsAt, RdsEngineVersions.Version to, String parameterGroup) {}

  Upgrade upgrade;

  /** An engine version requested without ApplyImmediately: shown, never applied. */
  String pendingEngineVersion;

  /** ReadReplicaDBClusterIdentifiers: Aurora clusters replicating from it now. */
  final List<String> replicaClusters = new ArrayList<>();

  RdsInstance(
      String account,
      String id,
      String arn,
      String clusterId,
      String instanceClass,
      String parameterGroup,
      Instant createdAt,
      Instant availableAt) {
    this.account = account;
    this.id = id;
    this.arn = arn;
    this.clusterId = clusterId;
    this.instanceClass = instanceClass;
    this.parameterGroup = parameterGroup;
    this.createdAt = createdAt;
    this.availableAt = availableAt;
  }

  /**
   * @param cluster its cluster, null for a standalone instance
   */
  String status(RdsCluster cluster, Instant now) {
    if (deletedAt != null) {
      return "deleting";
    }
    if (now.isBefore(availableAt)) {
      return "creating";
    }
    if (upgrade != null) {
      return "upgrading";
    }
    return cluster != null && cluster.upgrade != null ? "upgrading" : "available";
  }

  boolean standalone() {
    return clusterId == null;
  }

  String endpoint(String region) {
    return boundTo != null ? boundTo.host() : id + ".sandbox." + region + ".rds.invalid";
  }

  int port() {
    return boundTo != null ? boundTo.port() : seedPort;
  }
}
