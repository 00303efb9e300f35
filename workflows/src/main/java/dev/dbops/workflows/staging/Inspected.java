package dev.dbops.workflows.staging;

/**
 * What the read-only look found before anything was made: the run acts on it and the plan is
 * rendered from it.
 */
record Inspected(
    StagingRebuildRequest request,
    StagingNames names,
    SourceFacts source,
    TargetFacts target,
    MaskingScript masking,
    StagingValidator.Judgement judgement) {

  /** The default aws/rds key cannot be shared: the snapshot is copied with the request's key. */
  boolean copyNeeded() {
    return judgement.copyNeeded();
  }

  /** The snapshot the restore uses (and the share names). */
  String restoredSnapshotId() {
    return copyNeeded() ? names.copySnapshotId() : names.snapshotId();
  }

  /** The dbops-owned cluster to retire; null when there is none. */
  String oldClusterId() {
    return judgement.retireClusterId();
  }

  boolean retires() {
    return oldClusterId() != null
        && !RetirePolicy.KEEP.equals(request.retireOrDefault().modeOrDefault());
  }

  boolean driftChecked() {
    return !StagingRebuildRequest.DRIFT_OFF.equals(request.driftCheckOrDefault());
  }

  String sourceAccount() {
    return request.source().accountId();
  }

  String targetAccount() {
    return request.restoreAccount().accountId();
  }
}
