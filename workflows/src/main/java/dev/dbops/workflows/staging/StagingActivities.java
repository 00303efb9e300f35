package dev.dbops.workflows.staging;

import io.temporal.activity.ActivityInterface;

/**
 * The AWS and SQL side of a staging rebuild (docs/procedures.md, staging). Every call acts in the
 * account it is given (the worker's own credentials, or an assumed role), is idempotent, and
 * classifies errors through {@link dev.dbops.workflows.common.ErrorTypes}. {@code check…} methods
 * make one look and throw {@code ErrorTypes.notReady(…)} when not there yet (the retry policy is
 * the poll loop). Anything created is tagged {@code dbops:owner=<workflow id>}; an existing
 * resource with the derived name is adopted only when that tag matches, and nothing is ever deleted
 * without it. Activity types are prefixed {@code Staging} so they never clash with the upgrade's
 * {@code EnsureSnapshot} / {@code CheckSnapshotAvailable} on the same worker.
 */
@ActivityInterface(namePrefix = "Staging")
public interface StagingActivities {
  /** DescribeDBClusters (+ ListTagsForResource): NOT_FOUND when the cluster is not there. */
  SourceFacts inspectSource(AccountRef account, String clusterId);

  /**
   * Read-only look at the target account: GetHostedZone, ListResourceRecordSets for the record, the
   * old cluster (named, or the one whose endpoint the CNAME points at) with its tags, and whether
   * this run's cluster exists already. A missing zone leaves {@code zoneName} null.
   */
  TargetFacts inspectTarget(TargetQuery query);

  /**
   * Reads the masking SQL (inline, file or S3) and hashes it; a missing script is INVALID_INPUT.
   */
  MaskingScript readMaskingScript(MaskingSpec masking);

  /** CreateDBClusterSnapshot with tags; adopt an existing one carrying this run's owner tag. */
  SnapshotRef ensureSnapshot(SnapshotRequest request);

  /**
   * CopyDBClusterSnapshot with KmsKeyId and tags; adopt an existing copy carrying this run's owner
   * tag.
   */
  SnapshotRef ensureSnapshotCopy(SnapshotCopyRequest request);

  /** available → the snapshot; creating/copying → NOT_READY; failed/deleted → INVALID_STATE. */
  SnapshotRef checkSnapshotAvailable(AccountRef account, String snapshotId);

  /** ModifyDBClusterSnapshotAttribute restore += account (a no-op when already shared). */
  void shareSnapshot(SnapshotShare share);

  /** ModifyDBClusterSnapshotAttribute restore -= account (a no-op when not shared or gone). */
  void unshareSnapshot(SnapshotShare share);

  /**
   * RestoreDBClusterFromSnapshot by ARN with tags; adopt the cluster if it exists with this run's
   * owner tag.
   */
  ClusterRef ensureRestoredCluster(RestoreRequest request);

  /**
   * One look, advancing the new cluster one step at a time: not available → NOT_READY; available
   * without the {@link RestoreRequest#PASSWORD_TAG} tag → ModifyDBCluster MasterUserPassword
   * (resolved from the reference, ApplyImmediately) then the tag, NOT_READY; fewer instances than
   * asked → CreateDBInstance for the missing ones (idempotent, tagged), NOT_READY; cluster and
   * every instance available → the writer endpoint.
   */
  ClusterRef checkRestoredClusterReady(RestoreRequest request);

  /**
   * Runs the masking SQL (refusing a script whose hash is not {@code expectedSha256}), then every
   * verification query; heartbeats between statements. Does not judge the verification: the
   * workflow does.
   */
  MaskReport mask(MaskRun run);

  /** Tables, columns and indexes of the schemas on both sides; one line per difference. */
  DriftReport checkDrift(DriftCheck check);

  /**
   * ChangeResourceRecordSets UPSERT; when the record already has this value and TTL (a resumed run)
   * no change is sent and the status is {@code INSYNC}.
   */
  ChangeRef upsertCname(CnameChange change);

  /** GetChange: INSYNC → the change; PENDING → NOT_READY. */
  ChangeRef checkChangeInsync(AccountRef account, String changeId);

  /**
   * Deletes the instances, then the cluster (final snapshot when asked); NOT_OWNED when the owner
   * tag does not match; already deleting or gone is success.
   */
  ClusterRef deleteCluster(ClusterDeletion deletion);

  /** Gone → returns; deleting → NOT_READY. */
  void checkClusterGone(AccountRef account, String clusterId);

  /**
   * Unshare from every account and delete; NOT_OWNED unless tagged with the owner; gone is success.
   */
  void deleteSnapshot(SnapshotDeletion deletion);
}
