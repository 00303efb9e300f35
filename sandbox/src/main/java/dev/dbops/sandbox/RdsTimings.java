package dev.dbops.sandbox;

import java.time.Duration;
import java.util.Objects;

/**
 * How long RDS state machines take on the sandbox clock (compressed: seconds, not hours). {@link
 * SandboxClock#advance} skips them without waiting.
 *
 * @param snapshotCreate a cluster snapshot is {@code creating} this long, then {@code available}
 * @param clusterUpgrade a ModifyDBCluster engine upgrade keeps the cluster {@code upgrading} this
 *     long
 * @param clusterRestore RestoreDBClusterFromSnapshot's new cluster is {@code creating} this long;
 *     so is an Aurora read replica cluster made by CreateDBCluster (ReplicationSourceIdentifier)
 * @param instanceCreate CreateDBInstance's instance is {@code creating} this long
 * @param snapshotCopy CopyDBClusterSnapshot's copy is {@code copying} this long, then {@code
 *     available}
 * @param instanceDelete DeleteDBInstance's instance is {@code deleting} this long, then gone
 * @param clusterDelete DeleteDBCluster's cluster is {@code deleting} this long, then gone
 * @param replicaPromote PromoteReadReplicaDBCluster keeps the cluster {@code promoting} this long
 */
public record RdsTimings(
    Duration snapshotCreate,
    Duration clusterUpgrade,
    Duration clusterRestore,
    Duration instanceCreate,
    Duration snapshotCopy,
    Duration instanceDelete,
    Duration clusterDelete,
    Duration replicaPromote) {

  public RdsTimings {
    positive(snapshotCreate, "snapshotCreate");
    positive(clusterUpgrade, "clusterUpgrade");
    positive(clusterRestore, "clusterRestore");
    positive(instanceCreate, "instanceCreate");
    positive(snapshotCopy, "snapshotCopy");
    positive(instanceDelete, "instanceDelete");
    positive(clusterDelete, "clusterDelete");
    positive(replicaPromote, "replicaPromote");
  }

  /** The first four timings; copy 10 s, instance and cluster deletion 10 s each. */
  public RdsTimings(
      Duration snapshotCreate,
      Duration clusterUpgrade,
      Duration clusterRestore,
      Duration instanceCreate) {
    this(
        snapshotCreate,
        clusterUpgrade,
        clusterRestore,
        instanceCreate,
        Duration.ofSeconds(10),
        Duration.ofSeconds(10),
        Duration.ofSeconds(10),
        Duration.ofSeconds(10));
  }

  /**
   * Snapshot 10 s, upgrade 60 s, restore 30 s, instance 20 s, copy 10 s, instance / cluster
   * deletion 10 s.
   */
  public static RdsTimings defaults() {
    return new RdsTimings(
        Duration.ofSeconds(10),
        Duration.ofSeconds(60),
        Duration.ofSeconds(30),
        Duration.ofSeconds(20));
  }

  public RdsTimings withSnapshotCreate(Duration d) {
    return new RdsTimings(
        d,
        clusterUpgrade,
        clusterRestore,
        instanceCreate,
        snapshotCopy,
        instanceDelete,
        clusterDelete,
        replicaPromote);
  }

  public RdsTimings withClusterUpgrade(Duration d) {
    return new RdsTimings(
        snapshotCreate,
        d,
        clusterRestore,
        instanceCreate,
        snapshotCopy,
        instanceDelete,
        clusterDelete,
        replicaPromote);
  }

  public RdsTimings withClusterRestore(Duration d) {
    return new RdsTimings(
        snapshotCreate,
        clusterUpgrade,
        d,
        instanceCreate,
        snapshotCopy,
        instanceDelete,
        clusterDelete,
        replicaPromote);
  }

  public RdsTimings withInstanceCreate(Duration d) {
    return new RdsTimings(
        snapshotCreate,
        clusterUpgrade,
        clusterRestore,
        d,
        snapshotCopy,
        instanceDelete,
        clusterDelete,
        replicaPromote);
  }

  public RdsTimings withSnapshotCopy(Duration d) {
    return new RdsTimings(
        snapshotCreate,
        clusterUpgrade,
        clusterRestore,
        instanceCreate,
        d,
        instanceDelete,
        clusterDelete,
        replicaPromote);
  }

  public RdsTimings withInstanceDelete(Duration d) {
    return new RdsTimings(
        snapshotCreate,
        clusterUpgrade,
        clusterRestore,
        instanceCreate,
        snapshotCopy,
        d,
        clusterDelete,
        replicaPromote);
  }

  public RdsTimings withClusterDelete(Duration d) {
    return new RdsTimings(
        snapshotCreate,
        clusterUpgrade,
        clusterRestore,
        instanceCreate,
        snapshotCopy,
        instanceDelete,
        d,
        replicaPromote);
  }

  public RdsTimings withReplicaPromote(Duration d) {
    return new RdsTimings(
        snapshotCreate,
        clusterUpgrade,
        clusterRestore,
        instanceCreate,
        snapshotCopy,
        instanceDelete,
        clusterDelete,
        d);
  }

  private static void positive(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive: " + d);
    }
  }
}
