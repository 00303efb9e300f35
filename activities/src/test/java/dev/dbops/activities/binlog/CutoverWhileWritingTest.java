package dev.dbops.activities.binlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dbops.activities.hooks.CommandHookActivities;
import dev.dbops.activities.notify.LogNotifyActivities;
import dev.dbops.workflows.binlog.BinlogCatchUpRequest;
import dev.dbops.workflows.binlog.BinlogCatchUpResult;
import dev.dbops.workflows.binlog.BinlogCatchUpWorkflow;
import dev.dbops.workflows.binlog.BinlogCatchUpWorkflowImpl;
import dev.dbops.workflows.binlog.BinlogPosition;
import dev.dbops.workflows.binlog.BinlogStatus;
import dev.dbops.workflows.binlog.ForeignKeyMode;
import dev.dbops.workflows.binlog.JournalEntry;
import dev.dbops.workflows.binlog.SkipPolicy;
import dev.dbops.workflows.common.Approval;
import dev.dbops.workflows.common.ApprovalPolicy;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Issue 18 item 8 on a real source and RDS-style replica: the catch-up workflow with the real
 * activities while the source writes a transaction every 50 ms, duplicate-key conflicts arriving
 * after "caught up" (while the cut-over waits for approval) and after the approval; writes stop by
 * read_only. The run completes with the replica equal to the source: every row there, every
 * conflict journaled, the cut-over at the source's final position.
 */
@Tag("mariadb")
class CutoverWhileWritingTest {
  private static final String ID = "binlog/cutover-while-writing";
  private static final String SCHEMA =
      "CREATE DATABASE app;\n"
          + "CREATE TABLE app.orders (id INT PRIMARY KEY, note VARCHAR(60)) ENGINE=InnoDB;\n";
  private static final int CONFLICTS_WAITING = 3;
  private static final int CONFLICTS_AFTER_APPROVAL = 2;

  private ReplicationFixture fx;
  private TestWorkflowEnvironment env;
  private final AtomicBoolean writing = new AtomicBoolean(true);
  private final AtomicInteger written = new AtomicInteger();
  private final AtomicReference<Throwable> writerFailed = new AtomicReference<>();
  private final AtomicInteger conflictKey = new AtomicInteger(100_000);

  @BeforeEach
  void start() {
    fx = ReplicationFixture.start();
    // Real time: the monitor slices run against real servers.
    env =
        TestWorkflowEnvironment.newInstance(
            TestEnvironmentOptions.newBuilder().setUseTimeskipping(false).build());
    Worker w = env.newWorker("q");
    w.registerWorkflowImplementationTypes(BinlogCatchUpWorkflowImpl.class);
    w.registerActivitiesImplementations(
        new ReplicationActivitiesImpl(
            fx.secrets,
            ReplicationFixture.SETTINGS,
            null,
            new SimpleMeterRegistry(),
            SkipHooks.NONE),
        CommandHookActivities.none(),
        new LogNotifyActivities());
    env.start();
  }

  @AfterEach
  void stop() {
    writing.set(false);
    if (env != null) env.close();
    if (fx != null) fx.close();
  }

  @Test
  void
      givenTheSourceWritingOn_whenConflictsArriveAfterCaughtUpAndAfterApproval_thenTheReplicaEndsEqualToTheSource()
          throws Exception {
    try (Connection src = fx.pair.connectSource();
        Connection rep = fx.pair.connectReplica()) {
      SqlScript.run(src, SCHEMA);
      SqlScript.run(rep, SCHEMA);
    }
    String[] at = fx.onSource("SHOW MASTER STATUS").get(0).split("\t");
    BinlogPosition start = new BinlogPosition(at[0], Long.parseLong(at[1]));
    Thread writer = new Thread(this::write, "source-writer");
    writer.start();

    WorkflowClient client = env.getWorkflowClient();
    BinlogCatchUpWorkflow wf =
        client.newWorkflowStub(
            BinlogCatchUpWorkflow.class,
            WorkflowOptions.newBuilder().setTaskQueue("q").setWorkflowId(ID).build());
    WorkflowClient.start(
        wf::run,
        new BinlogCatchUpRequest(
            fx.source(),
            fx.replica(),
            null,
            start,
            fx.replicationUser(),
            168,
            false,
            new SkipPolicy(List.of(1062), null, 100, ForeignKeyMode.STOP_AND_ASK),
            null,
            null,
            Duration.ofMillis(100),
            Duration.ofMinutes(5),
            Duration.ofHours(1),
            new ApprovalPolicy(List.of("carol"), 1, Duration.ofHours(8)),
            "bob",
            null,
            null));

    await(wf, s -> "AWAITING_CUTOVER".equals(s.phase()), "caught up");
    for (int i = 0; i < CONFLICTS_WAITING; i++) conflict();
    // The watching slice (5 minutes) reports its entries when it ends; the replica's journal has
    // them at once.
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (journaledOnReplica() < CONFLICTS_WAITING && System.nanoTime() < deadline)
      Thread.sleep(50);
    assertEquals(
        CONFLICTS_WAITING,
        journaledOnReplica(),
        "conflicts after caught up skipped while the approval waits");
    assertEquals("AWAITING_CUTOVER", wf.status().phase());

    wf.approve(new Approval("carol", "cut over"));
    long approvedAt = System.nanoTime();
    for (int i = 0; i < CONFLICTS_AFTER_APPROVAL; i++) conflict();
    Thread.sleep(500);
    writing.set(false);
    writer.join();
    if (writerFailed.get() != null) throw new AssertionError("writer failed", writerFailed.get());
    try (Connection src = fx.pair.connectSource();
        Statement s = src.createStatement()) {
      s.execute("SET GLOBAL read_only = 1");
    }

    BinlogCatchUpResult r = client.newUntypedWorkflowStub(ID).getResult(BinlogCatchUpResult.class);
    System.out.println(
        "cut over "
            + Duration.ofNanos(System.nanoTime() - approvedAt).toMillis()
            + " ms after the approval (the watching slice cancelled at its next heartbeat sent)");

    String[] fin = fx.onSource("SHOW MASTER STATUS").get(0).split("\t");
    BinlogPosition sourceEnd = new BinlogPosition(fin[0], Long.parseLong(fin[1]));
    assertEquals(sourceEnd, r.cutover().sourceAtStop());
    assertEquals(
        sourceEnd, r.cutover().replicaExecuted(), "stopped at the source's final position");
    String rows = "SELECT COUNT(*), COALESCE(SUM(CRC32(CONCAT(id, ':', note))), 0) FROM app.orders";
    assertEquals(
        fx.onSource(rows),
        fx.onReplica(rows),
        "replica equals source after " + written.get() + " writes");
    assertEquals(CONFLICTS_WAITING + CONFLICTS_AFTER_APPROVAL, r.journaled());
    assertTrue(
        r.journal().stream().allMatch(e -> e.errno() == 1062 && "policy".equals(e.decidedBy())),
        r.journal().stream().map(JournalEntry::toString).toList().toString());
    assertTrue(fx.pair.replicaStatus().isEmpty(), "replication reset");
  }

  private int journaledOnReplica() throws Exception {
    return Integer.parseInt(
        fx.onReplica("SELECT COUNT(*) FROM dbops_journal.skipped_events").get(0));
  }

  /** A transaction every 50 ms as the RDS-like admin (no SUPER: read_only stops it). */
  private void write() {
    try (Connection src = fx.pair.connectSourceAsAdmin();
        Statement s = src.createStatement()) {
      while (writing.get()) {
        int n = written.incrementAndGet();
        s.execute("INSERT INTO app.orders VALUES (" + n + ", 'row " + n + "')");
        Thread.sleep(50);
      }
    } catch (Throwable t) {
      writerFailed.set(t);
    }
  }

  /** The same row on the replica first, then from the source: a 1062 whose skip loses nothing. */
  private void conflict() throws Exception {
    int k = conflictKey.incrementAndGet();
    try (Connection rep = fx.pair.connectReplica();
        Statement s = rep.createStatement()) {
      s.execute("INSERT INTO app.orders VALUES (" + k + ", 'conflict')");
    }
    try (Connection src = fx.pair.connectSource();
        Statement s = src.createStatement()) {
      s.execute("INSERT INTO app.orders VALUES (" + k + ", 'conflict')");
    }
    Thread.sleep(200);
  }

  private static void await(
      BinlogCatchUpWorkflow wf, Predicate<BinlogStatus> condition, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    BinlogStatus s = wf.status();
    while (!condition.test(s)) {
      if (System.nanoTime() > deadline || "FAILED".equals(s.phase()))
        throw new AssertionError("not " + what + " within 60 s: " + s);
      Thread.sleep(50);
      s = wf.status();
    }
  }
}
