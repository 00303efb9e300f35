package dev.dbops.workflows.upgrade;

import dev.dbops.workflows.common.Approval;
import dev.dbops.workflows.common.ApprovalPolicy;
import dev.dbops.workflows.common.ApprovalRecord;
import dev.dbops.workflows.common.DbLogin;
import dev.dbops.workflows.common.GatedRun;
import dev.dbops.workflows.common.Rejection;
import dev.dbops.workflows.common.ScriptedHooks;
import dev.dbops.workflows.common.SilentNotify;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * An in-place upgrade of cluster {@code orders} waiting for its approval before the snapshot and
 * ModifyDBCluster; optionally tagged production and confirmed (or not) by the request.
 */
public final class UpgradeGatedRun implements GatedRun {
  static final String ID = "upgrade/safety";
  private final boolean production;
  private final String confirmProduction;
  private TestWorkflowEnvironment env;
  private FakeRds rds;
  private UpgradeWorkflow wf;

  public UpgradeGatedRun() {
    this(false, null);
  }

  /**
   * A cluster tagged {@code environment=production}; the request names {@code confirmProduction}.
   */
  public static UpgradeGatedRun production(String confirmProduction) {
    return new UpgradeGatedRun(true, confirmProduction);
  }

  private UpgradeGatedRun(boolean production, String confirmProduction) {
    this.production = production;
    this.confirmProduction = confirmProduction;
  }

  @Override
  public String procedure() {
    return "upgrade";
  }

  /** Starts the run and returns at once (a refused request fails it before any wait). */
  public void start() {
    env = TestWorkflowEnvironment.newInstance();
    rds = new FakeRds(env);
    if (production) rds.tags = Map.of("environment", "production");
    FakeMySql sql = new FakeMySql(rds);
    Worker worker = env.newWorker("q");
    worker.registerWorkflowImplementationTypes(UpgradeWorkflowImpl.class);
    worker.registerActivitiesImplementations(rds, sql, new ScriptedHooks(), new SilentNotify());
    env.start();
    wf =
        env.getWorkflowClient()
            .newWorkflowStub(
                UpgradeWorkflow.class,
                WorkflowOptions.newBuilder().setTaskQueue("q").setWorkflowId(ID).build());
    WorkflowClient.start(
        wf::run,
        new UpgradeRequest(
            "orders",
            UpgradeWorkflowTest.TARGET,
            null,
            null,
            new DbLogin("dbops", "env:DB_PASSWORD"),
            List.of("SELECT 1"),
            confirmProduction,
            false,
            new ApprovalPolicy(List.of(APPROVER), 1, null),
            REQUESTER,
            Duration.ofMinutes(5),
            null,
            null,
            null,
            null,
            null,
            null));
  }

  @Override
  public void startAndAwaitPeople() {
    start();
    env.sleep(Duration.ofMinutes(1));
  }

  @Override
  public String waitingPhase() {
    return UpgradePhase.AWAITING_APPROVAL;
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
    return wf.status().approvals();
  }

  @Override
  public int gatedChanges() {
    return rds.snapshotCreates.get() + rds.modifyCalls.get();
  }

  @Override
  public void awaitEnd() {
    env.getWorkflowClient().newUntypedWorkflowStub(ID).getResult(UpgradeResult.class);
  }

  @Override
  public void sleep(Duration d) {
    env.sleep(d);
  }

  @Override
  public void close() {
    if (env != null) env.close();
  }
}
