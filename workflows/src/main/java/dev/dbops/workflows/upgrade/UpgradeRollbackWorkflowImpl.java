package dev.dbops.workflows.upgrade;

import dev.dbops.workflows.common.ActivityStubs;
import dev.dbops.workflows.common.Approval;
import dev.dbops.workflows.common.ApprovalGate;
import dev.dbops.workflows.common.CnameFacts;
import dev.dbops.workflows.common.CnameRepoint;
import dev.dbops.workflows.common.DnsChange;
import dev.dbops.workflows.common.ErrorTypes;
import dev.dbops.workflows.common.InstanceClassOffer;
import dev.dbops.workflows.common.OrderableQuery;
import dev.dbops.workflows.common.PeopleNotifier;
import dev.dbops.workflows.common.Rejection;
import dev.dbops.workflows.common.Timeline;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Restore, add instances (a restored Aurora cluster has none), wait, report the endpoints; when the
 * request names a CNAME, repoint it to the restored cluster after an approval.
 */
public class UpgradeRollbackWorkflowImpl implements UpgradeRollbackWorkflow {
  /** Version change: the snapshot is read (exists, available) before the restore. */
  static final String READ_SNAPSHOT_FIRST = "rollback-reads-snapshot-first";

  /**
   * Version change: the instance class is read against the snapshot's engine version before the
   * restore.
   */
  static final String CHECK_INSTANCE_CLASS = "rollback-checks-instance-class";

  /**
   * Version change: the request's engine must be the snapshot's, and without one the restore uses
   * the snapshot's (not {@code aurora}); the zone and CNAME are read before the restore, and
   * repointed after an approval once the cluster is available; a dry run plans instead.
   */
  static final String CHECK_ENGINE_REPOINT_CNAME = "rollback-checks-engine-repoints-cname";

  private final RdsUpgradeActivities rds =
      Workflow.newLocalActivityStub(RdsUpgradeActivities.class, ActivityStubs.LOCAL_CALL);
  private final CnameRepoint cname = new CnameRepoint();
  private final Timeline timeline = new Timeline();
  private final List<String> instances = new ArrayList<>();
  private final List<String> warnings = new ArrayList<>();
  private final PeopleNotifier people = new PeopleNotifier(RollbackPhase.PROCEDURE, warnings);
  private ApprovalGate gate = new ApprovalGate(null, null);
  private String phase = RollbackPhase.VALIDATING;
  private String waitingFor;
  private String clusterId;
  private RollbackRequest request;
  private CnameFacts dns;

  @Override
  public RollbackResult run(RollbackRequest r) {
    List<String> problems = r == null ? List.of("request: missing") : r.problems();
    if (!problems.isEmpty()) throw fail(String.join("; ", problems));
    request = r;
    gate = new ApprovalGate(r.approvalOrDefault(), r.requestedBy());
    clusterId = r.newClusterId();
    String engine = r.engineOrDefault();
    String engineVersion = r.engineVersion();
    boolean checked = false;
    if (Workflow.getVersion(READ_SNAPSHOT_FIRST, Workflow.DEFAULT_VERSION, 1) == 1) {
      SnapshotInfo snapshot = checkSnapshot(r.snapshotId());
      checked = Workflow.getVersion(CHECK_ENGINE_REPOINT_CNAME, Workflow.DEFAULT_VERSION, 1) == 1;
      if (checked) {
        engine = checkEngine(r, snapshot);
        engineVersion = r.engineVersion() != null ? r.engineVersion() : snapshot.engineVersion();
      }
      if (Workflow.getVersion(CHECK_INSTANCE_CLASS, Workflow.DEFAULT_VERSION, 1) == 1) {
        checkInstanceClass(r, snapshot);
      }
      if (checked && r.repointsCname()) {
        dns = cname.read("hostedZoneId", r.hostedZoneId(), "recordName", r.recordName());
        timeline.add(
            "CNAME checked",
            r.recordName() + " is a CNAME to " + dns.value() + " (kept for revert)");
      }
    }
    if (checked && r.isDryRun()) {
      phase = RollbackPhase.COMPLETED;
      timeline.add("planned", "dry run: nothing was changed");
      return result(
          null, RollbackResult.PLANNED, null, RollbackPlan.steps(r, engine, engineVersion, dns));
    }
    Map<String, String> tags =
        Map.of(
            "dbops:workflow-id",
            Workflow.getInfo().getWorkflowId(),
            "dbops:restored-from",
            r.snapshotId());
    phase = RollbackPhase.RESTORING;
    rds.restoreClusterFromSnapshot(
        new RestoreClusterSpec(
            clusterId, r.snapshotId(), engine, r.engineVersion(), r.clusterParameterGroup(), tags));
    timeline.add("restore started", r.snapshotId() + " -> " + clusterId);
    RdsUpgradeActivities poller =
        Workflow.newActivityStub(
            RdsUpgradeActivities.class,
            ActivityStubs.pollEvery(r.pollIntervalOrDefault(), r.maxWaitOrDefault()));
    waitingFor = "restored cluster " + clusterId + " to become available";
    poller.checkClusterStatusAvailable(clusterId);
    timeline.add("cluster available", clusterId);
    phase = RollbackPhase.CREATING_INSTANCES;
    for (int i = 1; i <= r.instancesOrDefault(); i++) {
      String id = clusterId + "-" + i;
      rds.createInstance(new InstanceSpec(id, clusterId, r.instanceClassOrDefault(), engine, tags));
      instances.add(id);
    }
    timeline.add("instances requested", instances.toString());
    waitingFor = "cluster " + clusterId + " and its instances to become available";
    ClusterEndpoints endpoints = poller.checkClusterAvailable(clusterId);
    waitingFor = null;
    timeline.add("available", endpoints.endpoint() + ":" + endpoints.port());
    String change = dns == null ? null : repoint(endpoints.endpoint());
    phase = RollbackPhase.COMPLETED;
    if (!checked) {
      return new RollbackResult(
          clusterId, r.snapshotId(), endpoints, List.copyOf(instances), timeline.steps());
    }
    return result(endpoints, RollbackResult.COMPLETED, change, null);
  }

  /**
   * After an approval (M of N, never the requester), UPSERT the CNAME to the restored cluster's
   * writer endpoint and wait INSYNC. A rejection, silence or a failed change leaves the restored
   * cluster in place and says what the CNAME pointed at before.
   */
  private String repoint(String endpoint) {
    String name = request.recordName();
    phase = RollbackPhase.AWAITING_APPROVAL;
    try {
      people.awaitApproval(gate, "repoint " + name + " to " + endpoint);
    } catch (ApplicationFailure f) {
      throw fail(
          f.getOriginalMessage()
              + "; the CNAME still points at "
              + dns.value()
              + " and "
              + clusterId
              + " was kept",
          f.getType());
    }
    timeline.add("approved", gate.records().toString());
    phase = RollbackPhase.REPOINTING;
    waitingFor = "Route53 to apply " + name + " -> " + endpoint;
    DnsChange change;
    try {
      change =
          cname.repoint(
              request.hostedZoneId(), name, endpoint, RollbackRequest.CNAME_TTL, dns.value());
    } catch (ApplicationFailure f) {
      throw fail(f.getOriginalMessage() + "; " + clusterId + " was kept", f.getType());
    }
    waitingFor = null;
    timeline.add(
        "repointed",
        name
            + " -> "
            + endpoint
            + " TTL "
            + RollbackRequest.CNAME_TTL
            + " (was "
            + dns.value()
            + "; change "
            + change.changeId()
            + ")");
    return change.changeId();
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
        throw fail("snapshotId: " + af.getOriginalMessage() + " (nothing was created)");
      }
      throw f;
    }
    timeline.add("snapshot checked", snapshotId + " is available");
    return snapshot;
  }

  /**
   * The snapshot's engine is what the cluster is restored as: a request naming another is refused
   * (RDS would refuse the restore, after the run had started acting); one naming none gets it.
   */
  private String checkEngine(RollbackRequest r, SnapshotInfo snapshot) {
    String engine = snapshot == null ? null : snapshot.engine();
    if (engine == null) return r.engineOrDefault();
    if (r.engine() != null && !r.engine().equals(engine)) {
      throw fail(
          "engine: snapshot "
              + r.snapshotId()
              + " is "
              + engine
              + " "
              + snapshot.engineVersion()
              + ", not "
              + r.engine()
              + " (nothing was created)");
    }
    String v = r.engineVersion();
    boolean ofEngine =
        v == null || (engine.equals("aurora") ? v.startsWith("5.6.") : !v.startsWith("5.6."));
    if (!ofEngine) {
      throw fail(
          "engineVersion: '"
              + v
              + "' is not a version of "
              + engine
              + ", the engine of snapshot "
              + r.snapshotId()
              + " ("
              + snapshot.engineVersion()
              + ") (nothing was created)");
    }
    timeline.add("engine checked", engine + " " + snapshot.engineVersion());
    return engine;
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
      throw fail(String.join("; ", problems) + " (nothing was created)");
    }
    timeline.add(
        "instance class checked",
        r.instanceClassOrDefault()
            + " is offered for "
            + engine
            + (version == null ? "" : " " + version));
  }

  private RollbackResult result(
      ClusterEndpoints endpoints,
      String outcome,
      String change,
      List<dev.dbops.workflows.common.PlanStep> plan) {
    return new RollbackResult(
        clusterId,
        request.snapshotId(),
        endpoints,
        List.copyOf(instances),
        timeline.steps(),
        outcome,
        dns == null ? null : request.recordName(),
        dns == null ? null : dns.value(),
        change,
        gate.records(),
        List.copyOf(warnings),
        plan);
  }

  private ApplicationFailure fail(String message) {
    return fail(message, ErrorTypes.INVALID_INPUT);
  }

  private ApplicationFailure fail(String message, String type) {
    phase = RollbackPhase.FAILED;
    waitingFor = null;
    return ApplicationFailure.newNonRetryableFailure(message, type);
  }

  @Override
  public void approve(Approval approval) {
    gate.approve(approval);
  }

  @Override
  public void reject(Rejection rejection) {
    gate.reject(rejection);
  }

  @Override
  public RollbackStatus status() {
    return new RollbackStatus(
        phase,
        gate.waitingStep() != null ? gate.waitingDescription() : waitingFor,
        clusterId,
        List.copyOf(instances),
        timeline.steps(),
        dns == null ? null : request.recordName(),
        dns == null ? null : dns.value(),
        gate.approvers(),
        gate.records(),
        List.copyOf(warnings));
  }
}
