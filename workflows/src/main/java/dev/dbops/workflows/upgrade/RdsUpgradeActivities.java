package dev.dbops.workflows.upgrade;

import dev.dbops.workflows.common.InstanceClassOffer;
import dev.dbops.workflows.common.OrderableQuery;
import io.temporal.activity.ActivityInterface;
import java.util.List;

/**
 * The RDS side of an in-place Aurora MySQL upgrade and its rollback. Idempotent; errors classified
 * through {@link dev.dbops.workflows.common.ErrorTypes}. Poll methods ({@code check…}) make one
 * describe call and throw {@code ErrorTypes.notReady(…)} when not there yet.
 */
@ActivityInterface
public interface RdsUpgradeActivities {
  /**
   * DescribeDBClusters, DescribeDBInstances (parameter group of each member),
   * DescribeDBEngineVersions (ValidUpgradeTarget of the current version), the family of every
   * parameter group in {@code parameterGroupNames} plus the current ones (cluster and instance
   * groups; absent from the map when not found), DescribePendingMaintenanceActions.
   */
  ClusterFacts inspectCluster(String clusterId, List<String> parameterGroupNames);

  /**
   * DescribeOrderableDBInstanceOptions for each class of the query (read-only): whether RDS offers
   * it for the engine version, and some classes it does offer. Judged by {@link
   * InstanceClassOffer#problems}.
   */
  List<InstanceClassOffer> instanceClassOffers(OrderableQuery query);

  /** CreateDBClusterSnapshot; if the id exists for this cluster, adopt it (no second create). */
  SnapshotInfo ensureSnapshot(SnapshotSpec spec);

  /** available → returns; creating → NOT_READY; failed/deleted → non-retryable INVALID_STATE. */
  SnapshotInfo checkSnapshotAvailable(String snapshotId);

  /**
   * ModifyDBCluster to the target unless the cluster is already upgrading or already at the target
   * (a resumed run): exactly one ModifyDBCluster per upgrade.
   */
  ModifyOutcome startUpgrade(ModifySpec spec);

  /**
   * One look at the cluster and its events since {@code sinceEpochMillis}: DONE when available on
   * the target; FAILED when available on the old version after a failure event; UPGRADING when the
   * phase differs from {@code lastReportedPhase}; otherwise NOT_READY (retry = poll).
   */
  UpgradeProgress checkUpgrade(UpgradeWatch watch);

  /** RestoreDBClusterFromSnapshot into a new cluster; adopt if a cluster with that id exists. */
  String restoreClusterFromSnapshot(RestoreClusterSpec spec);

  /**
   * The restored cluster itself is available (a restored Aurora cluster has no instances yet, and
   * CreateDBInstance is refused while it is still creating); otherwise NOT_READY.
   */
  ClusterEndpoints checkClusterStatusAvailable(String clusterId);

  /** CreateDBInstance in the cluster; adopt if the instance exists. */
  String createInstance(InstanceSpec spec);

  /** Cluster and every instance available → endpoints; otherwise NOT_READY. */
  ClusterEndpoints checkClusterAvailable(String clusterId);
}
