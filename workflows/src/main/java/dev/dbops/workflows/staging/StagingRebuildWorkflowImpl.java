package dev.dbops.workflows.staging;

import dev.dbops.workflows.common.ActivityStubs;
import dev.dbops.workflows.common.Approval;
import dev.dbops.workflows.common.ApprovalGate;
import dev.dbops.workflows.common.DbLogin;
import dev.dbops.workflows.common.ErrorTypes;
import dev.dbops.workflows.common.OrderableQuery;
import dev.dbops.workflows.common.PeopleNotifier;
import dev.dbops.workflows.common.PhaseHooks;
import dev.dbops.workflows.common.PlanStep;
import dev.dbops.workflows.common.Rejection;
import dev.dbops.workflows.common.Timeline;
import dev.dbops.workflows.common.WaitNotice;
import dev.dbops.workflows.common.WorkflowClock;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.failure.TimeoutFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * DESIGN 4.2 as a saga: every resource the run creates is recorded as it is created, and a failure
 * (or cancellation) before the cutover removes exactly those, tagged with this run's id, and
 * nothing else. After the cutover the new cluster is live staging, so later failures leave it in
 * place. Waits are infrequent polls (retry policy = loop) and the grace period is one timer, so a
 * day-long run writes a few dozen events.
 */
public class StagingRebuildWorkflowImpl implements StagingRebuildWorkflow {
  /** Describe, create-or-adopt, share and delete calls: idempotent, so local (one marker each). */
  private final StagingActivities aws =
      Workflow.newLocalActivityStub(StagingActivities.class, ActivityStubs.LOCAL_CALL);

  private final StagingActivities script =
      Workflow.newActivityStub(StagingActivities.class, ActivityStubs.DB_SCRIPT);
  private final StagingActivities schema =
      Workflow.newActivityStub(StagingActivities.class, ActivityStubs.DB_CALL);

  private final Timeline timeline = new Timeline();
  private final List<String> warnings = new ArrayList<>();
  private final List<ResourceRecord> resources = new ArrayList<>();
  private final PeopleNotifier people = new PeopleNotifier(StagingPhase.PROCEDURE, warnings);
  private final PhaseHooks hooks =
      new PhaseHooks(StagingPhase.PROCEDURE, people, timeline::add, warnings);
  private ApprovalGate gate = new ApprovalGate(null, null);
  private String phase = StagingPhase.VALIDATING;
  private String waitingFor;
  private StagingRebuildRequest request;
  private String workflowId;
  private StagingNames names;
  private SourceFacts source;
  private TargetFacts target;
  private MaskingScript masking;
  private MaskReport maskReport;
  private DriftReport driftReport;
  private String snapshotId;
  private String sharedSnapshotId;
  private String sharedSnapshotArn;
  private String newEndpoint;
  private String retireAt;
  private String retireClusterId;
  private boolean clusterTouched;
  private boolean sharedTouched;
  private boolean dnsTouched;
  private final List<String> ourSnapshots = new ArrayList<>();

  @Override
  public StagingRebuildResult run(StagingRebuildRequest request) {
    if (request == null) throw invalid("request: missing");
    this.request = request;
    gate = new ApprovalGate(request.approvalOrDefault(), request.requestedBy());
    timeline.add("started", "requested by " + request.requestedBy());
    List<String> problems = request.problems();
    if (!problems.isEmpty()) throw fail(invalid(String.join("; ", problems)));

    workflowId = Workflow.getInfo().getWorkflowId();
    // A dry run has a throwaway id; its plan names what the real run (default id) would create.
    names = StagingNames.forWorkflow(request.isDryRun() ? request.defaultWorkflowId() : workflowId);
    StagingValidator.Judgement judgement = inspect();
    warnings.addAll(judgement.warnings());
    if (!judgement.problems().isEmpty())
      throw fail(invalid(String.join("; ", judgement.problems())));
    retireClusterId = judgement.retireClusterId();
    timeline.add(
        "validated",
        source.clusterId()
            + " ("
            + source.engine()
            + " "
            + source.engineVersion()
            + ") -> "
            + names.clusterId()
            + " in "
            + request.restoreAccount().accountId()
            + "; "
            + request.dns().normalizedName()
            + " now "
            + target.currentValue()
            + "; masking sha256 "
            + masking.sha256());
    List<PlanStep> plan = plan(judgement);
    if (request.isDryRun()) {
      phase = StagingPhase.COMPLETED;
      return result(StagingRebuildResult.PLANNED, null, plan);
    }

    try {
      buildCopy(judgement);
      cutOver();
    } catch (TemporalFailure f) {
      RuntimeException failure = compensate(f);
      hooks.onFailure(hookData());
      throw fail(failure);
    }

    String retirement = retire();
    cleanUp();
    phase = StagingPhase.COMPLETED;
    waitingFor = null;
    timeline.add(
        "completed",
        request.dns().normalizedName() + " -> " + newEndpoint + "; old cluster " + retirement);
    return result(StagingRebuildResult.COMPLETED, retirement, plan);
  }

  private StagingValidator.Judgement inspect() {
    try {
      source = aws.inspectSource(request.source(), request.sourceClusterId());
    } catch (ActivityFailure f) {
      throw fail(
          asInvalid(
              f,
              "sourceClusterId: '"
                  + request.sourceClusterId()
                  + "' in account "
                  + request.source().accountId()));
    }
    try {
      target =
          aws.inspectTarget(
              new TargetQuery(
                  request.restoreAccount(),
                  request.dns(),
                  request.retireOrDefault().oldClusterId(),
                  names.clusterId(),
                  new OrderableQuery(
                      source.engine(), source.engineVersion(), List.of(request.instanceClass()))));
    } catch (ActivityFailure f) {
      throw fail(asInvalid(f, "target account " + request.restoreAccount().accountId()));
    }
    try {
      masking = aws.readMaskingScript(request.masking());
    } catch (ActivityFailure f) {
      throw fail(asInvalid(f, "masking"));
    }
    return StagingValidator.judge(request, source, target, names, workflowId);
  }

  /**
   * Snapshot, copy when the key cannot be shared, share, restore, set the password, mask, check
   * drift.
   */
  private void buildCopy(StagingValidator.Judgement judgement) {
    Map<String, String> tags = ownerTags();
    phase = StagingPhase.SNAPSHOTTING;
    hooks.at("before-snapshot", gate, hookData());
    snapshotId = names.snapshotId();
    ourSnapshots.add(snapshotId);
    SnapshotRef snap =
        aws.ensureSnapshot(
            new SnapshotRequest(request.source(), source.clusterId(), snapshotId, tags));
    created(
        "SNAPSHOT",
        request.source().accountId(),
        snapshotId,
        snap.adopted(),
        "of " + source.clusterId());
    waitingFor = "snapshot " + snapshotId + " of " + source.clusterId() + " to become available";
    snap =
        poller(request.snapshotMaxWaitOrDefault())
            .checkSnapshotAvailable(request.source(), snapshotId);
    timeline.add("snapshot available", snapshotId);

    if (judgement.copyNeeded()) {
      phase = StagingPhase.COPYING;
      String copyId = names.copySnapshotId();
      ourSnapshots.add(copyId);
      SnapshotRef copy =
          aws.ensureSnapshotCopy(
              new SnapshotCopyRequest(
                  request.source(), snapshotId, copyId, request.kmsKeyId(), tags));
      created(
          "SNAPSHOT",
          request.source().accountId(),
          copyId,
          copy.adopted(),
          "copy with " + request.kmsKeyId());
      waitingFor =
          "copy " + copyId + " (re-encrypted with the customer-managed key) to become available";
      snap =
          poller(request.snapshotMaxWaitOrDefault())
              .checkSnapshotAvailable(request.source(), copyId);
      timeline.add("copy available", copyId);
    }
    sharedSnapshotId = snap.snapshotId();
    sharedSnapshotArn = snap.arn();

    if (request.isCrossAccount()) {
      phase = StagingPhase.SHARING;
      waitingFor = null;
      sharedTouched = true;
      aws.shareSnapshot(
          new SnapshotShare(request.source(), sharedSnapshotId, request.target().accountId()));
      record(
          "SHARE",
          request.source().accountId(),
          sharedSnapshotId,
          "CREATED",
          "restore shared with " + request.target().accountId());
      timeline.add("shared", sharedSnapshotId + " with " + request.target().accountId());
    }

    phase = StagingPhase.RESTORING;
    RestoreRequest restore = restoreRequest(tags);
    clusterTouched = true;
    ClusterRef cluster = aws.ensureRestoredCluster(restore);
    created(
        "CLUSTER",
        restore.account().accountId(),
        names.clusterId(),
        cluster.adopted(),
        "from " + sharedSnapshotArn);
    waitingFor =
        "cluster "
            + names.clusterId()
            + " and "
            + restore.instanceCount()
            + " instance(s) to become available with the new master password";
    cluster = poller(request.restoreMaxWaitOrDefault()).checkRestoredClusterReady(restore);
    for (int i = 0; i < restore.instanceCount(); i++) {
      record(
          "INSTANCE",
          restore.account().accountId(),
          names.instanceId(i),
          "CREATED",
          request.instanceClass());
    }
    newEndpoint = cluster.endpoint();
    timeline.add("restored", names.clusterId() + " at " + newEndpoint + ":" + cluster.port());

    phase = StagingPhase.MASKING;
    waitingFor = "the masking SQL and its verification on " + newEndpoint;
    DbLogin master = new DbLogin(source.masterUsername(), request.masterPasswordRef());
    maskReport =
        script.mask(
            new MaskRun(newEndpoint, cluster.port(), master, request.masking(), masking.sha256()));
    timeline.add(
        "masked",
        maskReport.statementsRun()
            + " statement(s), rows changed "
            + maskReport.rowsChanged()
            + ", sha256 "
            + maskReport.sha256());
    if (!maskReport.passed()) {
      List<String> unmasked = new ArrayList<>();
      for (VerifyResult v : maskReport.verification()) {
        if (v.value() != 0) unmasked.add(v.query() + " = " + v.value());
      }
      throw ApplicationFailure.newNonRetryableFailure(
          "masking verification failed on "
              + names.clusterId()
              + ": "
              + String.join("; ", unmasked)
              + "; the CNAME was not changed",
          ErrorTypes.MASKING_FAILED);
    }
    timeline.add(
        "verified", maskReport.verification().size() + " verification query(ies) returned 0");

    if (!StagingRebuildRequest.DRIFT_OFF.equals(request.driftCheckOrDefault())) {
      phase = StagingPhase.CHECKING_DRIFT;
      waitingFor = "the schema comparison with " + source.clusterId();
      driftReport =
          schema.checkDrift(
              new DriftCheck(
                  source.endpoint(),
                  source.port(),
                  request.sourceLogin(),
                  newEndpoint,
                  cluster.port(),
                  master,
                  request.driftSchemas()));
      timeline.add(
          "drift checked",
          driftReport.tablesCompared()
              + " table(s), "
              + driftReport.differences().size()
              + " difference(s)");
      if (!driftReport.differences().isEmpty()) {
        String summary =
            String.join(
                "; ",
                driftReport
                    .differences()
                    .subList(0, Math.min(20, driftReport.differences().size())));
        if (StagingRebuildRequest.DRIFT_FAIL.equals(request.driftCheckOrDefault())) {
          throw ApplicationFailure.newNonRetryableFailure(
              "schema of "
                  + names.clusterId()
                  + " differs from "
                  + source.clusterId()
                  + ": "
                  + summary
                  + "; the CNAME was not changed",
              ErrorTypes.DRIFT_DETECTED);
        }
        warnings.add("schema drift: " + summary);
      }
    }
  }

  /** UPSERT, wait INSYNC; any failure puts the previous value back before it is reported. */
  private void cutOver() {
    phase = StagingPhase.CUTTING_OVER;
    DnsTarget dns = request.dns();
    hooks.at("before-cutover", gate, hookData());
    waitingFor = "Route53 to apply " + dns.normalizedName() + " -> " + newEndpoint;
    try {
      dnsTouched = true;
      ChangeRef change =
          aws.upsertCname(
              new CnameChange(
                  request.restoreAccount(),
                  dns,
                  newEndpoint,
                  dns.ttlOrDefault(),
                  "dbops " + workflowId));
      record(
          "CNAME",
          request.restoreAccount().accountId(),
          dns.normalizedName(),
          "CHANGED",
          target.currentValue() + " -> " + newEndpoint + " (change " + change.changeId() + ")");
      if (!"INSYNC".equals(change.status())) {
        dnsPoller().checkChangeInsync(request.restoreAccount(), change.changeId());
      }
      timeline.add(
          "cut over",
          dns.normalizedName()
              + " -> "
              + newEndpoint
              + " TTL "
              + dns.ttlOrDefault()
              + " (was "
              + target.currentValue()
              + ")");
      dnsTouched = false;
      clusterTouched = false; // live staging from here on: never compensated away
    } catch (ActivityFailure f) {
      throw ApplicationFailure.newNonRetryableFailure(
          "the CNAME change of "
              + dns.normalizedName()
              + " to "
              + newEndpoint
              + " failed ("
              + message(f)
              + ")",
          ErrorTypes.DNS_CHANGE_FAILED);
    }
    hooks.at("after-cutover", gate, hookData());
  }

  /** What hooks are told at every phase (as DBOPS_<KEY> variables and JSON). */
  private Map<String, String> hookData() {
    Map<String, String> d = new LinkedHashMap<>();
    d.put("phase_of_run", phase);
    d.put("source_account", request.source().accountId());
    d.put("source_cluster", request.sourceClusterId());
    d.put("target_account", request.restoreAccount().accountId());
    d.put("new_cluster", names == null ? null : names.clusterId());
    d.put("new_endpoint", newEndpoint);
    d.put("record_name", request.dns().normalizedName());
    d.put("previous_value", target == null ? null : target.currentValue());
    d.put("old_cluster", target == null ? null : target.oldClusterId());
    return d;
  }

  /**
   * Undo, newest first, what this run made; every delete is refused by the activity unless the
   * resource carries this run's owner tag. Detached, so a cancelled run still cleans up.
   */
  private RuntimeException compensate(TemporalFailure cause) {
    phase = StagingPhase.COMPENSATING;
    waitingFor = "clean-up of what this run created";
    boolean cancelled =
        cause instanceof CanceledFailure || cause.getCause() instanceof CanceledFailure;
    String reason = cancelled ? "cancelled" : describe(cause);
    timeline.add("compensating", reason);
    List<String> undone = new ArrayList<>();
    List<String> left = new ArrayList<>();
    Workflow.newDetachedCancellationScope(
            () -> {
              if (dnsTouched) {
                try {
                  ChangeRef back =
                      aws.upsertCname(
                          new CnameChange(
                              request.restoreAccount(),
                              request.dns(),
                              target.currentValue(),
                              target.currentTtl() == null
                                  ? request.dns().ttlOrDefault()
                                  : target.currentTtl(),
                              "dbops revert " + workflowId));
                  if (!"INSYNC".equals(back.status()))
                    dnsPoller().checkChangeInsync(request.restoreAccount(), back.changeId());
                  record(
                      "CNAME",
                      request.restoreAccount().accountId(),
                      request.dns().normalizedName(),
                      "REVERTED",
                      "back to " + target.currentValue());
                  undone.add("CNAME reverted to " + target.currentValue());
                } catch (ActivityFailure f) {
                  left.add(
                      "CNAME "
                          + request.dns().normalizedName()
                          + " could not be reverted to "
                          + target.currentValue()
                          + " ("
                          + message(f)
                          + ")");
                }
              }
              if (clusterTouched) {
                try {
                  aws.deleteCluster(
                      new ClusterDeletion(
                          request.restoreAccount(), names.clusterId(), workflowId, false, null));
                  poller(request.restoreMaxWaitOrDefault())
                      .checkClusterGone(request.restoreAccount(), names.clusterId());
                  record(
                      "CLUSTER",
                      request.restoreAccount().accountId(),
                      names.clusterId(),
                      "DELETED",
                      "compensation");
                  undone.add("cluster " + names.clusterId() + " deleted");
                } catch (ActivityFailure f) {
                  left.add("cluster " + names.clusterId() + " (" + message(f) + ")");
                }
              }
              deleteSnapshots(undone, left);
            })
        .run();
    String summary =
        (undone.isEmpty() ? "nothing to clean up" : "cleaned up: " + String.join(", ", undone))
            + (left.isEmpty() ? "" : "; LEFT IN PLACE: " + String.join("; ", left));
    timeline.add("compensated", summary);
    if (cancelled)
      return cause instanceof CanceledFailure c ? c : new CanceledFailure(reason + "; " + summary);
    String type = failureType(cause);
    return ApplicationFailure.newNonRetryableFailure(reason + "; " + summary, type);
  }

  private void deleteSnapshots(List<String> done, List<String> left) {
    for (int i = ourSnapshots.size() - 1; i >= 0; i--) {
      String id = ourSnapshots.get(i);
      try {
        aws.deleteSnapshot(new SnapshotDeletion(request.source(), id, workflowId));
        record(
            "SNAPSHOT",
            request.source().accountId(),
            id,
            "DELETED",
            sharedTouched && id.equals(sharedSnapshotId)
                ? "unshared from " + request.restoreAccount().accountId() + " and deleted"
                : "deleted");
        done.add("snapshot " + id + " deleted");
      } catch (ActivityFailure f) {
        left.add("snapshot " + id + " (" + message(f) + ")");
      }
    }
  }

  /**
   * GRACE: one timer; an approval retires early, a rejection keeps the old cluster. APPROVAL:
   * silence or a rejection keeps it. A "no" here is not a failure: staging already runs on the new
   * cluster, so the run completes and says what it kept.
   */
  private String retire() {
    RetirePolicy policy = request.retireOrDefault();
    if (retireClusterId == null || RetirePolicy.KEEP.equals(policy.modeOrDefault())) {
      if (target.oldClusterId() != null) {
        record(
            "CLUSTER",
            request.restoreAccount().accountId(),
            target.oldClusterId(),
            "KEPT",
            "retire mode " + policy.modeOrDefault());
      }
      return StagingRebuildResult.KEPT;
    }
    String old = retireClusterId;
    String step = "retire " + old;
    ApprovalGate.Outcome outcome;
    WaitNotice notice;
    if (RetirePolicy.GRACE.equals(policy.modeOrDefault())) {
      phase = StagingPhase.GRACE;
      Duration grace = policy.graceOrDefault();
      retireAt = Instant.ofEpochMilli(Workflow.currentTimeMillis() + grace.toMillis()).toString();
      waitingFor =
          "the grace period before deleting "
              + old
              + " (until "
              + retireAt
              + "); approve to retire now,"
              + " reject to keep it";
      notice =
          people.waiting(
              step,
              waitingFor,
              gate.approvers(),
              "./dbops reject " + workflowId + " --by <name> --reason <why>   # keeps " + old);
      outcome = gate.awaitWithin(step, grace);
    } else {
      phase = StagingPhase.AWAITING_APPROVAL;
      waitingFor = gate.waitingDescription();
      notice =
          people.waiting(
              step,
              "approval to delete " + old,
              gate.approvers(),
              "./dbops approve " + workflowId + " --by <name>");
      outcome = gate.awaitWithin(step, request.approvalOrDefault().timeoutOrDefault());
    }
    people.responded(notice);
    retireAt = null;
    if (outcome == ApprovalGate.Outcome.REJECTED) {
      Rejection r = gate.lastRejection();
      timeline.add("old cluster kept", old + ": rejected by " + r.by() + " (" + r.reason() + ")");
      record("CLUSTER", request.restoreAccount().accountId(), old, "KEPT", "rejected by " + r.by());
      return StagingRebuildResult.KEPT_REJECTED;
    }
    if (outcome == ApprovalGate.Outcome.TIMED_OUT
        && RetirePolicy.APPROVAL.equals(policy.modeOrDefault())) {
      warnings.add(
          "no approval to delete "
              + old
              + " within "
              + request.approvalOrDefault().timeoutOrDefault()
              + "; it was left in place");
      timeline.add(
          "old cluster kept",
          old + ": no approval within " + request.approvalOrDefault().timeoutOrDefault());
      record("CLUSTER", request.restoreAccount().accountId(), old, "KEPT", "approval timed out");
      return StagingRebuildResult.KEPT_APPROVAL_TIMEOUT;
    }
    timeline.add(
        "retiring",
        old + (outcome == ApprovalGate.Outcome.APPROVED ? " (approved)" : " (grace period over)"));
    phase = StagingPhase.RETIRING;
    waitingFor = "deletion of " + old;
    String finalSnapshot = policy.finalSnapshotWanted() ? names.finalSnapshotPrefix() : null;
    try {
      hooks.at("before-retire", gate, hookData());
      aws.deleteCluster(
          new ClusterDeletion(request.restoreAccount(), old, null, true, finalSnapshot));
      poller(request.restoreMaxWaitOrDefault()).checkClusterGone(request.restoreAccount(), old);
    } catch (TemporalFailure f) {
      hooks.onFailure(hookData());
      throw fail(
          ApplicationFailure.newNonRetryableFailure(
              "retiring "
                  + old
                  + " failed ("
                  + describe(f)
                  + "); staging already runs on "
                  + names.clusterId()
                  + " and "
                  + old
                  + " was left in place",
              failureType(f)));
    }
    record(
        "CLUSTER",
        request.restoreAccount().accountId(),
        old,
        "DELETED",
        finalSnapshot == null ? "no final snapshot" : "final snapshot " + finalSnapshot);
    timeline.add("retired", old);
    return StagingRebuildResult.RETIRED;
  }

  /**
   * Temporary snapshots are unshared and deleted; a failure here is a warning, not a failed
   * rebuild.
   */
  private void cleanUp() {
    if (request.keepsSnapshots()) {
      timeline.add("snapshots kept", String.join(", ", ourSnapshots));
      return;
    }
    phase = StagingPhase.CLEANING_UP;
    waitingFor = null;
    List<String> done = new ArrayList<>();
    List<String> left = new ArrayList<>();
    deleteSnapshots(done, left);
    for (String l : left) warnings.add("not cleaned up: " + l);
    timeline.add("cleaned up", done.isEmpty() ? "nothing" : String.join(", ", done));
  }

  private RestoreRequest restoreRequest(Map<String, String> tags) {
    return new RestoreRequest(
        request.restoreAccount(),
        sharedSnapshotArn,
        names.clusterId(),
        source.engine(),
        source.engineVersion(),
        request.instanceClass(),
        request.instanceCountOrDefault(),
        request.dbSubnetGroup(),
        request.vpcSecurityGroupIds(),
        request.masterPasswordRef(),
        tags);
  }

  private Map<String, String> ownerTags() {
    Map<String, String> tags = new LinkedHashMap<>();
    tags.put(StagingValidator.OWNER_TAG, workflowId);
    tags.put(StagingValidator.PROCEDURE_TAG, StagingPhase.PROCEDURE);
    return tags;
  }

  private StagingActivities poller(Duration giveUp) {
    Duration every = request.pollIntervalOrDefault();
    Duration first = every.compareTo(Duration.ofMinutes(1)) < 0 ? every : Duration.ofMinutes(1);
    return Workflow.newActivityStub(
        StagingActivities.class, ActivityStubs.pollBackingOff(first, every, giveUp));
  }

  /** Route53 propagates in well under a minute: check every 10 s. */
  private StagingActivities dnsPoller() {
    return Workflow.newActivityStub(
        StagingActivities.class,
        ActivityStubs.pollEvery(Duration.ofSeconds(10), request.dnsMaxWaitOrDefault()));
  }

  private void created(String kind, String account, String id, boolean adopted, String detail) {
    record(kind, account, id, adopted ? "ADOPTED" : "CREATED", detail);
    timeline.add(kind.toLowerCase() + (adopted ? " adopted" : " created"), id);
  }

  private void record(String kind, String account, String id, String action, String detail) {
    resources.add(new ResourceRecord(kind, account, id, action, WorkflowClock.now(), detail));
  }

  private List<PlanStep> plan(StagingValidator.Judgement j) {
    List<PlanStep> steps = new ArrayList<>();
    String src = request.source().accountId();
    String dst = request.restoreAccount().accountId();
    steps.add(
        new PlanStep(
            "validate",
            "DescribeDBClusters "
                + source.clusterId()
                + " ("
                + src
                + "); GetHostedZone "
                + request.dns().hostedZoneId()
                + ", ListResourceRecordSets, DescribeDBClusters, DescribeOrderableDBInstanceOptions "
                + request.instanceClass()
                + " ("
                + dst
                + ")",
            request.dns().normalizedName() + " is now " + target.currentValue()));
    steps.add(
        new PlanStep(
            "snapshot",
            "CreateDBClusterSnapshot DBClusterIdentifier="
                + source.clusterId()
                + " DBClusterSnapshotIdentifier="
                + names.snapshotId(),
            "in " + src + "; adopted if it exists; wait available"));
    String shared = names.snapshotId();
    if (j.copyNeeded()) {
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
                + source.engine()
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
    steps.add(
        new PlanStep(
            "mask",
            masking.statements()
                + " statement(s) from "
                + masking.source()
                + " (sha256 "
                + masking.sha256()
                + "); then "
                + masking.verifyQueries()
                + " verification query(ies) that must return 0",
            "failing verification stops the run before any DNS change"));
    if (!StagingRebuildRequest.DRIFT_OFF.equals(request.driftCheckOrDefault())) {
      steps.add(
          new PlanStep(
              "drift",
              "information_schema TABLES, COLUMNS, STATISTICS of " + request.driftSchemas(),
              request.driftCheckOrDefault()));
    }
    steps.add(
        new PlanStep(
            "cutover",
            "ChangeResourceRecordSets UPSERT "
                + request.dns().normalizedName()
                + " CNAME "
                + "<endpoint of "
                + names.clusterId()
                + "> TTL "
                + request.dns().ttlOrDefault()
                + "; GetChange until INSYNC",
            "previous value " + target.currentValue() + " kept for revert"));
    RetirePolicy r = request.retireOrDefault();
    if (j.retireClusterId() != null && !RetirePolicy.KEEP.equals(r.modeOrDefault())) {
      steps.add(
          new PlanStep(
              "retire",
              "DeleteDBInstance (each), DeleteDBCluster "
                  + j.retireClusterId()
                  + (r.finalSnapshotWanted()
                      ? " FinalDBSnapshotIdentifier=" + names.finalSnapshotPrefix()
                      : " SkipFinalSnapshot=true"),
              RetirePolicy.GRACE.equals(r.modeOrDefault())
                  ? "after " + r.graceOrDefault() + " (approve: now; reject: keep)"
                  : "after approval by "
                      + request.approvalOrDefault().requiredOrDefault()
                      + " of "
                      + request.approvalOrDefault().approversOrEmpty()));
    }
    if (!request.keepsSnapshots()) {
      steps.add(
          new PlanStep(
              "clean up",
              "ModifyDBClusterSnapshotAttribute ValuesToRemove; DeleteDBClusterSnapshot "
                  + names.snapshotId()
                  + (j.copyNeeded() ? ", " + names.copySnapshotId() : ""),
              ""));
    }
    return steps;
  }

  private StagingRebuildResult result(String outcome, String retirement, List<PlanStep> plan) {
    return new StagingRebuildResult(
        outcome,
        source.clusterId(),
        snapshotId,
        sharedSnapshotId,
        names.clusterId(),
        newEndpoint,
        request.dns().normalizedName(),
        target.currentValue(),
        target.oldClusterId(),
        retirement,
        masking.sha256(),
        maskReport,
        driftReport,
        List.copyOf(resources),
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
  public StagingStatus status() {
    String waiting =
        gate.waitingStep() != null && retireAt == null ? gate.waitingDescription() : waitingFor;
    return new StagingStatus(
        phase,
        waiting,
        gate.approvers(),
        request == null ? null : request.sourceClusterId(),
        snapshotId,
        sharedSnapshotId,
        names == null ? null : names.clusterId(),
        newEndpoint,
        target == null ? null : target.oldClusterId(),
        target == null ? null : target.currentValue(),
        masking == null ? null : masking.sha256(),
        maskReport == null ? List.of() : maskReport.verification(),
        retireAt,
        List.copyOf(resources),
        List.copyOf(warnings),
        gate.records(),
        timeline.steps());
  }

  private RuntimeException fail(RuntimeException e) {
    phase = StagingPhase.FAILED;
    waitingFor = null;
    if (e instanceof ApplicationFailure af) timeline.add("failed", af.getOriginalMessage());
    return e;
  }

  /** A read-only look that found nothing, or was refused, is bad input: nothing was changed yet. */
  private static ApplicationFailure asInvalid(ActivityFailure f, String what) {
    String type = failureType(f);
    if (ErrorTypes.NOT_FOUND.equals(type)
        || ErrorTypes.INVALID_INPUT.equals(type)
        || ErrorTypes.ACCESS_DENIED.equals(type)
        || ErrorTypes.INVALID_PARAMETER.equals(type)) {
      return invalid(what + ": " + message(f));
    }
    return ApplicationFailure.newNonRetryableFailure(what + ": " + message(f), type);
  }

  private static String failureType(TemporalFailure f) {
    Throwable c = f;
    while (c != null) {
      if (c instanceof ApplicationFailure af) return af.getType();
      if (c instanceof TimeoutFailure) return ErrorTypes.WAIT_TIMEOUT;
      c = c.getCause();
    }
    return ErrorTypes.INVALID_STATE;
  }

  private static String describe(TemporalFailure f) {
    return f instanceof ApplicationFailure af
        ? af.getOriginalMessage()
        : f instanceof ActivityFailure a ? message(a) : f.getMessage();
  }

  private static String message(ActivityFailure f) {
    Throwable c = f.getCause();
    while (c != null && c.getCause() != null && !(c instanceof ApplicationFailure))
      c = c.getCause();
    if (c instanceof TimeoutFailure) return "gave up waiting: " + c.getMessage();
    return c instanceof ApplicationFailure af ? af.getOriginalMessage() : String.valueOf(c);
  }

  private static ApplicationFailure invalid(String message) {
    return ApplicationFailure.newNonRetryableFailure(message, ErrorTypes.INVALID_INPUT);
  }
}
