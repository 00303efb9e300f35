package dev.dbops.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.dbops.workflows.common.ErrorTypes;
import dev.dbops.workflows.restore.GlacierRestoreRequest;
import dev.dbops.workflows.restore.GlacierRestoreResult;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.enums.v1.EventType;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DataConverterException;
import io.temporal.common.converter.GlobalDataConverter;
import io.temporal.common.converter.RawValue;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A start whose JSON cannot become the request record (as the Temporal UI can send it) fails the
 * run at once with a non-retryable InvalidInput naming the problem, for every procedure the worker
 * registers, before any activity; it no longer retries the workflow task until the run times out.
 */
class UndecodableRequestTest {
  static final String QUEUE = "undecodable-test";
  static DevServer dev;
  static DbopsWorker worker;

  @BeforeAll
  static void start() {
    dev = DevServer.start(0, 0);
    worker = DbopsWorker.start(WorkerConfig.from(Map.of(
        WorkerConfig.TEMPORAL_ADDRESS, dev.temporalAddress(),
        WorkerConfig.DBOPS_TASK_QUEUE, QUEUE,
        WorkerConfig.DBOPS_AWS_ENDPOINT, dev.sandboxEndpoint().toString(),
        WorkerConfig.DBOPS_METRICS_PORT, "0")));
  }

  @AfterAll
  static void stop() {
    if (worker != null) worker.close();
    if (dev != null) dev.close();
  }

  static Payload json(String text) {
    return Payload.newBuilder().putMetadata("encoding", ByteString.copyFromUtf8("json/plain"))
        .setData(ByteString.copyFromUtf8(text)).build();
  }

  static final DataConverter CONVERTER = RequestDecoding.refusingUndecodableRequests(GlobalDataConverter.get());

  static ApplicationFailure decodeRequest(String text) {
    return assertThrows(ApplicationFailure.class,
        () -> CONVERTER.fromPayload(json(text), GlacierRestoreRequest.class, GlacierRestoreRequest.class));
  }

  @Test
  void givenUndecodableRequestJson_whenDecoded_thenNonRetryableInvalidInputNamingTheProblemNotThePayload() {
    ApplicationFailure unknown = decodeRequest("{\"bucket\": \"b\", \"bukket\": \"c\"}");
    assertEquals(ErrorTypes.INVALID_INPUT, unknown.getType());
    assertTrue(unknown.isNonRetryable());
    assertTrue(unknown.getOriginalMessage().startsWith("invalid input: bukket: unknown field (known: "),
        unknown.getOriginalMessage());

    String wrongType = decodeRequest("{\"bucket\": \"b\", \"days\": \"seven\"}").getOriginalMessage();
    assertTrue(wrongType.startsWith("invalid input: days: Cannot deserialize value of type `"), wrongType);

    String secret = "x".repeat(2000);
    String malformed = decodeRequest("{\"bucket\": \"" + secret + "\",").getOriginalMessage();
    assertTrue(malformed.startsWith("invalid input: request is not valid JSON (line 1, column "), malformed);
    assertFalse(malformed.contains("xxxxxxxxxx"), "the payload is not echoed: " + malformed);
    assertTrue(malformed.length() <= RequestDecoding.MAX_MESSAGE + "invalid input: ".length() + 1, malformed);

    String notAnObject = decodeRequest("[\"b\"]").getOriginalMessage();
    assertTrue(notAnObject.startsWith("invalid input: request: Cannot deserialize value of type `"), notAnObject);
  }

  @Test
  void givenUndecodableValueOfAnotherClass_whenDecoded_thenItStaysADataConverterException() {
    // An activity result or a signal that no longer decodes is the code's fault, not the
    // request's: it keeps failing the workflow task until a fixed deployment resumes the run.
    assertThrows(DataConverterException.class,
        () -> CONVERTER.fromPayload(json("{\"outcome\": \"x\", \"nope\": 1}"), GlacierRestoreResult.class,
            GlacierRestoreResult.class));
  }

  @Test
  void givenMalformedJsonFromTheUi_whenEachProcedureStarts_thenRunFailsAtOnceWithInvalidInputAndNoActivity()
      throws Exception {
    for (Procedure<?> p : Procedures.ALL) {
      String id = "undecodable/" + p.name();
      WorkflowStub stub = worker.client().newUntypedWorkflowStub(p.workflowType(), WorkflowOptions.newBuilder()
          .setWorkflowId(id).setTaskQueue(QUEUE).setWorkflowRunTimeout(Duration.ofMinutes(1)).build());
      long started = System.nanoTime();
      stub.start(new RawValue(json("{\"requestedBy\": \"bob\", \"pollInterval\": ")));
      WorkflowFailedException e = assertThrows(WorkflowFailedException.class,
          () -> stub.getResult(20, TimeUnit.SECONDS, Object.class), id);
      Duration took = Duration.ofNanos(System.nanoTime() - started);
      ApplicationFailure failure = assertInstanceOf(ApplicationFailure.class, e.getCause(), id);
      assertEquals(ErrorTypes.INVALID_INPUT, failure.getType(), id);
      assertTrue(failure.isNonRetryable(), id);
      assertTrue(failure.getOriginalMessage().startsWith("invalid input: request is not valid JSON"),
          failure.getOriginalMessage());
      assertTrue(took.compareTo(Duration.ofSeconds(5)) < 0, id + " took " + took);
      var events = worker.client().fetchHistory(id).getEvents();
      assertTrue(events.stream().noneMatch(ev -> ev.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED
          || ev.getEventType() == EventType.EVENT_TYPE_MARKER_RECORDED), id + " ran something: " + events);
      assertEquals(0, events.stream()
          .filter(ev -> ev.getEventType() == EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED).count(), id);
    }
  }
}
