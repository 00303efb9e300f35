package dev.dbops.workflows.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactoryOptions;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RunEndedInterceptorTest {
  @WorkflowInterface
  public interface Tiny {
    @WorkflowMethod
    String run(String mode);
  }

  public static class TinyImpl implements Tiny {
    @Override
    public String run(String mode) {
      Workflow.sleep(Duration.ofHours(2));
      if (mode.equals("fail"))
        throw ApplicationFailure.newNonRetryableFailure(
            "masking found 3 rows", ErrorTypes.MASKING_FAILED);
      return "ok";
    }
  }

  static RunEndedInterceptor interceptor() {
    return new RunEndedInterceptor(Map.of("Tiny", "tiny-procedure"));
  }

  static TestEnvironmentOptions options() {
    return TestEnvironmentOptions.newBuilder()
        .setWorkerFactoryOptions(
            WorkerFactoryOptions.newBuilder().setWorkerInterceptors(interceptor()).build())
        .build();
  }

  TestWorkflowEnvironment env;
  final List<RunNotice> ended = new CopyOnWriteArrayList<>();

  @BeforeEach
  void setUp() {
    env = TestWorkflowEnvironment.newInstance(options());
    Worker w = env.newWorker("q");
    w.registerWorkflowImplementationTypes(TinyImpl.class);
    w.registerActivitiesImplementations(
        new NotifyActivities() {
          @Override
          public void waitingForPerson(WaitNotice n) {}

          @Override
          public void personResponded(WaitNotice n) {}

          @Override
          public void runEnded(RunNotice n) {
            ended.add(n);
          }
        });
    env.start();
  }

  @AfterEach
  void tearDown() {
    env.close();
  }

  Tiny tiny(String id) {
    return env.getWorkflowClient()
        .newWorkflowStub(
            Tiny.class, WorkflowOptions.newBuilder().setTaskQueue("q").setWorkflowId(id).build());
  }

  @Test
  void givenRunsThatCompleteAndFail_whenTheyEnd_thenOneNoticeEachWithOutcomeAndType() {
    assertEquals("ok", tiny("a").run("ok"));
    assertThrows(WorkflowFailedException.class, () -> tiny("b").run("fail"));
    assertEquals(2, ended.size());
    assertEquals(
        new RunNotice("a", "tiny-procedure", RunNotice.COMPLETED, "completed after 2h 0m", null),
        ended.get(0));
    RunNotice failed = ended.get(1);
    assertEquals(RunNotice.FAILED, failed.outcome());
    assertEquals(ErrorTypes.MASKING_FAILED, failed.failureType());
    assertEquals("masking found 3 rows", failed.summary());
  }

  @Test
  void givenHistoriesRecordedBeforeTheNotice_whenReplayedWithIt_thenStillCompatible()
      throws Exception {
    HistoryReplayTest.replayEachWith(options());
  }
}
