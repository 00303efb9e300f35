package dev.dbops.workflows.upgrade;

import dev.dbops.workflows.common.ActivityStubs;
import dev.dbops.workflows.common.ErrorTypes;
import dev.dbops.workflows.common.InstanceClassOffer;
import dev.dbops.workflows.common.OrderableQuery;
import dev.dbops.workflows.common.Timeline;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Restore, add instances (a restored Aurora cluster has none), wait, report the endpoints. */
public class UpgradeRollbackWorkflowImpl implements UpgradeRollbackWorkflow {
  /** Version change: the snapshot is read (exists, available) before the restore. */
  static final String READ_SNAPSHOT_FIRST = "rollback-reads-snapshot-first";

  /**
   * Version change: the instance class is read against the snapshot's engine version before the
   * restore.
   */
  static final String CHECK_INSTANCE_CLASS = "rollback-checks-instance-class";

  private final RdsUpgradeActivities rds =
      Workflow.newLocalActivityStub(RdsUpgradeActivities.class, ActivityStubs.LOCAL_CALL);
  private final Timeline timeline = new Timeline();
  private final List<String> instances = new ArrayList<>();
  private String phase = "VALIDATING";
  private String waitingFor;
  private String clusterId;

  @Override
  public RollbackResult run(RollbackRequest r) {
    List<String> problems = r == null ? List.of("request: missing") : r.problems();
    if (!problems.isEmpty()) {
      phase = "FAILED";
      throw ApplicationFailure.newNonRetryableFailure(
          String.join("; ", problems), ErrorTypes.INVALID_INPUT);
    }
    clusterId = r.newClusterId();
    if (Workflow.getVersion(READ_SNAPSHOT_FIRST, Workflow.DEFAULT_VERSION, 1) == 1) {
      SnapshotInfo snapshot = checkSnapshot(r.snapshotId());
      if (Workflow.getVersion(CHECK_INSTANCE_CLASS, Workflow.DEFAULT_VERSION, 1) == 1) {
        checkInstanceClass(r, snapshot);
      }
    }
    Map<String, String> tags =
        Map.of(
            "dbops:workflow-id",
            Workflow.getInfo().getWorkflowId(),
            "dbops:restored-from",
            r.snapshotId());
    phase = "RESTORING";
    rds.restoreClusterFromSnapshot(
        new RestoreClusterSpec(
            clusterId,
            r.snapshotId(),
            r.engineOrDefault(),
            r.engineVersion(),
            r.clusterParameterGroup(),
            tags));
    timeline.add("restore started", r.snapshotId() + " -> " + clusterId);
    RdsUpgradeActivities poller =
        Workflow.newActivityStub(
            RdsUpgradeActivities.class,
            ActivityStubs.pollEvery(r.pollIntervalOrDefault(), r.maxWaitOrDefault()));
    waitingFor = "restored cluster " + clusterId + " to become available";
    poller.checkClusterStatusAvailable(clusterId);
    timeline.add("cluster available", clusterId);
    phase = "CREATING_INSTANCES";
    for (int i = 1; i <= r.instancesOrDefault(); i++) {
      String id = clusterId + "-" + i;
      rds.createInstance(
          new InstanceSpec(id, clusterId, r.instanceClassOrDefault(), r.engineOrDefault(), tags));
      instances.add(id);
    }
    timeline.add("instances requested", instances.toString());
    waitingFor = "cluster " + clusterId + " and its instances to become available";
    ClusterEndpoints endpoints = poller.checkClusterAvailable(clusterId);
    waitingFor = null;
    phase = "COMPLETED";
    timeline.add("available", endpoints.endpoint() + ":" + endpoints.port());
    return new RollbackResult(
        clusterId, r.snapshotId(), endpoints, List.copyOf(instances), timeline.steps());
  }

  /**
   * The snapshot is read before anything is created: one that does not exist, or never will be
   * available, is the request's fault (the CLI exits 2), not a failed restore.
   */
  private SnapshotInfo checkSnapshot(String snapshotId) {
    SnapshotInfo snapshot;
    try {
      snapshot = rds.checkSnapshotAvailable(snapshotId);
    } catch (ActivityFailure f) {
      if (f.getCause() instanceof ApplicationFailure af
          && (ErrorTypes.NOT_FOUND.equals(af.getType())
              || ErrorTypes.INVALID_STATE.equals(af.getType()))) {
        phase = "FAILED";
        throw ApplicationFailure.newNonRetryableFailure(
            "snapshotId: " + af.getOriginalMessage() + " (nothing was created)",
            ErrorTypes.INVALID_INPUT);
      }
      throw f;
    }
    timeline.add("snapshot checked", snapshotId + " is available");
    return snapshot;
  }

  /**
   * The instances run the engine version the cluster is restored to (the snapshot's, unless the
   * request names one): their class must be offered for it, or CreateDBInstance would fail after
   * the restore.
   */
  private void checkInstanceClass(RollbackRequest r, SnapshotInfo snapshot) {
    String engine =
        r.engine() != null || snapshot == null || snapshot.engine() == null
            ? r.engineOrDefault()
            : snapshot.engine();
    String version =
        r.engineVersion() != null || snapshot == null
            ? r.engineVersion()
            : snapshot.engineVersion();
    List<String> problems =
        InstanceClassOffer.problems(
            "instanceClass",
            rds.instanceClassOffers(
                new OrderableQuery(engine, version, List.of(r.instanceClassOrDefault()))));
    if (!problems.isEmpty()) {
      phase = "FAILED";
      throw ApplicationFailure.newNonRetryableFailure(
          String.join("; ", problems) + " (nothing was created)", ErrorTypes.INVALID_INPUT);
    }
    timeline.add(
        "instance class checked",
        r.instanceClassOrDefault()
            + " is offered for "
            + engine
            + (version == null ? "" : " " + version));
  }

  @Override
  public RollbackStatus status() {
    return new RollbackStatus(
        phase, waitingFor, clusterId, List.copyOf(instances), timeline.steps());
  }
}
