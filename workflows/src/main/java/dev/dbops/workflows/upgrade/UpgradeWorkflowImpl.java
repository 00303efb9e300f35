package dev.dbops.workflows.upgrade;

import dev.dbops.workflows.common.Abort;
import dev.dbops.workflows.common.ActivityStubs;
import dev.dbops.workflows.common.Approval;
import dev.dbops.workflows.common.ApprovalGate;
import dev.dbops.workflows.common.DecisionUpdates;
import dev.dbops.workflows.common.ErrorTypes;
import dev.dbops.workflows.common.InstanceClassOffer;
import dev.dbops.workflows.common.OrderableQuery;
import dev.dbops.workflows.common.PeopleNotifier;
import dev.dbops.workflows.common.PhaseHooks;
import dev.dbops.workflows.common.PlanStep;
import dev.dbops.workflows.common.Rejection;
import dev.dbops.workflows.common.SignedSignal;
import dev.dbops.workflows.common.Timeline;
import dev.dbops.workflows.common.WaitNotice;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.failure.TimeoutFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * DESIGN 4.1. Each wait (snapshot, upgrade) is a poll activity whose retry policy is the loop; the
 * upgrade check completes only when RDS reports a new phase, so status() follows the phases while a
 * 30-hour upgrade stuck in one phase writes no more history than a 3-hour one.
 */
public class UpgradeWorkflowImpl implements UpgradeWorkflow {
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

  private final Timeline timeline = new Timeline();
  private final List<String> warnings = new ArrayList<>();
  private final PeopleNotifier people = new PeopleNotifier(UpgradePhase.PROCEDURE, warnings);
  private final PhaseHooks hooks =
      new PhaseHooks(UpgradePhase.PROCEDURE, people, timeline::add, warnings);

  /** Past approval: from here a failure is worth telling the on-failure hooks about. */
  private boolean acting;

  private ApprovalGate gate = new ApprovalGate(null, null);
  private String phase = UpgradePhase.VALIDATING;
  private String waitingFor;
  private UpgradeRequest request;
  private ClusterFacts facts;
  private String snapshotId;
  private PrecheckReport precheck;
  private String upgradePhase;
  private long recordsRemaining = -1;
  private String lastEvent;
  private boolean stalled;
  private Abort abort;

  @Override
  public UpgradeResult run(UpgradeRequest request) {
    try {
      return upgrade(request);
    } catch (TemporalFailure f) {
      if (acting) hooks.onFailure(hookData());
      throw f;
    }
  }

  private UpgradeResult upgrade(UpgradeRequest request) {
    if (request == null) throw invalid("request: missing");
    this.request = request;
    gate = new ApprovalGate(request.approval(), request.requestedBy());
    DecisionUpdates.accept(
        Abort.DECISION,
        Abort.class,
        a -> {
          String unverified = SignedSignal.refusal(a, Abort.STEP);
          return unverified != null ? unverified : abortRefusal(a);
        },
        gate::records);
    timeline.add("started", "requested by " + request.requestedBy());
    List<String> problems = request.problems();
    if (!problems.isEmpty()) throw fail(invalid(String.join("; ", problems)));

    facts = inspect();
    UpgradeValidator.Judgement judgement = UpgradeValidator.judge(request, facts);
    warnings.addAll(judgement.warnings());
    if (!judgement.problems().isEmpty())
      throw fail(invalid(String.join("; ", judgement.problems())));
    if (Workflow.getVersion(CHECK_INSTANCE_CLASSES, Workflow.DEFAULT_VERSION, 1) == 1)
      checkInstanceClasses();
    timeline.add(
        "validated",
        facts.engine() + " " + facts.engineVersion() + " -> " + request.targetEngineVersion());

    phase = UpgradePhase.PRECHECKING;
    precheck =
        precheckSql.precheck(new DbEndpoint(facts.endpoint(), facts.port(), request.login()));
    PrecheckPolicy.Verdict verdict = PrecheckPolicy.judge(precheck, request.limitsOrDefault());
    warnings.addAll(verdict.warnings());
    if (!verdict.blockers().isEmpty()) {
      throw fail(
          ApplicationFailure.newNonRetryableFailure(
              "pre-checks on "
                  + facts.endpoint()
                  + " block the upgrade: "
                  + String.join("; ", verdict.blockers()),
              ErrorTypes.PRECHECK_BLOCKED));
    }
    timeline.add(
        "pre-checked",
        "history list length "
            + precheck.historyListLength()
            + ", largest transaction "
            + precheck.largestTrxRowsModified()
            + " rows");

    // A dry run has a throwaway id; its plan names the snapshot the real run (default id) makes.
    snapshotId =
        UpgradeRequest.snapshotIdFor(
            request.isDryRun() ? request.defaultWorkflowId() : Workflow.getInfo().getWorkflowId());
    List<PlanStep> plan = plan(judgement);
    if (request.isDryRun()) {
      phase = UpgradePhase.COMPLETED;
      return result(UpgradeResult.PLANNED, null, false, null, List.of(), plan);
    }

    if (!request.approvalWaived()) {
      phase = UpgradePhase.AWAITING_APPROVAL;
      try {
        people.awaitApproval(
            gate, "upgrade " + facts.clusterId() + " to " + request.targetEngineVersion());
      } catch (ApplicationFailure f) {
        throw fail(f);
      }
      timeline.add("approved", gate.records().toString());
    }

    abortIfAsked("before the pre-upgrade snapshot");
    phase = UpgradePhase.SNAPSHOTTING;
    acting = true;
    hooks.at("before-snapshot", gate, hookData());
    SnapshotInfo snap =
        rds.ensureSnapshot(
            new SnapshotSpec(
                facts.clusterId(),
                snapshotId,
                Map.of("dbops:workflow-id", Workflow.getInfo().getWorkflowId())));
    timeline.add(snap.adopted() ? "snapshot adopted" : "snapshot started", snapshotId);
    waitingFor = "snapshot " + snapshotId + " to become available";
    Workflow.newActivityStub(
            RdsUpgradeActivities.class,
            ActivityStubs.pollEvery(
                request.pollIntervalOrDefault(), request.snapshotMaxWaitOrDefault()))
        .checkSnapshotAvailable(snapshotId);
    timeline.add("snapshot available", snapshotId);

    abortIfAsked("before ModifyDBCluster; the cluster was not changed");
    phase = UpgradePhase.UPGRADING;
    hooks.at("before-modify", gate, hookData());
    ModifyOutcome modify =
        rds.startUpgrade(
            new ModifySpec(
                facts.clusterId(),
                request.targetEngineVersion(),
                judgement.clusterParameterGroup(),
                judgement.instanceParameterGroup()));
    timeline.add(
        "upgrade " + modify.action().toLowerCase(),
        "ModifyDBCluster EngineVersion=" + request.targetEngineVersion());
    awaitUpgrade();

    phase = UpgradePhase.VERIFYING;
    waitingFor = "the writer to answer SELECT VERSION()";
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
      throw fail(
          ApplicationFailure.newNonRetryableFailure(
              "verification after the upgrade failed ("
                  + message(f)
                  + "); pre-upgrade snapshot "
                  + snapshotId,
              ErrorTypes.VERIFY_FAILED,
              snapshotId));
    }
    waitingFor = null;
    timeline.add("verified", "VERSION() = " + verify.version());
    hooks.at("after-upgrade", gate, hookData());
    phase = UpgradePhase.COMPLETED;
    return result(
        UpgradeResult.COMPLETED,
        verify.version(),
        snap.adopted(),
        modify.action(),
        verify.smokeResults(),
        plan);
  }

  /** An abort that arrived before a change stops the run there, before anything is modified. */
  private void abortIfAsked(String where) {
    if (abort != null) {
      timeline.add("aborted", abort.by() + ": " + abort.reason());
      throw fail(
          ApplicationFailure.newNonRetryableFailure(
              "aborted by "
                  + abort.by()
                  + " ("
                  + abort.reason()
                  + ") "
                  + where
                  + (snapshotId == null ? "" : "; pre-upgrade snapshot " + snapshotId),
              ErrorTypes.ABORTED,
              snapshotId));
    }
  }

  private ClusterFacts inspect() {
    List<String> groups = new ArrayList<>();
    if (request.clusterParameterGroup() != null) groups.add(request.clusterParameterGroup());
    if (request.instanceParameterGroup() != null) groups.add(request.instanceParameterGroup());
    try {
      return rds.inspectCluster(request.clusterId(), groups);
    } catch (ActivityFailure f) {
      if (f.getCause() instanceof ApplicationFailure af
          && ErrorTypes.NOT_FOUND.equals(af.getType())) {
        throw fail(
            invalid(
                "clusterId: '"
                    + request.clusterId()
                    + "' not found ("
                    + af.getOriginalMessage()
                    + ")"));
      }
      throw fail(f);
    }
  }

  /**
   * Every instance keeps its class through the upgrade, so each class must be offered for the
   * target version (db.t2 / db.r3 are not on Aurora MySQL 5.7): refused here, before the snapshot,
   * rather than by RDS in the middle of the upgrade.
   */
  private void checkInstanceClasses() {
    String engine =
        facts.validTargets() == null
            ? facts.engine()
            : facts.validTargets().stream()
                .filter(t -> request.targetEngineVersion().equals(t.engineVersion()))
                .map(ClusterFacts.UpgradeTarget::engine)
                .findFirst()
                .orElse(facts.engine());
    Map<String, List<String>> byClass = new LinkedHashMap<>();
    for (ClusterFacts.InstanceFacts i : facts.instances()) {
      if (i.instanceClass() != null)
        byClass.computeIfAbsent(i.instanceClass(), c -> new ArrayList<>()).add(i.instanceId());
    }
    if (byClass.isEmpty()) return;
    List<InstanceClassOffer> offers =
        rds.instanceClassOffers(
            new OrderableQuery(
                engine, request.targetEngineVersion(), List.copyOf(byClass.keySet())));
    List<String> problems = new ArrayList<>();
    for (InstanceClassOffer o : offers) {
      if (!o.offered()) {
        problems.add(
            "clusterId: instance "
                + String.join(", ", byClass.getOrDefault(o.instanceClass(), List.of()))
                + " runs "
                + o.problem()
                + "; modify it to an offered class before the upgrade (nothing was changed)");
      }
    }
    if (!problems.isEmpty()) throw fail(invalid(String.join("; ", problems)));
  }

  /**
   * Polls in a cancellable scope so an abort stops the wait at once; a timer past the stall
   * threshold notifies people once and the wait goes on.
   */
  private void awaitUpgrade() {
    long started = Workflow.currentTimeMillis();
    long deadline = started + request.maxWaitOrDefault().toMillis();
    Promise<Void> stallTimer = Workflow.newTimer(request.stallThresholdOrDefault());
    WaitNotice stallNotice = null;
    String knownPhase = null;
    while (true) {
      waitingFor =
          "RDS to finish upgrading "
              + facts.clusterId()
              + (stalled
                  ? " (past the "
                      + request.stallThresholdOrDefault()
                      + " threshold; signal abort to stop)"
                  : "");
      Duration remaining =
          Duration.ofMillis(Math.max(1000, deadline - Workflow.currentTimeMillis()));
      RdsUpgradeActivities poller =
          Workflow.newActivityStub(
              RdsUpgradeActivities.class,
              ActivityStubs.pollEvery(request.pollIntervalOrDefault(), remaining));
      UpgradeWatch watch =
          new UpgradeWatch(
              facts.clusterId(),
              request.targetEngineVersion(),
              facts.engineVersion(),
              started,
              knownPhase,
              Workflow.currentTimeMillis() + request.progressEveryOrDefault().toMillis());
      List<Promise<UpgradeProgress>> check = new ArrayList<>(1);
      CancellationScope scope =
          Workflow.newCancellationScope(
              () -> check.add(Async.function(poller::checkUpgrade, watch)));
      scope.run();
      while (true) {
        Workflow.await(
            () ->
                check.get(0).isCompleted()
                    || abort != null
                    || (stallTimer.isCompleted() && !stalled));
        if (abort != null) {
          scope.cancel();
          timeline.add("aborted", abort.by() + ": " + abort.reason());
          throw fail(
              ApplicationFailure.newNonRetryableFailure(
                  "upgrade wait aborted by "
                      + abort.by()
                      + " ("
                      + abort.reason()
                      + "); RDS cannot stop an upgrade in flight, it finishes or fails on its own;"
                      + " pre-upgrade snapshot "
                      + snapshotId,
                  ErrorTypes.ABORTED,
                  snapshotId));
        }
        if (stallTimer.isCompleted() && !stalled) {
          stalled = true;
          timeline.add("stalled", "upgrading for more than " + request.stallThresholdOrDefault());
          stallNotice =
              people.waiting(
                  "upgrade past threshold",
                  "RDS (upgrading longer than "
                      + request.stallThresholdOrDefault()
                      + "); still waiting",
                  gate.approvers(),
                  "./dbops abort "
                      + Workflow.getInfo().getWorkflowId()
                      + " --by <name> --reason <why>");
          continue;
        }
        break;
      }
      UpgradeProgress p;
      try {
        p = check.get(0).get();
      } catch (ActivityFailure f) {
        throw fail(waitFailure(f));
      }
      upgradePhase = p.phase();
      recordsRemaining = p.recordsRemaining();
      lastEvent = p.lastEvent();
      knownPhase = p.phase();
      if (UpgradeProgress.FAILED.equals(p.state())) {
        timeline.add("upgrade failed", p.lastEvent());
        throw fail(
            ApplicationFailure.newNonRetryableFailure(
                "RDS reports the upgrade of "
                    + facts.clusterId()
                    + " failed: "
                    + p.lastEvent()
                    + "; the cluster is on "
                    + p.engineVersion()
                    + "; pre-upgrade snapshot "
                    + snapshotId,
                ErrorTypes.UPGRADE_FAILED,
                snapshotId));
      }
      if (UpgradeProgress.DONE.equals(p.state())) {
        if (stallNotice != null) people.responded(stallNotice);
        timeline.add("upgraded", p.engineVersion());
        return;
      }
      timeline.add(
          "upgrade phase",
          p.phase()
              + (p.recordsRemaining() >= 0
                  ? " (records remaining " + p.recordsRemaining() + ")"
                  : ""));
    }
  }

  private ApplicationFailure waitFailure(ActivityFailure f) {
    if (f.getCause() instanceof TimeoutFailure
        || (f.getCause() instanceof ApplicationFailure af
            && ErrorTypes.NOT_READY.equals(af.getType()))) {
      return ApplicationFailure.newNonRetryableFailure(
          "the upgrade did not finish within "
              + request.maxWaitOrDefault()
              + " ("
              + message(f)
              + "); pre-upgrade snapshot "
              + snapshotId,
          ErrorTypes.WAIT_TIMEOUT,
          snapshotId);
    }
    return ApplicationFailure.newNonRetryableFailure(
        message(f) + "; pre-upgrade snapshot " + snapshotId,
        f.getCause() instanceof ApplicationFailure af ? af.getType() : ErrorTypes.UPGRADE_FAILED,
        snapshotId);
  }

  private static String message(ActivityFailure f) {
    Throwable c = f.getCause();
    while (c != null && c.getCause() != null && !(c instanceof ApplicationFailure))
      c = c.getCause();
    return c instanceof ApplicationFailure af ? af.getOriginalMessage() : String.valueOf(c);
  }

  private List<PlanStep> plan(UpgradeValidator.Judgement j) {
    String id = facts.clusterId();
    List<PlanStep> steps = new ArrayList<>();
    steps.add(
        new PlanStep(
            "validate",
            "DescribeDBClusters, DescribeDBInstances, DescribeDBEngineVersions, "
                + "DescribeDBClusterParameterGroups, DescribeDBParameterGroups, DescribePendingMaintenanceActions, "
                + "DescribeOrderableDBInstanceOptions (each instance's class on "
                + request.targetEngineVersion()
                + ")",
            id
                + ": "
                + facts.engine()
                + " "
                + facts.engineVersion()
                + ", "
                + facts.instances().size()
                + " instance(s)"));
    steps.add(
        new PlanStep(
            "pre-check",
            "XA RECOVER; information_schema.PROCESSLIST; INNODB_TRX; history list length",
            "on " + facts.endpoint() + ":" + facts.port()));
    if (!request.approvalWaived()) {
      steps.add(
          new PlanStep(
              "approve",
              "wait for signal approve",
              request.approval().requiredOrDefault()
                  + " of "
                  + request.approval().approversOrEmpty()
                  + " within "
                  + request.approval().timeoutOrDefault()));
    }
    steps.add(
        new PlanStep(
            "snapshot",
            "CreateDBClusterSnapshot DBClusterIdentifier="
                + id
                + " DBClusterSnapshotIdentifier="
                + snapshotId,
            "adopted if it exists; wait available"));
    steps.add(
        new PlanStep(
            "modify",
            "ModifyDBCluster DBClusterIdentifier="
                + id
                + " EngineVersion="
                + request.targetEngineVersion()
                + " AllowMajorVersionUpgrade=true ApplyImmediately=true"
                + " DBClusterParameterGroupName="
                + j.clusterParameterGroup()
                + (j.instanceParameterGroup() == null
                    ? ""
                    : " DBInstanceParameterGroupName=" + j.instanceParameterGroup()),
            "engine aurora -> aurora-mysql"));
    steps.add(
        new PlanStep(
            "wait",
            "DescribeDBClusters + DescribeEvents SourceType=db-cluster every "
                + request.pollIntervalOrDefault(),
            "notify after "
                + request.stallThresholdOrDefault()
                + ", give up after "
                + request.maxWaitOrDefault()));
    steps.add(
        new PlanStep(
            "verify",
            "SELECT VERSION() (expect 5.7)"
                + (request.smokeSqlOrEmpty().isEmpty()
                    ? ""
                    : "; " + String.join("; ", request.smokeSqlOrEmpty())),
            "reconnecting while the endpoint recovers"));
    return steps;
  }

  private UpgradeResult result(
      String outcome,
      String reportedVersion,
      boolean adopted,
      String modifyAction,
      List<String> smoke,
      List<PlanStep> plan) {
    return new UpgradeResult(
        outcome,
        facts.clusterId(),
        facts.engineVersion(),
        request.targetEngineVersion(),
        reportedVersion,
        snapshotId,
        adopted,
        modifyAction,
        precheck,
        smoke,
        List.copyOf(warnings),
        gate.records(),
        timeline.steps(),
        plan);
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

  /**
   * Why {@code a} would not stop the run (signature aside), or null: the handler's and the update
   * validator's rule.
   */
  private String abortRefusal(Abort a) {
    return Abort.refusal(a, abort);
  }

  @Override
  public UpgradeStatus status() {
    String waiting = gate.waitingStep() != null ? gate.waitingDescription() : waitingFor;
    return new UpgradeStatus(
        phase,
        waiting,
        gate.approvers(),
        request == null ? null : request.clusterId(),
        facts == null ? null : facts.engineVersion(),
        request == null ? null : request.targetEngineVersion(),
        snapshotId,
        upgradePhase,
        recordsRemaining,
        lastEvent,
        stalled,
        precheck,
        List.copyOf(warnings),
        gate.records(),
        timeline.steps());
  }

  private RuntimeException fail(RuntimeException e) {
    phase = UpgradePhase.FAILED;
    waitingFor = null;
    if (e instanceof ApplicationFailure af) timeline.add("failed", af.getOriginalMessage());
    return e;
  }

  /** What hooks are told at every phase (as DBOPS_<KEY> variables and JSON). */
  private Map<String, String> hookData() {
    Map<String, String> d = new LinkedHashMap<>();
    d.put("phase_of_run", phase);
    d.put("cluster", request.clusterId());
    d.put("endpoint", facts == null ? null : facts.endpoint());
    d.put("from_version", facts == null ? null : facts.engineVersion());
    d.put("target_version", request.targetEngineVersion());
    d.put("snapshot", snapshotId);
    return d;
  }

  private static ApplicationFailure invalid(String message) {
    return ApplicationFailure.newNonRetryableFailure(message, ErrorTypes.INVALID_INPUT);
  }
}
