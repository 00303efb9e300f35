package dev.dbops.workflows.common;

import static dev.dbops.workflows.common.GatedRun.APPROVER;
import static dev.dbops.workflows.common.GatedRun.OUTSIDER;
import static dev.dbops.workflows.common.GatedRun.REQUESTER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dbops.workflows.binlog.ErrorDecision;
import dev.dbops.workflows.restore.GlacierGatedRun;
import dev.dbops.workflows.staging.StagingGatedRun;
import dev.dbops.workflows.staging.StagingRebuildResult;
import dev.dbops.workflows.upgrade.UpgradeGatedRun;
import io.temporal.client.WorkflowFailedException;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Safety rules that hold for every procedure (issue 6, item 6), where the per-procedure tests leave
 * gaps: nobody but a listed approver other than the requester moves a run past its wait (approve,
 * reject and the binlog decide, each checked for the requester, a stranger, a blank name and a name
 * that differs from a listed one only in case); a production-tagged cluster is touched only when
 * the request names it; a staging rebuild deletes nothing but its old dbops-owned cluster and what
 * it created itself.
 */
class SafetyRulesTest {
  static Stream<Named<Supplier<GatedRun>>> gatedRuns() {
    return Stream.of(
        Named.of("glacier-restore (before RestoreObject)", GlacierGatedRun::new),
        Named.of("upgrade (before snapshot and ModifyDBCluster)", UpgradeGatedRun::new),
        Named.of("staging-rebuild (grace before deleting the old cluster)", StagingGatedRun::new),
        Named.of("binlog-catch-up (before the cut-over)", BinlogGatedRun::new));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("gatedRuns")
  void
      givenRunWaitingForPeople_whenRequesterStrangerOrNoNameApprovesOrRejects_thenEachRefusedAndNothingDone_andOnlyTheApproverMovesIt(
          Supplier<GatedRun> fixture) {
    try (GatedRun run = fixture.get()) {
      run.startAndAwaitPeople();
      assertEquals(run.waitingPhase(), run.phase());
      int before = run.records().size();

      run.approve(new Approval(REQUESTER, "my own change, approving it myself"));
      run.reject(new Rejection(REQUESTER, "a requester's no is not a reviewer's no"));
      run.approve(new Approval(OUTSIDER, "lgtm"));
      run.reject(new Rejection(OUTSIDER, "not today"));
      run.approve(new Approval(" ", "nobody"));
      run.approve(new Approval(APPROVER.toUpperCase(), "the list is matched exactly"));
      run.sleep(Duration.ofMinutes(1));

      List<ApprovalRecord> refused = run.records().subList(before, run.records().size());
      assertEquals(
          List.of(REQUESTER, REQUESTER, OUTSIDER, OUTSIDER, " ", "ALICE"),
          refused.stream().map(ApprovalRecord::by).toList(),
          refused.toString());
      assertTrue(
          refused.stream().allMatch(r -> ApprovalRecord.REFUSED.equals(r.outcome())),
          refused.toString());
      assertTrue(
          refused.get(0).comment().contains("the requester may not approve their own run"),
          refused.toString());
      assertTrue(
          refused.get(1).comment().contains("the requester may not approve their own run"),
          refused.toString());
      assertTrue(
          refused.get(2).comment().contains(OUTSIDER + " is not on the approver list"),
          refused.toString());
      assertTrue(
          refused.get(3).comment().contains(OUTSIDER + " is not on the approver list"),
          refused.toString());
      assertTrue(refused.get(4).comment().contains("approver name is missing"), refused.toString());
      assertTrue(
          refused.get(5).comment().contains("ALICE is not on the approver list"),
          refused.toString());
      assertEquals(run.waitingPhase(), run.phase(), "a refused signal moved the run");
      assertEquals(0, run.gatedChanges(), "the gated step ran without a valid approval");

      run.approve(new Approval(APPROVER, "reviewed"));
      run.awaitEnd();
      assertTrue(run.gatedChanges() > 0, "the approver's approval did not let the run go on");
    }
  }

  @Test
  void
      givenBinlogErrorWaiting_whenRequesterStrangerOrNoNameDecides_thenRefusedAndNothingCarriedOut_andTheApproverDecides() {
    try (BinlogGatedRun run = new BinlogGatedRun()) {
      run.startAndAwaitDecision();
      assertEquals("AWAITING_DECISION", run.phase());

      run.decide(new ErrorDecision(ErrorDecision.SKIP, REQUESTER, "skip it, it is my run"));
      run.decide(new ErrorDecision(ErrorDecision.SKIP, OUTSIDER, "skip"));
      run.decide(new ErrorDecision(ErrorDecision.SKIP, "", "skip"));
      run.decide(new ErrorDecision(ErrorDecision.ABORT, APPROVER.toUpperCase(), "abort"));
      run.decide(
          new ErrorDecision(
              ErrorDecision.SKIP, " " + REQUESTER.toUpperCase(), "my run, other spelling"));
      run.decide(new ErrorDecision(ErrorDecision.SKIP, APPROVER + "\nroot", "forged line"));
      run.sleep(Duration.ofMinutes(1));

      List<ApprovalRecord> refused = run.records();
      assertEquals(6, refused.size(), refused.toString());
      assertTrue(
          refused.stream().allMatch(r -> ApprovalRecord.REFUSED.equals(r.outcome())),
          refused.toString());
      assertTrue(
          refused.get(0).comment().contains("the requester may not decide on their own run"),
          refused.toString());
      assertTrue(
          refused.get(1).comment().contains(OUTSIDER + " is not on the approver list"),
          refused.toString());
      assertTrue(
          refused.get(2).comment().contains("name of who decides is missing"), refused.toString());
      assertTrue(
          refused.get(3).comment().contains("ALICE is not on the approver list"),
          refused.toString());
      assertTrue(
          refused.get(4).comment().contains("the requester may not decide on their own run"),
          refused.toString());
      assertTrue(refused.get(5).comment().contains("control character"), refused.toString());
      assertEquals(
          APPROVER + "\\nroot", refused.get(5).by(), "recorded escaped, not as a raw newline");
      assertEquals("AWAITING_DECISION", run.phase());
      assertEquals(0, run.carriedOut(), "a refused decision was carried out on the replica");

      run.decide(new ErrorDecision(ErrorDecision.RETRY, APPROVER, "the table is back"));
      run.sleep(Duration.ofMinutes(1));
      assertEquals(1, run.carriedOut());
      assertEquals("AWAITING_CUTOVER", run.phase());
    }
  }

  @Test
  void
      givenProductionTaggedOldStagingCluster_whenRequestDoesNotNameIt_thenRefusedBeforeAnyChange() {
    for (String confirm :
        new String[] {null, "prod-main", StagingGatedRun.oldClusterId().toUpperCase()}) {
      try (StagingGatedRun run = StagingGatedRun.production(confirm)) {
        run.start();
        WorkflowFailedException e =
            assertThrows(WorkflowFailedException.class, run::result, "confirm " + confirm);
        ApplicationFailure f = assertInstanceOf(ApplicationFailure.class, e.getCause());
        assertEquals(ErrorTypes.INVALID_INPUT, f.getType());
        assertTrue(
            f.getOriginalMessage()
                .contains(
                    "confirmProduction: '"
                        + StagingGatedRun.oldClusterId()
                        + "' is tagged production"),
            f.getOriginalMessage());
        assertEquals(List.of(), run.mutations(), "confirm " + confirm);
        assertTrue(run.oldClusterExists());
      }
    }
  }

  @Test
  void givenProductionTaggedOldStagingCluster_whenRequestNamesIt_thenRetiredAfterTheApproval() {
    try (StagingGatedRun run = StagingGatedRun.production(StagingGatedRun.oldClusterId())) {
      run.startAndAwaitPeople();
      assertEquals(run.waitingPhase(), run.phase());
      assertTrue(run.oldClusterExists());
      run.approve(new Approval(APPROVER, "named and reviewed"));
      assertEquals(StagingRebuildResult.RETIRED, run.result().retirement());
      assertFalse(run.oldClusterExists());
    }
  }

  @Test
  void givenProductionTaggedCluster_whenUpgradeNamesAnotherCluster_thenRefusedBeforeAnyChange() {
    try (UpgradeGatedRun run = UpgradeGatedRun.production("order")) {
      run.start();
      WorkflowFailedException e = assertThrows(WorkflowFailedException.class, run::awaitEnd);
      ApplicationFailure f = assertInstanceOf(ApplicationFailure.class, e.getCause());
      assertEquals(ErrorTypes.INVALID_INPUT, f.getType());
      assertTrue(
          f.getOriginalMessage().contains("confirmProduction: 'orders' is tagged production"),
          f.getOriginalMessage());
      assertEquals(0, run.gatedChanges());
    }
  }

  @Test
  void
      givenProductionTaggedCluster_whenUpgradeNamesIt_thenItStillWaitsForTheApprovalAndThenUpgrades() {
    try (UpgradeGatedRun run = UpgradeGatedRun.production("orders")) {
      run.startAndAwaitPeople();
      assertEquals(
          run.waitingPhase(), run.phase(), "naming the cluster does not replace the approval");
      assertEquals(0, run.gatedChanges());
      run.approve(new Approval(APPROVER, "maintenance window"));
      run.awaitEnd();
      assertEquals(2, run.gatedChanges(), "one snapshot, one ModifyDBCluster");
    }
  }

  @Test
  void
      givenStagingRebuildThatRetires_whenDone_thenEveryDeleteNamesTheOldDbopsClusterOrWhatThisRunCreated() {
    try (StagingGatedRun run = new StagingGatedRun()) {
      run.startAndAwaitPeople();
      run.approve(new Approval(APPROVER, "retire now"));
      assertEquals(StagingRebuildResult.RETIRED, run.result().retirement());

      Set<String> created = new HashSet<>();
      Set<String> deleted = new HashSet<>();
      for (String m : run.mutations()) {
        String[] op = m.split(" ");
        if (op[0].startsWith("Create") || op[0].startsWith("Copy") || op[0].startsWith("Restore")) {
          created.add(op[op.length - 1]);
        } else if (op[0].startsWith("Delete")) {
          deleted.add(op[op.length - 1]);
        }
      }
      assertTrue(deleted.contains(StagingGatedRun.oldClusterId()), run.mutations().toString());
      created.add(StagingGatedRun.oldClusterId());
      assertTrue(
          created.containsAll(deleted),
          "deleted what the run neither created nor retires: " + run.mutations());
    }
  }
}
