package dev.dbops.starter;

import dev.dbops.client.DbopsConfig;
import dev.dbops.client.TemporalConnection;
import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** One CLI invocation's connection to Temporal. */
final class Session implements AutoCloseable {
  /** A status query waits this long for a worker before the CLI reports "no answer". */
  static final Duration QUERY_TIMEOUT = Duration.ofSeconds(5);

  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

  private final DbopsConfig config;
  private final WorkflowServiceStubs stubs;
  private final WorkflowClient client;

  private Session(DbopsConfig config, WorkflowServiceStubs stubs, WorkflowClient client) {
    this.config = config;
    this.stubs = stubs;
    this.client = client;
  }

  static Session open(DbopsConfig config) {
    WorkflowServiceStubs stubs = TemporalConnection.stubs(config, null);
    try {
      TemporalConnection.checkReachable(stubs, config, CONNECT_TIMEOUT);
    } catch (TemporalConnection.UnreachableException e) {
      stubs.shutdownNow();
      throw e;
    }
    return new Session(config, stubs, TemporalConnection.client(stubs, config));
  }

  DbopsConfig config() {
    return config;
  }

  WorkflowServiceStubs stubs() {
    return stubs;
  }

  WorkflowClient client() {
    return client;
  }

  Runs runs() {
    return new Runs(this);
  }

  @Override
  public void close() {
    stubs.shutdown();
    stubs.awaitTermination(2, TimeUnit.SECONDS);
  }
}
