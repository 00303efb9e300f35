package dev.dbops.workflows.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The skeleton inside a workflow: a drill procedure declared as steps runs through phases,
 * approval, hooks and failures, and its dry run is rendered from the same steps.
 */
class ProcedureRunTest {
  enum DrillPhase {
    VALIDATING,
    PREPARING,
    AWAITING_APPROVAL,
    CHANGING,
    COMPLETED,
    FAILED
  }

  enum NoFailedPhase {
    VALIDATING,
    COMPLETED
  }

  public record DrillRequest(
      String target,
      boolean dryRun,
      boolean needsApproval,
      boolean failInChange,
      boolean continued,
      ApprovalPolicy approval,
      String requestedBy) {}

  public record DrillResult(
      List<PlanStep> plan, List<String> stepsRun, List<StepRecord> timeline) {}

  static final Step<DrillPhase, DrillRequest> PREPARE =
      Step.of("prepare", DrillPhase.PREPARING, r -> "DescribeThing Id=" + r.target(), r -> "read");
  static final Step<DrillPhase, DrillRequest> APPROVE =
      Step.<DrillPhase, DrillRequest>approval(
              "approve", DrillPhase.AWAITING_APPROVAL, DrillRequest::approval)
          .when(DrillRequest::needsApproval);
  static final Step<DrillPhase, DrillRequest> CHANGE =
      Step.<DrillPhase, DrillRequest>of(
              "change", DrillPhase.CHANGING, r -> "ModifyThing Id=" + r.target(), r -> "")
          .hookBefore("before-change")
          .hookAfter("after-change")
          .changes();
  static final Runbook<DrillPhase, DrillRequest> STEPS = Runbook.of(PREPARE, APPROVE, CHANGE);

  @WorkflowInterface
  public interface Drill {
    @WorkflowMethod
    DrillResult run(DrillRequest r);

    @SignalMethod
    void approve(Approval a);

    @SignalMethod
    void reject(Rejection r);

    @SignalMethod
    void abort(Abort a);

    @QueryMethod
    RunStatus status();
  }

  public static class DrillImpl implements Drill {
    private final ProcedureRun<DrillPhase> run = new ProcedureRun<>("drill", DrillPhase.class);

    @Override
    public DrillResult run(DrillRequest r) {
      return run.guard(
          () -> {
            run.start(r.approval(), r.requestedBy());
            run.acceptAborts();
            run.tellHooks(() -> Map.of("target", String.valueOf(r.target())));
            if (r.continued()) run.changing();
            if (r.target() == null) throw run.invalidInput("target: missing");
            run.step(PREPARE, () -> run.note("prepared", r.target()));
            if (r.dryRun()) return run.complete(result(r));
            if (APPROVE.appliesTo(r)) run.gate(APPROVE, "change " + r.target());
            run.abortIfAsked("before the change; nothing was changed");
            run.step(
                CHANGE,
                () -> {
                  if (r.failInChange())
                    throw ApplicationFailure.newNonRetryableFailure("boom", "Boom");
                });
            return run.complete(result(r));
          });
    }

    private DrillResult result(DrillRequest r) {
      return new DrillResult(STEPS.plan(r), run.stepsRun(), run.timeline());
    }

    @Override
    public void approve(Approval a) {
      run.approve(a);
    }

    @Override
    public void reject(Rejection r) {
      run.reject(r);
    }

    @Override
    public void abort(Abort a) {
      run.abort(a);
    }

    @Override
    public RunStatus status() {
      return run.status();
    }
  }

  static final ApprovalPolicy ALICE = new ApprovalPolicy(List.of("alice"), 1, Duration.ofHours(1));

  TestWorkflowEnvironment env;
  ScriptedHooks hooks = new ScriptedHooks();
  int ids;

  @BeforeEach
  void setUp() {
    env = TestWorkflowEnvironment.newInstance();
    Worker w = env.newWorker("q");
    w.registerWorkflowImplementationTypes(DrillImpl.class);
    w.registerActivitiesImplementations(hooks, new SilentNotify());
    env.start();
  }

  @AfterEach
  void tearDown() {
    env.close();
  }

  private Drill drill() {
    return env.getWorkflowClient()
        .newWorkflowStub(
            Drill.class,
            WorkflowOptions.newBuilder().setTaskQueue("q").setWorkflowId("drill/" + ++ids).build());
  }

  private static DrillRequest request(boolean dryRun, boolean approval, boolean failInChange) {
    return new DrillRequest("t1", dryRun, approval, failInChange, false, ALICE, "bob");
  }

  private static ApplicationFailure failure(Drill d, DrillRequest r) {
    WorkflowFailedException e = assertThrows(WorkflowFailedException.class, () -> d.run(r));
    return assertInstanceOf(ApplicationFailure.class, e.getCause());
  }

  @Test
  void givenPhaseEnumWithoutFailed_whenSkeletonCreated_thenRefused() {
    assertThrows(
        IllegalArgumentException.class, () -> new ProcedureRun<>("x", NoFailedPhase.class));
  }

  @Test
  void givenMissingTarget_whenRun_thenInvalidInputAndStatusFailedWithTheReasonNoted() {
    Drill d = drill();
    ApplicationFailure f =
        failure(d, new DrillRequest(null, false, false, false, false, ALICE, "bob"));
    assertEquals(ErrorTypes.INVALID_INPUT, f.getType());
    RunStatus s = d.status();
    assertEquals("FAILED", s.phase());
    StepRecord last = s.timeline().get(s.timeline().size() - 1);
    assertEquals("failed", last.step());
    assertEquals("target: missing", last.detail());
    assertEquals(List.of(), hooks.calls, "nothing changed, so no hook is told");
  }

  @Test
  void givenDryRun_whenRun_thenPlanIsRenderedFromTheDeclaredStepsAndNothingChanges() {
    DrillResult r = drill().run(request(true, true, false));
    assertEquals(
        List.of(
            new PlanStep("prepare", "DescribeThing Id=t1", "read"),
            new PlanStep("approve", "wait for signal approve", "1 of [alice] within PT1H"),
            new PlanStep("change", "ModifyThing Id=t1", "")),
        r.plan());
    assertEquals(List.of("prepare"), r.stepsRun());
    assertEquals(List.of(), hooks.calls);
    assertEquals(
        List.of("prepare", "change"),
        STEPS.plan(request(true, false, false)).stream().map(PlanStep::step).toList(),
        "a step that does not apply is not planned");
  }

  @Test
  void givenApprovalNeeded_whenApproved_thenTheRunGoesThroughThePlannedStepsWithHooksAround() {
    Drill d = drill();
    DrillRequest req = request(false, true, false);
    WorkflowClient.start(d::run, req);
    env.sleep(Duration.ofSeconds(1));
    RunStatus waiting = d.status();
    assertEquals("AWAITING_APPROVAL", waiting.phase());
    assertTrue(waiting.waitingFor().startsWith("approval of 'change t1'"), waiting.waitingFor());
    assertEquals(List.of("alice"), waiting.approvers());

    d.approve(new Approval("alice", "ok"));
    DrillResult r = result();
    assertEquals(STEPS.stepNames(req), r.stepsRun(), "the run went through what the plan shows");
    assertEquals(List.of("before-change", "after-change"), hooks.phases());
    assertEquals("COMPLETED", d.status().phase());
    assertEquals(null, d.status().waitingFor());
    assertTrue(
        r.timeline().stream().anyMatch(t -> t.step().equals("approved")), r.timeline().toString());
  }

  private DrillResult result() {
    return env.getWorkflowClient()
        .newUntypedWorkflowStub("drill/" + ids)
        .getResult(DrillResult.class);
  }

  private ApplicationFailure failure() {
    WorkflowFailedException e = assertThrows(WorkflowFailedException.class, this::result);
    return assertInstanceOf(ApplicationFailure.class, e.getCause());
  }

  @Test
  void givenApprovalNeeded_whenRejected_thenRejectedNotedAsNotApprovedAndNoHookRuns() {
    Drill d = drill();
    WorkflowClient.start(d::run, request(false, true, false));
    env.sleep(Duration.ofSeconds(1));
    d.reject(new Rejection("alice", "not today"));
    assertEquals(ErrorTypes.REJECTED, failure().getType());
    RunStatus s = d.status();
    assertEquals("FAILED", s.phase());
    assertEquals(null, s.waitingFor());
    assertEquals(ApprovalRecord.REJECTED, s.approvals().get(0).outcome());
    assertTrue(
        s.timeline().stream().anyMatch(t -> t.step().equals("not approved")),
        s.timeline().toString());
    assertEquals(List.of(), hooks.calls, "nothing was changed, so on-failure hooks are not told");
  }

  @Test
  void givenChangingStepFails_whenRun_thenRunFailedAndOnFailureHooksAreTold() {
    Drill d = drill();
    ApplicationFailure f = failure(d, request(false, false, true));
    assertEquals("Boom", f.getType());
    assertEquals(List.of("before-change", PhaseHooks.ON_FAILURE), hooks.phases());
    assertEquals("t1", hooks.calls.get(1).data().get("target"));
    assertEquals("FAILED", d.status().phase());
  }

  @Test
  void givenAbortWhileWaitingForApproval_whenApproved_thenAbortedBeforeTheChange() {
    Drill d = drill();
    WorkflowClient.start(d::run, request(false, true, false));
    env.sleep(Duration.ofSeconds(1));
    d.abort(new Abort("carol", "wrong window"));
    d.abort(new Abort(" ", "nobody"));
    d.approve(new Approval("alice", "ok"));
    ApplicationFailure f = failure();
    assertEquals(ErrorTypes.ABORTED, f.getType());
    assertEquals(
        "aborted by carol (wrong window) before the change; nothing was changed",
        f.getOriginalMessage());
    assertEquals(List.of(), hooks.calls, "the change step never began");
    assertTrue(
        d.status().timeline().stream().anyMatch(t -> t.step().equals("aborted")),
        d.status().timeline().toString());
  }

  @Test
  void givenRunCarryingOnEarlierChanges_whenItFailsBeforeAnyStep_thenOnFailureHooksAreTold() {
    Drill d = drill();
    ApplicationFailure f =
        failure(d, new DrillRequest(null, false, false, false, true, ALICE, "bob"));
    assertEquals(ErrorTypes.INVALID_INPUT, f.getType());
    assertEquals(List.of(PhaseHooks.ON_FAILURE), hooks.phases());
  }
}
