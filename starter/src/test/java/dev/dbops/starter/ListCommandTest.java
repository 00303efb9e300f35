package dev.dbops.starter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.dbops.workflows.catalog.Procedures;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.common.v1.WorkflowType;
import io.temporal.api.workflow.v1.WorkflowExecutionInfo;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code list} shows procedures only, and as many as asked, whatever helpers share the pages. */
class ListCommandTest {
  static WorkflowExecutionInfo run(String id, String type) {
    return WorkflowExecutionInfo.newBuilder()
        .setExecution(WorkflowExecution.newBuilder().setWorkflowId(id))
        .setType(WorkflowType.newBuilder().setName(type))
        .build();
  }

  @Test
  void
      givenPagesWithLockAndExportHelpers_whenListed_thenOnlyProcedureRunsUpToTheLimitAcrossPages() {
    String restore = Procedures.GLACIER_RESTORE.workflowType();
    String upgrade = Procedures.UPGRADE.workflowType();
    List<List<WorkflowExecutionInfo>> pages =
        List.of(
            List.of(run("a", restore), run("dbops-lock/1", "TargetLockWorkflow")),
            List.of(
                run("dbops-lock/2", "TargetLockWorkflow"),
                run("export/x", "JournalExportWorkflow")),
            List.of(run("b", upgrade), run("c", restore)),
            List.of(run("d", restore)));
    List<Integer> fetched = new ArrayList<>();
    List<WorkflowExecutionInfo> runs =
        ListCommand.procedureRuns(
            token -> {
              int i = token.isEmpty() ? 0 : token.toByteArray()[0];
              fetched.add(i);
              ByteString next =
                  i + 1 < pages.size()
                      ? ByteString.copyFrom(new byte[] {(byte) (i + 1)})
                      : ByteString.EMPTY;
              return new ListCommand.Page(pages.get(i), next);
            },
            3);

    assertEquals(
        List.of("a", "b", "c"), runs.stream().map(r -> r.getExecution().getWorkflowId()).toList());
    assertEquals(List.of(0, 1, 2), fetched, "stops fetching once the limit is reached");
  }

  private static List<ListCommand.Page> onePage(List<WorkflowExecutionInfo> runs) {
    return List.of(new ListCommand.Page(runs, ByteString.EMPTY));
  }

  @Test
  void
      givenRunsOfSeveralProceduresAndTargets_whenFilteredByProcedureAndTarget_thenOnlyThoseMatchingBoth() {
    String restore = Procedures.GLACIER_RESTORE.workflowType();
    String upgrade = Procedures.UPGRADE.workflowType();
    List<WorkflowExecutionInfo> page =
        List.of(
            run("upgrade/orders", upgrade),
            run("upgrade/billing", upgrade),
            run("restore/orders/2023/", restore),
            run("dbops-lock/upgrade/orders", "TargetLockWorkflow"));
    List<WorkflowExecutionInfo> runs =
        ListCommand.procedureRuns(
            t -> onePage(page).get(0),
            10,
            ListCommand.matching(Procedures.UPGRADE.name(), "orders"));
    assertEquals(
        List.of("upgrade/orders"),
        runs.stream().map(r -> r.getExecution().getWorkflowId()).toList());
  }

  @Test
  void givenManyOpenRuns_whenFilteredByWaiting_thenOneQueryPerRunAtMostFourAtOnceOnlyWaitingKept() {
    String upgrade = Procedures.UPGRADE.workflowType();
    List<WorkflowExecutionInfo> open = new ArrayList<>();
    for (int i = 0; i < 12; i++) open.add(run("upgrade/c" + i, upgrade));
    java.util.concurrent.atomic.AtomicInteger inFlight =
        new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.atomic.AtomicInteger most =
        new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.ConcurrentLinkedQueue<String> asked =
        new java.util.concurrent.ConcurrentLinkedQueue<>();
    var lists =
        ListCommand.withStatus(
            open,
            id -> {
              asked.add(id);
              most.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
              try {
                Thread.sleep(50); // a query's round trip, so the queries overlap
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              inFlight.decrementAndGet();
              int n = Integer.parseInt(id.substring("upgrade/c".length()));
              if (n == 11) return java.util.Optional.empty(); // no worker answered
              var s =
                  Render.MAPPER
                      .createObjectNode()
                      .put("phase", n % 3 == 0 ? "AWAITING_APPROVAL" : "UPGRADING");
              return java.util.Optional.of(s);
            },
            ListCommand.STATUS_QUERIES_AT_ONCE);
    List<String> waiting =
        lists.stream()
            .filter(l -> ListCommand.inPhase(l.status(), null, true))
            .map(l -> l.info().getExecution().getWorkflowId())
            .toList();
    List<String> upgrading =
        lists.stream()
            .filter(l -> ListCommand.inPhase(l.status(), "upgrading", false))
            .map(l -> l.info().getExecution().getWorkflowId())
            .toList();

    assertEquals(List.of("upgrade/c0", "upgrade/c3", "upgrade/c6", "upgrade/c9"), waiting);
    assertEquals(7, upgrading.size(), upgrading.toString());
    assertEquals(12, asked.size(), "one status query per listed run");
    assertTrue(
        most.get() > 1 && most.get() <= ListCommand.STATUS_QUERIES_AT_ONCE,
        "at once: " + most.get());
  }

  static WorkflowExecutionInfo run(String id, String type, String dbopsTarget) {
    return run(id, type).toBuilder()
        .setSearchAttributes(
            io.temporal.api.common.v1.SearchAttributes.newBuilder()
                .putIndexedFields(
                    "DbopsTarget",
                    io.temporal.common.converter.DefaultDataConverter.STANDARD_INSTANCE
                        .toPayload(dbopsTarget)
                        .orElseThrow()))
        .build();
  }

  @Test
  void givenRunsStartedWithIdsOfTheirOwn_whenFilteredByTarget_thenMatchedByTheirDbopsTarget() {
    String restore = Procedures.GLACIER_RESTORE.workflowType();
    String upgrade = Procedures.UPGRADE.workflowType();
    List<WorkflowExecutionInfo> page =
        List.of(
            run("nightly-1", upgrade, "orders"),
            run("nightly-2", upgrade, "billing"),
            run("weekly", restore, "archive/orders/2023/,archive/orders/2024/"),
            run("upgrade/orders-old", upgrade),
            run("dbops-lock/orders", "TargetLockWorkflow", "orders"));
    List<WorkflowExecutionInfo> runs =
        ListCommand.procedureRuns(
            t -> onePage(page).get(0), 10, ListCommand.matching(null, "orders"));
    assertEquals(
        List.of("nightly-1", "weekly", "upgrade/orders-old"),
        runs.stream().map(r -> r.getExecution().getWorkflowId()).toList(),
        "by DbopsTarget, or by workflow id where the run has none; never a helper");
    assertEquals(
        List.of("nightly-2"),
        ListCommand.procedureRuns(
                t -> onePage(page).get(0), 10, ListCommand.matching(null, "billing"))
            .stream()
            .map(r -> r.getExecution().getWorkflowId())
            .toList());
  }

  @Test
  void
      givenAServerListingRunsWithoutSearchAttributes_whenFilteredByTarget_thenOnlyThoseAreDescribed() {
    String upgrade = Procedures.UPGRADE.workflowType();
    List<WorkflowExecutionInfo> page =
        List.of(
            run("nightly-1", upgrade),
            run("nightly-2", upgrade, "billing"),
            run("upgrade/orders", upgrade));
    List<String> described = new ArrayList<>();
    List<WorkflowExecutionInfo> runs =
        ListCommand.procedureRuns(
            t -> onePage(page).get(0),
            10,
            ListCommand.matching(
                null,
                "orders",
                r -> {
                  described.add(r.getExecution().getWorkflowId());
                  return run(r.getExecution().getWorkflowId(), upgrade, "orders");
                }));
    assertEquals(
        List.of("nightly-1", "upgrade/orders"),
        runs.stream().map(r -> r.getExecution().getWorkflowId()).toList());
    assertEquals(
        List.of("nightly-1"),
        described,
        "a run listed with its attributes, or matched by id, is not described");
  }
}
