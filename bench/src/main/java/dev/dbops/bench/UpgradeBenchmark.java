package dev.dbops.bench;

import dev.dbops.activities.aws.AwsClients;
import dev.dbops.activities.aws.AwsSettings;
import dev.dbops.activities.common.SecretResolver;
import dev.dbops.activities.mysql.MySqlSettings;
import dev.dbops.activities.notify.LogNotifyActivities;
import dev.dbops.activities.upgrade.MySqlCheckActivitiesImpl;
import dev.dbops.activities.upgrade.RdsUpgradeActivitiesImpl;
import dev.dbops.sandbox.AwsSandbox;
import dev.dbops.sandbox.CallLog;
import dev.dbops.sandbox.ClusterSeed;
import dev.dbops.sandbox.RdsTimings;
import dev.dbops.sandbox.SandboxConfig;
import dev.dbops.sandbox.mysql.LocalMariaDb;
import dev.dbops.workflows.common.DbLogin;
import dev.dbops.workflows.upgrade.UpgradeRequest;
import dev.dbops.workflows.upgrade.UpgradeResult;
import dev.dbops.workflows.upgrade.UpgradeWorkflow;
import dev.dbops.workflows.upgrade.UpgradeWorkflowImpl;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import software.amazon.awssdk.services.rds.RdsClient;

/**
 * Prints the upgrade numbers: history events for a 1 h snapshot + 3 h upgrade and for a 30 h
 * upgrade, and RDS calls per waiting hour. Real activities and the real RdsClient against the
 * sandbox, whose clock follows the time-skipping test server; the cluster is bound to a real
 * MariaDB that the sandbox restarts as 5.7 when the upgrade ends, so verification is real too.
 */
public final class UpgradeBenchmark {
  private static final String TARGET = "5.7.mysql_aurora.2.11.2";

  public static void main(String[] args) throws Exception {
    System.out.println("== Upgrade benchmark (sandbox is a local test double, not AWS) ==");
    System.out.printf(
        "%-34s %8s %12s %16s %14s%n",
        "scenario", "events", "upgradeHours", "RDS calls/hr>1h", "snapshot calls/hr");
    Run a = run("1 h snapshot + 3 h upgrade", Duration.ofHours(1), Duration.ofHours(3));
    Run b = run("1 h snapshot + 30 h upgrade", Duration.ofHours(1), Duration.ofHours(30));
    check(
        "history events <= 60 (3 h: " + a.events + ", 30 h: " + b.events + ")",
        a.events <= 60 && b.events <= 60);
    check(
        "RDS calls per waiting hour <= 12 (3 h: "
            + fmt(a.upgradeCallsPerHour)
            + ", 30 h: "
            + fmt(b.upgradeCallsPerHour)
            + "; aws rds wait makes 120)",
        a.upgradeCallsPerHour <= 12 && b.upgradeCallsPerHour <= 12);
    check(
        "verified on 5.7 (" + a.version + ", " + b.version + ")",
        a.version.startsWith("5.7") && b.version.startsWith("5.7"));
  }

  record Run(int events, double upgradeCallsPerHour, double snapshotCallsPerHour, String version) {}

  static Run run(String name, Duration snapshot, Duration upgrade) throws Exception {
    TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance();
    SandboxConfig config =
        SandboxConfig.defaults()
            .withRdsTimings(
                RdsTimings.defaults().withSnapshotCreate(snapshot).withClusterUpgrade(upgrade));
    Path secret = Files.createTempFile("dbops-bench-", ".pw");
    try (AwsSandbox sandbox = AwsSandbox.start(config, new TestServerClock(env));
        LocalMariaDb db =
            LocalMariaDb.start(LocalMariaDb.Options.defaults().reportedVersion("5.6.10"))) {
      Files.writeString(secret, db.rootPassword() == null ? "" : db.rootPassword());
      sandbox.rds().createCluster(ClusterSeed.aurora56("bench-56").withInstances("bench-56-1"));
      sandbox.rds().bind("bench-56", db);
      SimpleMeterRegistry registry = new SimpleMeterRegistry();
      RdsClient rds = AwsClients.rds(AwsSettings.sandbox(sandbox.endpoint()), registry);
      Worker worker = env.newWorker("bench");
      worker.registerWorkflowImplementationTypes(UpgradeWorkflowImpl.class);
      worker.registerActivitiesImplementations(
          new RdsUpgradeActivitiesImpl(rds, registry),
          dev.dbops.activities.hooks.CommandHookActivities.none(),
          new MySqlCheckActivitiesImpl(SecretResolver.fromEnvironment(), MySqlSettings.loopback()),
          new LogNotifyActivities());
      env.start();
      UpgradeRequest req =
          new UpgradeRequest(
              "bench-56",
              TARGET,
              null,
              null,
              new DbLogin(db.rootUser(), "file:" + secret),
              List.of("SELECT 1"),
              null,
              true,
              null,
              "bench",
              null,
              null,
              null,
              Duration.ofHours(48),
              null,
              null,
              null);
      String id = "upgrade/bench-56";
      UpgradeWorkflow wf =
          env.getWorkflowClient()
              .newWorkflowStub(
                  UpgradeWorkflow.class,
                  WorkflowOptions.newBuilder().setTaskQueue("bench").setWorkflowId(id).build());
      long t0 = env.currentTimeMillis();
      io.temporal.client.WorkflowClient.start(wf::run, req);
      // The upgrade starts after the snapshot; count from one hour into the upgrade wait.
      env.sleep(snapshot.plus(Duration.ofHours(1)).plusMinutes(5));
      long calls1 = upgradeCalls(sandbox);
      long t1 = env.currentTimeMillis();
      UpgradeResult result =
          env.getWorkflowClient().newUntypedWorkflowStub(id).getResult(UpgradeResult.class);
      var history = env.getWorkflowClient().fetchHistory(id).getHistory();
      int events = history.getEventsCount();
      // The run's own end, from history: the test server may skip further ahead after it.
      var end = history.getEvents(events - 1).getEventTime();
      long t2 = end.getSeconds() * 1000 + end.getNanos() / 1_000_000;

      List<CallLog.Call> calls =
          sandbox.calls().all().stream().filter(c -> "rds".equals(c.service())).toList();
      long modifySeq = seqOf(calls, "ModifyDBCluster");
      long snapshotSeq = seqOf(calls, "CreateDBClusterSnapshot");
      long snapshotChecks =
          calls.stream()
              .filter(c -> c.seq() > snapshotSeq && c.seq() < modifySeq)
              .filter(c -> "DescribeDBClusterSnapshots".equals(c.operation()))
              .count();
      double hoursAfterFirst = (t2 - t1) / 3_600_000.0;
      Run r =
          new Run(
              events,
              (upgradeCalls(sandbox) - calls1) / hoursAfterFirst,
              snapshotChecks / (double) Math.max(1, snapshot.toHours()),
              result.reportedVersion());
      if (t2 - t0 < snapshot.plus(upgrade).toMillis())
        throw new IllegalStateException("finished too early");
      System.out.printf(
          "%-34s %8d %12d %16.2f %14.2f%n",
          name, r.events, upgrade.toHours(), r.upgradeCallsPerHour, r.snapshotCallsPerHour);
      rds.close();
      return r;
    } finally {
      env.close();
      Files.deleteIfExists(secret);
    }
  }

  /** Describe calls made while waiting for the upgrade (the poll's two calls per check). */
  private static long upgradeCalls(AwsSandbox sandbox) {
    long modify =
        sandbox.calls().all().stream()
            .filter(c -> "ModifyDBCluster".equals(c.operation()))
            .mapToLong(CallLog.Call::seq)
            .min()
            .orElse(Long.MAX_VALUE);
    return sandbox.calls().all().stream()
        .filter(c -> c.seq() > modify)
        .filter(c -> Set.of("DescribeDBClusters", "DescribeEvents").contains(c.operation()))
        .count();
  }

  private static long seqOf(List<CallLog.Call> calls, String operation) {
    return calls.stream()
        .filter(c -> operation.equals(c.operation()))
        .mapToLong(CallLog.Call::seq)
        .min()
        .orElseThrow(() -> new IllegalStateException("no " + operation + " call"));
  }

  private static String fmt(double v) {
    return String.format("%.2f", v);
  }

  private static void check(String what, boolean ok) {
    System.out.println((ok ? "PASS " : "FAIL ") + what);
  }
}
