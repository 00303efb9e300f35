package dev.dbops.workflows.migration;

import static dev.dbops.workflows.migration.MigrationFailures.invalid;
import static dev.dbops.workflows.migration.MigrationFailures.message;

import dev.dbops.workflows.binlog.DbTarget;
import dev.dbops.workflows.common.Abort;
import dev.dbops.workflows.common.ActivityStubs;
import dev.dbops.workflows.common.Approval;
import dev.dbops.workflows.common.ApprovalGate;
import dev.dbops.workflows.common.DecisionUpdates;
import dev.dbops.workflows.common.ErrorTypes;
import dev.dbops.workflows.common.PeopleNotifier;
import dev.dbops.workflows.common.PhaseHooks;
import dev.dbops.workflows.common.PlanStep;
import dev.dbops.workflows.common.Rejection;
import dev.dbops.workflows.common.SignedSignal;
import dev.dbops.workflows.common.Timeline;
import dev.dbops.workflows.common.WorkflowClock;
import dev.dbops.workflows.staging.ResourceRecord;
import dev.dbops.workflows.staging.StagingValidator;
import dev.dbops.workflows.staging.TargetFacts;
import dev.dbops.workflows.upgrade.ClusterEndpoints;
import dev.dbops.workflows.upgrade.InstanceSpec;
import dev.dbops.workflows.upgrade.RdsUpgradeActivities;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * DESIGN 4.5 as its runbook: validate (read only), upgrade a 5.6 source (approved), create or adopt
 * the replica cluster, wait for lag 0, cut over behind an approval (before-cutover hook, writes
 * stopped, the replica at the source's final position for a window), promote, verify a write,
 * switch the CNAME, after-cutover hook, then a revert window. A failure once the CNAME changed puts
 * it back; the source instance is never deleted.
 */
public class AuroraMigrationWorkflowImpl implements AuroraMigrationWorkflow {
  /** Describe and create-or-adopt calls: idempotent, so local (one marker event each). */
  private final MigrationActivities aws =
      Workflow.newLocalActivityStub(MigrationActivities.class, ActivityStubs.LOCAL_CALL);

  /** The write check may wait out a restarting endpoint: a regular activity with long retries. */
  private final MigrationActivities sql =
      Workflow.newActivityStub(MigrationActivities.class, ActivityStubs.DB_CALL);

  private final RdsUpgradeActivities rds =
      Workflow.newLocalActivityStub(RdsUpgradeActivities.class, ActivityStubs.LOCAL_CALL);

  private final Timeline timeline = new Timeline();
  private final List<String> warnings = new ArrayList<>();
  private final List<String> instances = new ArrayList<>();
  private final List<ResourceRecord> resources = new ArrayList<>();
  private final PeopleNotifier people = new PeopleNotifier(MigrationPhase.PROCEDURE, warnings);
  private final PhaseHooks hooks =
      new PhaseHooks(MigrationPhase.PROCEDURE, people, timeline::add, warnings);
  private ApprovalGate gate = new ApprovalGate(null, null);
  private MigrationPhase phase = MigrationPhase.VALIDATING;
  private String waitingFor;
  private MigrationRequest req;
  private MigrationNames names;
  private SourceInstanceFacts source;
  private String sourceVersion;
  private TargetFacts before;
  private CnameSwitch cname;
  private ReplicaCatchUp catchUp;
  private ClusterEndpoints endpoints;
  private Abort abort;

  /** Past the first change: a failure is worth telling the on-failure hooks about. */
  private boolean acting;

  /** Between the CNAME change and the end of the after-cutover hook: a failure reverts it. */
  private boolean revertOnFailure;

  @Override
  public MigrationResult run(MigrationRequest request) {
    try {
      return migrate(request);
    } catch (TemporalFailure f) {
      if (revertOnFailure) cname.revert("the run failed: " + message(f));
      phase = MigrationPhase.FAILED;
      waitingFor = null;
      timeline.add("failed", message(f));
      if (acting) hooks.onFailure(hookData());
      throw f instanceof ActivityFailure a ? MigrationFailures.typed(a) : f;
    }
  }

  private MigrationResult migrate(MigrationRequest r) {
    if (r == null) throw invalid("request: missing");
    req = r;
    gate = new ApprovalGate(r.approval(), r.requestedBy());
    DecisionUpdates.accept(Abort.DECISION, Abort.class, this::abortRefusal, gate::records);
    timeline.add("started", "requested by " + r.requestedBy());
    List<String> problems = r.problems();
    if (!problems.isEmpty()) throw invalid(String.join("; ", problems));
    // A dry run has a throwaway id; its plan names what the real run (default id) would create.
    String workflowId = r.isDryRun() ? r.defaultWorkflowId() : Workflow.getInfo().getWorkflowId();
    names = MigrationNames.forWorkflow(workflowId);
    MigrationInputs in = MigrationInputs.read(r, names, workflowId);
    MigrationValidator.Judgement j = in.judgement();
    source = in.source();
    before = in.before();
    sourceVersion = source.engineVersion();
    warnings.addAll(j.warnings());
    timeline.add("validated", "mysql " + sourceVersion + "; CNAME -> " + before.currentValue());
    cname = new CnameSwitch(r, before, timeline, resources, warnings);
    List<PlanStep> plan = MigrationPlan.of(r, source, j, names, before.currentValue());
    if (r.isDryRun())
      return finish(MigrationPhase.COMPLETED, MigrationResult.PLANNED, null, plan, null);

    if (j.upgradeSource()) upgradeSource(j);
    createReplica(j, workflowId);
    enter(MigrationPhase.CATCHING_UP, "replica lag 0 on " + names.clusterId() + " (abort to stop)");
    catchUp =
        new ReplicaCatchUp(
            r, names.clusterId(), replica(), people, gate.approvers(), timeline, () -> abort);
    catchUp.await();

    phase = MigrationPhase.AWAITING_APPROVAL;
    people.awaitApproval(gate, "cut over " + source.instanceId() + " to " + names.clusterId());
    timeline.add("cut-over approved", gate.records().toString());
    abortIfAsked();
    phase = MigrationPhase.CUTTING_OVER;
    hooks.at("before-cutover", gate, hookData());
    waitingFor = "writes stopped on the source, the replica at its position for the window";
    CutoverWindow.hold(
        r,
        new DbTarget(source.endpoint(), source.port(), r.login()),
        replica(),
        gate.timeout(),
        aws,
        timeline);

    phase = MigrationPhase.PROMOTING;
    PromoteOutcome promoted = aws.promote(names.clusterId());
    timeline.add("promote " + promoted.action().toLowerCase(), names.clusterId());
    waitingFor = "cluster " + names.clusterId() + " available on its own";
    endpoints =
        poll(MigrationActivities.class, r.createMaxWaitOrDefault())
            .checkPromoted(names.clusterId());
    enter(MigrationPhase.VERIFYING, "a write on the new writer " + endpoints.endpoint());
    WriteCheck write = sql.verifyWrite(new WriteProbe(replica(), workflowId));
    timeline.add("write verified", write.table() + " on server " + write.serverId());

    enter(MigrationPhase.SWITCHING_DNS, "Route53 to be INSYNC");
    revertOnFailure = true;
    cname.switchTo(endpoints.endpoint());
    hooks.at("after-cutover", gate, hookData());
    revertOnFailure = false; // from here only a person's abort puts the CNAME back

    enter(
        MigrationPhase.REVERT_WINDOW,
        "abort within " + r.revertWindowOrDefault() + " puts the CNAME back on the source");
    Workflow.await(r.revertWindowOrDefault(), () -> abort != null);
    if (abort == null)
      return finish(MigrationPhase.COMPLETED, MigrationResult.COMPLETED, write, plan, promoted);
    phase = MigrationPhase.REVERTING;
    cname.revert("asked by " + abort.by() + ": " + abort.reason());
    hooks.inform("after-revert", hookData());
    return finish(MigrationPhase.REVERTED, MigrationResult.REVERTED, write, plan, promoted);
  }

  private void upgradeSource(MigrationValidator.Judgement j) {
    String to = req.sourceUpgradeVersion();
    phase = MigrationPhase.AWAITING_UPGRADE_APPROVAL;
    people.awaitApproval(
        gate, "upgrade " + source.instanceId() + " from " + sourceVersion + " to " + to);
    abortIfAsked();
    phase = MigrationPhase.UPGRADING_SOURCE;
    acting = true;
    var spec = new InstanceUpgradeSpec(source.instanceId(), to, j.sourceUpgradeGroup());
    timeline.add("source upgrade " + aws.startInstanceUpgrade(spec).action().toLowerCase(), to);
    waitingFor = "RDS to upgrade " + source.instanceId() + " to " + to;
    sourceVersion =
        poll(MigrationActivities.class, req.upgradeMaxWaitOrDefault()).checkInstanceUpgraded(spec);
    record("INSTANCE", source.instanceId(), "UPGRADED", "to " + sourceVersion);
  }

  private void createReplica(MigrationValidator.Judgement j, String workflowId) {
    phase = MigrationPhase.CREATING_REPLICA;
    acting = true;
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
    timeline.add("replica cluster " + c.action().toLowerCase(), c.id());
    waitingFor = "replica cluster " + c.id() + " and its instances to be available";
    RdsUpgradeActivities wait = poll(RdsUpgradeActivities.class, req.createMaxWaitOrDefault());
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
    timeline.add("replica available", endpoints.endpoint() + ":" + endpoints.port());
  }

  private void abortIfAsked() {
    if (abort != null)
      throw ApplicationFailure.newNonRetryableFailure(
          "aborted by "
              + abort.by()
              + " ("
              + abort.reason()
              + ") before the cut-over;"
              + " the source was not changed",
          ErrorTypes.ABORTED);
  }

  private String abortRefusal(Abort a) {
    String unverified = SignedSignal.refusal(a, Abort.STEP);
    return unverified != null ? unverified : Abort.refusal(a, abort);
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
  public void abort(Abort a) {
    if (gate.refusedSignature(a, Abort.STEP)) return;
    if (abortRefusal(a) == null) abort = a;
  }

  @Override
  public MigrationStatus status() {
    return new MigrationStatus(
        phase,
        gate.waitingStep() != null ? gate.waitingDescription() : waitingFor,
        gate.approvers(),
        req == null ? null : req.sourceInstanceId(),
        sourceVersion,
        names == null ? null : names.clusterId(),
        List.copyOf(instances),
        catchUp == null ? null : catchUp.lag(),
        catchUp == null ? null : catchUp.reportedAt(),
        catchUp != null && catchUp.stalled(),
        cname == null ? null : cname.previous(),
        cname == null ? null : cname.current(),
        List.copyOf(warnings),
        gate.records(),
        timeline.steps());
  }

  private MigrationResult finish(
      MigrationPhase end,
      String outcome,
      WriteCheck write,
      List<PlanStep> plan,
      PromoteOutcome promoted) {
    phase = end;
    waitingFor = null;
    record("INSTANCE", source.instanceId(), "KEPT", "the source instance is never deleted");
    timeline.add(outcome.toLowerCase(), cname.current());
    return new MigrationResult(
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
        List.copyOf(warnings),
        gate.records(),
        hooks.runs(),
        List.copyOf(resources),
        timeline.steps(),
        plan);
  }

  private void enter(MigrationPhase next, String waitingFor) {
    phase = next;
    this.waitingFor = waitingFor;
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
    d.put("phase_of_run", phase.name());
    d.put("source_instance", req.sourceInstanceId());
    d.put("source_endpoint", source == null ? null : source.endpoint());
    d.put("cluster", names == null ? null : names.clusterId());
    d.put("cluster_endpoint", endpoints == null ? null : endpoints.endpoint());
    d.put("record", req.dns().normalizedName());
    d.put("previous_value", cname == null ? null : cname.previous());
    d.put("value", cname == null ? null : cname.current());
    return d;
  }
}
