package dev.dbops.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dbops.workflows.catalog.Procedures;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.interceptors.WorkerInterceptorBase;
import io.temporal.common.interceptors.WorkflowInboundCallsInterceptor;
import io.temporal.common.interceptors.WorkflowInboundCallsInterceptorBase;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactoryOptions;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The worker's run-ended notice goes to the catalog's procedures only: a helper workflow (one per
 * journal page) ending must not post a notice each time.
 */
class ProceduresOnlyInterceptorTest {
  /** Stands in for a procedure: its workflow type is the Glacier restore's. */
  @WorkflowInterface
  public interface LikeAProcedure {
    @WorkflowMethod(name = "GlacierRestoreWorkflow")
    String run();
  }

  public static class LikeAProcedureImpl implements LikeAProcedure {
    @Override
    public String run() {
      return "procedure";
    }
  }

  @WorkflowInterface
  public interface Helper {
    @WorkflowMethod
    String run();
  }

  public static class HelperImpl implements Helper {
    @Override
    public String run() {
      return "helper";
    }
  }

  @Test
  void
      givenAProcedureAndAHelperWorkflow_whenBothEnd_thenOnlyTheProcedurePassesThroughTheInterceptor() {
    List<String> seen = new CopyOnWriteArrayList<>();
    WorkerInterceptorBase recording =
        new WorkerInterceptorBase() {
          @Override
          public WorkflowInboundCallsInterceptor interceptWorkflow(
              WorkflowInboundCallsInterceptor next) {
            return new WorkflowInboundCallsInterceptorBase(next) {
              @Override
              public WorkflowOutput execute(WorkflowInput input) {
                seen.add(Workflow.getInfo().getWorkflowType());
                return super.execute(input);
              }
            };
          }
        };
    assertTrue(
        Procedures.namesByWorkflowType().containsKey("GlacierRestoreWorkflow"), "a procedure type");
    try (TestWorkflowEnvironment env =
        TestWorkflowEnvironment.newInstance(
            TestEnvironmentOptions.newBuilder()
                .setWorkerFactoryOptions(
                    WorkerFactoryOptions.newBuilder()
                        .setWorkerInterceptors(DbopsWorker.proceduresOnly(recording))
                        .build())
                .build())) {
      Worker w = env.newWorker("q");
      w.registerWorkflowImplementationTypes(LikeAProcedureImpl.class, HelperImpl.class);
      env.start();
      WorkflowOptions options = WorkflowOptions.newBuilder().setTaskQueue("q").build();

      assertEquals(
          "procedure",
          env.getWorkflowClient().newWorkflowStub(LikeAProcedure.class, options).run());
      assertEquals("helper", env.getWorkflowClient().newWorkflowStub(Helper.class, options).run());

      assertEquals(List.of("GlacierRestoreWorkflow"), seen);
    }
  }
}
