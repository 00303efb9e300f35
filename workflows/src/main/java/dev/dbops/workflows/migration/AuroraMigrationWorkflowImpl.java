package dev.dbops.workflows.migration;

import static dev.dbops.workflows.migration.MigrationSteps.*;

import dev.dbops.workflows.binlog.DbTarget;
import dev.dbops.workflows.common.ActivityStubs;
import dev.dbops.workflows.common.PlanStep;
import dev.dbops.workflows.common.ProcedureRun;
import dev.dbops.workflows.common.ProcedureWorkflow;
import dev.dbops.workflows.common.WorkflowClock;
import dev.dbops.workflows.staging.ResourceRecord;
import dev.dbops.workflows.staging.StagingValidator;
import dev.dbops.workflows.upgrade.ClusterEndpoints;
import dev.dbops.workflows.upgrade.InstanceSpec;
import dev.dbops.workflows.upgrade.RdsUpgradeActivities;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * docs/procedures.md, migration, as its runbook ({@link MigrationSteps}): validate (read only),
 * upgrade a 5.6 source (approved), create or adopt the replica cluster, wait for lag 0, cut over
 * behind an approval (before-cutover hook, writes stopped, the replica at the source's final
 * position for a window), promote, verify a write, switch the CNAME, after-cutover hook, then a
 * revert window. A failure once the CNAME changed puts it back; the source instance is never
 * deleted.
 */
public class AuroraMigrationWorkflowImpl extends ProcedureWorkflow<MigrationPhase>
    implements AuroraMigrationWorkflow {
  /** Describe and create-or-adopt calls: idempotent, so local (one marker event each). */
  private final MigrationActivities aws =
      Workflow.newLocalActivityStub(MigrationActivities.class, ActivityStubs.LOCAL_CALL);

  /** The write check may wait out a restarting endpoint: a regular activity with long retries. */
  private final MigrationActivities sql =
      Workflow.newActivityStub(MigrationActivities.class, ActivityStubs.DB_CALL);

  private final RdsUpgradeActivities rds =
      Workflow.newLocalActivityStub(RdsUpgradeActivities.class, ActivityStubs.LOCAL_CALL);

  private final List<String> instances = new ArrayList<>();
  private final List<ResourceRecord> resources = new ArrayList<>();
  private MigrationRequest req;
  private MigrationNames names;
  private SourceInstanceFacts source;
  private String sourceVersion;
  private CnameSwitch cname;
  private ReplicaCatchUp catchUp;
  private ClusterEndpoints endpoints;

  public AuroraMigrationWorkflowImpl() {
    super(MigrationPhase.PROCEDURE, MigrationPhase.class);
  }

  @Override
  public MigrationResult run(MigrationRequest r) {
    if (r == null) throw run.invalidInput("request: missing");
    req = r;
    return run.guard(
        () -> {
          try {
            return migrate(r);
          } catch (ActivityFailure f) {
            throw MigrationFailures.typed(f);
          }
        });
  }

  private MigrationResult migrate(MigrationRequest r) {
    run.start(r.approval(), r.requestedBy());
    run.acceptAborts();
    run.tellHooks(this::hookData);
    List<String> problems = r.problems();
    if (!problems.isEmpty()) throw ProcedureRun.invalid(String.join("; ", problems));
    // A dry run has a throwaway id; its plan names what the real run (default id) would create.
    String workflowId = r.isDryRun() ? r.defaultWorkflowId() : Workflow.getInfo().getWorkflowId();
    names = MigrationNames.forWorkflow(workflowId);
    MigrationInputs in = run.step(VALIDATE, () -> MigrationInputs.read(r, names, workflowId));
    MigrationValidator.Judgement j = in.judgement();
    source = in.source();
    sourceVersion = source.engineVersion();
    run.warnAll(j.warnings());
    run.note("validated", "mysql " + sourceVersion + "; CNAME -> " + in.before().currentValue());
    cname = new CnameSwitch(r, in.before(), run, resources);
    var facts = new MigrationSteps.Facts(r, source, j, names, in.before().currentValue());
    List<PlanStep> plan = STEPS.plan(facts);
    if (r.isDryRun()) return finish(MigrationResult.PLANNED, null, null, plan);

    if (APPROVE_UPGRADE.appliesTo(facts)) {
      String to = r.sourceUpgradeVersion();
      run.gate(
          APPROVE_UPGRADE,
          "upgrade " + source.instanceId() + " from " + sourceVersion + " to " + to);
      run.abortIfAsked("before the source upgrade; nothing was changed");
      run.step(
          UPGRADE_SOURCE,
          () ->
              upgradeSource(
                  new InstanceUpgradeSpec(source.instanceId(), to, j.sourceUpgradeGroup())));
    }
    run.step(CREATE_REPLICA, () -> createReplica(j, workflowId));
    run.waitFor("replica lag 0 on " + names.clusterId() + " (abort to stop)");
    catchUp = new ReplicaCatchUp(r, names.clusterId(), replica(), run);
    run.step(CATCH_UP, catchUp::await);

    run.gate(APPROVE, "cut over " + source.instanceId() + " to " + names.clusterId());
    run.abortIfAsked("before the cut-over; the source was not changed");
    run.step(
        CUT_OVER,
        () -> {
          run.waitFor("writes stopped on the source, the replica at its position for the window");
          CutoverWindow.hold(
              r,
              new DbTarget(source.endpoint(), source.port(), r.login()),
              replica(),
              run.approvalGate().timeout(),
              aws,
              run::note);
        });
    PromoteOutcome promoted = run.step(PROMOTE, this::promote);
    WriteCheck write =
        run.step(
            VERIFY,
            () -> {
              run.waitFor("a write on the new writer " + endpoints.endpoint());
              WriteCheck w = sql.verifyWrite(new WriteProbe(replica(), workflowId));
              run.note("write verified", w.table() + " on server " + w.serverId());
              return w;
            });
    try {
      run.step(
          SWITCH_DNS,
          () -> {
            run.waitFor("Route53 to be INSYNC");
            cname.switchTo(endpoints.endpoint());
          });
    } catch (TemporalFailure f) {
      cname.revert("the run failed: " + MigrationFailures.describe(f));
      throw f;
    }

    run.step(
        REVERT_WINDOW_STEP,
        () -> {
          run.waitFor(
              "abort within " + r.revertWindowOrDefault() + " puts the CNAME back on the source");
          Workflow.await(r.revertWindowOrDefault(), () -> run.aborted() != null);
        });
    if (run.aborted() == null) return finish(MigrationResult.COMPLETED, promoted, write, plan);
    run.enter(MigrationPhase.REVERTING);
    cname.revert("asked by " + run.aborted().by() + ": " + run.aborted().reason());
    run.hooks().inform("after-revert", hookData());
    return finish(MigrationResult.REVERTED, promoted, write, plan);
  }

  private void upgradeSource(InstanceUpgradeSpec spec) {
    run.note(
        "source upgrade " + aws.startInstanceUpgrade(spec).action().toLowerCase(),
        spec.targetEngineVersion());
    run.waitFor("RDS to upgrade " + spec.instanceId() + " to " + spec.targetEngineVersion());
    try {
      sourceVersion =
          poll(MigrationActivities.class, req.upgradeMaxWaitOrDefault())
              .checkInstanceUpgraded(spec);
    } catch (ActivityFailure f) {
      throw MigrationFailures.waitFailure(
          f, "the source upgrade did not finish within " + req.upgradeMaxWaitOrDefault());
    }
    record("INSTANCE", spec.instanceId(), "UPGRADED", "to " + sourceVersion);
  }

  private void createReplica(MigrationValidator.Judgement j, String workflowId) {
    Map<String, String> tags =
        Map.of(
            StagingValidator.OWNER_TAG,
            workflowId,
            StagingValidator.PROCEDURE_TAG,
            MigrationPhase.PROCEDURE);
    CreateOutcome c =
        aws.ensureReplicaCluster(
            new ReplicaClusterSpec(
                names.clusterId(),
                source.instanceArn(),
                req.engineVersion(),
                j.clusterParameterGroup(),
                req.dbSubnetGroup(),
                req.vpcSecurityGroupIds(),
                tags));
    record("CLUSTER", c.id(), c.action(), "read replica of " + source.instanceArn());
    run.note("replica cluster " + c.action().toLowerCase(), c.id());
    run.waitFor("replica cluster " + c.id() + " and its instances to be available");
    RdsUpgradeActivities wait = poll(RdsUpgradeActivities.class, req.createMaxWaitOrDefault());
    try {
      wait.checkClusterStatusAvailable(c.id());
      for (int i = 0; i < req.instancesOrDefault(); i++) {
        String id =
            rds.createInstance(
                new InstanceSpec(
                    names.instanceId(i),
                    c.id(),
                    req.instanceClassOrDefault(),
                    ReplicaClusterSpec.ENGINE,
                    tags,
                    j.instanceParameterGroup()));
        instances.add(id);
        record("INSTANCE", id, c.adopted() ? "ADOPTED" : "CREATED", req.instanceClassOrDefault());
      }
      endpoints = wait.checkClusterAvailable(c.id());
    } catch (ActivityFailure f) {
      throw MigrationFailures.waitFailure(
          f, "the replica cluster was not available within " + req.createMaxWaitOrDefault());
    }
    run.note("replica available", endpoints.endpoint() + ":" + endpoints.port());
  }

  private PromoteOutcome promote() {
    PromoteOutcome p = aws.promote(names.clusterId());
    run.note("promote " + p.action().toLowerCase(), names.clusterId());
    run.waitFor("cluster " + names.clusterId() + " available on its own");
    try {
      endpoints =
          poll(MigrationActivities.class, req.createMaxWaitOrDefault())
              .checkPromoted(names.clusterId());
    } catch (ActivityFailure f) {
      throw MigrationFailures.waitFailure(
          f, "the promoted cluster was not available within " + req.createMaxWaitOrDefault());
    }
    return p;
  }

  @Override
  public MigrationStatus status() {
    var s = run.status();
    return new MigrationStatus(
        run.phase(),
        s.waitingFor(),
        s.approvers(),
        req == null ? null : req.sourceInstanceId(),
        sourceVersion,
        names == null ? null : names.clusterId(),
        List.copyOf(instances),
        catchUp == null ? null : catchUp.lag(),
        catchUp == null ? null : catchUp.reportedAt(),
        catchUp != null && catchUp.stalled(),
        cname == null ? null : cname.previous(),
        cname == null ? null : cname.current(),
        s.warnings(),
        s.approvals(),
        s.timeline());
  }

  private MigrationResult finish(
      String outcome, PromoteOutcome promoted, WriteCheck write, List<PlanStep> plan) {
    record("INSTANCE", source.instanceId(), "KEPT", "the source instance is never deleted");
    run.note(outcome.toLowerCase(), cname.current());
    MigrationResult result =
        new MigrationResult(
            outcome,
            source.instanceId(),
            sourceVersion,
            names.clusterId(),
            endpoints == null ? null : endpoints.endpoint(),
            List.copyOf(instances),
            promoted == null ? null : promoted.action(),
            cname.previous(),
            cname.current(),
            write,
            run.warnings(),
            run.approvals(),
            run.hooks().runs(),
            List.copyOf(resources),
            run.timeline(),
            plan);
    if (!MigrationResult.REVERTED.equals(outcome)) return run.complete(result);
    run.waitFor(null);
    run.enter(MigrationPhase.REVERTED);
    return result;
  }

  private <T> T poll(Class<T> activities, Duration giveUpAfter) {
    return Workflow.newActivityStub(
        activities, ActivityStubs.pollEvery(req.pollIntervalOrDefault(), giveUpAfter));
  }

  /** The replica cluster's writer, as the source's master user (the cluster inherits it). */
  private DbTarget replica() {
    return new DbTarget(endpoints.endpoint(), endpoints.port(), req.login());
  }

  private void record(String kind, String id, String action, String detail) {
    resources.add(new ResourceRecord(kind, null, id, action, WorkflowClock.now(), detail));
  }

  /** What hooks are told at every phase (as DBOPS_<KEY> variables and JSON). */
  private Map<String, String> hookData() {
    Map<String, String> d = new LinkedHashMap<>();
    d.put("phase_of_run", run.phase().name());
    d.put("source_instance", req.sourceInstanceId());
    d.put("source_endpoint", source == null ? null : source.endpoint());
    d.put("cluster", names == null ? null : names.clusterId());
    d.put("cluster_endpoint", endpoints == null ? null : endpoints.endpoint());
    d.put("record", req.dns() == null ? null : req.dns().normalizedName());
    d.put("previous_value", cname == null ? null : cname.previous());
    d.put("value", cname == null ? null : cname.current());
    return d;
  }
}
