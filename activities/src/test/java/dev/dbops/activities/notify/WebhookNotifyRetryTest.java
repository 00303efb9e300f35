package dev.dbops.activities.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dbops.activities.common.SecretResolver;
import dev.dbops.workflows.common.ActivityStubs;
import dev.dbops.workflows.common.PeopleNotifier;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The webhook notifier under the workflows' own notice path ({@code PeopleNotifier} with the
 * LOCAL_NOTIFY options): Temporal retries a failed post, and a webhook that keeps failing leaves a
 * warning, never a failed run.
 */
class WebhookNotifyRetryTest {
  static final String QUEUE = "notify-test";

  @WorkflowInterface
  public interface WaitsOnce {
    /** Sends one "waiting" notice and returns the run's warnings. */
    @WorkflowMethod
    List<String> run();
  }

  public static class WaitsOnceImpl implements WaitsOnce {
    @Override
    public List<String> run() {
      List<String> warnings = new ArrayList<>();
      new PeopleNotifier("glacier-restore", warnings)
          .waiting("approve-cost", "approval of $12.40", List.of("alice"), null);
      return warnings;
    }
  }

  private final WebhookReceiver receiver = new WebhookReceiver();
  private TestWorkflowEnvironment env;

  @BeforeEach
  void start() {
    env = TestWorkflowEnvironment.newInstance();
    Worker worker = env.newWorker(QUEUE);
    worker.registerWorkflowImplementationTypes(WaitsOnceImpl.class);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    worker.registerActivitiesImplementations(
        new WebhookNotifyActivities(
            new LogNotifyActivities(),
            new WebhookSettings("env:HOOK", URI.create("http://localhost:8080"), "default"),
            new SecretResolver(Map.of("HOOK", receiver.url().toString()), null),
            registry));
    env.start();
  }

  @AfterEach
  void stop() {
    env.close();
    receiver.close();
  }

  private List<String> run(String id) {
    return env.getWorkflowClient()
        .newWorkflowStub(
            WaitsOnce.class,
            WorkflowOptions.newBuilder().setWorkflowId(id).setTaskQueue(QUEUE).build())
        .run();
  }

  @Test
  void givenTheWebhookFailsOnce_whenARunWaits_thenTemporalRetriesAndTheNoticeArrives() {
    receiver.answer(500);

    List<String> warnings = run("restore/b/once");

    assertEquals(List.of(), warnings);
    assertEquals(2, receiver.posts().size());
    assertTrue(receiver.posts().get(1).body().get("text").asText().contains("restore/b/once"));
  }

  @Test
  void givenTheWebhookAlwaysFails_whenARunWaits_thenAFewAttemptsThenAWarningAndTheRunGoesOn() {
    receiver.answer(503, 503, 503, 503, 503, 503, 503, 503);

    List<String> warnings = run("restore/b/down");

    assertEquals(
        ActivityStubs.LOCAL_NOTIFY.getRetryOptions().getMaximumAttempts(),
        receiver.posts().size(),
        "attempts");
    assertEquals(1, warnings.size(), warnings.toString());
    assertTrue(
        warnings.get(0).startsWith("notification failed: ")
            && warnings
                .get(0)
                .contains("waiting notice not delivered: the webhook answered HTTP 503"),
        warnings.get(0));
    assertTrue(!warnings.get(0).contains(WebhookReceiver.TOKEN), warnings.get(0));
  }

  @Test
  void givenTheWebhookIsGone_whenARunWaits_thenOneAttemptAndAWarning() {
    receiver.answer(404, 404, 404);

    List<String> warnings = run("restore/b/gone");

    assertEquals(1, receiver.posts().size(), "a 404 is not retried");
    assertTrue(warnings.get(0).contains("HTTP 404"), warnings.toString());
  }
}
