package dev.dbops.starter;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
    return WorkflowExecutionInfo.newBuilder().setExecution(WorkflowExecution.newBuilder().setWorkflowId(id))
        .setType(WorkflowType.newBuilder().setName(type)).build();
  }

  @Test
  void givenPagesWithLockAndExportHelpers_whenListed_thenOnlyProcedureRunsUpToTheLimitAcrossPages() {
    String restore = Procedures.GLACIER_RESTORE.workflowType();
    String upgrade = Procedures.UPGRADE.workflowType();
    List<List<WorkflowExecutionInfo>> pages = List.of(
        List.of(run("a", restore), run("dbops-lock/1", "TargetLockWorkflow")),
        List.of(run("dbops-lock/2", "TargetLockWorkflow"), run("export/x", "JournalExportWorkflow")),
        List.of(run("b", upgrade), run("c", restore)),
        List.of(run("d", restore)));
    List<Integer> fetched = new ArrayList<>();
    List<WorkflowExecutionInfo> runs = ListCommand.procedureRuns(token -> {
      int i = token.isEmpty() ? 0 : token.toByteArray()[0];
      fetched.add(i);
      ByteString next = i + 1 < pages.size() ? ByteString.copyFrom(new byte[] {(byte) (i + 1)}) : ByteString.EMPTY;
      return new ListCommand.Page(pages.get(i), next);
    }, 3);

    assertEquals(List.of("a", "b", "c"), runs.stream().map(r -> r.getExecution().getWorkflowId()).toList());
    assertEquals(List.of(0, 1, 2), fetched, "stops fetching once the limit is reached");
  }
}
