package dev.dbops.workflows.upgrade;

import static dev.dbops.workflows.upgrade.UpgradeSteps.APPROVE;
import static dev.dbops.workflows.upgrade.UpgradeSteps.MODIFY;
import static dev.dbops.workflows.upgrade.UpgradeSteps.PRECHECK;
import static dev.dbops.workflows.upgrade.UpgradeSteps.SNAPSHOT;
import static dev.dbops.workflows.upgrade.UpgradeSteps.STEPS;
import static dev.dbops.workflows.upgrade.UpgradeSteps.VALIDATE;
import static dev.dbops.workflows.upgrade.UpgradeSteps.VERIFY;
import static dev.dbops.workflows.upgrade.UpgradeSteps.WAIT;

import dev.dbops.workflows.common.ActivityStubs;
import dev.dbops.workflows.common.ErrorTypes;
import dev.dbops.workflows.common.ProcedureRun;
import dev.dbops.workflows.common.ProcedureWorkflow;
import dev.dbops.workflows.common.RunStatus;
import dev.dbops.workflows.upgrade.UpgradePhase.Phase;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * docs/procedures.md, upgrade. Each wait (snapshot, upgrade) is a poll activity whose retry policy
 * is the loop; the upgrade check completes only when RDS reports a new phase, so status() follows
 * the phases while a 30-hour upgrade stuck in one phase writes no more history than a 3-hour one.
 * The steps are declared in {@link UpgradeSteps}.
 */
public class UpgradeWorkflowImpl extends ProcedureWorkflow<Phase> implements UpgradeWorkflow {
  /** Version change: each instance's class is read against the target version before pre-checks. */
  static final String CHECK_INSTANCE_CLASSES = "upgrade-checks-instance-classes";

  /** Describe and create-or-adopt calls: idempotent, so local (one marker event each). */
  private final RdsUpgradeActivities rds =
      Workflow.newLocalActivityStub(RdsUpgradeActivities.class, ActivityStubs.LOCAL_CALL);

  private final MySqlCheckActivities precheckSql =
      Workflow.newLocalActivityStub(MySqlCheckActivities.class, ActivityStubs.LOCAL_CALL);

  /** Verification may wait out a restarting endpoint: a regular activity with long retries. */
  private final MySqlCheckActivities sql =
      Workflow.newActivityStub(MySqlCheckActivities.class, ActivityStubs.DB_CALL);

  private UpgradeRequest request;
  private ClusterFacts facts;
  private String snapshotId;
  private PrecheckReport precheck;
  private final UpgradeWatcher watcher = new UpgradeWatcher(run);

  public UpgradeWorkflowImpl() {
    super(UpgradePhase.PROCEDURE, Phase.class);
  }

  @Override
  public UpgradeResult run(UpgradeRequest request) {
    if (request == null) throw run.invalidInput("request: missing");
    this.request = request;
    return run.guard(this::upgrade);
  }

  private UpgradeResult upgrade() {
    run.openGate(request.approval(), request.requestedBy());
    run.acceptAborts();
    run.tellHooks(this::hookData);
    run.note("started", "requested by " + request.requestedBy());
    List<String> problems = request.problems();
    if (!problems.isEmpty()) throw run.invalidInput(String.join("; ", problems));

    UpgradeValidator.Judgement judgement = run.step(VALIDATE, this::validate);
    precheck = run.step(PRECHECK, this::precheck);
    // A dry run has a throwaway id; its plan names the snapshot the real run (default id) makes.
    snapshotId =
        UpgradeRequest.snapshotIdFor(
            request.isDryRun() ? request.defaultWorkflowId() : Workflow.getInfo().getWorkflowId());
    var planned = new UpgradeSteps.Facts(request, facts, judgement, snapshotId, precheck);
    if (request.isDryRun()) return run.complete(result(UpgradeResult.PLANNED, null, planned));

    if (APPROVE.appliesTo(planned))
      run.gate(APPROVE, "upgrade " + facts.clusterId() + " to " + request.targetEngineVersion());

    String snapshotNote = "; pre-upgrade snapshot " + snapshotId;
    run.abortIfAsked("before the pre-upgrade snapshot" + snapshotNote, snapshotId);
    SnapshotInfo snap = run.step(SNAPSHOT, this::snapshot);

    run.abortIfAsked(
        "before ModifyDBCluster; the cluster was not changed" + snapshotNote, snapshotId);
    ModifyOutcome modify =
        run.step(
            MODIFY,
            () ->
                rds.startUpgrade(
                    new ModifySpec(
                        facts.clusterId(),
                        request.targetEngineVersion(),
                        judgement.clusterParameterGroup(),
                        judgement.instanceParameterGroup())));
    run.note(
        "upgrade " + modify.action().toLowerCase(),
        "ModifyDBCluster EngineVersion=" + request.targetEngineVersion());
    run.step(WAIT, () -> watcher.await(request, facts, snapshotId));

    VerifyReport verify = run.step(VERIFY, this::verify);
    return run.complete(
        result(
            UpgradeResult.COMPLETED, new Done(verify, snap.adopted(), modify.action()), planned));
  }

  /** What the changing steps found, for the result. */
  private record Done(VerifyReport verify, boolean adopted, String modifyAction) {}

  private UpgradeValidator.Judgement validate() {
    facts = inspect();
    UpgradeValidator.Judgement judgement = UpgradeValidator.judge(request, facts);
    run.warnAll(judgement.warnings());
    if (!judgement.problems().isEmpty())
      throw run.invalidInput(String.join("; ", judgement.problems()));
    if (Workflow.getVersion(CHECK_INSTANCE_CLASSES, Workflow.DEFAULT_VERSION, 1) == 1)
      checkInstanceClasses();
    run.note(
        "validated",
        facts.engine() + " " + facts.engineVersion() + " -> " + request.targetEngineVersion());
    return judgement;
  }

  private PrecheckReport precheck() {
    PrecheckReport report =
        precheckSql.precheck(new DbEndpoint(facts.endpoint(), facts.port(), request.login()));
    PrecheckPolicy.Verdict verdict = PrecheckPolicy.judge(report, request.limitsOrDefault());
    run.warnAll(verdict.warnings());
    if (!verdict.blockers().isEmpty()) {
      throw run.fail(
          ApplicationFailure.newNonRetryableFailure(
              "pre-checks on "
                  + facts.endpoint()
                  + " block the upgrade: "
                  + String.join("; ", verdict.blockers()),
              ErrorTypes.PRECHECK_BLOCKED));
    }
    run.note(
        "pre-checked",
        "history list length "
            + report.historyListLength()
            + ", largest transaction "
            + report.largestTrxRowsModified()
            + " rows");
    return report;
  }

  private SnapshotInfo snapshot() {
    SnapshotInfo snap =
        rds.ensureSnapshot(
            new SnapshotSpec(
                facts.clusterId(),
                snapshotId,
                Map.of("dbops:workflow-id", Workflow.getInfo().getWorkflowId())));
    run.note(snap.adopted() ? "snapshot adopted" : "snapshot started", snapshotId);
    run.waitFor("snapshot " + snapshotId + " to become available");
    Workflow.newActivityStub(
            RdsUpgradeActivities.class,
            ActivityStubs.pollEvery(
                request.pollIntervalOrDefault(), request.snapshotMaxWaitOrDefault()))
        .checkSnapshotAvailable(snapshotId);
    run.note("snapshot available", snapshotId);
    return snap;
  }

  private VerifyReport verify() {
    run.waitFor("the writer to answer SELECT VERSION()");
    VerifyReport verify;
    try {
      verify =
          sql.verify(
              new VerifySpec(
                  facts.endpoint(),
                  facts.port(),
                  request.login(),
                  "5.7",
                  request.smokeSqlOrEmpty()));
    } catch (ActivityFailure f) {
      throw run.fail(
          ApplicationFailure.newNonRetryableFailure(
              "verification after the upgrade failed ("
                  + ProcedureRun.message(f)
                  + "); pre-upgrade snapshot "
                  + snapshotId,
              ErrorTypes.VERIFY_FAILED,
              snapshotId));
    }
    run.waitFor(null);
    run.note("verified", "VERSION() = " + verify.version());
    return verify;
  }

  private ClusterFacts inspect() {
    List<String> groups = new ArrayList<>();
    if (request.clusterParameterGroup() != null) groups.add(request.clusterParameterGroup());
    if (request.instanceParameterGroup() != null) groups.add(request.instanceParameterGroup());
    try {
      return rds.inspectCluster(request.clusterId(), groups);
    } catch (ActivityFailure f) {
      if (ErrorTypes.NOT_FOUND.equals(ProcedureRun.causeType(f))) {
        throw run.invalidInput(
            "clusterId: '" + request.clusterId() + "' not found (" + ProcedureRun.message(f) + ")");
      }
      throw run.fail(f);
    }
  }

  /** Each instance's class must be offered for the target version ({@link InstanceClassCheck}). */
  private void checkInstanceClasses() {
    InstanceClassCheck check = new InstanceClassCheck(request, facts);
    if (check.query() == null) return;
    List<String> problems = check.problems(rds.instanceClassOffers(check.query()));
    if (!problems.isEmpty()) throw run.invalidInput(String.join("; ", problems));
  }

  private UpgradeResult result(String outcome, Done done, UpgradeSteps.Facts planned) {
    return new UpgradeResult(
        outcome,
        facts.clusterId(),
        facts.engineVersion(),
        request.targetEngineVersion(),
        done == null ? null : done.verify().version(),
        snapshotId,
        done != null && done.adopted(),
        done == null ? null : done.modifyAction(),
        precheck,
        done == null ? List.of() : done.verify().smokeResults(),
        run.warnings(),
        run.approvals(),
        run.timeline(),
        STEPS.plan(planned));
  }

  @Override
  public UpgradeStatus status() {
    RunStatus s = run.status();
    return new UpgradeStatus(
        s.phase(),
        s.waitingFor(),
        s.approvers(),
        request == null ? null : request.clusterId(),
        facts == null ? null : facts.engineVersion(),
        request == null ? null : request.targetEngineVersion(),
        snapshotId,
        watcher.upgradePhase(),
        watcher.recordsRemaining(),
        watcher.lastEvent(),
        watcher.stalled(),
        precheck,
        s.warnings(),
        s.approvals(),
        s.timeline());
  }

  /** What hooks are told at every phase (as DBOPS_<KEY> variables and JSON). */
  private Map<String, String> hookData() {
    Map<String, String> d = new LinkedHashMap<>();
    d.put("phase_of_run", run.phase().name());
    d.put("cluster", request.clusterId());
    d.put("endpoint", facts == null ? null : facts.endpoint());
    d.put("from_version", facts == null ? null : facts.engineVersion());
    d.put("target_version", request.targetEngineVersion());
    d.put("snapshot", snapshotId);
    return d;
  }
}
