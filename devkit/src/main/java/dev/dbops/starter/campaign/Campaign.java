package dev.dbops.starter.campaign;

import dev.dbops.client.DbopsConfig;
import dev.dbops.sandbox.RdsTimings;
import dev.dbops.worker.DevServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The crash campaign: what {@code dbops dev --no-worker} starts (the Temporal test server and the
 * AWS sandbox, on loopback), a {@code dbops worker} child process, and the planned runs one after
 * another, each with its worker killed (SIGKILL) and replaced at its moment; then a report.
 */
public final class Campaign {
  private Campaign() {}

  public static final String TASK_QUEUE = "campaign";

  /** Sandbox RDS in seconds, so every wait is short but long enough to be caught in. */
  public static final RdsTimings TIMINGS =
      RdsTimings.defaults()
          .withSnapshotCreate(Duration.ofSeconds(2))
          .withClusterUpgrade(Duration.ofSeconds(10))
          .withClusterRestore(Duration.ofSeconds(5))
          .withInstanceCreate(Duration.ofSeconds(2))
          .withSnapshotCopy(Duration.ofSeconds(2))
          .withInstanceDelete(Duration.ofSeconds(2))
          .withClusterDelete(Duration.ofSeconds(2));

  /**
   * Runs {@code plans} in order. {@code workDir} receives the workers' logs ({@code logs/}), each
   * run's files ({@code campaign-run-NN/}) and the demos' local files ({@code state/}).
   */
  public static CampaignReport run(
      List<RunPlan> plans, long seed, Fixtures.Factory fixtures, Path workDir, PrintWriter progress)
      throws InterruptedException {
    try {
      Files.createDirectories(workDir.resolve("logs"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + workDir, e);
    }
    List<RunReport> reports = new ArrayList<>();
    long started = System.nanoTime();
    try (DevServer dev = DevServer.start(0, 0, TIMINGS)) {
      progress.println(
          "campaign: Temporal test server "
              + dev.temporalAddress()
              + ", AWS sandbox (test double) "
              + dev.sandboxEndpoint()
              + ", work dir "
              + workDir.toAbsolutePath());
      Fixtures seeded = fixtures.open(dev.sandbox(), workDir.resolve("state").toAbsolutePath());
      Map<String, String> workerEnv =
          Map.of(
              DbopsConfig.TEMPORAL_ADDRESS,
              dev.temporalAddress(),
              DbopsConfig.DBOPS_TASK_QUEUE,
              TASK_QUEUE,
              DbopsConfig.DBOPS_AWS_ENDPOINT,
              dev.sandboxEndpoint().toString(),
              DbopsConfig.DBOPS_METRICS_PORT,
              "0");
      try (WorkerProcesses workers =
              new WorkerProcesses(workDir.resolve("logs").toAbsolutePath(), workerEnv);
          CampaignClient client = new CampaignClient(dev.temporalAddress(), TASK_QUEUE)) {
        workers.start();
        RunDriver driver =
            new RunDriver(
                dev.sandbox(), client, workers, seeded, workDir.toAbsolutePath(), progress);
        for (RunPlan plan : plans) {
          progress.println(
              "run "
                  + plan.number()
                  + "/"
                  + plans.size()
                  + ": "
                  + plan.procedure().cliName()
                  + ", kill "
                  + plan.describeKill()
                  + (plan.faults().active() ? ", faults: " + plan.faults().describe() : ""));
          progress.flush();
          RunReport r = driver.run(plan);
          reports.add(r);
          progress.println(
              "  "
                  + (r.passed() ? "ok" : "BROKE")
                  + " "
                  + r.workflowId()
                  + ": "
                  + r.outcome()
                  + " in "
                  + CampaignReport.seconds(r.took())
                  + (r.problems().isEmpty() ? "" : "; " + String.join("; ", r.problems())));
          progress.flush();
        }
        return new CampaignReport(
            seed, reports, Duration.ofNanos(System.nanoTime() - started), workers.started());
      }
    }
  }
}
