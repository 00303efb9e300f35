package dev.dbops.workflows.staging;

import dev.dbops.workflows.common.Approval;
import dev.dbops.workflows.common.ApprovalPolicy;
import dev.dbops.workflows.common.ApprovalRecord;
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

/**
 * A staging rebuild cut over to its new cluster and in its 24 h grace before retiring the old one
 * ({@value FakeStaging#OLD}, owned by a previous dbops run): an approval retires it at once, a
 * rejection keeps it. Optionally the old cluster is tagged production and the request names it.
 */
public final class StagingGatedRun implements GatedRun {
  static final String ID = "staging-rebuild/db.staging.internal./safety";
  private final boolean production;
  private final String confirmProduction;
  private TestWorkflowEnvironment env;
  private FakeStaging aws;
  private StagingRebuildWorkflow wf;

  public StagingGatedRun() {
    this(false, null);
  }

  /**
   * The old staging cluster tagged {@code environment=production}; the request names {@code
   * confirmProduction}.
   */
  public static StagingGatedRun production(String confirmProduction) {
    return new StagingGatedRun(true, confirmProduction);
  }

  private StagingGatedRun(boolean production, String confirmProduction) {
    this.production = production;
    this.confirmProduction = confirmProduction;
  }

  @Override
  public String procedure() {
    return "staging-rebuild";
  }

  public static String oldClusterId() {
    return FakeStaging.OLD;
  }

  /** Starts the run and returns at once (a refused request fails it before any change). */
  public void start() {
    env = TestWorkflowEnvironment.newInstance();
    aws = new FakeStaging(env);
    if (production) aws.oldTags.put("environment", "production");
    Worker worker = env.newWorker("q");
    worker.registerWorkflowImplementationTypes(StagingRebuildWorkflowImpl.class);
    worker.registerActivitiesImplementations(aws, new ScriptedHooks(), new SilentNotify());
    env.start();
    wf =
        env.getWorkflowClient()
            .newWorkflowStub(
                StagingRebuildWorkflow.class,
                WorkflowOptions.newBuilder().setTaskQueue("q").setWorkflowId(ID).build());
    StagingRebuildRequest base =
        StagingRebuildWorkflowTest.request(
            new RetirePolicy(RetirePolicy.GRACE, null, Duration.ofHours(24), null),
            new ApprovalPolicy(List.of(APPROVER), 1, null));
    WorkflowClient.start(
        wf::run,
        new StagingRebuildRequest(
            base.source(),
            base.sourceClusterId(),
            base.target(),
            base.crossAccount(),
            base.kmsKeyId(),
            base.instanceClass(),
            base.instanceCount(),
            base.dbSubnetGroup(),
            base.vpcSecurityGroupIds(),
            base.masterPasswordRef(),
            base.masking(),
            base.schemaDriftCheck(),
            base.sourceLogin(),
            base.driftSchemas(),
            base.dns(),
            base.retire(),
            base.keepSnapshots(),
            confirmProduction,
            base.approval(),
            REQUESTER,
            base.pollInterval(),
            base.snapshotMaxWait(),
            base.restoreMaxWait(),
            base.dnsMaxWait(),
            base.dryRun()));
  }

  @Override
  public void startAndAwaitPeople() {
    start();
    env.sleep(Duration.ofHours(3));
  }

  @Override
  public String waitingPhase() {
    return StagingPhase.GRACE;
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

  /** Deletes of clusters that were there before the run (the old one). */
  @Override
  public int gatedChanges() {
    return (int) aws.count("DeleteDBCluster " + FakeStaging.OLD);
  }

  /** Every change the run made, in order (e.g. {@code DeleteDBCluster staging-old}). */
  public List<String> mutations() {
    synchronized (aws) {
      return List.copyOf(aws.mutations);
    }
  }

  public boolean oldClusterExists() {
    synchronized (aws) {
      return aws.clusters.containsKey(FakeStaging.OLD);
    }
  }

  public StagingRebuildResult result() {
    return env.getWorkflowClient().newUntypedWorkflowStub(ID).getResult(StagingRebuildResult.class);
  }

  @Override
  public void awaitEnd() {
    result();
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
