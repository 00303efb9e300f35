package dev.dbops.worker;

import dev.dbops.client.AllowedSignersFile;
import dev.dbops.client.DbopsConfig;
import dev.dbops.client.TemporalConnection;
import dev.dbops.workflows.catalog.Procedure;
import dev.dbops.workflows.catalog.Procedures;
import dev.dbops.workflows.common.ApproverCheckInterceptor;
import dev.dbops.workflows.common.RunEndedInterceptor;
import dev.dbops.workflows.common.SearchAttributesInterceptor;
import dev.dbops.workflows.common.TargetLockInterceptor;
import dev.dbops.workflows.common.WorkflowCodeFailures;
import io.temporal.client.WorkflowClient;
import io.temporal.common.interceptors.WorkerInterceptor;
import io.temporal.common.interceptors.WorkerInterceptorBase;
import io.temporal.common.interceptors.WorkflowInboundCallsInterceptor;
import io.temporal.common.interceptors.WorkflowInboundCallsInterceptorBase;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerFactoryOptions;
import io.temporal.worker.WorkerOptions;
import io.temporal.workflow.Workflow;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running dbops worker: every workflow and activity of the catalog registered on one task queue,
 * SDK and domain metrics in one Prometheus registry. The production worker, {@code dbops dev} and
 * the test stacks all start through {@link #start}, so they register alike. {@link #close} drains
 * in-flight tasks (graceful shutdown) before releasing connections.
 */
public final class DbopsWorker implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DbopsWorker.class);

  /**
   * A worker that dies leaves its workflows' next task on its sticky queue. The real server notices
   * the dead poller; the Java test server does not and a restarted worker hangs on such a workflow.
   * Zero makes the task go back to the normal queue at once (measured).
   */
  static final Duration STICKY_SCHEDULE_TO_START = Duration.ZERO;

  /** How long shutdown waits for in-flight tasks before giving up on them. */
  static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(20);

  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

  private final DbopsConfig config;
  private final WorkerMetrics metrics;
  private final WorkflowServiceStubs stubs;
  private final WorkflowClient client;
  private final WorkerFactory factory;
  private final Activities activities;
  private final InetSocketAddress metricsAddress;
  private final OpenProcedures openProcedures;
  private boolean closed;

  private DbopsWorker(
      DbopsConfig config,
      WorkerMetrics metrics,
      WorkflowServiceStubs stubs,
      WorkflowClient client,
      WorkerFactory factory,
      Activities activities,
      InetSocketAddress metricsAddress,
      OpenProcedures openProcedures) {
    this.config = config;
    this.metrics = metrics;
    this.stubs = stubs;
    this.client = client;
    this.factory = factory;
    this.activities = activities;
    this.metricsAddress = metricsAddress;
    this.openProcedures = openProcedures;
  }

  /**
   * Connects, registers and starts polling.
   *
   * @throws TemporalConnection.UnreachableException when the frontend does not answer
   */
  public static DbopsWorker start(DbopsConfig config) {
    return connect(config).startPolling();
  }

  /**
   * Connects, registers and serves {@code /metrics}, {@code /healthz} (200) and {@code /readyz}
   * (503 until {@link #startPolling}), without polling yet.
   *
   * @throws TemporalConnection.UnreachableException when the frontend does not answer
   */
  static DbopsWorker connect(DbopsConfig config) {
    WorkerMetrics metrics = new WorkerMetrics();
    WorkflowServiceStubs stubs = null;
    Activities activities = null;
    try {
      stubs = TemporalConnection.stubs(config, metrics.sdkScope());
      TemporalConnection.checkReachable(stubs, config, CONNECT_TIMEOUT);
      // A request the UI sent that cannot be decoded fails its run at once as InvalidInput
      // (see RequestDecoding) instead of retrying the workflow task until the run times out.
      WorkflowClient client =
          TemporalConnection.client(
              stubs,
              config,
              RequestDecoding.refusingUndecodableRequests(
                  TemporalConnection.dataConverter(config)));
      WorkerFactory factory =
          WorkerFactory.newInstance(
              client,
              factoryOptions(config, new RegisteredSearchAttributes(stubs, config.namespace())));
      Worker worker =
          factory.newWorker(
              config.taskQueue(),
              WorkerOptions.newBuilder()
                  .setStickyQueueScheduleToStartTimeout(STICKY_SCHEDULE_TO_START)
                  .build());
      for (Procedure<?> p : Procedures.ALL) {
        worker.registerWorkflowImplementationTypes(WorkflowImplementations.of(p));
        log.info("registered workflow {} ({})", p.workflowType(), p.name());
      }
      for (Class<?> helper : WorkflowImplementations.HELPERS) {
        worker.registerWorkflowImplementationTypes(helper);
        log.info("registered workflow {}", helper.getSimpleName());
      }
      activities = Activities.create(config, metrics.registry());
      worker.registerActivitiesImplementations(activities.implementations().toArray());
      worker.registerActivitiesImplementations(new TargetLockActivitiesImpl(client));
      activities
          .implementations()
          .forEach(a -> log.info("registered activities {}", a.getClass().getSimpleName()));
      InetSocketAddress metricsAddress = metrics.serve(config.metricsHost(), config.metricsPort());
      OpenProcedures openProcedures = new OpenProcedures(client, metrics.registry());
      return new DbopsWorker(
          config, metrics, stubs, client, factory, activities, metricsAddress, openProcedures);
    } catch (IOException e) {
      release(stubs, activities, metrics);
      throw new UncheckedIOException(
          "metrics endpoint "
              + config.metricsHost()
              + ":"
              + config.metricsPort()
              + ": "
              + e.getMessage(),
          e);
    } catch (RuntimeException e) {
      release(stubs, activities, metrics);
      throw e;
    }
  }

  /** Starts the factory's pollers; from then on {@code /readyz} answers 200. */
  synchronized DbopsWorker startPolling() {
    if (closed) throw new IllegalStateException("the worker is shut down");
    factory.start();
    metrics.health().polling();
    openProcedures.start(OpenProcedures.REFRESH);
    log.info("worker polling task queue '{}' ({})", config.taskQueue(), config.describe());
    if (config.awsEndpoint() != null) {
      log.warn(
          "AWS calls go to {} (the local sandbox, a test double, not AWS)", config.awsEndpoint());
    }
    return this;
  }

  /**
   * The interceptors every workflow runs under. The last is outermost: the run-ended notice sees a
   * run failed by {@link WorkflowCodeFailures} (an unexpected exception out of workflow code fails
   * the run as WorkflowCodeFailed, never a workflow-task retry loop).
   */
  static WorkerFactoryOptions factoryOptions(DbopsConfig config) {
    return factoryOptions(config, java.util.Set::of);
  }

  /**
   * As above; {@code searchAttributes} names those of dbops' search attributes the namespace has.
   */
  static WorkerFactoryOptions factoryOptions(
      DbopsConfig config, java.util.function.Supplier<java.util.Set<String>> searchAttributes) {
    return WorkerFactoryOptions.newBuilder()
        .setWorkerInterceptors(
            new WorkflowCodeFailures(),
            new SearchAttributesInterceptor(
                config.encryptsPayloads()
                    ? () -> SearchAttributesInterceptor.withoutRequestValues(searchAttributes.get())
                    : searchAttributes),
            proceduresOnly(new RunEndedInterceptor(Procedures.namesByWorkflowType())),
            new TargetLockInterceptor(Procedures.targetsByWorkflowType()),
            new ApproverCheckInterceptor(AllowedSignersFile.of(config)))
        .build();
  }

  /**
   * As {@link #start}, but while the frontend does not answer (a worker started before its server,
   * or during an outage) logs that it cannot reach it and tries again every {@code retryEvery},
   * until it answers or the thread is interrupted.
   */
  public static DbopsWorker startWhenReachable(DbopsConfig config, Duration retryEvery)
      throws InterruptedException {
    while (true) {
      try {
        return start(config);
      } catch (TemporalConnection.UnreachableException e) {
        log.warn("{}; trying again in {} s", e.getMessage(), retryEvery.toSeconds());
        Thread.sleep(retryEvery.toMillis());
      }
    }
  }

  /**
   * {@code interceptor} for the catalog's procedures only: a helper workflow ends once per journal
   * page, and a "completed" notice for each would bury the ones people act on.
   */
  static WorkerInterceptor proceduresOnly(WorkerInterceptor interceptor) {
    java.util.Set<String> procedures = Procedures.namesByWorkflowType().keySet();
    return new WorkerInterceptorBase() {
      @Override
      public WorkflowInboundCallsInterceptor interceptWorkflow(
          WorkflowInboundCallsInterceptor next) {
        WorkflowInboundCallsInterceptor intercepted = interceptor.interceptWorkflow(next);
        return new WorkflowInboundCallsInterceptorBase(next) {
          @Override
          public WorkflowOutput execute(WorkflowInput input) {
            return procedures.contains(Workflow.getInfo().getWorkflowType())
                ? intercepted.execute(input)
                : super.execute(input);
          }
        };
      }
    };
  }

  private static void release(
      WorkflowServiceStubs stubs, Activities activities, WorkerMetrics metrics) {
    if (activities != null) activities.close();
    if (stubs != null) stubs.shutdownNow();
    metrics.close();
  }

  public DbopsConfig config() {
    return config;
  }

  public WorkflowClient client() {
    return client;
  }

  public WorkerMetrics metrics() {
    return metrics;
  }

  /** Counts open runs now, as the timer does every {@link OpenProcedures#REFRESH}. */
  void refreshOpenProcedures() {
    openProcedures.refresh();
  }

  /** Where {@code /metrics} listens, or null when turned off. */
  public InetSocketAddress metricsAddress() {
    return metricsAddress;
  }

  /**
   * Stops polling, lets in-flight tasks finish (up to {@link #SHUTDOWN_GRACE}), disconnects. {@code
   * /healthz} and {@code /readyz} answer 503 from its first step on.
   */
  @Override
  public synchronized void close() {
    if (closed) return;
    closed = true;
    beginShutdown();
    log.info(
        "worker shutting down: finishing in-flight tasks (up to {}s)", SHUTDOWN_GRACE.toSeconds());
    factory.shutdown();
    factory.awaitTermination(SHUTDOWN_GRACE.toMillis(), TimeUnit.MILLISECONDS);
    if (!factory.isTerminated()) {
      log.warn("in-flight tasks did not finish in time; Temporal will retry them elsewhere");
      factory.shutdownNow();
    }
    openProcedures.close();
    stubs.shutdown();
    stubs.awaitTermination(5, TimeUnit.SECONDS);
    activities.close();
    metrics.close();
    log.info("worker stopped");
  }

  /** The first step of {@link #close}: the probes turn 503 while the endpoint still serves. */
  void beginShutdown() {
    metrics.health().stopping();
  }
}
