package dev.dbops.bench;

import dev.dbops.activities.aws.AccountClients;
import dev.dbops.activities.aws.AwsSettings;
import dev.dbops.activities.common.SecretResolver;
import dev.dbops.activities.hooks.CommandHookActivities;
import dev.dbops.activities.mysql.MySqlSettings;
import dev.dbops.activities.notify.LogNotifyActivities;
import dev.dbops.activities.staging.StagingActivitiesImpl;
import dev.dbops.sandbox.AwsSandbox;
import dev.dbops.sandbox.RdsTimings;
import dev.dbops.sandbox.Route53Timings;
import dev.dbops.sandbox.SandboxConfig;
import dev.dbops.sandbox.StagingDemo;
import dev.dbops.workflows.staging.AccountRef;
import dev.dbops.workflows.staging.DnsTarget;
import dev.dbops.workflows.staging.MaskingSpec;
import dev.dbops.workflows.staging.RetirePolicy;
import dev.dbops.workflows.staging.StagingRebuildRequest;
import dev.dbops.workflows.staging.StagingRebuildResult;
import dev.dbops.workflows.staging.StagingRebuildWorkflow;
import dev.dbops.workflows.staging.StagingRebuildWorkflowImpl;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Prints the staging rebuild numbers: history events for a 1 h snapshot + 40 min restore + 24 h
 * grace, and AWS calls per waiting hour after the first hour (a 6 h snapshot). Real workflow, real
 * activities and AWS SDK clients against the sandbox (two accounts, STS, KMS, RDS, Route53), whose
 * clock follows the time-skipping test server; the production cluster is bound to a real MariaDB,
 * so the restore starts another and masking runs on real rows.
 */
public final class StagingBenchmark {
  public static void main(String[] args) throws Exception {
    System.out.println("== Staging rebuild benchmark (sandbox is a local test double, not AWS) ==");
    Run a =
        run(
            "1 h snapshot + 40 min restore + 24 h grace",
            Duration.ofHours(1),
            Duration.ofHours(24),
            false);
    Run b = run("6 h snapshot (polling rate)", Duration.ofHours(6), Duration.ofMinutes(1), true);
    System.out.printf(
        "%-44s %8s %12s %18s%n", "scenario", "events", "retirement", "AWS calls/hr>1h");
    System.out.printf("%-44s %8d %12s %18s%n", a.name, a.events, a.retirement, "-");
    System.out.printf("%-44s %8d %12s %18.2f%n", b.name, b.events, b.retirement, b.callsPerHour);
    check("history events <= 80 (" + a.events + ")", a.events <= 80);
    check(
        "AWS calls per waiting hour after the first <= 12 ("
            + String.format("%.2f", b.callsPerHour)
            + ")",
        b.callsPerHour <= 12);
    check(
        "old staging retired after the grace period (" + a.retirement + ")",
        StagingRebuildResult.RETIRED.equals(a.retirement));
  }

  record Run(String name, int events, String retirement, double callsPerHour) {}

  static Run run(String name, Duration snapshot, Duration grace, boolean measureRate)
      throws Exception {
    TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance();
    SandboxConfig config =
        SandboxConfig.defaults()
            .withRdsTimings(
                RdsTimings.defaults()
                    .withSnapshotCreate(snapshot)
                    .withSnapshotCopy(Duration.ofMinutes(10))
                    .withClusterRestore(Duration.ofMinutes(30))
                    .withInstanceCreate(Duration.ofMinutes(10))
                    .withInstanceDelete(Duration.ofMinutes(5))
                    .withClusterDelete(Duration.ofMinutes(5)))
            .withRoute53Timings(
                Route53Timings.defaults().withChangePropagation(Duration.ofSeconds(30)));
    Path password = Files.createTempFile("dbops-bench-", ".pw");
    try (AwsSandbox sandbox = AwsSandbox.start(config, new TestServerClock(env))) {
      StagingDemo.Seeded seeded = StagingDemo.seed(sandbox);
      Files.writeString(password, "Bench-7c2d9e");
      SimpleMeterRegistry registry = new SimpleMeterRegistry();
      AccountClients clients =
          new AccountClients(AwsSettings.sandbox(sandbox.endpoint()), registry);
      Worker worker = env.newWorker("bench");
      worker.registerWorkflowImplementationTypes(StagingRebuildWorkflowImpl.class);
      worker.registerActivitiesImplementations(
          new StagingActivitiesImpl(
              clients, SecretResolver.fromEnvironment(), MySqlSettings.loopback(), registry),
          CommandHookActivities.none(),
          new LogNotifyActivities());
      env.start();
      StagingRebuildRequest req =
          new StagingRebuildRequest(
              new AccountRef(seeded.prodAccount(), null),
              seeded.sourceClusterId(),
              new AccountRef(seeded.stagingAccount(), seeded.stagingRoleArn()),
              null,
              seeded.customerKeyArn(),
              "db.r5.large",
              1,
              null,
              null,
              "file:" + password,
              new MaskingSpec(
                  List.of("UPDATE app.users SET email = CONCAT('user', id, '@example.invalid')"),
                  null,
                  List.of(
                      "SELECT COUNT(*) FROM app.users WHERE email NOT LIKE '%@example.invalid'")),
              null,
              null,
              null,
              new DnsTarget(seeded.hostedZoneId(), seeded.recordName(), 0L),
              new RetirePolicy(RetirePolicy.GRACE, null, grace, null),
              null,
              null,
              null,
              "bench",
              null,
              null,
              null,
              null,
              null);
      String id = "staging-rebuild/bench";
      StagingRebuildWorkflow wf =
          env.getWorkflowClient()
              .newWorkflowStub(
                  StagingRebuildWorkflow.class,
                  WorkflowOptions.newBuilder().setTaskQueue("bench").setWorkflowId(id).build());
      WorkflowClient.start(wf::run, req);
      double rate = 0;
      if (measureRate) {
        env.sleep(Duration.ofHours(1).plusMinutes(5));
        long c1 = sandbox.calls().all().size();
        long t1 = env.currentTimeMillis();
        env.sleep(snapshot.minus(Duration.ofHours(1)).minusMinutes(15));
        long c2 = sandbox.calls().all().size();
        rate = (c2 - c1) / ((env.currentTimeMillis() - t1) / 3_600_000.0);
      }
      StagingRebuildResult result =
          env.getWorkflowClient().newUntypedWorkflowStub(id).getResult(StagingRebuildResult.class);
      int events = env.getWorkflowClient().fetchHistory(id).getHistory().getEventsCount();
      clients.close();
      return new Run(name, events, result.retirement(), rate);
    } finally {
      env.close();
      Files.deleteIfExists(password);
    }
  }

  private static void check(String what, boolean ok) {
    System.out.println((ok ? "PASS " : "FAIL ") + what);
  }
}
