package dev.dbops.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import dev.dbops.client.DbopsConfig;
import dev.dbops.client.TemporalConnection;
import dev.dbops.client.codec.AesGcmPayloadCodec;
import dev.dbops.workflows.common.Approval;
import dev.dbops.workflows.common.ApprovalPolicy;
import dev.dbops.workflows.common.SearchAttributesInterceptor;
import dev.dbops.workflows.restore.GlacierRestoreRequest;
import dev.dbops.workflows.restore.GlacierRestoreResult;
import dev.dbops.workflows.restore.GlacierRestoreWorkflow;
import dev.dbops.workflows.restore.RestorePhase;
import dev.dbops.workflows.restore.RestoreTier;
import io.temporal.api.common.v1.Payload;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real worker with payload encryption on runs a Glacier restore through its approval to the end.
 * Read without the key, the history is every payload encrypted and none of the request's values
 * (bucket, prefix, who asked, who approved and why); read with the key, status and result are as
 * usual. A run whose input was written before encryption was on still completes.
 */
@Tag("devstack")
class PayloadEncryptionEndToEndTest {
  static final String QUEUE = "payload-encryption-test";
  static final String BUCKET = "payroll-archive-5e8c1d";
  static final String PREFIX = "ledgers-2019/";
  static final String REQUESTER = "requester-b71f";
  static final String APPROVER = "approver-3c9a";
  static final String COMMENT = "quarterly audit 0d42e";

  /** Not the usual restore/<bucket>/<prefix>: workflow ids are not payloads and stay readable. */
  static final String ID = "restore/encrypted-run";

  static final String PLAIN_INPUT_ID = "restore/plain-input-dry-run";

  @TempDir static Path dir;
  static DevServer dev;
  static DbopsWorker worker;
  static DbopsConfig config;

  /** The same server without any key, as anyone reading Temporal's database would be. */
  static WorkflowClient keyless;

  @BeforeAll
  static void start() throws Exception {
    dev = DevServer.start(0, 0);
    dev.sandbox().s3().createBucket(BUCKET);
    for (String key : List.of("a.csv", "b.csv")) {
      dev.sandbox().s3().putObject(BUCKET, PREFIX + key, "x".repeat(500).getBytes(), "GLACIER");
    }
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    Path keyFile = dir.resolve("payload.key");
    Files.write(keyFile, key);
    config =
        DbopsConfig.from(
            Map.of(
                DbopsConfig.TEMPORAL_ADDRESS,
                dev.temporalAddress(),
                DbopsConfig.DBOPS_TASK_QUEUE,
                QUEUE,
                DbopsConfig.DBOPS_AWS_ENDPOINT,
                dev.sandboxEndpoint().toString(),
                DbopsConfig.DBOPS_METRICS_PORT,
                "0",
                DbopsConfig.DBOPS_PAYLOAD_KEY_REF,
                "file:" + keyFile,
                DbopsConfig.DBOPS_PAYLOAD_KEY_ID,
                "test-2025"));
    worker = DbopsWorker.start(config);
    keyless = WorkflowClient.newInstance(worker.client().getWorkflowServiceStubs());

    GlacierRestoreWorkflow run =
        worker
            .client()
            .newWorkflowStub(
                GlacierRestoreWorkflow.class,
                WorkflowOptions.newBuilder().setWorkflowId(ID).setTaskQueue(QUEUE).build());
    WorkflowClient.start(
        run::run,
        GlacierRestoreRequest.Builder.of(BUCKET, PREFIX)
            .tier(RestoreTier.EXPEDITED)
            .pollInterval(Duration.ofSeconds(1))
            .requestedBy(REQUESTER)
            .requireApproval(true)
            .approval(new ApprovalPolicy(List.of(APPROVER), 1, Duration.ofHours(1)))
            .build());
    await(
        "the run waits for approval",
        () -> RestorePhase.AWAITING_APPROVAL.equals(run.status().phase()));
    run.approve(new Approval(APPROVER, COMMENT));
    worker.client().newUntypedWorkflowStub(ID).getResult(GlacierRestoreResult.class);
  }

  @AfterAll
  static void stop() {
    if (worker != null) worker.close();
    if (dev != null) dev.close();
  }

  static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "timed out waiting for " + what);
      Thread.sleep(200);
    }
  }

  /**
   * Marker details the SDK writes with its own converter, never through ours: a {@code Version}
   * marker's change id and version, a {@code LocalActivity} marker's activity id, type, time and
   * retry bookkeeping. Code constants and clocks, no request data (checked below all the same).
   */
  static final List<String> SDK_BOOKKEEPING =
      List.of(
          ".details[changeId]",
          ".details[version]",
          ".details[activityId]",
          ".details[type]",
          ".details[time]",
          ".details[meta]");

  record Found(String path, Payload payload) {
    /**
     * A search attribute: indexed by the server, so never encrypted; it may carry no request value.
     */
    boolean indexed() {
      return path.contains("search_attributes.indexed_fields");
    }

    boolean sdkBookkeeping() {
      return path.contains("marker_recorded_event_attributes")
          && SDK_BOOKKEEPING.stream().anyMatch(path::contains);
    }
  }

  /**
   * Every payload anywhere in {@code m} (inputs, results, signals, markers, headers, details), with
   * where.
   */
  static List<Found> payloads(Message m) {
    List<Found> out = new ArrayList<>();
    collect(m, "", out);
    return out;
  }

  private static void collect(Message m, String path, List<Found> out) {
    if (m instanceof Payload p) {
      out.add(new Found(path, p));
      return;
    }
    m.getAllFields()
        .forEach(
            (field, value) -> {
              if (field.getJavaType() != FieldDescriptor.JavaType.MESSAGE) return;
              String at = path + "." + field.getName();
              if (field.isMapField()) {
                for (Object o : (List<?>) value) {
                  Message entry = (Message) o;
                  Object key = entry.getField(entry.getDescriptorForType().findFieldByName("key"));
                  Object v = entry.getField(entry.getDescriptorForType().findFieldByName("value"));
                  if (v instanceof Message vm) collect(vm, at + "[" + key + "]", out);
                }
              } else if (field.isRepeated()) {
                int i = 0;
                for (Object o : (List<?>) value) collect((Message) o, at + "[" + i++ + "]", out);
              } else {
                collect((Message) value, at, out);
              }
            });
  }

  @Test
  void
      givenTheHistoryReadWithoutTheKey_whenEveryPayloadIsExamined_thenAllAreEncryptedAndNoRequestValueIsReadable()
          throws Exception {
    var history = keyless.fetchHistory(ID);
    List<Found> found = payloads(history.getHistory());
    List<Found> ours = found.stream().filter(f -> !f.sdkBookkeeping()).toList();
    // input, signal, local and normal activity arguments and results, the result: all sealed
    assertTrue(ours.size() >= 10, "payloads: " + ours.size());
    for (Found f : ours) {
      if (f.indexed()) {
        assertTrue(
            SearchAttributesInterceptor.REQUEST_VALUES.stream()
                .noneMatch(n -> f.path().endsWith("[" + n + "]")),
            "a request value indexed in the clear at " + f.path());
        continue;
      }
      assertTrue(
          AesGcmPayloadCodec.isEncrypted(f.payload()),
          "not encrypted at " + f.path() + ": " + f.payload());
      assertEquals(
          "test-2025",
          f.payload().getMetadataOrThrow(AesGcmPayloadCodec.METADATA_KEY_ID).toStringUtf8());
    }
    for (Found f : found) {
      String data = f.payload().getData().toString(StandardCharsets.ISO_8859_1);
      for (String value :
          List.of(BUCKET, PREFIX, "a.csv", REQUESTER, APPROVER, COMMENT, "EXPEDITED")) {
        assertFalse(data.contains(value), value + " readable at " + f.path());
      }
    }
    // Outside payloads: failure messages, ids, names. Nothing of the request either.
    String json = history.toJson(false);
    for (String value : List.of(BUCKET, "ledgers-2019", REQUESTER, APPROVER, COMMENT)) {
      assertFalse(json.contains(value), value + " readable in the history:\n" + json);
    }
  }

  @Test
  void givenAClientWithoutTheKey_whenItReadsTheResult_thenItCannot() {
    Exception e =
        assertThrows(
            Exception.class,
            () -> keyless.newUntypedWorkflowStub(ID).getResult(GlacierRestoreResult.class));
    assertFalse(String.valueOf(e.getMessage()).contains(BUCKET), e.getMessage());
  }

  @Test
  void givenAClientWithTheKey_whenItReadsStatusAndResult_thenBothAreAsUsual() {
    WorkflowServiceStubs stubs = TemporalConnection.stubs(config, null);
    try {
      WorkflowClient client = TemporalConnection.client(stubs, config);
      GlacierRestoreResult result =
          client.newUntypedWorkflowStub(ID).getResult(GlacierRestoreResult.class);
      assertEquals(GlacierRestoreResult.COMPLETED, result.outcome(), result.toString());
      assertEquals(2, result.objects().size(), result.toString());
      assertTrue(result.objects().toString().contains(PREFIX + "a.csv"), result.toString());
      assertEquals(APPROVER, result.approvals().get(0).by(), result.toString());
      var status = client.newWorkflowStub(GlacierRestoreWorkflow.class, ID).status();
      assertEquals(RestorePhase.COMPLETED, status.phase(), status.toString());
    } finally {
      stubs.shutdownNow();
    }
  }

  @Test
  void
      givenARunStartedWithoutEncryption_whenTheEncryptingWorkerRunsIt_thenItCompletesAndItsResultIsEncrypted() {
    GlacierRestoreWorkflow plain =
        keyless.newWorkflowStub(
            GlacierRestoreWorkflow.class,
            WorkflowOptions.newBuilder().setWorkflowId(PLAIN_INPUT_ID).setTaskQueue(QUEUE).build());
    WorkflowClient.start(
        plain::run,
        GlacierRestoreRequest.Builder.of(BUCKET, PREFIX)
            .tier(RestoreTier.STANDARD)
            .requestedBy(REQUESTER)
            .dryRun(true)
            .build());
    GlacierRestoreResult result =
        worker
            .client()
            .newUntypedWorkflowStub(PLAIN_INPUT_ID)
            .getResult(GlacierRestoreResult.class);
    assertEquals(GlacierRestoreResult.PLANNED, result.outcome(), result.toString());

    List<Found> found =
        payloads(keyless.fetchHistory(PLAIN_INPUT_ID).getHistory()).stream()
            .filter(f -> !f.sdkBookkeeping())
            .toList();
    assertTrue(
        found.get(0).path().contains("workflow_execution_started_event_attributes.input"),
        found.get(0).path());
    assertFalse(
        AesGcmPayloadCodec.isEncrypted(found.get(0).payload()),
        "the input as the keyless client wrote it");
    for (Found f : found.subList(1, found.size())) {
      if (f.indexed()) continue;
      assertTrue(
          AesGcmPayloadCodec.isEncrypted(f.payload()),
          "the worker wrote plain payload at " + f.path());
    }
    assertTrue(found.size() >= 3, found.toString());
  }
}
