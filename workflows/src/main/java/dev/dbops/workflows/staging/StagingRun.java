package dev.dbops.workflows.staging;

import dev.dbops.workflows.common.ActivityStubs;
import dev.dbops.workflows.common.PlanStep;
import dev.dbops.workflows.common.ProcedureRun;
import dev.dbops.workflows.common.RunStatus;
import dev.dbops.workflows.common.WorkflowClock;
import dev.dbops.workflows.staging.StagingPhase.Phase;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One staging rebuild on the procedure skeleton, with what only staging keeps: the facts the steps
 * write, the resources it touched, the AWS stubs. {@code status()} and the result read it.
 */
final class StagingRun {
  final ProcedureRun<Phase> procedure;

  /** Describe, create-or-adopt, share and delete calls: idempotent, so local (one marker each). */
  final StagingActivities aws =
      Workflow.newLocalActivityStub(StagingActivities.class, ActivityStubs.LOCAL_CALL);

  private final List<ResourceRecord> resources = new ArrayList<>();
  StagingRebuildRequest request;
  String workflowId;
  StagingNames names;
  SourceFacts source;
  TargetFacts target;
  MaskingScript masking;
  MaskReport maskReport;
  DriftReport driftReport;
  String snapshotId;
  String sharedSnapshotId;
  String sharedSnapshotArn;

  /** The account the snapshot was shared with, once the share was asked for. */
  String sharedWith;

  String newEndpoint;

  /** While in GRACE: when it ends (ISO instant) and what the run waits for. */
  String retireAt;

  String graceWaitingFor;

  StagingRun(ProcedureRun<Phase> procedure) {
    this.procedure = procedure;
  }

  /** Takes the request; refuses what it can tell is wrong without looking at any account. */
  void begin(StagingRebuildRequest request) {
    this.request = request;
    procedure.start(request.approvalOrDefault(), request.requestedBy());
    procedure.tellHooks(this::hookData);
    List<String> problems = request.problems();
    if (!problems.isEmpty()) throw procedure.invalidInput(String.join("; ", problems));
    workflowId = Workflow.getInfo().getWorkflowId();
    // A dry run has a throwaway id; its plan names what the real run (default id) would create.
    names = StagingNames.forWorkflow(request.isDryRun() ? request.defaultWorkflowId() : workflowId);
  }

  /** Moves to {@code phase}, waiting for {@code what} (null: nothing). */
  void enter(Phase phase, String what) {
    procedure.enter(phase);
    procedure.waitFor(what);
  }

  String recordName() {
    return request.dns().normalizedName();
  }

  String targetAccount() {
    return request.restoreAccount().accountId();
  }

  void created(String kind, String account, String id, boolean adopted, String detail) {
    record(kind, account, id, adopted ? "ADOPTED" : "CREATED", detail);
    procedure.note(kind.toLowerCase() + (adopted ? " adopted" : " created"), id);
  }

  void record(String kind, String account, String id, String action, String detail) {
    resources.add(new ResourceRecord(kind, account, id, action, WorkflowClock.now(), detail));
  }

  Map<String, String> ownerTags() {
    Map<String, String> tags = new LinkedHashMap<>();
    tags.put(StagingValidator.OWNER_TAG, workflowId);
    tags.put(StagingValidator.PROCEDURE_TAG, StagingPhase.PROCEDURE);
    return tags;
  }

  /** Polls back off from a minute (or the interval, when shorter) to the request's interval. */
  StagingActivities poller(Duration giveUp) {
    Duration every = request.pollIntervalOrDefault();
    Duration first = every.compareTo(Duration.ofMinutes(1)) < 0 ? every : Duration.ofMinutes(1);
    return Workflow.newActivityStub(
        StagingActivities.class, ActivityStubs.pollBackingOff(first, every, giveUp));
  }

  /** Route53 propagates in well under a minute: check every 10 s. */
  StagingActivities dnsPoller() {
    return Workflow.newActivityStub(
        StagingActivities.class,
        ActivityStubs.pollEvery(Duration.ofSeconds(10), request.dnsMaxWaitOrDefault()));
  }

  /** What hooks are told at every phase (as DBOPS_<KEY> variables and JSON). */
  Map<String, String> hookData() {
    Map<String, String> d = new LinkedHashMap<>();
    d.put("phase_of_run", procedure.phase().name());
    d.put("source_account", request.source().accountId());
    d.put("source_cluster", request.sourceClusterId());
    d.put("target_account", targetAccount());
    d.put("new_cluster", names == null ? null : names.clusterId());
    d.put("new_endpoint", newEndpoint);
    d.put("record_name", recordName());
    d.put("previous_value", target == null ? null : target.currentValue());
    d.put("old_cluster", target == null ? null : target.oldClusterId());
    return d;
  }

  StagingRebuildResult complete(String outcome, String retirement, List<PlanStep> plan) {
    return procedure.complete(
        new StagingRebuildResult(
            outcome,
            source.clusterId(),
            snapshotId,
            sharedSnapshotId,
            names.clusterId(),
            newEndpoint,
            recordName(),
            target.currentValue(),
            target.oldClusterId(),
            retirement,
            masking.sha256(),
            maskReport,
            driftReport,
            List.copyOf(resources),
            procedure.warnings(),
            procedure.approvals(),
            procedure.timeline(),
            plan));
  }

  StagingStatus status() {
    RunStatus s = procedure.status();
    return new StagingStatus(
        s.phase(),
        retireAt != null ? graceWaitingFor : s.waitingFor(),
        s.approvers(),
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
        s.warnings(),
        s.approvals(),
        s.timeline());
  }
}
