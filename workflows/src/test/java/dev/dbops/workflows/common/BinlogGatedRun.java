package dev.dbops.workflows.common;

import dev.dbops.workflows.binlog.BinlogCatchUpRequest;
import dev.dbops.workflows.binlog.BinlogCatchUpResult;
import dev.dbops.workflows.binlog.BinlogCatchUpWorkflow;
import dev.dbops.workflows.binlog.BinlogCatchUpWorkflowImpl;
import dev.dbops.workflows.binlog.BinlogPosition;
import dev.dbops.workflows.binlog.CutoverReport;
import dev.dbops.workflows.binlog.DbTarget;
import dev.dbops.workflows.binlog.DecisionRequest;
import dev.dbops.workflows.binlog.ErrorDecision;
import dev.dbops.workflows.binlog.JournalEntry;
import dev.dbops.workflows.binlog.JournalPage;
import dev.dbops.workflows.binlog.JournalPageRequest;
import dev.dbops.workflows.binlog.MonitorOutcome;
import dev.dbops.workflows.binlog.MonitorRequest;
import dev.dbops.workflows.binlog.ReplicaSetup;
import dev.dbops.workflows.binlog.ReplicaState;
import dev.dbops.workflows.binlog.ReplicationActivities;
import dev.dbops.workflows.binlog.ReplicationUser;
import dev.dbops.workflows.binlog.SourceCheck;
import dev.dbops.workflows.binlog.SourceReport;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A binlog catch-up that stops once on a replication error nobody allowed (1146), waits for a
 * person's {@code decide}, then catches up and waits for the cut-over approval. Its replica is a
 * small scripted stand-in here: the binlog package's own fakes are another engineer's to change.
 */
public final class BinlogGatedRun implements GatedRun {
  static final String ID = "binlog/safety";
  private TestWorkflowEnvironment env;
  private final ScriptedReplica replica = new ScriptedReplica();
  private BinlogCatchUpWorkflow wf;

  @Override
  public String procedure() {
    return "binlog-catch-up";
  }

  /** Starts the run and lets it reach the decision on the replication error. */
  public void startAndAwaitDecision() {
    env = TestWorkflowEnvironment.newInstance();
    Worker worker = env.newWorker("q");
    worker.registerWorkflowImplementationTypes(BinlogCatchUpWorkflowImpl.class);
    worker.registerActivitiesImplementations(replica, new ScriptedHooks(), new SilentNotify());
    env.start();
    wf =
        env.getWorkflowClient()
            .newWorkflowStub(
                BinlogCatchUpWorkflow.class,
                WorkflowOptions.newBuilder().setTaskQueue("q").setWorkflowId(ID).build());
    DbLogin admin = new DbLogin("admin", "env:DB_ADMIN_PASSWORD");
    WorkflowClient.start(
        wf::run,
        new BinlogCatchUpRequest(
            new DbTarget("10.0.0.1", 3306, admin),
            new DbTarget("10.0.0.2", 3306, admin),
            null,
            new BinlogPosition("mysql-bin-changelog.000118", 245880),
            new ReplicationUser("repl", "env:REPL_PASSWORD", false),
            null,
            false,
            null,
            null,
            null,
            null,
            null,
            Duration.ofHours(2),
            new ApprovalPolicy(List.of(APPROVER), 1, Duration.ofHours(8)),
            REQUESTER,
            null,
            null));
    env.sleep(Duration.ofMinutes(1));
  }

  public void decide(ErrorDecision d) {
    wf.decide(d);
  }

  /** Decisions carried out on the replica (skips, retries). */
  public int carriedOut() {
    return replica.carriedOut.get();
  }

  @Override
  public void sleep(Duration d) {
    env.sleep(d);
  }

  @Override
  public void startAndAwaitPeople() {
    startAndAwaitDecision();
    wf.decide(new ErrorDecision(ErrorDecision.RETRY, APPROVER, "the table is back"));
    env.sleep(Duration.ofMinutes(1));
  }

  @Override
  public String waitingPhase() {
    return "AWAITING_CUTOVER";
  }

  @Override
  public String phase() {
    return wf.status().phase();
  }

  @Override
  public void approve(Approval a) {
    wf.approve(a);
  }

  @Override
  public void reject(Rejection r) {
    wf.reject(r);
  }

  @Override
  public List<ApprovalRecord> records() {
    return wf.status().decisions();
  }

  @Override
  public int gatedChanges() {
    return replica.cutovers.get();
  }

  @Override
  public void awaitEnd() {
    env.getWorkflowClient().newUntypedWorkflowStub(ID).getResult(BinlogCatchUpResult.class);
  }

  @Override
  public void close() {
    if (env != null) env.close();
  }

  /**
   * Stops once on error 1146 (no policy allows it), is caught up after any decision, counts
   * cut-overs.
   */
  static final class ScriptedReplica implements ReplicationActivities {
    final AtomicInteger carriedOut = new AtomicInteger();
    final AtomicInteger cutovers = new AtomicInteger();
    private static final BinlogPosition AT = new BinlogPosition("mysql-bin.000001", 1000);

    @Override
    public SourceReport checkSource(SourceCheck check) {
      return new SourceReport(true, "ROW", 168, true, AT, List.of(), List.of());
    }

    @Override
    public BinlogPosition startFromRdsEvents(String replicaClusterId) {
      throw new UnsupportedOperationException("the request names its start position");
    }

    @Override
    public ReplicaState setUpReplica(ReplicaSetup setup) {
      return state(0, null);
    }

    @Override
    public MonitorOutcome monitor(MonitorRequest r) {
      if (carriedOut.get() == 0) {
        return new MonitorOutcome(
            MonitorOutcome.NEEDS_DECISION,
            List.of(),
            state(1146, "Table 'shop.x' doesn't exist"),
            AT,
            -1,
            "seconds_behind_master",
            "NOT_ALLOWED");
      }
      return new MonitorOutcome(
          MonitorOutcome.CAUGHT_UP, List.of(), state(0, null), AT, 0, "heartbeat", null);
    }

    @Override
    public JournalEntry carryOut(DecisionRequest r) {
      carriedOut.incrementAndGet();
      return null;
    }

    @Override
    public CutoverReport cutOver(DbTarget replica, DbTarget source) {
      cutovers.incrementAndGet();
      return new CutoverReport(AT, AT);
    }

    @Override
    public BinlogPosition sourceFinalPosition(dev.dbops.workflows.binlog.CutoverCheck check) {
      return AT;
    }

    @Override
    public CutoverReport cutOverAt(dev.dbops.workflows.binlog.CutoverRequest request) {
      cutovers.incrementAndGet();
      return new CutoverReport(AT, AT);
    }

    @Override
    public JournalPage journalPage(JournalPageRequest request) {
      throw new UnsupportedOperationException("the catch-up never reads its journal back");
    }

    private static ReplicaState state(int errno, String error) {
      return new ReplicaState(
          true, errno == 0, errno, error, 0, null, AT, AT, errno == 0 ? 0L : null);
    }
  }
}
