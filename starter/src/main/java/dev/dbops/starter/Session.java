package dev.dbops.starter;

import dev.dbops.client.DbopsConfig;
import dev.dbops.client.TemporalConnection;
import io.temporal.client.WorkflowClient;
import io.temporal.common.converter.DataConverter;
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
  private DataConverter dataConverter;
  private WorkflowClient client;

  private Session(DbopsConfig config, WorkflowServiceStubs stubs) {
    this.config = config;
    this.stubs = stubs;
  }

  static Session open(DbopsConfig config) {
    WorkflowServiceStubs stubs = TemporalConnection.stubs(config, null);
    try {
      TemporalConnection.checkReachable(stubs, config, CONNECT_TIMEOUT);
    } catch (TemporalConnection.UnreachableException e) {
      stubs.shutdownNow();
      throw e;
    }
    return new Session(config, stubs);
  }

  DbopsConfig config() {
    return config;
  }

  WorkflowServiceStubs stubs() {
    return stubs;
  }

  /**
   * The SDK's client, made at first use: a command that only describes and queries through {@link
   * #stubs} (status) does without its classes and its identity's host-name lookup. Synchronized:
   * status asks two queries at once.
   */
  synchronized WorkflowClient client() {
    if (client == null) client = TemporalConnection.client(stubs, config, dataConverter());
    return client;
  }

  /** How payloads read and write: {@link TemporalConnection#dataConverter}, the client's own. */
  synchronized DataConverter dataConverter() {
    if (dataConverter == null) dataConverter = TemporalConnection.dataConverter(config);
    return dataConverter;
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
