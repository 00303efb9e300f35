package dev.dbops.starter;

import dev.dbops.client.DbopsConfig;
import picocli.CommandLine.Option;

/** Where Temporal is; each option defaults from the environment (see {@link DbopsConfig}). */
final class ConnectionOptions {
  @Option(
      names = "--address",
      paramLabel = "HOST:PORT",
      description = "Temporal frontend (env TEMPORAL_ADDRESS, default 127.0.0.1:7233)")
  String address;

  @Option(
      names = "--namespace",
      paramLabel = "NAMESPACE",
      description = "Temporal namespace (env TEMPORAL_NAMESPACE, default 'default')")
  String namespace;

  @Option(
      names = "--task-queue",
      paramLabel = "QUEUE",
      description = "task queue the worker polls (env DBOPS_TASK_QUEUE, default 'dbops')")
  String taskQueue;

  /** The environment's configuration with these options applied. */
  DbopsConfig config() {
    DbopsConfig c = DbopsConfig.fromEnvironment();
    if (address != null) c = c.withTemporalAddress(address);
    if (namespace != null) c = c.withNamespace(namespace);
    if (taskQueue != null) c = c.withTaskQueue(taskQueue);
    return c;
  }

  /** Connects and checks the server answers; the caller closes the session. */
  Session connect() {
    return Session.open(config());
  }
}
