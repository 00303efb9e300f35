package dev.dbops.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.dbops.client.DbopsConfig;
import dev.dbops.workflows.catalog.Procedure;
import dev.dbops.workflows.catalog.Procedures;
import dev.dbops.workflows.common.Bounds;
import dev.dbops.workflows.common.ErrorTypes;
import dev.dbops.workflows.restore.GlacierRestoreRequest;
import dev.dbops.workflows.restore.GlacierRestoreResult;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.History;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DataConverterException;
import io.temporal.common.converter.GlobalDataConverter;
import io.temporal.common.converter.RawValue;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.ReplayResults;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.Worker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A start whose JSON cannot become the request record (as the Temporal UI can send it) fails the
 * run at once with a non-retryable InvalidInput naming the problem, for every procedure the worker
 * registers, before any activity; it no longer retries the workflow task until the run times out.
 */
@Tag("devstack")
class UndecodableRequestTest {
  static final String QUEUE = "undecodable-test";
  static DevServer dev;
  static DbopsWorker worker;

  @BeforeAll
  static void start() {
    dev = DevServer.start(0, 0);
    worker =
        DbopsWorker.start(
            DbopsConfig.from(
                Map.of(
                    DbopsConfig.TEMPORAL_ADDRESS,
                    dev.temporalAddress(),
                    DbopsConfig.DBOPS_TASK_QUEUE,
                    QUEUE,
                    DbopsConfig.DBOPS_AWS_ENDPOINT,
                    dev.sandboxEndpoint().toString(),
                    DbopsConfig.DBOPS_METRICS_PORT,
                    "0")));
  }

  @AfterAll
  static void stop() {
    if (worker != null) worker.close();
    if (dev != null) dev.close();
  }

  static Payload json(String text) {
    return Payload.newBuilder()
        .putMetadata("encoding", ByteString.copyFromUtf8("json/plain"))
        .setData(ByteString.copyFromUtf8(text))
        .build();
  }

  static final DataConverter CONVERTER =
      RequestDecoding.refusingUndecodableRequests(GlobalDataConverter.get());

  static ApplicationFailure decodeRequest(String text) {
    return assertThrows(
        ApplicationFailure.class,
        () ->
            CONVERTER.fromPayload(
                json(text), GlacierRestoreRequest.class, GlacierRestoreRequest.class));
  }

  @Test
  void
      givenUndecodableRequestJson_whenDecoded_thenNonRetryableInvalidInputNamingTheProblemNotThePayload() {
    ApplicationFailure unknown = decodeRequest("{\"bucket\": \"b\", \"bukket\": \"c\"}");
    assertEquals(ErrorTypes.INVALID_INPUT, unknown.getType());
    assertTrue(unknown.isNonRetryable());
    assertTrue(
        unknown.getOriginalMessage().startsWith("invalid input: bukket: unknown field (known: "),
        unknown.getOriginalMessage());

    String wrongType =
        decodeRequest("{\"bucket\": \"b\", \"days\": \"seven\"}").getOriginalMessage();
    assertTrue(
        wrongType.startsWith("invalid input: days: Cannot deserialize value of type `"), wrongType);

    String secret = "x".repeat(2000);
    String malformed = decodeRequest("{\"bucket\": \"" + secret + "\",").getOriginalMessage();
    assertTrue(
        malformed.startsWith("invalid input: request is not valid JSON (line 1, column "),
        malformed);
    assertFalse(malformed.contains("xxxxxxxxxx"), "the payload is not echoed: " + malformed);
    assertTrue(
        malformed.length() <= RequestDecoding.MAX_MESSAGE + "invalid input: ".length() + 1,
        malformed);

    String notAnObject = decodeRequest("[\"b\"]").getOriginalMessage();
    assertTrue(
        notAnObject.startsWith("invalid input: request: Cannot deserialize value of type `"),
        notAnObject);
  }

  @Test
  void givenUndecodableValueOfAnotherClass_whenDecoded_thenItStaysADataConverterException() {
    // An activity result or a signal that no longer decodes is the code's fault, not the
    // request's: it keeps failing the workflow task until a fixed deployment resumes the run.
    assertThrows(
        DataConverterException.class,
        () ->
            CONVERTER.fromPayload(
                json("{\"outcome\": \"x\", \"nope\": 1}"),
                GlacierRestoreResult.class,
                GlacierRestoreResult.class));
  }

  @Test
  void
      givenMalformedJsonFromTheUi_whenEachProcedureStarts_thenRunFailsAtOnceWithInvalidInputAndNoActivity()
          throws Exception {
    for (Procedure<?> p : Procedures.ALL) {
      String id = "undecodable/" + p.name();
      WorkflowStub stub =
          worker
              .client()
              .newUntypedWorkflowStub(
                  p.workflowType(),
                  WorkflowOptions.newBuilder()
                      .setWorkflowId(id)
                      .setTaskQueue(QUEUE)
                      .setWorkflowRunTimeout(Duration.ofMinutes(1))
                      .build());
      long started = System.nanoTime();
      stub.start(new RawValue(json("{\"requestedBy\": \"bob\", \"pollInterval\": ")));
      WorkflowFailedException e =
          assertThrows(
              WorkflowFailedException.class,
              () -> stub.getResult(20, TimeUnit.SECONDS, Object.class),
              id);
      Duration took = Duration.ofNanos(System.nanoTime() - started);
      ApplicationFailure failure = assertInstanceOf(ApplicationFailure.class, e.getCause(), id);
      assertEquals(ErrorTypes.INVALID_INPUT, failure.getType(), id);
      assertTrue(failure.isNonRetryable(), id);
      assertTrue(
          failure.getOriginalMessage().startsWith("invalid input: request is not valid JSON"),
          failure.getOriginalMessage());
      assertTrue(took.compareTo(Duration.ofSeconds(5)) < 0, id + " took " + took);
      var events = worker.client().fetchHistory(id).getEvents();
      assertTrue(
          events.stream()
              .noneMatch(
                  ev ->
                      ev.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED
                          || ev.getEventType() == EventType.EVENT_TYPE_MARKER_RECORDED),
          id + " ran something: " + events);
      assertEquals(
          0,
          events.stream()
              .filter(ev -> ev.getEventType() == EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED)
              .count(),
          id);
    }
  }

  /** Starts {@code json} as the UI would and returns the run's failure, which must come at once. */
  static ApplicationFailure uiStartFails(String id, String json) {
    WorkflowStub stub =
        worker
            .client()
            .newUntypedWorkflowStub(
                "GlacierRestoreWorkflow",
                WorkflowOptions.newBuilder()
                    .setWorkflowId(id)
                    .setTaskQueue(QUEUE)
                    .setWorkflowRunTimeout(Duration.ofMinutes(1))
                    .build());
    stub.start(new RawValue(json(json)));
    WorkflowFailedException e =
        assertThrows(
            WorkflowFailedException.class,
            () -> stub.getResult(20, TimeUnit.SECONDS, Object.class),
            id);
    ApplicationFailure f = assertInstanceOf(ApplicationFailure.class, e.getCause(), id);
    assertEquals(ErrorTypes.INVALID_INPUT, f.getType(), id + ": " + f.getOriginalMessage());
    assertTrue(f.isNonRetryable(), id);
    var events = worker.client().fetchHistory(id).getEvents();
    assertTrue(
        events.stream()
            .noneMatch(
                ev ->
                    ev.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED
                        || ev.getEventType() == EventType.EVENT_TYPE_MARKER_RECORDED),
        id + " ran something");
    return f;
  }

  static final String VALID =
      "\"bucket\": \"b-bucket\", \"prefix\": \"p/\", \"tier\": \"STANDARD\"";

  @Test
  void givenLooseJsonFromTheUi_whenStarted_thenTheRunFailsAsInvalidInputNamingTheField() {
    assertTrue(
        uiStartFails(
                "strict/duplicate",
                "{" + VALID + ", \"requestedBy\": \"alice\", \"requestedBy\": \"bob\"}")
            .getOriginalMessage()
            .contains("requestedBy"));
    assertTrue(
        uiStartFails("strict/string-number", "{" + VALID + ", \"days\": \"7\"}")
            .getOriginalMessage()
            .startsWith("invalid input: days: "));
    assertTrue(
        uiStartFails("strict/fraction", "{" + VALID + ", \"days\": 7.9}")
            .getOriginalMessage()
            .startsWith("invalid input: days: "));
    assertTrue(
        uiStartFails(
                "strict/enum-index", "{\"bucket\": \"b-bucket\", \"prefix\": \"p/\", \"tier\": 1}")
            .getOriginalMessage()
            .startsWith("invalid input: tier: "));
    String big =
        "{" + VALID + ", \"requestedBy\": \"" + "x".repeat(Bounds.MAX_REQUEST_BYTES) + "\"}";
    String tooBig = uiStartFails("strict/too-big", big).getOriginalMessage();
    assertTrue(
        tooBig.startsWith("invalid input: request: ")
            && tooBig.contains("at most " + Bounds.MAX_REQUEST_BYTES),
        tooBig);
  }

  /**
   * The strict reading applies to new runs only: every recorded history replays through the
   * worker's own converter and interceptors, and so does a history whose request JSON has a
   * duplicate key (a run the UI started before the rule).
   */
  @Test
  void givenRecordedHistories_whenReplayedThroughTheWorkersConverter_thenTheyReplay()
      throws Exception {
    Path dir = Path.of("..", "workflows", "src", "test", "resources", "histories");
    List<WorkflowExecutionHistory> histories = new ArrayList<>();
    try (var files = Files.list(dir)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
        histories.add(WorkflowExecutionHistory.fromJson(Files.readString(f)));
      }
    }
    assertTrue(histories.size() >= 10, "histories: " + histories.size());
    WorkflowExecutionHistory loose =
        withDuplicateKey(
            WorkflowExecutionHistory.fromJson(
                Files.readString(dir.resolve("glacier-restore-happy-path.json"))));
    histories.add(loose);
    try (TestWorkflowEnvironment env =
        TestWorkflowEnvironment.newInstance(
            TestEnvironmentOptions.newBuilder()
                .setWorkflowClientOptions(
                    WorkflowClientOptions.newBuilder()
                        .setDataConverter(
                            RequestDecoding.refusingUndecodableRequests(GlobalDataConverter.get()))
                        .build())
                .setWorkerFactoryOptions(
                    DbopsWorker.factoryOptions(DbopsConfig.from(java.util.Map.of())))
                .build())) {
      Worker w = env.newWorker("replay");
      for (Class<?> impl : WorkflowImplementations.all())
        w.registerWorkflowImplementationTypes(impl);
      ReplayResults results = WorkflowReplayer.replayWorkflowExecutions(histories, false, w);
      assertFalse(
          results.hadAnyError(),
          () ->
              results.allErrors().stream()
                  .map(e -> e.workflowId + ": " + e.exception)
                  .toList()
                  .toString());
    }
  }

  /**
   * {@code h} with its request's first field repeated ahead of it (last wins, as before the rule).
   */
  static WorkflowExecutionHistory withDuplicateKey(WorkflowExecutionHistory h) {
    var events = new ArrayList<>(h.getEvents());
    var first = events.get(0);
    var attrs = first.getWorkflowExecutionStartedEventAttributes();
    Payload p = attrs.getInput().getPayloads(0);
    String json = p.getData().toStringUtf8();
    assertTrue(json.startsWith("{\"bucket\":"), json);
    String doubled = "{\"bucket\":\"someone-else\"," + json.substring(1);
    events.set(
        0,
        first.toBuilder()
            .setWorkflowExecutionStartedEventAttributes(
                attrs.toBuilder()
                    .setInput(
                        attrs.getInput().toBuilder()
                            .setPayloads(
                                0, p.toBuilder().setData(ByteString.copyFromUtf8(doubled)))))
            .build());
    return new WorkflowExecutionHistory(
        History.newBuilder().addAllEvents(events).build(),
        h.getWorkflowExecution().getWorkflowId());
  }
}
