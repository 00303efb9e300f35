package dev.dbops.starter;

import dev.dbops.activities.aws.AwsClients;
import dev.dbops.activities.aws.AwsSettings;
import dev.dbops.client.DbopsConfig;
import dev.dbops.sandbox.AwsSandbox;
import dev.dbops.sandbox.CallLog;
import dev.dbops.sandbox.RdsTimings;
import dev.dbops.worker.DbopsWorker;
import dev.dbops.worker.DevServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.services.rds.RdsClient;

/**
 * One in-process dev server (Temporal test server + sandbox, free loopback ports) and worker,
 * shared by every test class that uses this extension and stopped after the last one.
 */
final class DevStack implements BeforeAllCallback, ExtensionContext.Store.CloseableResource {
  static final String QUEUE = "cli-test";

  /**
   * RDS state machines in seconds, so an upgrade, a rollback or a staging rebuild (copy, restore,
   * retire) runs to its end within a test.
   */
  static final RdsTimings RDS_TIMINGS =
      RdsTimings.defaults()
          .withSnapshotCreate(Duration.ofSeconds(1))
          .withClusterUpgrade(Duration.ofSeconds(6))
          .withClusterRestore(Duration.ofSeconds(2))
          .withInstanceCreate(Duration.ofSeconds(2))
          .withSnapshotCopy(Duration.ofSeconds(1))
          .withInstanceDelete(Duration.ofSeconds(1))
          .withClusterDelete(Duration.ofSeconds(1))
          .withReplicaPromote(Duration.ofSeconds(1));

  private static DevStack instance;

  private DevServer dev;
  private DbopsWorker worker;

  @Override
  public synchronized void beforeAll(ExtensionContext context) {
    if (instance == null) {
      DevStack stack = new DevStack();
      stack.dev = DevServer.start(0, 0, RDS_TIMINGS);
      stack.worker =
          DbopsWorker.start(
              DbopsConfig.from(
                  Map.of(
                      DbopsConfig.TEMPORAL_ADDRESS,
                      stack.dev.temporalAddress(),
                      DbopsConfig.DBOPS_TASK_QUEUE,
                      QUEUE,
                      DbopsConfig.DBOPS_AWS_ENDPOINT,
                      stack.dev.sandboxEndpoint().toString(),
                      DbopsConfig.DBOPS_METRICS_PORT,
                      "0")));
      context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL).put(DevStack.class, stack);
      instance = stack;
    }
  }

  /** The shared Temporal server's address, for tests that need a client of their own on it. */
  static String temporalAddress() {
    return instance.dev.temporalAddress();
  }

  static AwsSandbox sandbox() {
    return instance.dev.sandbox();
  }

  /** Runs the CLI against this stack ({@code --address}, {@code --task-queue} appended). */
  static Cli.Result cli(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    if (!all.isEmpty() && !all.contains("--help")) {
      all.add("--address");
      all.add(instance.dev.temporalAddress());
      all.add("--task-queue");
      all.add(QUEUE);
    }
    return Cli.run(all.toArray(String[]::new));
  }

  /** RestoreObject calls the sandbox saw for {@code bucket}. */
  static List<CallLog.Call> restoreCalls(String bucket) {
    return sandbox().calls().of("RestoreObject").stream()
        .filter(c -> bucket.equals(c.bucket()))
        .toList();
  }

  /** Mutating RDS calls the sandbox saw for {@code clusterId}: snapshots and modifications. */
  static List<CallLog.Call> rdsChanges(String clusterId) {
    return sandbox().calls().all().stream()
        .filter(c -> MUTATING_RDS.contains(c.operation()) && clusterId.equals(c.resource()))
        .toList();
  }

  /**
   * A manual snapshot of {@code clusterId}, taken through the RDS API and available on return (the
   * sandbox clock is moved past {@link #RDS_TIMINGS}' snapshot time).
   */
  static void snapshot(String clusterId, String snapshotId) {
    try (RdsClient rds =
        AwsClients.rds(AwsSettings.sandbox(sandbox().endpoint()), new SimpleMeterRegistry())) {
      rds.createDBClusterSnapshot(
          b -> b.dbClusterIdentifier(clusterId).dbClusterSnapshotIdentifier(snapshotId));
    }
    sandbox().clock().advance(RDS_TIMINGS.snapshotCreate());
  }

  static final List<String> MUTATING_RDS =
      List.of(
          "CreateDBClusterSnapshot",
          "ModifyDBCluster",
          "RestoreDBClusterFromSnapshot",
          "CreateDBInstance");

  @Override
  public void close() {
    worker.close();
    dev.close();
    instance = null;
  }
}
