package dev.dbops.workflows.restore;

import dev.dbops.workflows.common.Approval;
import dev.dbops.workflows.common.ApprovalPolicy;
import dev.dbops.workflows.common.ApprovalRecord;
import dev.dbops.workflows.common.GatedRun;
import dev.dbops.workflows.common.Rejection;
import dev.dbops.workflows.common.ScriptedHooks;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.util.List;

/** A Glacier restore that must be approved before any RestoreObject (requireApproval). */
public final class GlacierGatedRun implements GatedRun {
  static final String ID = "restore/safety";
  private TestWorkflowEnvironment env;
  private FakeS3Restore s3;
  private GlacierRestoreWorkflow wf;

  @Override
  public String procedure() {
    return "glacier-restore";
  }

  @Override
  public void startAndAwaitPeople() {
    env = TestWorkflowEnvironment.newInstance();
    s3 = new FakeS3Restore(env);
    Worker worker = env.newWorker("q");
    worker.registerWorkflowImplementationTypes(GlacierRestoreWorkflowImpl.class);
    worker.registerActivitiesImplementations(s3, new RecordingNotify(), new ScriptedHooks());
    env.start();
    s3.put("logs/a.gz", 1000, "GLACIER");
    wf =
        env.getWorkflowClient()
            .newWorkflowStub(
                GlacierRestoreWorkflow.class,
                WorkflowOptions.newBuilder().setTaskQueue("q").setWorkflowId(ID).build());
    WorkflowClient.start(
        wf::run,
        GlacierRestoreRequest.Builder.of("archive-bucket", "logs/")
            .tier(RestoreTier.STANDARD)
            .requireApproval(true)
            .requestedBy(REQUESTER)
            .approval(new ApprovalPolicy(List.of(APPROVER), 1, null))
            .build());
    env.sleep(Duration.ofMinutes(1));
  }

  @Override
  public String waitingPhase() {
    return RestorePhase.AWAITING_APPROVAL;
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
    return s3.restoreCalls.get();
  }

  @Override
  public void awaitEnd() {
    env.getWorkflowClient().newUntypedWorkflowStub(ID).getResult(GlacierRestoreResult.class);
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
