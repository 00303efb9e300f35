package dev.dbops.starter;

import dev.dbops.starter.campaign.Campaign;
import dev.dbops.starter.campaign.CampaignReport;
import dev.dbops.starter.campaign.KillPoint;
import dev.dbops.starter.campaign.Procedure;
import dev.dbops.starter.campaign.RunPlan;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code dbops campaign}: the crash campaign (issue 6). Every procedure, in rotation, against what
 * {@code dbops dev --no-worker} starts, with the worker process killed by SIGKILL once per run and
 * replaced; afterwards each run is checked through the sandbox's call log and MariaDB.
 */
@Command(
    name = "campaign",
    description = {
      "Crash campaign: run procedures with the worker killed (SIGKILL) at a seeded moment, check",
      "every run completed, no side effect happened twice and no approval was lost.",
      "Starts its own Temporal test server, AWS sandbox (test double) and local MariaDB servers on",
      "loopback, and `dbops worker` child processes; prints a table and",
      "`N/N completed, 0 duplicated side effects`. Exit 0 only when every run passed."
    })
final class CampaignCommand extends DbopsCommand {

  @Option(
      names = "--runs",
      defaultValue = "20",
      description = "runs in total, procedures in rotation (default ${DEFAULT-VALUE})")
  int runs;

  @Option(
      names = "--seed",
      description = "seed of the schedule and the kill moments (default: the clock; printed)")
  Long seed;

  @Option(
      names = "--procedures",
      split = ",",
      paramLabel = "P,...",
      defaultValue = "restore,upgrade,binlog,staging",
      description = "procedures to rotate through (default ${DEFAULT-VALUE})")
  List<String> procedures;

  @Option(
      names = "--kill-points",
      split = ",",
      paramLabel = "K,...",
      defaultValue = "activity,wait,signal",
      description =
          "where workers die: activity (a mutating AWS call in flight, the binlog monitor), wait"
              + " (approval, poll), signal (right after approve), none (default ${DEFAULT-VALUE})")
  List<String> killPoints;

  @Option(
      names = "--faults",
      description =
          "also inject the fault matrix into every run (20 %% throttling,"
              + " 20 %% 500/503, 20 %% dropped connections, 20 %% latency spikes; MySQL connections killed)")
  boolean faults;

  @Option(
      names = "--db-kill-pause",
      paramLabel = "DURATION",
      defaultValue = "5s",
      converter = DurationConverter.class,
      description =
          "with --faults: MySQL connections are killed every DURATION to twice that (default ${DEFAULT-VALUE})")
  java.time.Duration dbKillPause;

  @Option(
      names = "--work-dir",
      paramLabel = "DIR",
      description = "worker logs and run files (default .dbops/campaign-<seed>)")
  Path workDir;

  @Override
  protected int run() throws InterruptedException {
    long s = seed != null ? seed : System.currentTimeMillis() % 100_000;
    List<Procedure> ps;
    List<KillPoint> ks;
    try {
      ps = procedures.stream().map(Procedure::parse).toList();
      ks = killPoints.stream().map(KillPoint::parse).toList();
    } catch (IllegalArgumentException e) {
      throw CliException.invalid(e.getMessage());
    }
    if (runs < 1) throw CliException.invalid("runs: must be at least 1, was " + runs);
    Path dir = workDir != null ? workDir : DevCommand.STATE_DIR.resolve("campaign-" + s);
    PrintWriter out = out();
    if (dbKillPause.isZero() || dbKillPause.isNegative())
      throw CliException.invalid("--db-kill-pause: must be positive");
    List<RunPlan> plans =
        RunPlan.schedule(runs, s, ps, ks, faults).stream()
            .map(
                p ->
                    p.faults().active() ? p.withFaults(p.faults().withDbKillPause(dbKillPause)) : p)
            .toList();
    out.println("dbops campaign: " + runs + " runs, seed " + s + " (repeat with --seed " + s + ")");
    CampaignReport report = Campaign.run(plans, s, CampaignDemos::new, dir, out);
    report.print(out);
    return report.passed() ? ExitCodes.OK : ExitCodes.FAILED;
  }
}
