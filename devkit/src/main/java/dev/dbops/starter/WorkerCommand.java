package dev.dbops.starter;

import dev.dbops.worker.WorkerMain;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code dbops worker}: the production worker (configuration from env vars; see DbopsConfig). */
@Command(
    name = "worker",
    description = {
      "Run the production worker (until SIGTERM / Ctrl-C).",
      "Every procedure's workflows and activities on one task queue, Prometheus /metrics,",
      "graceful shutdown.",
      "Environment: TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, DBOPS_TASK_QUEUE, DBOPS_METRICS_PORT,",
      "DBOPS_METRICS_HOST, AWS_REGION, DBOPS_AWS_ENDPOINT, TEMPORAL_TLS_CERT, TEMPORAL_TLS_KEY,",
      "TEMPORAL_API_KEY, DBOPS_CONFIG (properties file with the same names)."
    })
final class WorkerCommand extends DbopsCommand {
  @Mixin ConnectionOptions connection;

  @Override
  protected int run() throws InterruptedException {
    WorkerMain.run(connection.config());
    return ExitCodes.OK;
  }
}
