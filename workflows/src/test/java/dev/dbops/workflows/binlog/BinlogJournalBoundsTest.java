package dev.dbops.workflows.binlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dbops.workflows.common.Approval;
import dev.dbops.workflows.common.ScriptedHooks;
import dev.dbops.workflows.common.SilentNotify;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A catch-up that skips thousands: the run keeps the newest {@link
 * BinlogCatchUpWorkflowImpl#JOURNAL_KEPT} entries and counts every one, so its status, result and
 * continue-as-new input stay far below Temporal's payload limit (2 MB) while the replica's journal
 * table holds the whole journal.
 */
class BinlogJournalBoundsTest {
  static final String ID = "binlog/bounds";
  static final int SKIPS = 5_000;

  /** The replica as the monitor activity reports it now: the newest entries and counts of all. */
  static final class CountingReplication extends FakeReplication {
    @Override
    public synchronized MonitorOutcome monitor(MonitorRequest r) {
      MonitorOutcome o = super.monitor(r);
      List<JournalEntry> all = o.newEntries();
      return new MonitorOutcome(
          o.kind(),
          all.subList(Math.max(0, all.size() - MonitorOutcome.MAX_ENTRIES), all.size()),
          o.replica(),
          o.sourcePosition(),
          o.lagSeconds(),
          o.lagSource(),
          o.reason(),
          JournalCounts.of(all));
    }
  }

  TestWorkflowEnvironment env;
  CountingReplication repl;
  WorkflowClient client;

  @BeforeEach
  void setUp() {
    env = TestWorkflowEnvironment.newInstance();
    repl = new CountingReplication();
    Worker w = env.newWorker("q");
    w.registerWorkflowImplementationTypes(BinlogCatchUpWorkflowImpl.class);
    w.registerActivitiesImplementations(repl, new ScriptedHooks(), new SilentNotify());
    env.start();
    client = env.getWorkflowClient();
  }

  @AfterEach
  void tearDown() {
    env.close();
  }

  @Test
  void
      givenThousandsOfSkipsAndAContinueAsNew_whenCaughtUp_thenTheNewestAreKeptAndAllCountedWithinPayloadLimits() {
    for (int i = 0; i < SKIPS + 1; i++) {
      repl.conflicts.add(
          new FakeReplication.Conflict(1062, "Duplicate entry '" + i + "' for key 'PRIMARY'"));
    }
    repl.slicesBeforeCatchUp = 40;
    BinlogCatchUpWorkflow wf =
        client.newWorkflowStub(
            BinlogCatchUpWorkflow.class,
            WorkflowOptions.newBuilder().setTaskQueue("q").setWorkflowId(ID).build());
    // Budget one short: the last conflict waits for a person, whose skip is counted as theirs.
    WorkflowExecution first =
        WorkflowClient.start(
            wf::run,
            BinlogCatchUpWorkflowTest.request(BinlogCatchUpWorkflowTest.dupKeys(SKIPS), 100));
    env.sleep(Duration.ofMinutes(1));
    assertEquals("AWAITING_DECISION", wf.status().phase());
    wf.decide(
        new ErrorDecision(ErrorDecision.SKIP, "alice", "the last duplicate, checked by hand"));
    env.sleep(Duration.ofMinutes(1));

    BinlogStatus s = wf.status();
    assertEquals("AWAITING_CUTOVER", s.phase());
    assertTrue(s.runs() >= 1, "continued as new " + s.runs() + " time(s)");
    assertEquals(SKIPS + 1, s.journaled());
    assertEquals(SKIPS, s.skippedByPolicy());
    assertEquals(0, s.budgetRemaining());
    assertEquals(
        LongStream.rangeClosed(SKIPS + 2 - BinlogCatchUpWorkflowImpl.JOURNAL_KEPT, SKIPS + 1)
            .boxed()
            .toList(),
        s.journal().stream().map(JournalEntry::id).toList(),
        "the newest entries, in order");
    assertEquals("alice", s.journal().get(s.journal().size() - 1).decidedBy());
    assertEquals("10.0.0.2", s.replicaTarget().host(), "where dbops journal reads the rest");

    wf.approve(new Approval("carol", "go"));
    BinlogCatchUpResult r = client.newUntypedWorkflowStub(ID).getResult(BinlogCatchUpResult.class);
    assertEquals(SKIPS + 1, r.journaled());
    assertEquals(SKIPS, r.skippedByPolicy());
    assertEquals(1, r.skippedByPeople());
    assertEquals(BinlogCatchUpWorkflowImpl.JOURNAL_KEPT, r.journal().size());

    List<HistoryEvent> firstRun =
        client.fetchHistory(ID, first.getRunId()).getHistory().getEventsList();
    HistoryEvent continued =
        firstRun.stream()
            .filter(
                e -> e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW)
            .findFirst()
            .orElseThrow(() -> new AssertionError("the first run did not continue as new"));
    long input =
        continued
            .getWorkflowExecutionContinuedAsNewEventAttributes()
            .getInput()
            .getPayloadsList()
            .stream()
            .mapToLong(Payload::getSerializedSize)
            .sum();
    long largestResult =
        firstRun.stream()
            .filter(e -> e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED)
            .mapToLong(
                e -> e.getActivityTaskCompletedEventAttributes().getResult().getSerializedSize())
            .max()
            .orElse(0);
    assertTrue(
        input < 256 * 1024, "continue-as-new input " + input + " bytes for " + SKIPS + " skips");
    assertTrue(largestResult < 256 * 1024, "largest activity result " + largestResult + " bytes");
  }
}
