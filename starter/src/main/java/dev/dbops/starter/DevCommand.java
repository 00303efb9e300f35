package dev.dbops.starter;

import dev.dbops.worker.DbopsWorker;
import dev.dbops.worker.DevServer;
import dev.dbops.worker.WorkerConfig;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code dbops dev}: on loopback only, the Temporal test server, the AWS sandbox and a worker;
 * seeds a demo bucket, runs the demo restore, then stays up for more commands.
 */
@Command(name = "dev", description = {
    "Local playground on loopback: test server, AWS sandbox, worker, demo restore.",
    "Temporal test server (in memory: keeps nothing across its own restart), the AWS sandbox",
    "(a test double, not AWS), a worker, a seeded demo bucket and a demo restore; stays up",
    "until Ctrl-C."})
final class DevCommand extends DbopsCommand {
  static final int DEFAULT_TEMPORAL_PORT = 7233;
  static final int DEFAULT_SANDBOX_PORT = 4566;

  @Option(names = "--no-worker", description = "start no worker (run `./dbops worker` yourself)")
  boolean noWorker;

  @Option(names = "--no-demo", description = "skip the demo restore")
  boolean noDemo;

  @Option(names = "--temporal-port", paramLabel = "PORT", defaultValue = "7233",
      description = "Temporal test server port (default ${DEFAULT-VALUE})")
  int temporalPort;

  @Option(names = "--sandbox-port", paramLabel = "PORT", defaultValue = "4566",
      description = "AWS sandbox port (default ${DEFAULT-VALUE})")
  int sandboxPort;

  @Override
  protected int run() throws InterruptedException {
    PrintWriter out = out();
    DevServer dev;
    try {
      dev = DevServer.start(temporalPort, sandboxPort);
    } catch (UncheckedIOException e) {
      throw CliException.failed(e.getMessage() + " (is another `dbops dev` running? try"
          + " --temporal-port / --sandbox-port)");
    } catch (RuntimeException e) {
      throw CliException.failed("cannot start the dev servers: " + e.getMessage());
    }
    DevDemo.seed(dev.sandbox().s3());
    WorkerConfig config = WorkerConfig.fromEnvironment()
        .withTemporalAddress(dev.temporalAddress())
        .withAwsEndpoint(dev.sandboxEndpoint());
    DbopsWorker worker = noWorker ? null : startWorker(config);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      if (worker != null) worker.close();
      dev.close();
      stopped.countDown();
    }, "dbops-dev-shutdown"));

    banner(out, dev, worker, config);
    if (worker != null && !noDemo) {
      try (Session session = Session.open(config)) {
        DevDemo.run(out, session);
      }
    }
    nextSteps(out, dev, config);
    out.println("dev: ready — Ctrl-C stops everything (and forgets every run)");
    out.flush();
    stopped.await();
    return ExitCodes.OK;
  }

  private DbopsWorker startWorker(WorkerConfig config) {
    try {
      return DbopsWorker.start(config);
    } catch (UncheckedIOException e) {
      err().println("warning: " + e.getMessage() + "; running the worker without /metrics");
      return DbopsWorker.start(config.withMetricsPort(0));
    }
  }

  private static void banner(PrintWriter out, DevServer dev, DbopsWorker worker, WorkerConfig config) {
    out.println("dbops dev — a local playground; everything listens on loopback only");
    out.println("  Temporal  " + dev.temporalAddress()
        + "  Java test server, in memory: it keeps NOTHING across its own restart");
    out.println("  AWS       " + dev.sandboxEndpoint()
        + "  the dbops sandbox, a TEST DOUBLE (not AWS); bucket " + DevDemo.BUCKET
        + " seeded with STANDARD, GLACIER and DEEP_ARCHIVE objects");
    if (worker != null) {
      out.println("  worker    task queue '" + config.taskQueue() + "'"
          + (worker.metricsAddress() == null ? ", metrics off"
              : ", metrics http://" + config.metricsHost() + ":" + worker.metricsAddress().getPort() + "/metrics"));
    } else {
      out.println("  worker    none (--no-worker); start one with:");
      out.println("            TEMPORAL_ADDRESS=" + dev.temporalAddress() + " DBOPS_AWS_ENDPOINT="
          + dev.sandboxEndpoint() + " ./dbops worker");
    }
    out.flush();
  }

  private static void nextSteps(PrintWriter out, DevServer dev, WorkerConfig config) {
    boolean defaultPort = dev.temporalAddress().endsWith(":" + DEFAULT_TEMPORAL_PORT);
    String id = "demo-approval";
    out.println();
    out.println("Try next, in another terminal:");
    if (!defaultPort) {
      out.println("  export TEMPORAL_ADDRESS=" + dev.temporalAddress());
    }
    out.println("  ./dbops plan glacier-restore --bucket " + DevDemo.BUCKET + " --prefix "
        + DevDemo.PREFIX + " --tier STANDARD");
    out.println("  ./dbops start glacier-restore --bucket " + DevDemo.BUCKET + " --prefix "
        + DevDemo.PREFIX + " --tier STANDARD --require-approval --approver alice --id " + id);
    out.println("  ./dbops watch " + id);
    out.println("  ./dbops approve " + id + " --by alice --comment 'restore for the audit'");
    out.println("  ./dbops list");
    out.println("  ./dbops result " + id);
  }
}
