package dev.dbops.workflows.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dbops.workflows.signing.AllowedSigners;
import dev.dbops.workflows.signing.ApproverVerifier;
import dev.dbops.workflows.signing.SignedDecision;
import dev.dbops.workflows.signing.TestSigner;
import io.temporal.api.enums.v1.EventType;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.common.interceptors.WorkerInterceptor;
import io.temporal.failure.ApplicationFailure;
import io.temporal.internal.common.WorkflowExecutionHistory;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactoryOptions;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The approver check as the worker installs it, on a run waiting at an {@link ApprovalGate}: with
 * allowed signers configured an unsigned, foreign or reused approval is recorded as refused and the
 * run keeps waiting; a replay takes the recorded verdict even when the file now says otherwise;
 * histories from before the check replay with it installed.
 */
class ApproverCheckInterceptorTest {
  @WorkflowInterface
  public interface Gated {
    @WorkflowMethod
    String run(String requestedBy);

    @SignalMethod
    void approve(Approval a);

    @QueryMethod
    List<ApprovalRecord> records();
  }

  public static class GatedImpl implements Gated {
    private ApprovalGate gate = new ApprovalGate(null, null);

    @Override
    public String run(String requestedBy) {
      gate =
          new ApprovalGate(
              new ApprovalPolicy(List.of("alice", "carol"), 2, Duration.ofHours(1)), requestedBy);
      gate.await("cutover");
      return "approved";
    }

    @Override
    public void approve(Approval a) {
      gate.approve(a);
    }

    @Override
    public List<ApprovalRecord> records() {
      return gate.records();
    }
  }

  final TestSigner alice = new TestSigner();
  final TestSigner carol = new TestSigner();
  final AtomicInteger verifications = new AtomicInteger();
  TestWorkflowEnvironment env;
  String runId;

  /** The worker's side as the worker builds it, over a list held in memory and the real clock. */
  ApproverCheckInterceptor.Verifier verifier(String allowedSigners) {
    return new ApproverCheckInterceptor.Verifier() {
      @Override
      public ApproverCheck check(SignedDecision d, String signature) {
        verifications.incrementAndGet();
        return ApproverVerifier.verify(
            d, signature, AllowedSigners.parse(allowedSigners), Instant.now());
      }

      @Override
      public String describe() {
        return "verified against test signers";
      }
    };
  }

  static TestEnvironmentOptions options(WorkerInterceptor interceptor) {
    return TestEnvironmentOptions.newBuilder()
        .setWorkerFactoryOptions(
            WorkerFactoryOptions.newBuilder().setWorkerInterceptors(interceptor).build())
        .build();
  }

  Gated start(ApproverCheckInterceptor.Verifier v) {
    env = TestWorkflowEnvironment.newInstance(options(new ApproverCheckInterceptor(v)));
    Worker w = env.newWorker("q");
    w.registerWorkflowImplementationTypes(GatedImpl.class);
    env.start();
    Gated g =
        env.getWorkflowClient()
            .newWorkflowStub(
                Gated.class,
                WorkflowOptions.newBuilder().setTaskQueue("q").setWorkflowId("gated/1").build());
    runId = WorkflowClient.start(g::run, "bob").getRunId();
    env.sleep(Duration.ofSeconds(1));
    return g;
  }

  @AfterEach
  void tearDown() {
    if (env != null) env.close();
  }

  Approval signed(TestSigner key, String by, String step, String comment) {
    String at = Instant.now().toString();
    String sig =
        key.sign(new SignedDecision("gated/1", runId, step, Approval.DECISION, by, comment, at));
    return new Approval(by, comment, step, at, sig, null);
  }

  @Test
  void
      givenAllowedSigners_whenUnsignedOrForgedApprovalsArrive_thenEachRecordedRefusedAndTheRunStillWaits() {
    Gated g =
        start(verifier(alice.allowedSignersLine("alice") + carol.allowedSignersLine("carol")));
    // What the CLI reads to sign: the step waiting, and how this worker checks approvers.
    assertEquals("cutover", WorkflowStub.fromTyped(g).query(ApprovalGate.STEP_QUERY, String.class));
    assertEquals(
        "verified against test signers",
        WorkflowStub.fromTyped(g).query(ApproverCheckInterceptor.QUERY, String.class));
    g.approve(new Approval("alice", "lgtm"));
    // A sender claiming the worker already verified it is judged all the same.
    g.approve(
        new Approval(
            "alice",
            "lgtm",
            "cutover",
            Instant.now().toString(),
            null,
            ApproverCheck.verified("alice")));
    g.approve(signed(carol, "alice", "cutover", "carol's key, alice's name"));
    g.approve(signed(alice, "alice", "snapshot", "another step"));
    env.sleep(Duration.ofSeconds(1));
    List<ApprovalRecord> r = g.records();
    assertEquals(4, r.size(), r.toString());
    assertTrue(r.stream().allMatch(a -> ApprovalRecord.REFUSED.equals(a.outcome())), r.toString());
    assertTrue(
        r.get(0).comment().startsWith("approver not verified: unsigned"), r.get(0).comment());
    assertTrue(
        r.get(1).comment().startsWith("approver not verified: unsigned"), r.get(1).comment());
    assertTrue(
        r.get(2).comment().contains("may sign as carol, not as 'alice'"), r.get(2).comment());
    assertEquals("signed for step 'snapshot' but the run waits on 'cutover'", r.get(3).comment());
  }

  @Test
  void givenAllowedSigners_whenSignedApprovalsArrive_thenCountedAndASignatureSentTwiceIsRefused() {
    Gated g =
        start(verifier(alice.allowedSignersLine("alice") + carol.allowedSignersLine("carol")));
    Approval a = signed(alice, "alice", "cutover", "lgtm");
    g.approve(a);
    g.approve(a);
    env.sleep(Duration.ofSeconds(1));
    List<ApprovalRecord> r = g.records();
    assertEquals(ApprovalRecord.APPROVED, r.get(0).outcome(), r.toString());
    assertTrue(
        r.get(0).signer().startsWith("alice (ssh-ed25519 " + alice.publicKey().fingerprint()),
        r.get(0).signer());
    assertEquals(ApprovalRecord.REFUSED, r.get(1).outcome());
    assertTrue(r.get(1).comment().contains("already used"), r.get(1).comment());
    g.approve(signed(carol, "carol", "cutover", "ok"));
    assertEquals("approved", WorkflowStub.fromTyped(g).getResult(String.class));
  }

  @Test
  void
      givenVerifiedApprovalRecorded_whenReplayedWhileTheFileNoLongerListsTheKey_thenReplaysAsItRanWithoutVerifying()
          throws Exception {
    Gated g =
        start(verifier(alice.allowedSignersLine("alice") + carol.allowedSignersLine("carol")));
    g.approve(signed(alice, "alice", "cutover", "lgtm"));
    g.approve(signed(carol, "carol", "cutover", "ok"));
    assertEquals("approved", WorkflowStub.fromTyped(g).getResult(String.class));
    String json = env.getWorkflowClient().fetchHistory("gated/1").toJson(true);
    int before = verifications.get();
    try (TestWorkflowEnvironment replay =
        TestWorkflowEnvironment.newInstance(
            options(new ApproverCheckInterceptor(verifier("# everyone revoked\n"))))) {
      WorkflowReplayer.replayWorkflowExecution(
          WorkflowExecutionHistory.fromJson(json), replay, GatedImpl.class);
    }
    assertEquals(
        before, verifications.get(), "a replay must read the recorded verdict, not verify again");
  }

  @Test
  void givenKeptHistoriesFromBeforeTheCheck_whenReplayedWithItInstalled_thenStillCompatible()
      throws Exception {
    HistoryReplayTest.replayEachWith(options(new ApproverCheckInterceptor(verifier("# nobody\n"))));
    assertEquals(0, verifications.get());
  }

  final TestSigner bob = new TestSigner();
  final TestSigner dave = new TestSigner();

  /**
   * Events other than workflow tasks: a real server drops the speculative workflow task of a
   * rejected update from history, the test server may keep it; neither writes anything else.
   */
  long events() {
    return env.getWorkflowClient().fetchHistory("gated/1").getEvents().stream()
        .filter(e -> !e.getEventType().name().startsWith("EVENT_TYPE_WORKFLOW_TASK_"))
        .count();
  }

  /** The validator's answer to an approve update, and that it came within a second. */
  String refusalOf(Gated g, Approval a) {
    long started = System.nanoTime();
    WorkflowUpdateException e =
        assertThrows(
            WorkflowUpdateException.class,
            () -> WorkflowStub.fromTyped(g).update(Approval.DECISION, ApprovalRecord.class, a));
    long millis = (System.nanoTime() - started) / 1_000_000;
    assertTrue(millis < 1_000, "refusal took " + millis + " ms");
    ApplicationFailure f = (ApplicationFailure) e.getCause();
    return f.getOriginalMessage();
  }

  @Test
  void givenARunWaiting_whenApproveUpdatesAreRefused_thenEachAnsweredAtOnceAndNothingIsRecorded() {
    Gated g =
        start(
            verifier(
                alice.allowedSignersLine("alice")
                    + carol.allowedSignersLine("carol")
                    + bob.allowedSignersLine("bob")
                    + dave.allowedSignersLine("dave")));
    long before = events();
    assertTrue(
        refusalOf(g, new Approval("alice", "lgtm")).startsWith("approver not verified: unsigned"));
    assertTrue(
        refusalOf(g, signed(carol, "alice", "cutover", "carol's key"))
            .contains("may sign as carol"));
    assertEquals(
        "the requester may not approve their own run",
        refusalOf(g, signed(bob, "bob", "cutover", "mine")));
    assertEquals(
        "dave is not on the approver list",
        refusalOf(g, signed(dave, "dave", "cutover", "me too")));
    assertTrue(
        refusalOf(g, signed(alice, "alice", "cutover", "x".repeat(Bounds.MAX_COMMENT + 1)))
            .contains("comment"));
    assertEquals(
        "signed for step 'snapshot' but the run waits on 'cutover'",
        refusalOf(g, signed(alice, "alice", "snapshot", "another step")));
    WorkflowUpdateException unknown =
        assertThrows(
            WorkflowUpdateException.class,
            () ->
                WorkflowStub.fromTyped(g)
                    .update("decide", ApprovalRecord.class, new Approval("alice", "x")));
    assertEquals(
        "this run takes no decide", ((ApplicationFailure) unknown.getCause()).getOriginalMessage());
    assertEquals(before, events(), "a refused update leaves nothing in history");
    assertEquals(List.of(), g.records());
  }

  @Test
  void
      givenARunWaiting_whenApproveUpdatesAreAccepted_thenRecordedWithWhoAndWhyAndTheHistoryReplays()
          throws Exception {
    Gated g =
        start(verifier(alice.allowedSignersLine("alice") + carol.allowedSignersLine("carol")));
    Approval a = signed(alice, "alice", "cutover", "lgtm");
    ApprovalRecord r = WorkflowStub.fromTyped(g).update(Approval.DECISION, ApprovalRecord.class, a);
    assertEquals(ApprovalRecord.APPROVED, r.outcome(), r.toString());
    assertEquals("alice", r.by());
    assertEquals("lgtm", r.comment());
    assertTrue(
        r.signer().startsWith("alice (ssh-ed25519 " + alice.publicKey().fingerprint()), r.signer());
    // The same signature again is refused by the validator now, not recorded.
    assertTrue(
        refusalOf(g, a).contains("already approved") || refusalOf(g, a).contains("already used"));
    WorkflowStub.fromTyped(g)
        .update(Approval.DECISION, ApprovalRecord.class, signed(carol, "carol", "cutover", "ok"));
    assertEquals("approved", WorkflowStub.fromTyped(g).getResult(String.class));
    var history = env.getWorkflowClient().fetchHistory("gated/1");
    assertEquals(
        2,
        history.getEvents().stream()
            .filter(
                e -> e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED)
            .count());
    assertEquals(2, g.records().size(), g.records().toString());
    try (TestWorkflowEnvironment replay =
        TestWorkflowEnvironment.newInstance(
            options(new ApproverCheckInterceptor(verifier("# everyone revoked\n"))))) {
      WorkflowReplayer.replayWorkflowExecution(
          WorkflowExecutionHistory.fromJson(history.toJson(true)), replay, GatedImpl.class);
    }
  }
}
