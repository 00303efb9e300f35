package dev.dbops.workflows.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dbops.workflows.common.Approval;
import dev.dbops.workflows.common.ApprovalPolicy;
import dev.dbops.workflows.common.ApprovalRecord;
import dev.dbops.workflows.common.ErrorTypes;
import dev.dbops.workflows.common.Rejection;
import io.temporal.api.history.v1.History;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GlacierRestoreWorkflowTest {
  final dev.dbops.workflows.common.ScriptedHooks hooks =
      new dev.dbops.workflows.common.ScriptedHooks();
  static final String QUEUE = "dbops-test";
  static final long GB = 1024L * 1024 * 1024;

  TestWorkflowEnvironment env;
  FakeS3Restore s3;
  RecordingNotify notify;
  WorkflowClient client;

  @BeforeEach
  void setUp() {
    env = TestWorkflowEnvironment.newInstance();
    s3 = new FakeS3Restore(env);
    notify = new RecordingNotify();
    Worker worker = env.newWorker(QUEUE);
    worker.registerWorkflowImplementationTypes(GlacierRestoreWorkflowImpl.class);
    worker.registerActivitiesImplementations(s3, notify, hooks);
    env.start();
    client = env.getWorkflowClient();
  }

  @AfterEach
  void tearDown() {
    env.close();
  }

  static GlacierRestoreRequest.Builder request() {
    return GlacierRestoreRequest.Builder.of("archive-bucket", "logs/")
        .tier(RestoreTier.STANDARD)
        .delivery(new Delivery(DeliveryMode.DOWNLOAD, "/restore", null, null))
        .requestedBy("bob");
  }

  GlacierRestoreWorkflow stub(String id) {
    return client.newWorkflowStub(
        GlacierRestoreWorkflow.class,
        WorkflowOptions.newBuilder().setTaskQueue(QUEUE).setWorkflowId(id).build());
  }

  static ApplicationFailure failureOf(WorkflowFailedException e) {
    return assertInstanceOf(ApplicationFailure.class, e.getCause());
  }

  @Test
  void givenDeepArchiveObject_whenStandardRestoreTakes12Hours_thenRunCompletesWithFlatHistory() {
    s3.put("logs/a.gz", 1000, "DEEP_ARCHIVE")
        .put("logs/b.gz", 2000, "GLACIER")
        .put("logs/c.gz", 3000, "STANDARD");
    long start = env.currentTimeMillis();

    GlacierRestoreResult result = stub("restore/da").run(request().build());

    assertEquals(GlacierRestoreResult.COMPLETED, result.outcome());
    assertEquals(3, result.counts().get(ObjectOutcome.DELIVERED));
    assertTrue(
        env.currentTimeMillis() - start >= Duration.ofHours(12).toMillis(),
        "the Deep Archive wait elapsed on the workflow clock");
    // Two archived classes → two restore batches; the readable object is only delivered.
    assertEquals(2, s3.restoreCalls.get());
    assertEquals(3, s3.deliverCalls.get());
    // Polled hourly for 12 h (Deep Archive) and every 15 min for 4 h (Glacier): retries, not
    // events.
    assertTrue(s3.checkCalls.get() >= 12 + 16, "checks: " + s3.checkCalls.get());
    History history = client.fetchHistory("restore/da").getHistory();
    // Workflow-task events are left out: a loaded machine adds some (task timeouts, retries), while
    // a timer or activity per check would add 56 or more of the rest (29 here).
    long steps = steps("restore/da");
    assertTrue(
        steps < 40,
        "history stays flat while waiting: "
            + steps
            + " events besides workflow tasks ("
            + history.getEventsCount()
            + " in all)");
  }

  @Test
  void givenLongerWait_whenRestoreTakes48Hours_thenHistoryIsTheSameSizeAsFor12Hours() {
    s3.put("logs/a.gz", 1000, "DEEP_ARCHIVE");
    stub("restore/12h").run(request().build());
    long events12h = steps("restore/12h");

    s3.objects.clear();
    s3.put("logs/z.gz", 1000, "DEEP_ARCHIVE");
    stub("restore/48h").run(request().tier(RestoreTier.BULK).maxWait(Duration.ofDays(7)).build());
    long events48h = steps("restore/48h");

    assertEquals(events12h, events48h, "history does not grow with the length of the wait");
  }

  /**
   * History events besides workflow tasks (a loaded machine adds some of those: timeouts, retries).
   */
  private long steps(String id) {
    return client.fetchHistory(id).getHistory().getEventsList().stream()
        .filter(e -> !e.getEventType().name().startsWith("EVENT_TYPE_WORKFLOW_TASK_"))
        .count();
  }

  @Test
  void givenRequireApproval_whenNobodyApproves_thenRunFailsWithApprovalTimeoutAndRestoresNothing() {
    s3.put("logs/a.gz", 1000, "GLACIER");
    GlacierRestoreRequest req =
        request()
            .requireApproval(true)
            .approval(new ApprovalPolicy(List.of("alice"), 1, Duration.ofHours(2)))
            .build();

    WorkflowFailedException e =
        assertThrows(WorkflowFailedException.class, () -> stub("restore/timeout").run(req));

    assertEquals(ErrorTypes.APPROVAL_TIMEOUT, failureOf(e).getType());
    assertEquals(0, s3.restoreCalls.get());
    assertEquals(0, s3.deliverCalls.get());
    assertTrue(
        notify.notices.stream()
            .anyMatch(n -> n.waiting() && n.command().contains("approve restore/timeout")),
        "people were told how to approve");
  }

  @Test
  void givenWaitingForApproval_whenApproverRejects_thenRunFailsAsRejectedAndRestoresNothing() {
    s3.put("logs/a.gz", 1000, "GLACIER");
    GlacierRestoreWorkflow wf = stub("restore/reject");
    WorkflowClient.start(
        wf::run,
        request()
            .requireApproval(true)
            .approval(new ApprovalPolicy(List.of("alice"), 1, null))
            .build());
    env.sleep(Duration.ofMinutes(5));
    assertEquals(RestorePhase.AWAITING_APPROVAL, wf.status().phase());

    wf.reject(new Rejection("alice", "wrong bucket"));

    WorkflowFailedException e =
        assertThrows(
            WorkflowFailedException.class,
            () ->
                client
                    .newUntypedWorkflowStub("restore/reject")
                    .getResult(GlacierRestoreResult.class));
    assertEquals(ErrorTypes.REJECTED, failureOf(e).getType());
    assertTrue(failureOf(e).getOriginalMessage().contains("wrong bucket"));
    assertEquals(0, s3.restoreCalls.get());
  }

  @Test
  void givenRequesterOnApproverList_whenRequesterApproves_thenRefusedAndAnotherApproverIsNeeded() {
    s3.put("logs/a.gz", 1000, "GLACIER");
    GlacierRestoreWorkflow wf = stub("restore/self");
    WorkflowClient.start(
        wf::run,
        request()
            .requireApproval(true)
            .approval(new ApprovalPolicy(List.of("bob", "alice"), 1, null))
            .build());
    env.sleep(Duration.ofMinutes(1));

    wf.approve(new Approval("bob", "looks fine to me"));
    wf.approve(new Approval("mallory", "me too"));
    env.sleep(Duration.ofMinutes(1));

    GlacierRestoreStatus waiting = wf.status();
    assertEquals(RestorePhase.AWAITING_APPROVAL, waiting.phase());
    assertEquals(2, waiting.approvals().size());
    assertTrue(
        waiting.approvals().stream().allMatch(a -> ApprovalRecord.REFUSED.equals(a.outcome())));
    assertTrue(waiting.approvals().get(0).comment().contains("requester may not approve"));
    assertTrue(waiting.approvals().get(1).comment().contains("not on the approver list"));
    assertEquals(0, s3.restoreCalls.get());

    wf.approve(new Approval("alice", "ok"));
    GlacierRestoreResult result =
        client.newUntypedWorkflowStub("restore/self").getResult(GlacierRestoreResult.class);
    assertEquals(GlacierRestoreResult.COMPLETED, result.outcome());
    assertTrue(
        result.approvals().stream()
            .anyMatch(a -> "alice".equals(a.by()) && ApprovalRecord.APPROVED.equals(a.outcome())));
  }

  @Test
  void givenTwoOfThreeRequired_whenOnlyOneApproves_thenStillWaiting_andTheSecondApprovalProceeds() {
    s3.put("logs/a.gz", 1000, "GLACIER");
    GlacierRestoreWorkflow wf = stub("restore/m-of-n");
    WorkflowClient.start(
        wf::run,
        request()
            .requireApproval(true)
            .approval(new ApprovalPolicy(List.of("alice", "carol", "dave"), 2, null))
            .build());
    env.sleep(Duration.ofMinutes(1));

    wf.approve(new Approval("alice", "ok"));
    wf.approve(new Approval("alice", "ok again"));
    env.sleep(Duration.ofHours(1));
    assertEquals(RestorePhase.AWAITING_APPROVAL, wf.status().phase());
    assertTrue(wf.status().waitingFor().contains("1 so far"), wf.status().waitingFor());

    wf.approve(new Approval("carol", "ok"));
    GlacierRestoreResult result =
        client.newUntypedWorkflowStub("restore/m-of-n").getResult(GlacierRestoreResult.class);
    assertEquals(GlacierRestoreResult.COMPLETED, result.outcome());
    assertEquals(1, s3.restoreCalls.get());
  }

  @Test
  void givenCostAboveThreshold_whenRunStarts_thenItWaitsForApprovalBeforeAnyRestore() {
    s3.put("logs/big.tar", 500 * GB, "DEEP_ARCHIVE");
    GlacierRestoreWorkflow wf = stub("restore/cost");
    WorkflowClient.start(
        wf::run,
        request()
            .approvalThresholdUsd(5.0)
            .approval(new ApprovalPolicy(List.of("alice"), 1, null))
            .build());
    env.sleep(Duration.ofMinutes(1));

    GlacierRestoreStatus status = wf.status();
    assertEquals(RestorePhase.AWAITING_APPROVAL, status.phase());
    // 500 GB x $0.02 + 1 request x $0.10/1000
    assertEquals(10.0001, status.cost().totalUsd(), 1e-6);
    assertEquals(0, s3.restoreCalls.get());

    wf.approve(new Approval("alice", "budget ok"));
    assertEquals(
        GlacierRestoreResult.COMPLETED,
        client
            .newUntypedWorkflowStub("restore/cost")
            .getResult(GlacierRestoreResult.class)
            .outcome());
  }

  @Test
  void givenCostBelowThreshold_whenRunStarts_thenNoApprovalIsAsked() {
    s3.put("logs/small.gz", 1000, "DEEP_ARCHIVE");
    GlacierRestoreResult result =
        stub("restore/cheap")
            .run(
                request()
                    .approvalThresholdUsd(5.0)
                    .approval(new ApprovalPolicy(List.of("alice"), 1, null))
                    .build());

    assertEquals(GlacierRestoreResult.COMPLETED, result.outcome());
    assertTrue(result.approvals().isEmpty());
    assertTrue(notify.notices.isEmpty());
  }

  @Test
  void
      givenDeepArchiveAndExpeditedWithoutFallback_whenRunStarts_thenInvalidInputBeforeAnyRestore() {
    s3.put("logs/a.gz", 1000, "DEEP_ARCHIVE");
    WorkflowFailedException e =
        assertThrows(
            WorkflowFailedException.class,
            () ->
                stub("restore/exp")
                    .run(request().tier(RestoreTier.EXPEDITED).allowTierFallback(false).build()));

    assertEquals(ErrorTypes.INVALID_INPUT, failureOf(e).getType());
    assertTrue(failureOf(e).getOriginalMessage().contains("Deep Archive"));
    assertEquals(0, s3.restoreCalls.get());
  }

  @Test
  void givenDeepArchiveAndExpeditedWithFallback_whenRun_thenDeepArchiveUsesStandardWithWarning() {
    s3.put("logs/a.gz", 1000, "DEEP_ARCHIVE").put("logs/b.gz", 1000, "GLACIER");
    GlacierRestoreResult result =
        stub("restore/fallback").run(request().tier(RestoreTier.EXPEDITED).build());

    assertEquals(GlacierRestoreResult.COMPLETED, result.outcome());
    assertTrue(s3.tiersRequested.contains(RestoreTier.STANDARD));
    assertTrue(s3.tiersRequested.contains(RestoreTier.EXPEDITED));
    assertTrue(
        result.warnings().stream().anyMatch(w -> w.contains("Deep Archive has no EXPEDITED")));
  }

  @Test
  void givenUnknownBucket_whenListing_thenInvalidInputNamingTheBucket() {
    s3.listFailureType = ErrorTypes.NOT_FOUND;
    WorkflowFailedException e =
        assertThrows(
            WorkflowFailedException.class, () -> stub("restore/nobucket").run(request().build()));

    assertEquals(ErrorTypes.INVALID_INPUT, failureOf(e).getType());
    assertTrue(failureOf(e).getOriginalMessage().contains("archive-bucket"));
    assertEquals(1, s3.listCalls.get(), "not-found is not retried");
  }

  @Test
  void givenPrefixMatchingNothing_whenListing_thenInvalidInput() {
    s3.put("other/a.gz", 1, "GLACIER");
    WorkflowFailedException e =
        assertThrows(
            WorkflowFailedException.class, () -> stub("restore/empty").run(request().build()));

    assertEquals(ErrorTypes.INVALID_INPUT, failureOf(e).getType());
    assertTrue(failureOf(e).getOriginalMessage().contains("no object"));
  }

  @Test
  void givenInvalidRequest_whenStarted_thenInvalidInputListsEveryProblemAndNothingIsListed() {
    GlacierRestoreRequest bad = request().batchSize(0).requireApproval(true).build();
    WorkflowFailedException e =
        assertThrows(WorkflowFailedException.class, () -> stub("restore/bad").run(bad));

    String msg = failureOf(e).getOriginalMessage();
    assertEquals(ErrorTypes.INVALID_INPUT, failureOf(e).getType());
    assertTrue(msg.contains("batchSize") && msg.contains("approval.approvers"), msg);
    assertEquals(0, s3.listCalls.get());
  }

  @Test
  void givenDownloadDirectoryTheWorkerRefuses_whenRunStarts_thenInvalidInputBeforeAnyRestore() {
    s3.put("logs/a.gz", 1000, "GLACIER").put("logs/b.gz", 500, "STANDARD");
    s3.directoryRefusal =
        "delivery.directory (--download-dir): /restore exists and is a regular file";

    WorkflowFailedException e =
        assertThrows(
            WorkflowFailedException.class,
            () -> stub("restore/dir-refused").run(request().build()));

    assertEquals(ErrorTypes.INVALID_INPUT, failureOf(e).getType());
    assertTrue(
        failureOf(e).getOriginalMessage().contains("is a regular file"),
        failureOf(e).getOriginalMessage());
    assertEquals(
        List.of(new DirectoryCheck("/restore", 1500, 2, List.of("logs"))), s3.directoryChecks);
    assertEquals(0, s3.restoreCalls.get());
    assertEquals(0, s3.deliverCalls.get());
  }

  @Test
  void
      givenKeysThatCannotGetAPathOfTheirOwn_whenRun_thenTheyFailUnrestoredAndTheRestAreDelivered() {
    s3.put("logs/dup/a.txt", 10, "GLACIER")
        .put("logs/dup//a.txt", 20, "GLACIER")
        .put("logs/Case.txt", 30, "GLACIER")
        .put("logs/case.txt", 40, "GLACIER")
        .put("logs/ok.txt", 50, "GLACIER");
    s3.caseInsensitive = true;

    GlacierRestoreResult result = stub("restore/paths").run(request().build());

    assertEquals(GlacierRestoreResult.COMPLETED_WITH_FAILURES, result.outcome());
    assertEquals(3, result.counts().get(ObjectOutcome.FAILED));
    assertEquals(2, result.counts().get(ObjectOutcome.DELIVERED));
    List<String> restoredKeys =
        s3.restoreBatches.stream()
            .flatMap(b -> b.objects().stream())
            .map(ObjectInfo::key)
            .sorted()
            .toList();
    assertEquals(
        List.of("logs/dup/a.txt", "logs/ok.txt"), restoredKeys, "refused keys cost nothing");
    assertTrue(
        result.objects().stream()
            .filter(ObjectOutcome::failed)
            .allMatch(o -> o.detail().startsWith(ErrorTypes.PATH_REFUSED)),
        result.objects().toString());
    assertTrue(
        result.warnings().stream().anyMatch(w -> w.startsWith("3 object(s) cannot be delivered")),
        result.warnings().toString());
    assertEquals(1, s3.directoryChecks.size());
    assertEquals(130, s3.directoryChecks.get(0).bytesNeeded(), "the bytes of the canonical keys");
  }

  @Test
  void givenDirectoryThatGoesBadMidRun_whenDelivering_thenObjectsFailWithTheReasonOnceNotForever() {
    s3.put("logs/a.gz", 1000, "GLACIER").put("logs/b.gz", 1000, "GLACIER");
    s3.deliveryRefusal =
        "delivery.directory (--download-dir): /restore exists and is a regular file";

    GlacierRestoreWorkflow run = stub("restore/dir-went-bad");
    GlacierRestoreResult result = run.run(request().build());
    GlacierRestoreStatus status = run.status();

    assertEquals(GlacierRestoreResult.COMPLETED_WITH_FAILURES, result.outcome());
    assertEquals(1, s3.deliverCalls.get(), "a refused directory is not retried");
    assertEquals(2, status.failed());
    assertTrue(
        result.objects().stream()
            .allMatch(
                o ->
                    o.detail()
                        .startsWith(
                            ErrorTypes.PATH_REFUSED
                                + ": delivery.directory (--download-dir): /restore exists and is a regular file")),
        result.objects().toString());
    assertTrue(
        status.timeline().stream()
            .anyMatch(
                t -> t.step().equals("batch failed") && t.detail().contains("is a regular file")),
        status.timeline().toString());
  }

  @Test
  void givenASubdirectoryThatIsALink_whenRun_thenKeysBelowItFailUnrestored() {
    s3.put("logs/link/x.txt", 10, "GLACIER")
        .put("logs/link/y.txt", 10, "GLACIER")
        .put("logs/fine/z.txt", 10, "GLACIER");
    s3.linkedSubdirectories.add("logs/link");

    GlacierRestoreResult result = stub("restore/linked").run(request().build());

    assertEquals(
        List.of("logs/fine", "logs/link"),
        s3.directoryChecks.get(0).subdirectories().stream().sorted().toList());
    assertEquals(2, result.counts().get(ObjectOutcome.FAILED));
    assertEquals(
        List.of("logs/fine/z.txt"),
        s3.restoreBatches.stream()
            .flatMap(b -> b.objects().stream())
            .map(ObjectInfo::key)
            .toList());
    assertTrue(
        result.objects().stream()
            .filter(ObjectOutcome::failed)
            .allMatch(o -> o.detail().contains("is a symbolic link")),
        result.objects().toString());
  }

  @Test
  void givenDryRun_whenRun_thenPlanListsTheCallsAndNothingIsRestored() {
    s3.put("logs/a.gz", 1000, "DEEP_ARCHIVE").put("logs/b.gz", 1000, "STANDARD");
    GlacierRestoreResult result = stub("restore/plan").run(request().dryRun(true).build());

    assertEquals(GlacierRestoreResult.PLANNED, result.outcome());
    assertTrue(
        result.plan().stream()
            .anyMatch(
                p -> p.call().startsWith("RestoreObject") && p.call().contains("Tier=Standard")));
    assertTrue(result.plan().stream().anyMatch(p -> p.call().startsWith("GetObject")));
    assertEquals(0, s3.restoreCalls.get());
    assertEquals(0, s3.deliverCalls.get());
  }

  @Test
  void givenRestoreVanished_whenChecking_thenBatchObjectsFailAndRunCompletesWithFailures() {
    s3.put("logs/a.gz", 1000, "GLACIER").put("logs/b.gz", 1000, "STANDARD");
    s3.checkFailureType = ErrorTypes.INVALID_STATE;
    GlacierRestoreResult result = stub("restore/vanished").run(request().build());

    assertEquals(GlacierRestoreResult.COMPLETED_WITH_FAILURES, result.outcome());
    assertEquals(1, result.counts().get(ObjectOutcome.FAILED));
    assertEquals(1, result.counts().get(ObjectOutcome.DELIVERED));
    assertTrue(result.objects().get(0).detail().startsWith(ErrorTypes.INVALID_STATE));
  }

  @Test
  void givenRestoreNeverFinishes_whenMaxWaitElapses_thenObjectsFailWithWaitTimeout() {
    s3.put("logs/a.gz", 1000, "DEEP_ARCHIVE");
    s3.restoreTime.put("DEEP_ARCHIVE/STANDARD", Duration.ofDays(30));
    GlacierRestoreResult result =
        stub("restore/stuck").run(request().maxWait(Duration.ofHours(20)).build());

    assertEquals(GlacierRestoreResult.COMPLETED_WITH_FAILURES, result.outcome());
    assertTrue(
        result.objects().get(0).detail().contains(ErrorTypes.WAIT_TIMEOUT),
        result.objects().get(0).detail());
    assertEquals(0, s3.deliverCalls.get());
  }

  @Test
  void givenManyObjects_whenRun_thenBatchesAreBoundedAndEveryObjectHasAnOutcome() {
    for (int i = 0; i < 2500; i++) {
      s3.put(String.format("logs/%05d.gz", i), 10, i % 2 == 0 ? "GLACIER" : "DEEP_ARCHIVE");
    }
    GlacierRestoreResult result =
        stub("restore/many").run(request().batchSize(250).maxConcurrentBatches(3).build());

    assertEquals(2500, result.counts().get(ObjectOutcome.DELIVERED));
    assertEquals(GlacierRestoreWorkflowImpl.MAX_OUTCOMES_IN_RESULT, result.objects().size());
    assertEquals(1500, result.objectsOmitted());
    assertEquals(10, s3.restoreCalls.get());
    assertEquals(3, s3.listCalls.get(), "1,000 objects per listing page");
    assertFalse(client.fetchHistory("restore/many").getHistory().getEventsCount() > 300);
  }
}
