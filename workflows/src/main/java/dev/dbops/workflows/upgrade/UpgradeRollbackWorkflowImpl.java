package dev.dbops.workflows.upgrade;

import static dev.dbops.workflows.upgrade.RollbackSteps.APPROVE;
import static dev.dbops.workflows.upgrade.RollbackSteps.INSTANCES;
import static dev.dbops.workflows.upgrade.RollbackSteps.REPOINT;
import static dev.dbops.workflows.upgrade.RollbackSteps.RESTORE;
import static dev.dbops.workflows.upgrade.RollbackSteps.STEPS;
import static dev.dbops.workflows.upgrade.RollbackSteps.VALIDATE;

import dev.dbops.workflows.common.ActivityStubs;
import dev.dbops.workflows.common.CnameFacts;
import dev.dbops.workflows.common.CnameRepoint;
import dev.dbops.workflows.common.DnsChange;
import dev.dbops.workflows.common.ErrorTypes;
import dev.dbops.workflows.common.InstanceClassOffer;
import dev.dbops.workflows.common.OrderableQuery;
import dev.dbops.workflows.common.PlanStep;
import dev.dbops.workflows.common.ProcedureRun;
import dev.dbops.workflows.common.ProcedureWorkflow;
import dev.dbops.workflows.common.RunStatus;
import dev.dbops.workflows.upgrade.RollbackPhase.Phase;
import dev.dbops.workflows.upgrade.RollbackSteps.Facts;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Restore, add instances (a restored Aurora cluster has none), wait, report the endpoints; when the
 * request names a CNAME, repoint it to the restored cluster after an approval. The steps are
 * declared in {@link RollbackSteps}.
 */
public class UpgradeRollbackWorkflowImpl extends ProcedureWorkflow<Phase>
    implements UpgradeRollbackWorkflow {
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
  private final List<String> instances = new ArrayList<>();
  private RollbackRequest request;
  private String clusterId;
  private CnameFacts dns;

  /** False in runs recorded before {@link #CHECK_ENGINE_REPOINT_CNAME}: no plan, no repoint. */
  private boolean checked;

  public UpgradeRollbackWorkflowImpl() {
    super(RollbackPhase.PROCEDURE, Phase.class);
  }

  @Override
  public RollbackResult run(RollbackRequest r) {
    List<String> problems = r == null ? List.of("request: missing") : r.problems();
    if (!problems.isEmpty()) throw run.invalidInput(String.join("; ", problems));
    request = r;
    clusterId = r.newClusterId();
    return run.guard(this::rollback);
  }

  private RollbackResult rollback() {
    run.start(request.approvalOrDefault(), request.requestedBy());
    Facts facts = run.step(VALIDATE, this::validate);
    if (checked && request.isDryRun()) {
      run.note("planned", "dry run: nothing was changed");
      return run.complete(result(null, RollbackResult.PLANNED, null, STEPS.plan(facts)));
    }
    Map<String, String> tags =
        Map.of(
            "dbops:workflow-id",
            Workflow.getInfo().getWorkflowId(),
            "dbops:restored-from",
            request.snapshotId());
    RdsUpgradeActivities poller =
        Workflow.newActivityStub(
            RdsUpgradeActivities.class,
            ActivityStubs.pollEvery(request.pollIntervalOrDefault(), request.maxWaitOrDefault()));
    run.step(RESTORE, () -> restore(facts, tags, poller));
    ClusterEndpoints endpoints = run.step(INSTANCES, () -> addInstances(facts, tags, poller));
    String change = dns == null ? null : repoint(endpoints.endpoint());
    if (!checked) {
      return run.complete(
          new RollbackResult(
              clusterId, request.snapshotId(), endpoints, List.copyOf(instances), run.timeline()));
    }
    return run.complete(result(endpoints, RollbackResult.COMPLETED, change, null));
  }

  /**
   * Reads what the restore depends on, before anything is created: the snapshot, its engine, the
   * instance class offer, the zone and the CNAME. Runs recorded before each check skip it.
   */
  private Facts validate() {
    String engine = request.engineOrDefault();
    String engineVersion = request.engineVersion();
    if (Workflow.getVersion(READ_SNAPSHOT_FIRST, Workflow.DEFAULT_VERSION, 1) == 1) {
      SnapshotInfo snapshot = checkSnapshot(request.snapshotId());
      checked = Workflow.getVersion(CHECK_ENGINE_REPOINT_CNAME, Workflow.DEFAULT_VERSION, 1) == 1;
      if (checked) {
        engine = checkEngine(snapshot);
        engineVersion =
            request.engineVersion() != null ? request.engineVersion() : snapshot.engineVersion();
      }
      if (Workflow.getVersion(CHECK_INSTANCE_CLASS, Workflow.DEFAULT_VERSION, 1) == 1) {
        checkInstanceClass(snapshot);
      }
      if (checked && request.repointsCname()) {
        dns =
            cname.read("hostedZoneId", request.hostedZoneId(), "recordName", request.recordName());
        run.note(
            "CNAME checked",
            request.recordName() + " is a CNAME to " + dns.value() + " (kept for revert)");
      }
    }
    return new Facts(request, engine, engineVersion, dns);
  }

  private void restore(Facts f, Map<String, String> tags, RdsUpgradeActivities poller) {
    rds.restoreClusterFromSnapshot(
        new RestoreClusterSpec(
            clusterId,
            request.snapshotId(),
            f.engine(),
            request.engineVersion(),
            request.clusterParameterGroup(),
            tags));
    run.note("restore started", request.snapshotId() + " -> " + clusterId);
    run.waitFor("restored cluster " + clusterId + " to become available");
    poller.checkClusterStatusAvailable(clusterId);
    run.note("cluster available", clusterId);
  }

  private ClusterEndpoints addInstances(
      Facts f, Map<String, String> tags, RdsUpgradeActivities poller) {
    for (String id : RollbackSteps.instanceIds(request)) {
      rds.createInstance(
          new InstanceSpec(id, clusterId, request.instanceClassOrDefault(), f.engine(), tags));
      instances.add(id);
    }
    run.note("instances requested", instances.toString());
    run.waitFor("cluster " + clusterId + " and its instances to become available");
    ClusterEndpoints endpoints = poller.checkClusterAvailable(clusterId);
    run.waitFor(null);
    run.note("available", endpoints.endpoint() + ":" + endpoints.port());
    return endpoints;
  }

  /**
   * After an approval (M of N, never the requester), UPSERT the CNAME to the restored cluster's
   * writer endpoint and wait INSYNC. A rejection, silence or a failed change leaves the restored
   * cluster in place and says what the CNAME pointed at before.
   */
  private String repoint(String endpoint) {
    String name = request.recordName();
    try {
      run.gate(APPROVE, "repoint " + name + " to " + endpoint);
    } catch (ApplicationFailure f) {
      throw kept(f, "; the CNAME still points at " + dns.value() + " and " + clusterId);
    }
    return run.step(
        REPOINT,
        () -> {
          run.waitFor("Route53 to apply " + name + " -> " + endpoint);
          DnsChange change;
          try {
            change =
                cname.repoint(
                    request.hostedZoneId(), name, endpoint, RollbackRequest.CNAME_TTL, dns.value());
          } catch (ApplicationFailure f) {
            throw kept(f, "; " + clusterId);
          }
          run.waitFor(null);
          run.note(
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
        });
  }

  /** {@code f} (same type) saying the restored cluster stays: "…{@code what} was kept". */
  private ApplicationFailure kept(ApplicationFailure f, String what) {
    return run.fail(
        ApplicationFailure.newNonRetryableFailure(
            f.getOriginalMessage() + what + " was kept", f.getType()));
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
      String type = ProcedureRun.causeType(f);
      if (ErrorTypes.NOT_FOUND.equals(type) || ErrorTypes.INVALID_STATE.equals(type)) {
        throw run.invalidInput("snapshotId: " + ProcedureRun.message(f) + " (nothing was created)");
      }
      throw f;
    }
    run.note("snapshot checked", snapshotId + " is available");
    return snapshot;
  }

  /**
   * The snapshot's engine is what the cluster is restored as: a request naming another is refused
   * (RDS would refuse the restore, after the run had started acting); one naming none gets it.
   */
  private String checkEngine(SnapshotInfo snapshot) {
    RollbackRequest r = request;
    String engine = snapshot == null ? null : snapshot.engine();
    if (engine == null) return r.engineOrDefault();
    if (r.engine() != null && !r.engine().equals(engine)) {
      throw run.invalidInput(
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
      throw run.invalidInput(
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
    run.note("engine checked", engine + " " + snapshot.engineVersion());
    return engine;
  }

  /**
   * The instances run the engine version the cluster is restored to (the snapshot's, unless the
   * request names one): their class must be offered for it, or CreateDBInstance would fail after
   * the restore.
   */
  private void checkInstanceClass(SnapshotInfo snapshot) {
    RollbackRequest r = request;
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
      throw run.invalidInput(String.join("; ", problems) + " (nothing was created)");
    }
    run.note(
        "instance class checked",
        r.instanceClassOrDefault()
            + " is offered for "
            + engine
            + (version == null ? "" : " " + version));
  }

  private RollbackResult result(
      ClusterEndpoints endpoints, String outcome, String change, List<PlanStep> plan) {
    return new RollbackResult(
        clusterId,
        request.snapshotId(),
        endpoints,
        List.copyOf(instances),
        run.timeline(),
        outcome,
        recordName(),
        dns == null ? null : dns.value(),
        change,
        run.approvals(),
        run.warnings(),
        plan);
  }

  private String recordName() {
    return dns == null ? null : request.recordName();
  }

  @Override
  public RollbackStatus status() {
    RunStatus s = run.status();
    return new RollbackStatus(
        s.phase(),
        s.waitingFor(),
        clusterId,
        List.copyOf(instances),
        s.timeline(),
        recordName(),
        dns == null ? null : dns.value(),
        s.approvers(),
        s.approvals(),
        s.warnings());
  }
}
