package dev.dbops.workflows.staging;

import dev.dbops.workflows.common.ProcedureRun;
import dev.dbops.workflows.staging.StagingPhase.Phase;
import java.util.Map;

/**
 * Builds the staging copy: snapshot the source, copy it when its key cannot be shared, share it,
 * restore it in the target account with a new master password. The undo of each is registered on
 * the saga as it is made.
 */
final class CopyBuilder {
  private final StagingRun run;
  private final ProcedureRun<Phase> procedure;
  private final StagingSaga saga;
  private final StagingRebuildRequest request;
  private final Map<String, String> tags;

  CopyBuilder(StagingRun run, StagingSaga saga) {
    this.run = run;
    this.procedure = run.procedure;
    this.saga = saga;
    this.request = run.request;
    this.tags = run.ownerTags();
  }

  /** The restored cluster, available, with every instance and the new password. */
  ClusterRef build(Inspected facts) {
    SnapshotRef snap = procedure.step(StagingSteps.SNAPSHOT, this::snapshot);
    if (StagingSteps.COPY.appliesTo(facts)) snap = procedure.step(StagingSteps.COPY, this::copy);
    run.sharedSnapshotId = snap.snapshotId();
    run.sharedSnapshotArn = snap.arn();
    if (StagingSteps.SHARE.appliesTo(facts)) procedure.step(StagingSteps.SHARE, this::share);
    return procedure.step(StagingSteps.RESTORE, this::restore);
  }

  private SnapshotRef snapshot() {
    String id = run.snapshotId = run.names.snapshotId();
    String sourceId = run.source.clusterId();
    saga.addSnapshot(id, () -> deleteSnapshot(id));
    SnapshotRef snap =
        run.aws.ensureSnapshot(new SnapshotRequest(request.source(), sourceId, id, tags));
    run.created("SNAPSHOT", request.source().accountId(), id, snap.adopted(), "of " + sourceId);
    procedure.waitFor("snapshot " + id + " of " + sourceId + " to become available");
    snap = snapshotPoller().checkSnapshotAvailable(request.source(), id);
    procedure.note("snapshot available", id);
    return snap;
  }

  /** Re-encrypted with the request's key: the default aws/rds key cannot be shared. */
  private SnapshotRef copy() {
    String copyId = run.names.copySnapshotId();
    String key = request.kmsKeyId();
    saga.addSnapshot(copyId, () -> deleteSnapshot(copyId));
    SnapshotRef copy =
        run.aws.ensureSnapshotCopy(
            new SnapshotCopyRequest(request.source(), run.snapshotId, copyId, key, tags));
    run.created(
        "SNAPSHOT", request.source().accountId(), copyId, copy.adopted(), "copy with " + key);
    procedure.waitFor(
        "copy " + copyId + " (re-encrypted with the customer-managed key) to become available");
    copy = snapshotPoller().checkSnapshotAvailable(request.source(), copyId);
    procedure.note("copy available", copyId);
    return copy;
  }

  /** Undone by the snapshot's delete, which unshares it first. */
  private void share() {
    procedure.waitFor(null);
    String with = run.sharedWith = request.target().accountId();
    String id = run.sharedSnapshotId;
    run.aws.shareSnapshot(new SnapshotShare(request.source(), id, with));
    run.record("SHARE", request.source().accountId(), id, "CREATED", "restore shared with " + with);
    procedure.note("shared", id + " with " + with);
  }

  private ClusterRef restore() {
    RestoreRequest restore = restoreRequest();
    String clusterId = run.names.clusterId();
    saga.addUntilCutOver(this::deleteNewCluster, "cluster " + clusterId);
    ClusterRef cluster = run.aws.ensureRestoredCluster(restore);
    String account = restore.account().accountId();
    run.created("CLUSTER", account, clusterId, cluster.adopted(), "from " + run.sharedSnapshotArn);
    procedure.waitFor(
        "cluster "
            + clusterId
            + " and "
            + restore.instanceCount()
            + " instance(s) to become available with the new master password");
    cluster = run.poller(request.restoreMaxWaitOrDefault()).checkRestoredClusterReady(restore);
    for (int i = 0; i < restore.instanceCount(); i++) {
      run.record("INSTANCE", account, run.names.instanceId(i), "CREATED", request.instanceClass());
    }
    run.newEndpoint = cluster.endpoint();
    procedure.note("restored", clusterId + " at " + run.newEndpoint + ":" + cluster.port());
    return cluster;
  }

  private RestoreRequest restoreRequest() {
    return new RestoreRequest(
        request.restoreAccount(),
        run.sharedSnapshotArn,
        run.names.clusterId(),
        run.source.engine(),
        run.source.engineVersion(),
        request.instanceClass(),
        request.instanceCountOrDefault(),
        request.dbSubnetGroup(),
        request.vpcSecurityGroupIds(),
        request.masterPasswordRef(),
        tags);
  }

  private StagingActivities snapshotPoller() {
    return run.poller(request.snapshotMaxWaitOrDefault());
  }

  private String deleteSnapshot(String id) {
    run.aws.deleteSnapshot(new SnapshotDeletion(request.source(), id, run.workflowId));
    run.record(
        "SNAPSHOT",
        request.source().accountId(),
        id,
        "DELETED",
        run.sharedWith != null && id.equals(run.sharedSnapshotId)
            ? "unshared from " + run.targetAccount() + " and deleted"
            : "deleted");
    return "snapshot " + id + " deleted";
  }

  private String deleteNewCluster() {
    String clusterId = run.names.clusterId();
    run.aws.deleteCluster(
        new ClusterDeletion(request.restoreAccount(), clusterId, run.workflowId, false, null));
    run.poller(request.restoreMaxWaitOrDefault())
        .checkClusterGone(request.restoreAccount(), clusterId);
    run.record("CLUSTER", run.targetAccount(), clusterId, "DELETED", "compensation");
    return "cluster " + clusterId + " deleted";
  }
}
