package dev.dbops.workflows.staging;

import dev.dbops.workflows.common.ActivityStubs;
import dev.dbops.workflows.common.ApprovalGate;
import dev.dbops.workflows.common.PeopleNotifier;
import dev.dbops.workflows.common.PhaseHooks;
import dev.dbops.workflows.common.PlanStep;
import dev.dbops.workflows.common.Timeline;
import dev.dbops.workflows.common.WorkflowClock;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One staging rebuild's state: the steps write it, {@code status()} and the result read it. Also
 * the stubs and records every step shares.
 */
final class StagingRun {
  /** Describe, create-or-adopt, share and delete calls: idempotent, so local (one marker each). */
  final StagingActivities aws =
      Workflow.newLocalActivityStub(StagingActivities.class, ActivityStubs.LOCAL_CALL);

  final Timeline timeline = new Timeline();
  final List<String> warnings = new ArrayList<>();
  final List<ResourceRecord> resources = new ArrayList<>();
  final PeopleNotifier people = new PeopleNotifier(StagingPhase.PROCEDURE, warnings);
  final PhaseHooks hooks = new PhaseHooks(StagingPhase.PROCEDURE, people, timeline::add, warnings);
  ApprovalGate gate = new ApprovalGate(null, null);
  StagingPhase phase = StagingPhase.VALIDATING;
  String waitingFor;
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
  String retireAt;

  /** Takes the request; refuses what it can tell is wrong without looking at any account. */
  void begin(StagingRebuildRequest request) {
    this.request = request;
    gate = new ApprovalGate(request.approvalOrDefault(), request.requestedBy());
    timeline.add("started", "requested by " + request.requestedBy());
    List<String> problems = request.problems();
    if (!problems.isEmpty()) throw fail(StagingFailures.invalid(String.join("; ", problems)));
    workflowId = Workflow.getInfo().getWorkflowId();
    // A dry run has a throwaway id; its plan names what the real run (default id) would create.
    names = StagingNames.forWorkflow(request.isDryRun() ? request.defaultWorkflowId() : workflowId);
  }

  void enter(StagingPhase phase, String waitingFor) {
    this.phase = phase;
    this.waitingFor = waitingFor;
  }

  String recordName() {
    return request.dns().normalizedName();
  }

  String targetAccount() {
    return request.restoreAccount().accountId();
  }

  void created(String kind, String account, String id, boolean adopted, String detail) {
    record(kind, account, id, adopted ? "ADOPTED" : "CREATED", detail);
    timeline.add(kind.toLowerCase() + (adopted ? " adopted" : " created"), id);
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
    d.put("phase_of_run", phase.name());
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

  RuntimeException fail(RuntimeException e) {
    enter(StagingPhase.FAILED, null);
    if (e instanceof ApplicationFailure af) timeline.add("failed", af.getOriginalMessage());
    return e;
  }

  StagingRebuildResult complete(String outcome, String retirement, List<PlanStep> plan) {
    enter(StagingPhase.COMPLETED, null);
    return new StagingRebuildResult(
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
        List.copyOf(warnings),
        gate.records(),
        timeline.steps(),
        plan);
  }

  StagingStatus status() {
    String waiting =
        gate.waitingStep() != null && retireAt == null ? gate.waitingDescription() : waitingFor;
    return new StagingStatus(
        phase.name(),
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
}
