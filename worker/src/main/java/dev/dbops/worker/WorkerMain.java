package dev.dbops.worker;

import dev.dbops.client.DbopsConfig;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The production worker: configuration from the environment, runs until SIGTERM / Ctrl-C. */
public final class WorkerMain {
  private static final Logger log = LoggerFactory.getLogger(WorkerMain.class);

  private WorkerMain() {}

  public static void main(String[] args) throws InterruptedException {
    run(DbopsConfig.fromEnvironment());
  }

  /** While Temporal does not answer, the worker says so and tries again this often. */
  static final Duration RECONNECT_EVERY = Duration.ofSeconds(10);

  /**
   * Starts a worker (waiting for Temporal to answer) and blocks until the JVM is asked to stop,
   * then shuts down gracefully.
   */
  public static void run(DbopsConfig config) throws InterruptedException {
    DbopsWorker worker = DbopsWorker.startWhenReachable(config, RECONNECT_EVERY);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  log.info("stop requested");
                  worker.close();
                  stopped.countDown();
                },
                "dbops-worker-shutdown"));
    stopped.await();
  }
}
