package dev.dbops.workflows.migration;

import dev.dbops.workflows.binlog.DbTarget;
import dev.dbops.workflows.upgrade.ClusterEndpoints;
import dev.dbops.workflows.upgrade.ModifyOutcome;
import io.temporal.activity.ActivityInterface;

/**
 * The AWS and SQL side of an RDS MySQL → Aurora MySQL migration (docs/procedures.md, migration)
 * that no other procedure has. Everything else the workflow reuses where it already lives: instance
 * class offers, CreateDBInstance and the cluster availability polls ({@link
 * dev.dbops.workflows.upgrade.RdsUpgradeActivities}), the zone / record look and the CNAME UPSERT /
 * INSYNC poll ({@link dev.dbops.workflows.staging.StagingActivities}), writes stopped on the source
 * ({@link dev.dbops.workflows.binlog.ReplicationActivities#sourceFinalPosition}), hooks and
 * notices.
 *
 * <p>Idempotent; errors classified through {@link dev.dbops.workflows.common.ErrorTypes}. {@code
 * check…} methods make one look and throw {@code ErrorTypes.notReady(…)} when not there yet (the
 * retry policy is the poll loop). Activity types are prefixed {@code Migration} so they never clash
 * with another procedure's on the same worker. Decisions (what is a problem, when to cut over) are
 * the workflow's; these only look and act.
 */
@ActivityInterface(namePrefix = "Migration")
public interface MigrationActivities {
  /**
   * DescribeDBInstances (+ tags), DescribeDBEngineVersions (ValidUpgradeTarget of its version), the
   * family of its parameter group and of every group in the query (DescribeDBParameterGroups,
   * DescribeDBClusterParameterGroups). NOT_FOUND when the instance is not there.
   */
  SourceInstanceFacts inspectSource(SourceQuery query);

  /**
   * Read only, as the master user: {@code VERSION()}, log_bin, binlog_format, {@code CALL
   * mysql.rds_show_configuration} (binlog retention hours), read_only.
   */
  SourceSqlFacts inspectSourceSql(DbTarget source);

  /**
   * ModifyDBInstance EngineVersion=target, AllowMajorVersionUpgrade, ApplyImmediately (and the
   * parameter group when named) unless the instance is already upgrading or already at the target
   * (a resumed run): exactly one ModifyDBInstance per run. {@code clusterStatus} of the outcome is
   * the instance's status.
   */
  ModifyOutcome startInstanceUpgrade(InstanceUpgradeSpec spec);

  /**
   * available on the target version → that version; upgrading / modifying / rebooting → NOT_READY;
   * available on the old version after RDS reported the upgrade failed → non-retryable
   * UPGRADE_FAILED.
   */
  String checkInstanceUpgraded(InstanceUpgradeSpec spec);

  /**
   * CreateDBCluster (engine aurora-mysql, ReplicationSourceIdentifier, tags); a cluster with that
   * id carrying this run's {@code dbops:owner} tag is adopted (no second create); one without it is
   * non-retryable NOT_OWNED.
   */
  CreateOutcome ensureReplicaCluster(ReplicaClusterSpec spec);

  /**
   * One look at the replica ({@code SHOW SLAVE STATUS} on the cluster's writer), sorted by {@link
   * LagWatch#sort}: caught up or a band to report → the look; otherwise NOT_READY (message: the
   * lag); broken → non-retryable REPLICATION_BROKEN. Connection failures are retryable.
   */
  ReplicaLag checkReplicaLag(LagWatch watch);

  /** One look at the replica, never NOT_READY (the cut-over window judges it). */
  ReplicaLag readReplicaLag(DbTarget replica);

  /**
   * PromoteReadReplicaDBCluster, unless the cluster has no replication source any more (a resumed
   * run: nothing called).
   */
  PromoteOutcome promote(String clusterId);

  /**
   * The cluster and every instance available and no ReplicationSourceIdentifier left → its
   * endpoints; promoting / modifying → NOT_READY.
   */
  ClusterEndpoints checkPromoted(String clusterId);

  /**
   * The write of {@link WriteProbe} and its read-back; refused by the server (read only, denied) →
   * non-retryable VERIFY_FAILED; connection failures retryable.
   */
  WriteCheck verifyWrite(WriteProbe probe);
}
