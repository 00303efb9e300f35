package dev.dbops.activities.upgrade;

import dev.dbops.activities.aws.AwsClients;
import dev.dbops.activities.aws.AwsSettings;
import dev.dbops.sandbox.AwsSandbox;
import dev.dbops.sandbox.SandboxConfig;
import dev.dbops.workflows.common.ActivityStubs;
import dev.dbops.workflows.upgrade.RdsUpgradeActivities;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.testing.TestActivityEnvironment;
import software.amazon.awssdk.services.rds.RdsClient;

/**
 * The real RDS client (through {@link AwsClients}) against a fresh sandbox, and the upgrade
 * activities run by Temporal's {@link TestActivityEnvironment}. The activities read the sandbox
 * clock, so advancing it moves upgrades, snapshots and the phase-report gate together.
 */
final class RdsFixture implements AutoCloseable {
  /**
   * The production describe/modify options with a single attempt: one attempt's calls and failure.
   */
  static final ActivityOptions ONE_ATTEMPT =
      ActivityOptions.newBuilder(ActivityStubs.AWS_CALL)
          .setRetryOptions(
              RetryOptions.newBuilder(ActivityStubs.AWS_CALL.getRetryOptions())
                  .setMaximumAttempts(1)
                  .build())
          .build();

  final AwsSandbox sandbox;
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final RdsClient client;
  final TestActivityEnvironment env;
  final RdsUpgradeActivities rds;

  private RdsFixture(SandboxConfig config) {
    sandbox = AwsSandbox.start(config);
    client = AwsClients.rds(AwsSettings.sandbox(sandbox.endpoint()), registry);
    env = TestActivityEnvironment.newInstance();
    env.registerActivitiesImplementations(
        new RdsUpgradeActivitiesImpl(client, registry, sandbox.clock()));
    rds = env.newActivityStub(RdsUpgradeActivities.class, ONE_ATTEMPT);
  }

  static RdsFixture start(SandboxConfig config) {
    return new RdsFixture(config);
  }

  static RdsFixture start() {
    return start(SandboxConfig.defaults());
  }

  long calls(String operation) {
    return sandbox.calls().count(operation);
  }

  double changes(String change) {
    Counter c = registry.find(UpgradeMetrics.CHANGES).tags("change", change).counter();
    return c == null ? 0 : c.count();
  }

  @Override
  public void close() {
    env.close();
    client.close();
    sandbox.close();
  }
}
