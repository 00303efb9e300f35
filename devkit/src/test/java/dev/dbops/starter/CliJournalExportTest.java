package dev.dbops.starter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dbops.activities.binlog.ReplicationActivitiesImpl;
import dev.dbops.activities.common.SecretResolver;
import dev.dbops.activities.mysql.MySqlSettings;
import dev.dbops.workflows.binlog.BinlogCatchUpRequest;
import dev.dbops.workflows.binlog.BinlogCatchUpResult;
import dev.dbops.workflows.binlog.BinlogCatchUpWorkflow;
import dev.dbops.workflows.binlog.BinlogPosition;
import dev.dbops.workflows.binlog.BinlogStatus;
import dev.dbops.workflows.binlog.Conflict;
import dev.dbops.workflows.binlog.CutoverReport;
import dev.dbops.workflows.binlog.DbTarget;
import dev.dbops.workflows.binlog.DecisionRequest;
import dev.dbops.workflows.binlog.ErrorDecision;
import dev.dbops.workflows.binlog.JournalEntry;
import dev.dbops.workflows.binlog.JournalExportWorkflow;
import dev.dbops.workflows.binlog.JournalExportWorkflowImpl;
import dev.dbops.workflows.binlog.JournalPage;
import dev.dbops.workflows.binlog.JournalPageRequest;
import dev.dbops.workflows.binlog.MonitorOutcome;
import dev.dbops.workflows.binlog.MonitorRequest;
import dev.dbops.workflows.binlog.ReplicaSetup;
import dev.dbops.workflows.binlog.ReplicaState;
import dev.dbops.workflows.binlog.ReplicationActivities;
import dev.dbops.workflows.binlog.SourceCheck;
import dev.dbops.workflows.binlog.SourceReport;
import dev.dbops.workflows.common.Approval;
import dev.dbops.workflows.common.DbLogin;
import dev.dbops.workflows.common.ErrorTypes;
import dev.dbops.workflows.common.Rejection;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.filter.v1.WorkflowTypeFilter;
import io.temporal.api.workflowservice.v1.ListOpenWorkflowExecutionsRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code dbops journal} of a run that journaled more entries than it keeps: every entry comes from
 * the pages a {@link JournalExportWorkflowImpl} reads, once each and in order. The run is a
 * stand-in answering {@code status()} as a long catch-up does, on a task queue of its own whose
 * worker reads pages from an in-memory journal table.
 */
@DevStackTest
class CliJournalExportTest {
  static final String QUEUE = "journal-export-test";

  /**
   * A worker whose page activity is the real one: it connects to {@link #REPLICA}, where nothing
   * listens.
   */
  static final String GONE_QUEUE = "journal-export-gone-test";

  /** A worker that runs catch-ups but not the export (as one from before it would). */
  static final String NO_EXPORT_QUEUE = "journal-export-none-test";

  static final int JOURNALED = 450;
  static final int KEPT = 200;
  static final DbLogin ADMIN = new DbLogin("admin", "env:DB_ADMIN_PASSWORD");

  /** Nothing listens there: only the stand-in activities below may read "the replica". */
  static final DbTarget REPLICA = new DbTarget("127.0.0.1", 1, ADMIN);

  static final DbTarget SOURCE = new DbTarget("127.0.0.1", 2, ADMIN);

  /** Ids with gaps, as other runs' rows leave in a shared journal table. */
  static final List<JournalEntry> TABLE =
      IntStream.rangeClosed(1, JOURNALED).mapToObj(i -> entry(3L * i)).toList();

  static WorkflowServiceStubs stubs;
  static WorkflowClient client;
  static WorkerFactory factory;
  static final AtomicInteger pages = new AtomicInteger();

  @BeforeAll
  static void startWorker() {
    stubs =
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder().setTarget(DevStack.temporalAddress()).build());
    client = WorkflowClient.newInstance(stubs);
    factory = WorkerFactory.newInstance(client);
    Worker w = factory.newWorker(QUEUE);
    w.registerWorkflowImplementationTypes(LongCatchUp.class, JournalExportWorkflowImpl.class);
    w.registerActivitiesImplementations(new JournalTable());
    Worker gone = factory.newWorker(GONE_QUEUE);
    gone.registerWorkflowImplementationTypes(LongCatchUp.class, JournalExportWorkflowImpl.class);
    gone.registerActivitiesImplementations(
        new ReplicationActivitiesImpl(
            new SecretResolver(Map.of("DB_ADMIN_PASSWORD", "not used: nothing listens"), null),
            MySqlSettings.loopback(),
            null));
    factory.newWorker(NO_EXPORT_QUEUE).registerWorkflowImplementationTypes(LongCatchUp.class);
    factory.start();
  }

  @AfterAll
  static void stopWorker() {
    if (factory != null) {
      factory.shutdown();
      factory.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS);
    }
    if (stubs != null) stubs.shutdown();
  }

  @Test
  void givenAnOpenRunThatJournaledMoreThanItKeeps_whenJournalJsonl_thenEveryEntryOnceInOrder()
      throws Exception {
    String id = "binlog/journal-export-open";
    start(id);
    int before = pages.get();

    Cli.Result r =
        assertTimeoutPreemptively(
            Duration.ofSeconds(60), () -> DevStack.cli("journal", id, "--format", "jsonl"));

    assertEquals(ExitCodes.OK, r.exit(), r.toString());
    assertEveryEntryOnceInOrder(r);
    assertEquals(3, pages.get() - before, "pages of 200, 200 and 50");
  }

  @Test
  void givenAClosedRunThatJournaledMoreThanItKeeps_whenJournalTable_thenEveryEntryAndTheirCount() {
    String id = "binlog/journal-export-closed";
    start(id);
    WorkflowStub run = client.newUntypedWorkflowStub(id);
    run.signal("approve", new Approval("alice", "done"));
    run.getResult(BinlogCatchUpResult.class);

    Cli.Result r =
        assertTimeoutPreemptively(
            Duration.ofSeconds(60), () -> DevStack.cli("journal", id, "--format", "table"));

    assertEquals(ExitCodes.OK, r.exit(), r.toString());
    List<String> lines = r.out().lines().toList();
    assertEquals(JOURNALED + 2, lines.size(), r.out());
    assertTrue(lines.get(1).startsWith("3 "), lines.get(1));
    assertEquals(JOURNALED + " entries", lines.get(lines.size() - 1));
  }

  @Test
  void givenAFailedRunThatJournaledMoreThanItKeeps_whenJournalJsonl_thenEveryEntryFromItsReplica()
      throws Exception {
    String id = "binlog/journal-export-failed";
    start(id);
    WorkflowStub run = client.newUntypedWorkflowStub(id);
    run.signal("reject", new Rejection("alice", "aborted: the source is being rebuilt"));
    assertThrows(WorkflowFailedException.class, () -> run.getResult(BinlogCatchUpResult.class));

    Cli.Result r =
        assertTimeoutPreemptively(
            Duration.ofSeconds(60), () -> DevStack.cli("journal", id, "--format", "jsonl"));

    assertEquals(ExitCodes.OK, r.exit(), r.toString());
    assertEveryEntryOnceInOrder(r);
  }

  @Test
  void
      givenTheReplicaIsGone_whenJournalOfAClosedRun_thenWithin30sTheKeptEntriesAndOneLineWhyAndNoExportLeftRunning() {
    String id = "binlog/journal-export-replica-gone";
    start(id, GONE_QUEUE);
    WorkflowStub run = client.newUntypedWorkflowStub(id);
    run.signal("approve", new Approval("alice", "done"));
    run.getResult(BinlogCatchUpResult.class);

    Cli.Result r =
        assertTimeoutPreemptively(
            Duration.ofSeconds(30), () -> DevStack.cli("journal", id, "--format", "jsonl"));

    assertEquals(ExitCodes.FAILED, r.exit(), r.toString());
    assertKeptEntriesOnly(r);
    List<String> err = r.err().lines().filter(l -> !l.isBlank()).toList();
    assertEquals(1, err.size(), r.err());
    String line = err.get(0);
    long firstKept = LongCatchUp.kept().get(0).id();
    assertTrue(
        line.startsWith(
            (JOURNALED - KEPT)
                + " of the "
                + JOURNALED
                + " journal entries of run '"
                + id
                + "' (ids after 0 and before "
                + firstKept
                + ") were not read: reading the replica 127.0.0.1:1 failed: "),
        line);
    assertTrue(
        line.contains("connect to 127.0.0.1:1 as admin"), "the connect error says why: " + line);
    System.out.println("journal of a run whose replica is gone: " + r.err().strip());
    assertEquals(List.of(), openExports(id), "export workflows left running");
  }

  @Test
  void
      givenAJournalTableWithoutTheRunsEntries_whenJournal_thenTheKeptEntriesAndOneLineSayingHowManyItHolds() {
    String id = "binlog/journal-table-emptied"; // the stand-in table has no rows of this run
    start(id);
    WorkflowStub run = client.newUntypedWorkflowStub(id);
    run.signal("approve", new Approval("alice", "done"));
    run.getResult(BinlogCatchUpResult.class);

    Cli.Result r =
        assertTimeoutPreemptively(
            Duration.ofSeconds(30), () -> DevStack.cli("journal", id, "--format", "jsonl"));

    assertEquals(ExitCodes.FAILED, r.exit(), r.toString());
    assertKeptEntriesOnly(r);
    assertEquals(
        (JOURNALED - KEPT)
            + " of the "
            + JOURNALED
            + " journal entries of run '"
            + id
            + "' (ids after 0 and"
            + " before "
            + LongCatchUp.kept().get(0).id()
            + ") were not read: the journal table on the replica 127.0.0.1:1"
            + " holds 0 of them",
        r.err().strip().substring(0, r.err().strip().indexOf("; the rest are shown")));
  }

  @Test
  void
      givenNoWorkerRunsTheExport_whenJournalOfAFailedRun_thenWithin30sTheKeptEntriesAndTheExportTerminated() {
    String id = "binlog/journal-export-no-export-worker";
    start(id, NO_EXPORT_QUEUE);
    WorkflowStub run = client.newUntypedWorkflowStub(id);
    run.signal("reject", new Rejection("alice", "aborted"));
    assertThrows(WorkflowFailedException.class, () -> run.getResult(BinlogCatchUpResult.class));

    Cli.Result r =
        assertTimeoutPreemptively(
            Duration.ofSeconds(30), () -> DevStack.cli("journal", id, "--format", "jsonl"));

    assertEquals(ExitCodes.FAILED, r.exit(), r.toString());
    assertKeptEntriesOnly(r);
    List<String> err = r.err().lines().filter(l -> !l.isBlank()).toList();
    assertEquals(1, err.size(), r.err());
    assertTrue(
        err.get(0)
            .contains(
                "were not read: no worker read the replica 127.0.0.1:1 within "
                    + JournalExportWorkflow.RUN_TIMEOUT.toSeconds()
                    + " s (the export journal-export/"
                    + id
                    + "/0/"),
        err.get(0));
    assertTrue(err.get(0).contains("on task queue '" + NO_EXPORT_QUEUE + "' "), err.get(0));
    assertEquals(List.of(), openExports(id), "export workflows left running");
  }

  @Test
  void
      givenAClosedRunThatJournaledMoreThanItKeeps_whenReported_thenEverySkippedEventWithRowsLostAndConflicts()
          throws Exception {
    String id = "binlog/journal-export-report";
    start(id);
    WorkflowStub run = client.newUntypedWorkflowStub(id);
    run.signal("approve", new Approval("alice", "done"));
    run.getResult(BinlogCatchUpResult.class);

    Cli.Result json =
        assertTimeoutPreemptively(
            Duration.ofSeconds(60), () -> DevStack.cli("report", id, "--format", "json"));
    Cli.Result md =
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> DevStack.cli("report", id));

    assertEquals(ExitCodes.OK, json.exit(), json.toString());
    com.fasterxml.jackson.databind.JsonNode r = Render.MAPPER.readTree(json.out());
    List<Long> ids = new ArrayList<>();
    r.path("skippedEvents").forEach(e -> ids.add(e.path("id").asLong()));
    assertEquals(
        TABLE.stream().map(JournalEntry::id).toList(), ids, "every entry once, oldest first");
    assertEquals(
        JOURNALED,
        r.path("skippedEventsSummary").path("journaled").asInt(),
        r.path("skippedEventsSummary").toString());
    assertEquals(JOURNALED, r.path("skippedEventsSummary").path("shown").asInt());
    assertEquals(
        JOURNALED,
        r.path("skippedEventsSummary").path("rowsLost").asInt(),
        "one row lost per entry");
    assertTrue(
        !r.path("skippedEventsSummary").has("notRead"), r.path("skippedEventsSummary").toString());
    assertEquals(ExitCodes.OK, md.exit(), md.toString());
    List<String> rows =
        md.out().lines().filter(l -> l.matches("\\| \\d+ \\| mysql-bin\\.000001:.*")).toList();
    assertEquals(JOURNALED, rows.size(), md.out());
    assertTrue(md.out().contains("| time | rows lost | conflicts | events |"), md.out());
    assertTrue(rows.get(0).startsWith("| 3 | mysql-bin.000001:1003 | 1062 |"), rows.get(0));
    assertTrue(
        rows.get(0).contains("| 1 | 1062 app.orders INSERT KEPT_REPLICA_ROW |"), rows.get(0));
    assertTrue(
        md.out()
            .contains(
                JOURNALED
                    + " of "
                    + JOURNALED
                    + " journaled entries shown; rows lost: "
                    + JOURNALED
                    + "."),
        md.out());
  }

  @Test
  void givenTheReplicaIsGone_whenReported_thenTheKeptEventsAndHowManyAreMissingAndHowToGetThem()
      throws Exception {
    String id = "binlog/journal-export-report-gone";
    start(id, GONE_QUEUE);
    WorkflowStub run = client.newUntypedWorkflowStub(id);
    run.signal("approve", new Approval("alice", "done"));
    run.getResult(BinlogCatchUpResult.class);

    Cli.Result json =
        assertTimeoutPreemptively(
            Duration.ofSeconds(30), () -> DevStack.cli("report", id, "--format", "json"));

    assertEquals(ExitCodes.OK, json.exit(), "the report was written: " + json);
    com.fasterxml.jackson.databind.JsonNode r = Render.MAPPER.readTree(json.out());
    assertEquals(KEPT, r.path("skippedEvents").size());
    com.fasterxml.jackson.databind.JsonNode summary = r.path("skippedEventsSummary");
    assertEquals(JOURNALED - KEPT, summary.path("notRead").asInt(), summary.toString());
    assertTrue(summary.path("notReadNote").asText().contains("127.0.0.1:1"), summary.toString());
    assertTrue(
        summary.path("notReadNote").asText().contains("./dbops journal " + id + " --format jsonl"),
        summary.toString());
    assertEquals(
        summary.path("notReadNote").asText(), json.err().strip(), "the same line on stderr");
    assertEquals(List.of(), openExports(id), "export workflows left running");
  }

  private static void start(String id) {
    start(id, QUEUE);
  }

  private static void start(String id, String queue) {
    WorkflowClient.start(
        client.newWorkflowStub(
                BinlogCatchUpWorkflow.class,
                WorkflowOptions.newBuilder().setWorkflowId(id).setTaskQueue(queue).build())
            ::run,
        (BinlogCatchUpRequest) null);
  }

  /** Export workflows of run {@code id} still open (the test server lists open runs by type). */
  private static List<String> openExports(String id) {
    return stubs
        .blockingStub()
        .listOpenWorkflowExecutions(
            ListOpenWorkflowExecutionsRequest.newBuilder()
                .setNamespace(client.getOptions().getNamespace())
                .setMaximumPageSize(1000)
                .setTypeFilter(WorkflowTypeFilter.newBuilder().setName("JournalExportWorkflow"))
                .build())
        .getExecutionsList()
        .stream()
        .filter(e -> e.getStatus() == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING)
        .map(e -> e.getExecution().getWorkflowId())
        .filter(w -> w.startsWith("journal-export/" + id + "/"))
        .toList();
  }

  /** Exactly the entries the run keeps, in order, one JSON line each. */
  private static void assertKeptEntriesOnly(Cli.Result r) {
    List<String> printed = r.out().lines().filter(l -> !l.isBlank()).toList();
    List<JournalEntry> kept = LongCatchUp.kept();
    assertEquals(KEPT, printed.size(), "entries printed");
    for (int i = 0; i < KEPT; i++) {
      try {
        assertEquals(
            JournalCommand.COMPACT.writeValueAsString(kept.get(i)),
            printed.get(i),
            "kept entry " + i);
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new AssertionError(e);
      }
    }
  }

  private static void assertEveryEntryOnceInOrder(Cli.Result r) throws Exception {
    List<String> printed = r.out().lines().filter(l -> !l.isBlank()).toList();
    assertEquals(JOURNALED, printed.size(), "entries printed");
    for (int i = 0; i < JOURNALED; i++) {
      assertEquals(
          JournalCommand.COMPACT.writeValueAsString(TABLE.get(i)), printed.get(i), "entry " + i);
    }
  }

  private static JournalEntry entry(long id) {
    return new JournalEntry(
        id,
        new BinlogPosition("mysql-bin.000001", 1000 + id),
        "relay-bin.000002:" + id,
        1062,
        "Duplicate entry '" + id + "' for key 'PRIMARY'",
        List.of("Write_rows: app.orders (1 row)"),
        "APPLIED_EXCEPT_CONFLICTS",
        "policy",
        "2024-01-01T00:00:00.000Z",
        List.of(
            new Conflict(
                1062,
                "app.orders",
                "INSERT",
                "{\"id\":" + id + "}",
                "{\"id\":" + id + ",\"note\":\"x\"}",
                Conflict.KEPT_REPLICA_ROW,
                "policy")),
        1);
  }

  /**
   * A catch-up that journaled {@link #JOURNALED} entries and keeps the newest {@link #KEPT}; ends
   * on approve.
   */
  public static class LongCatchUp implements BinlogCatchUpWorkflow {
    private boolean approved;
    private boolean rejected;

    @Override
    public BinlogCatchUpResult run(BinlogCatchUpRequest request) {
      Workflow.await(() -> approved || rejected);
      if (rejected)
        throw ApplicationFailure.newNonRetryableFailure("aborted by alice", ErrorTypes.ABORTED);
      return new BinlogCatchUpResult(
          null, kept(), JOURNALED, 0, List.of(), List.of(), List.of(), JOURNALED);
    }

    @Override
    public void decide(ErrorDecision decision) {}

    @Override
    public void approve(Approval approval) {
      approved = true;
    }

    @Override
    public void reject(Rejection rejection) {
      rejected = true;
    }

    @Override
    public BinlogStatus status() {
      return new BinlogStatus(
          approved ? "COMPLETED" : rejected ? "FAILED" : "AWAITING_CUTOVER",
          null,
          List.of(),
          0,
          "heartbeat",
          null,
          null,
          JOURNALED,
          0,
          null,
          kept(),
          List.of(),
          1,
          List.of(),
          List.of(),
          JOURNALED,
          REPLICA,
          SOURCE);
    }

    static List<JournalEntry> kept() {
      return TABLE.subList(JOURNALED - KEPT, JOURNALED);
    }
  }

  /**
   * The replica's journal table as the activity reads it: this run's rows after an id, a page at a
   * time.
   */
  static final class JournalTable implements ReplicationActivities {
    @Override
    public JournalPage journalPage(JournalPageRequest r) {
      pages.incrementAndGet();
      if (!r.replica().equals(REPLICA)
          || !r.source().equals(SOURCE)
          || !r.workflowId().startsWith("binlog/journal-export-")) {
        return new JournalPage(List.of(), false);
      }
      List<JournalEntry> after = TABLE.stream().filter(e -> e.id() > r.afterId()).toList();
      return new JournalPage(
          after.subList(0, Math.min(r.limit(), after.size())), after.size() > r.limit());
    }

    @Override
    public SourceReport checkSource(SourceCheck check) {
      throw new UnsupportedOperationException();
    }

    @Override
    public BinlogPosition startFromRdsEvents(String replicaClusterId) {
      throw new UnsupportedOperationException();
    }

    @Override
    public ReplicaState setUpReplica(ReplicaSetup setup) {
      throw new UnsupportedOperationException();
    }

    @Override
    public MonitorOutcome monitor(MonitorRequest request) {
      throw new UnsupportedOperationException();
    }

    @Override
    public JournalEntry carryOut(DecisionRequest request) {
      throw new UnsupportedOperationException();
    }

    @Override
    public CutoverReport cutOver(DbTarget replica, DbTarget source) {
      throw new UnsupportedOperationException();
    }

    @Override
    public BinlogPosition sourceFinalPosition(dev.dbops.workflows.binlog.CutoverCheck check) {
      throw new UnsupportedOperationException();
    }

    @Override
    public CutoverReport cutOverAt(dev.dbops.workflows.binlog.CutoverRequest request) {
      throw new UnsupportedOperationException();
    }
  }
}
