package dev.dbops.workflows.staging;

import dev.dbops.workflows.common.PlanStep;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builds the staging copy: snapshot the source, copy it when its key cannot be shared, share it,
 * restore it in the target account with a new master password. Registers the undo of each on the
 * saga as it is made.
 */
final class CopyBuilder {
  private final StagingRun run;
  private final StagingSaga saga;
  private final StagingRebuildRequest request;

  CopyBuilder(StagingRun run, StagingSaga saga) {
    this.run = run;
    this.saga = saga;
    this.request = run.request;
  }

  /** The restored cluster, available, with every instance and the new password. */
  ClusterRef build(boolean copyNeeded) {
    Map<String, String> tags = run.ownerTags();
    String src = request.source().accountId();
    run.phase = StagingPhase.SNAPSHOTTING;
    run.hooks.at("before-snapshot", run.gate, run.hookData());
    String snapshotId = run.snapshotId = run.names.snapshotId();
    saga.addSnapshot(snapshotId, () -> deleteSnapshot(snapshotId));
    String sourceId = run.source.clusterId();
    SnapshotRef snap =
        run.aws.ensureSnapshot(new SnapshotRequest(request.source(), sourceId, snapshotId, tags));
    run.created("SNAPSHOT", src, snapshotId, snap.adopted(), "of " + sourceId);
    run.waitingFor = "snapshot " + snapshotId + " of " + sourceId + " to become available";
    snap = snapshotPoller().checkSnapshotAvailable(request.source(), snapshotId);
    run.timeline.add("snapshot available", snapshotId);

    if (copyNeeded) {
      run.phase = StagingPhase.COPYING;
      String copyId = run.names.copySnapshotId();
      saga.addSnapshot(copyId, () -> deleteSnapshot(copyId));
      SnapshotRef copy =
          run.aws.ensureSnapshotCopy(
              new SnapshotCopyRequest(
                  request.source(), snapshotId, copyId, request.kmsKeyId(), tags));
      run.created("SNAPSHOT", src, copyId, copy.adopted(), "copy with " + request.kmsKeyId());
      run.waitingFor =
          "copy " + copyId + " (re-encrypted with the customer-managed key) to become available";
      snap = snapshotPoller().checkSnapshotAvailable(request.source(), copyId);
      run.timeline.add("copy available", copyId);
    }
    run.sharedSnapshotId = snap.snapshotId();
    run.sharedSnapshotArn = snap.arn();

    if (request.isCrossAccount()) share();
    return restore(tags);
  }

  /** Undone by the snapshot's delete, which unshares it first. */
  private void share() {
    run.enter(StagingPhase.SHARING, null);
    String with = run.sharedWith = request.target().accountId();
    run.aws.shareSnapshot(new SnapshotShare(request.source(), run.sharedSnapshotId, with));
    run.record(
        "SHARE",
        request.source().accountId(),
        run.sharedSnapshotId,
        "CREATED",
        "restore shared with " + with);
    run.timeline.add("shared", run.sharedSnapshotId + " with " + with);
  }

  private ClusterRef restore(Map<String, String> tags) {
    run.phase = StagingPhase.RESTORING;
    RestoreRequest restore = restoreRequest(tags);
    String clusterId = run.names.clusterId();
    saga.addUntilCutOver(this::deleteNewCluster, "cluster " + clusterId);
    ClusterRef cluster = run.aws.ensureRestoredCluster(restore);
    String account = restore.account().accountId();
    run.created("CLUSTER", account, clusterId, cluster.adopted(), "from " + run.sharedSnapshotArn);
    run.waitingFor =
        "cluster "
            + clusterId
            + " and "
            + restore.instanceCount()
            + " instance(s) to become available with the new master password";
    cluster = run.poller(request.restoreMaxWaitOrDefault()).checkRestoredClusterReady(restore);
    for (int i = 0; i < restore.instanceCount(); i++) {
      run.record("INSTANCE", account, run.names.instanceId(i), "CREATED", request.instanceClass());
    }
    run.newEndpoint = cluster.endpoint();
    run.timeline.add("restored", clusterId + " at " + run.newEndpoint + ":" + cluster.port());
    return cluster;
  }

  private RestoreRequest restoreRequest(Map<String, String> tags) {
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

  /** The calls {@link #build} makes, for the plan. */
  List<PlanStep> plan(boolean copyNeeded) {
    List<PlanStep> steps = new ArrayList<>();
    String src = request.source().accountId();
    String dst = run.targetAccount();
    StagingNames names = run.names;
    steps.add(
        new PlanStep(
            "snapshot",
            "CreateDBClusterSnapshot DBClusterIdentifier="
                + run.source.clusterId()
                + " DBClusterSnapshotIdentifier="
                + names.snapshotId(),
            "in " + src + "; adopted if it exists; wait available"));
    String shared = names.snapshotId();
    if (copyNeeded) {
      shared = names.copySnapshotId();
      steps.add(
          new PlanStep(
              "copy",
              "CopyDBClusterSnapshot SourceDBClusterSnapshotIdentifier="
                  + names.snapshotId()
                  + " TargetDBClusterSnapshotIdentifier="
                  + shared
                  + " KmsKeyId="
                  + request.kmsKeyId(),
              "the default aws/rds key cannot be shared"));
    }
    if (request.isCrossAccount()) {
      steps.add(
          new PlanStep(
              "share",
              "ModifyDBClusterSnapshotAttribute DBClusterSnapshotIdentifier="
                  + shared
                  + " AttributeName=restore ValuesToAdd="
                  + dst,
              ""));
    }
    steps.add(
        new PlanStep(
            "restore",
            "RestoreDBClusterFromSnapshot DBClusterIdentifier="
                + names.clusterId()
                + " SnapshotIdentifier=<arn of "
                + shared
                + "> Engine="
                + run.source.engine()
                + "; CreateDBInstance x"
                + request.instanceCountOrDefault()
                + " "
                + request.instanceClass()
                + "; ModifyDBCluster MasterUserPassword=<"
                + request.masterPasswordRef()
                + ">",
            "in "
                + dst
                + (request.restoreAccount().roleArn() == null
                    ? ""
                    : " as " + request.restoreAccount().roleArn())
                + "; tagged dbops:owner"));
    return steps;
  }

  /** The clean-up {@link StagingSaga#cleanUp} does at the end, for the plan. */
  Optional<PlanStep> planCleanUp(boolean copyNeeded) {
    if (request.keepsSnapshots()) return Optional.empty();
    return Optional.of(
        new PlanStep(
            "clean up",
            "ModifyDBClusterSnapshotAttribute ValuesToRemove; DeleteDBClusterSnapshot "
                + run.names.snapshotId()
                + (copyNeeded ? ", " + run.names.copySnapshotId() : ""),
            ""));
  }
}
