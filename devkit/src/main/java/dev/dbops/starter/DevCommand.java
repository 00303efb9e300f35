package dev.dbops.starter;

import dev.dbops.client.DbopsConfig;
import dev.dbops.sandbox.AwsSandbox;
import dev.dbops.sandbox.RdsTimings;
import dev.dbops.worker.DbopsWorker;
import dev.dbops.worker.DevServer;
import dev.dbops.workflows.common.Printable;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code dbops dev}: on loopback only, the Temporal test server, the AWS sandbox and a worker;
 * seeds a demo bucket and a demo Aurora MySQL 5.6 cluster bound to a local MariaDB, runs the demo
 * restore, then stays up for more commands.
 */
@Command(
    name = "dev",
    description = {
      "Local playground on loopback: test server, AWS sandbox, worker, demo restore and upgrade.",
      "Temporal test server (in memory: keeps nothing across its own restart), the AWS sandbox",
      "(a test double, not AWS), a worker, a seeded demo bucket and a demo restore, a demo Aurora",
      "MySQL 5.6 cluster bound to a local MariaDB to upgrade, a local replication pair to catch up,",
      "and production + staging accounts to rebuild staging from; stays up until Ctrl-C."
    })
final class DevCommand extends DbopsCommand {
  static final int DEFAULT_TEMPORAL_PORT = 7233;
  static final int DEFAULT_SANDBOX_PORT = 4566;

  @Option(names = "--no-worker", description = "start no worker (run `./dbops worker` yourself)")
  boolean noWorker;

  @Option(names = "--no-demo", description = "skip the demo restore")
  boolean noDemo;

  @Option(
      names = "--temporal-port",
      paramLabel = "PORT",
      defaultValue = "7233",
      description = "Temporal test server port (default ${DEFAULT-VALUE})")
  int temporalPort;

  @Option(
      names = "--sandbox-port",
      paramLabel = "PORT",
      defaultValue = "4566",
      description = "AWS sandbox port (default ${DEFAULT-VALUE})")
  int sandboxPort;

  @Option(
      names = "--upgrade-duration",
      paramLabel = "DURATION",
      defaultValue = "30s",
      converter = DurationConverter.class,
      description =
          "how long a sandbox RDS upgrade takes (default ${DEFAULT-VALUE}; real ones take hours)")
  Duration upgradeDuration;

  @Option(
      names = "--snapshot-duration",
      paramLabel = "DURATION",
      defaultValue = "5s",
      converter = DurationConverter.class,
      description = "how long a sandbox RDS cluster snapshot takes (default ${DEFAULT-VALUE})")
  Duration snapshotDuration;

  @Option(
      names = "--restore-duration",
      paramLabel = "DURATION",
      defaultValue = "20s",
      converter = DurationConverter.class,
      description =
          "how long a sandbox RestoreDBClusterFromSnapshot takes, and again each CreateDBInstance"
              + " that follows it (default ${DEFAULT-VALUE})")
  Duration restoreDuration;

  /** The demos that each start local MariaDB servers, by the procedure they demonstrate. */
  static final List<String> MARIADB_DEMOS =
      List.of("upgrade", "binlog-catch-up", "staging-rebuild", "aurora-migration");

  static final String NO_DEMOS = "none";

  @Option(
      names = "--demos",
      split = ",",
      paramLabel = "NAME",
      description =
          "the demos with local MariaDB servers to seed: upgrade, binlog-catch-up, aurora-migration,"
              + " staging-rebuild, or none (default: all)")
  List<String> demos;

  /** Where dev mode keeps local files: the demo downloads and the demo database password. */
  static final Path STATE_DIR = Path.of(".dbops");

  /** Poll and report often enough to watch a sandbox upgrade of seconds. */
  static final String UPGRADE_DEMO_PACE = "--poll-interval 2s --progress-every 5s";

  @Override
  protected int run() throws InterruptedException {
    PrintWriter out = out();
    List<String> seeded = demos();
    DevServer dev;
    try {
      dev =
          DevServer.start(
              temporalPort,
              sandboxPort,
              RdsTimings.defaults()
                  .withSnapshotCreate(positive(snapshotDuration, "--snapshot-duration"))
                  .withClusterUpgrade(positive(upgradeDuration, "--upgrade-duration"))
                  .withClusterRestore(positive(restoreDuration, "--restore-duration"))
                  .withInstanceCreate(restoreDuration));
    } catch (UncheckedIOException e) {
      throw CliException.failed(
          e.getMessage()
              + " (is another `dbops dev` running? try"
              + " --temporal-port / --sandbox-port)");
    } catch (RuntimeException e) {
      throw CliException.failed("cannot start the dev servers: " + e.getMessage());
    }
    DevDemo.seed(dev.sandbox().s3());
    UpgradeDemo.Cluster upgradeDemo = seeded.contains("upgrade") ? seedUpgradeDemo(dev) : null;
    BinlogDemo.Pair binlogDemo = seeded.contains("binlog-catch-up") ? startBinlogDemo() : null;
    StagingDemo.Demo stagingDemo = seeded.contains("staging-rebuild") ? seedStagingDemo(dev) : null;
    AuroraMigrationDemo.Demo migrationDemo =
        seeded.contains("aurora-migration") ? seedMigrationDemo(dev) : null;
    DbopsConfig config =
        DbopsConfig.fromEnvironment()
            .withTemporalAddress(dev.temporalAddress())
            .withAwsEndpoint(dev.sandboxEndpoint());
    // Approvals are signed in dev mode as in production, with a demo key, unless the environment
    // names its own file.
    DevApprover approver = config.allowedSigners() == null ? DevApprover.create(STATE_DIR) : null;
    if (approver != null) config = config.withAllowedSigners(approver.allowedSigners());
    DbopsWorker worker = noWorker ? null : startWorker(config);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  if (worker != null) worker.close();
                  dev.close();
                  if (upgradeDemo != null) upgradeDemo.close();
                  if (binlogDemo != null) binlogDemo.close();
                  if (stagingDemo != null) stagingDemo.close();
                  if (migrationDemo != null) migrationDemo.close();
                  stopped.countDown();
                },
                "dbops-dev-shutdown"));

    banner(out, dev, worker, config, upgradeDemo, binlogDemo, stagingDemo, approver);
    if (worker != null && !noDemo) {
      try (Session session = Session.open(config)) {
        DevDemo.run(out, session);
      }
    }
    nextSteps(
        out,
        dev,
        upgradeDemo,
        binlogDemo,
        stagingDemo,
        migrationDemo,
        approver == null ? "" : " --key " + approver.privateKey());
    out.println("dev: ready — Ctrl-C stops everything (and forgets every run)");
    out.flush();
    stopped.await();
    return ExitCodes.OK;
  }

  /** The demos {@code --demos} names (all when absent), checked before anything starts. */
  List<String> demos() {
    if (demos == null) return MARIADB_DEMOS;
    if (demos.equals(List.of(NO_DEMOS))) return List.of();
    for (String d : demos) {
      if (!MARIADB_DEMOS.contains(d)) {
        throw CliException.invalid(
            "--demos: '"
                + Printable.escape(d)
                + "' is none of "
                + String.join(", ", MARIADB_DEMOS)
                + " (or "
                + NO_DEMOS
                + " alone)");
      }
    }
    return List.copyOf(demos);
  }

  private static Duration positive(Duration d, String flag) {
    if (d.isNegative() || d.isZero())
      throw CliException.invalid(flag + ": must be positive, was " + d);
    return d;
  }

  /** The demo cluster, or null (with a warning) where no local MariaDB can run. */
  private UpgradeDemo.Cluster seedUpgradeDemo(DevServer dev) {
    try {
      return UpgradeDemo.seed(dev.sandbox().rds(), STATE_DIR);
    } catch (RuntimeException e) {
      err()
          .println(
              "warning: no upgrade demo (the local MariaDB did not start: "
                  + e.getMessage()
                  + "); everything else works");
      return null;
    }
  }

  /** The replication demo, or null (with a warning) where no local MariaDB can run. */
  private BinlogDemo.Pair startBinlogDemo() {
    try {
      return BinlogDemo.start(STATE_DIR);
    } catch (RuntimeException e) {
      err()
          .println(
              "warning: no binlog catch-up demo (the local MariaDB pair did not start: "
                  + e.getMessage()
                  + "); everything else works");
      return null;
    }
  }

  /** The staging rebuild demo, or null (with a warning) where no local MariaDB can run. */
  private StagingDemo.Demo seedStagingDemo(DevServer dev) {
    try {
      return StagingDemo.seed(dev.sandbox(), STATE_DIR);
    } catch (RuntimeException e) {
      err()
          .println(
              "warning: no staging rebuild demo (the local MariaDB did not start: "
                  + e.getMessage()
                  + "); everything else works");
      return null;
    }
  }

  /** The Aurora migration demo, or null (with a warning) where no local MariaDB can run. */
  private AuroraMigrationDemo.Demo seedMigrationDemo(DevServer dev) {
    try {
      return AuroraMigrationDemo.seed(dev.sandbox(), STATE_DIR);
    } catch (RuntimeException e) {
      err()
          .println(
              "warning: no aurora migration demo (the local MariaDB did not start: "
                  + e.getMessage()
                  + "); everything else works");
      return null;
    }
  }

  private DbopsWorker startWorker(DbopsConfig config) {
    try {
      return DbopsWorker.start(config);
    } catch (UncheckedIOException e) {
      err().println("warning: " + e.getMessage() + "; running the worker without /metrics");
      return DbopsWorker.start(config.withMetricsPort(0));
    }
  }

  private static void banner(
      PrintWriter out,
      DevServer dev,
      DbopsWorker worker,
      DbopsConfig config,
      UpgradeDemo.Cluster upgradeDemo,
      BinlogDemo.Pair binlogDemo,
      StagingDemo.Demo stagingDemo,
      DevApprover approver) {
    out.println("dbops dev — a local playground; everything listens on loopback only");
    out.println(
        "  Temporal  "
            + dev.temporalAddress()
            + "  Java test server, in memory: it keeps NOTHING across its own restart");
    out.println(
        "  AWS       "
            + dev.sandboxEndpoint()
            + "  the dbops sandbox, a TEST DOUBLE (not AWS); bucket "
            + DevDemo.BUCKET
            + " seeded with STANDARD, GLACIER and DEEP_ARCHIVE objects");
    out.println(
        "  admin     "
            + dev.sandboxEndpoint()
            + "/_sandbox/ with header "
            + AwsSandbox.ADMIN_TOKEN_HEADER
            + ": "
            + dev.sandbox().adminToken()
            + "  (random per start; refused without it)");
    if (upgradeDemo != null) {
      out.println(
          "  RDS       cluster "
              + upgradeDemo.clusterId()
              + " (sandbox aurora "
              + UpgradeDemo.ENGINE_VERSION
              + ", environment=dev) bound to a local MariaDB on "
              + upgradeDemo.db().host()
              + ":"
              + upgradeDemo.db().port()
              + " reporting "
              + upgradeDemo.db().reportedVersion()
              + "; its data and "
              + upgradeDemo.passwordFile().getFileName()
              + " are deleted on exit");
    }
    if (binlogDemo != null) {
      out.println(
          "  MySQL     replication pair (test double of Aurora replication): source 127.0.0.1:"
              + binlogDemo.pair().source().port()
              + ", RDS-style replica "
              + binlogDemo.replicaAddress()
              + " with "
              + BinlogDemo.DRIFT_IDS.size()
              + " rows of drift in "
              + BinlogDemo.TABLE
              + "; both and the .dbops/binlog-demo-* password files are deleted on exit");
    }
    if (stagingDemo != null) {
      var s = stagingDemo.seeded();
      out.println(
          "  staging   production account "
              + s.prodAccount()
              + ": cluster "
              + s.sourceClusterId()
              + " (aws/rds-encrypted, tagged production) bound to a local MariaDB with "
              + s.users()
              + " users of made-up PII; staging account "
              + s.stagingAccount()
              + ": role "
              + s.stagingRoleArn()
              + ", "
              + s.recordName()
              + " CNAME -> "
              + s.stagingClusterId()
              + " (dbops-owned) in private zone "
              + s.hostedZoneId()
              + "; .dbops/"
              + StagingDemo.PASSWORD_FILE
              + " and .dbops/"
              + StagingDemo.MASKING_FILE
              + " are deleted on exit");
    }
    if (approver != null) {
      out.println(
          "  approvers signed: the "
              + (worker == null ? "worker started as below" : "worker")
              + " accepts approve/reject/decide/abort only when signed by a key in "
              + approver.allowedSigners()
              + "; demo key of "
              + DevApprover.NAME
              + " ("
              + approver.key().fingerprint()
              + "): "
              + approver.privateKey()
              + " — pass it with --key");
    } else if (config.allowedSigners() != null) {
      out.println(
          "  approvers signed against "
              + config.allowedSigners()
              + " ("
              + DbopsConfig.DBOPS_ALLOWED_SIGNERS
              + ")");
    }
    if (worker != null) {
      out.println(
          "  worker    task queue '"
              + config.taskQueue()
              + "'"
              + (worker.metricsAddress() == null
                  ? ", metrics off"
                  : ", metrics http://"
                      + config.metricsHost()
                      + ":"
                      + worker.metricsAddress().getPort()
                      + "/metrics"));
    } else {
      out.println("  worker    none (--no-worker); start one with:");
      out.println(
          "            TEMPORAL_ADDRESS="
              + dev.temporalAddress()
              + " DBOPS_AWS_ENDPOINT="
              + dev.sandboxEndpoint()
              + (approver == null
                  ? ""
                  : " " + DbopsConfig.DBOPS_ALLOWED_SIGNERS + "=" + approver.allowedSigners())
              + " ./dbops worker");
    }
    out.flush();
  }

  private static void nextSteps(
      PrintWriter out,
      DevServer dev,
      UpgradeDemo.Cluster upgradeDemo,
      BinlogDemo.Pair binlogDemo,
      StagingDemo.Demo stagingDemo,
      AuroraMigrationDemo.Demo migrationDemo,
      String key) {
    boolean defaultPort = dev.temporalAddress().endsWith(":" + DEFAULT_TEMPORAL_PORT);
    String id = "demo-approval";
    out.println();
    out.println("Try next, in another terminal:");
    if (!defaultPort) {
      out.println("  export TEMPORAL_ADDRESS=" + dev.temporalAddress());
    }
    out.println(
        "  ./dbops plan glacier-restore --bucket "
            + DevDemo.BUCKET
            + " --prefix "
            + DevDemo.PREFIX
            + " --tier STANDARD");
    out.println(
        "  ./dbops start glacier-restore --bucket "
            + DevDemo.BUCKET
            + " --prefix "
            + DevDemo.PREFIX
            + " --tier STANDARD --require-approval --approver alice --id "
            + id);
    out.println("  ./dbops watch " + id);
    out.println("  ./dbops approve " + id + " --by alice --comment 'restore for the audit'" + key);
    out.println("  ./dbops list");
    out.println("  ./dbops result " + id);
    if (upgradeDemo != null) {
      String args =
          upgradeDemo.startArgs().stream().map(Shell::quote).collect(Collectors.joining(" "));
      String upgradeId = "upgrade/" + upgradeDemo.clusterId();
      out.println();
      out.println(
          "In-place upgrade of the demo Aurora MySQL 5.6 cluster (the sandbox's, on a local MariaDB):");
      out.println("  ./dbops plan upgrade " + args);
      out.println("  ./dbops start upgrade " + args + " " + UPGRADE_DEMO_PACE);
      out.println("  ./dbops watch " + upgradeId);
      out.println("  ./dbops result " + upgradeId);
    }
    if (binlogDemo != null) {
      String args =
          binlogDemo.startArgs().stream().map(Shell::quote).collect(Collectors.joining(" "));
      String binlogId = Shell.quote(binlogDemo.workflowId());
      out.println();
      out.println(
          "Binlog catch-up into the demo replica (its drift makes "
              + BinlogDemo.DRIFT_IDS.size()
              + " duplicate keys to skip and journal):");
      out.println("  ./dbops start binlog-catch-up " + args);
      out.println("  ./dbops watch " + binlogId);
      out.println("  ./dbops journal " + binlogId + " --format jsonl");
      out.println(
          "  ./dbops approve " + binlogId + " --by alice --comment 'journal reconciled'" + key);
    }
    if (stagingDemo != null) {
      String args =
          stagingDemo.startArgs().stream().map(Shell::quote).collect(Collectors.joining(" "));
      out.println();
      out.println(
          "Staging rebuild from the demo production cluster (snapshot, copy with the customer key, share,"
              + " restore in staging, mask, repoint "
              + stagingDemo.seeded().recordName()
              + ", retire "
              + stagingDemo.seeded().stagingClusterId()
              + " after a "
              + StagingDemo.DEMO_GRACE
              + " grace):");
      out.println("  ./dbops plan staging-rebuild " + args);
      out.println("  ./dbops start staging-rebuild " + args);
      out.println(
          "  (start prints the run id, staging-rebuild/"
              + stripDot(stagingDemo.seeded().recordName())
              + "/<UTC yyyyMMdd-HHmm>; then:)");
      out.println("  ./dbops watch <id>");
      out.println(
          "  ./dbops approve <id> --by "
              + StagingDemo.APPROVER
              + key
              + "   # during the grace: retire "
              + stagingDemo.seeded().stagingClusterId()
              + " now (reject keeps it)");
      out.println("  ./dbops result <id>");
    }
    if (migrationDemo != null) migrationSteps(out, migrationDemo, key);
  }

  private static void migrationSteps(PrintWriter out, AuroraMigrationDemo.Demo demo, String key) {
    String args = demo.startArgs().stream().map(Shell::quote).collect(Collectors.joining(" "));
    String id = demo.workflowId();
    out.println();
    out.println(
        "RDS MySQL -> Aurora MySQL of the demo instance "
            + demo.instanceId()
            + " (on a local MariaDB; its Aurora read replica is a real replica of it; "
            + demo.recordName()
            + " CNAME -> the instance):");
    out.println("  ./dbops plan aurora-migration " + args);
    out.println("  ./dbops start aurora-migration " + args);
    out.println("  ./dbops watch " + id + "   # until it waits for the cut-over approval");
    out.println(
        "  (writes stopped: SET GLOBAL read_only = ON on the source as root, or start with"
            + " --writes-stopped hook)");
    out.println("  ./dbops approve " + id + " --by " + AuroraMigrationDemo.APPROVER + key);
    out.println(
        "  ./dbops abort "
            + id
            + " --by "
            + AuroraMigrationDemo.APPROVER
            + " --reason 'go back'"
            + key
            + "   # within the revert window: CNAME back to the instance");
    out.println("  ./dbops result " + id);
  }

  private static String stripDot(String name) {
    return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
  }
}
