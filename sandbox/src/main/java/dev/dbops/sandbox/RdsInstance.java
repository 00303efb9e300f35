package dev.dbops.sandbox;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** A DB instance of a sandbox cluster; state guarded by {@link RdsSandbox}'s lock. */
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

  String status(RdsCluster cluster, Instant now) {
    if (deletedAt != null) {
      return "deleting";
    }
    if (now.isBefore(availableAt)) {
      return "creating";
    }
    return cluster.upgrade != null ? "upgrading" : "available";
  }
}
