package dev.dbops.activities.migration;

import dev.dbops.activities.aws.AwsClients;
import dev.dbops.activities.aws.AwsSettings;
import dev.dbops.activities.common.SecretResolver;
import dev.dbops.activities.mysql.MySqlSettings;
import dev.dbops.activities.upgrade.RdsUpgradeActivitiesImpl;
import dev.dbops.sandbox.AwsSandbox;
import dev.dbops.sandbox.RdsSandbox;
import dev.dbops.sandbox.RdsTimings;
import dev.dbops.sandbox.SandboxAccounts;
import dev.dbops.sandbox.SandboxConfig;
import dev.dbops.workflows.common.ActivityStubs;
import dev.dbops.workflows.common.DbLogin;
import dev.dbops.workflows.migration.MigrationActivities;
import dev.dbops.workflows.migration.MigrationNames;
import dev.dbops.workflows.migration.ReplicaClusterSpec;
import dev.dbops.workflows.staging.StagingValidator;
import dev.dbops.workflows.upgrade.RdsUpgradeActivities;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.testing.TestActivityEnvironment;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.rds.RdsClient;

/**
 * The real RDS client (through {@link AwsClients}, over HTTP) against a fresh sandbox, and the
 * migration activities (plus the upgrade activities the workflow reuses for CreateDBInstance and
 * the availability polls) run by Temporal's {@link TestActivityEnvironment}, one attempt each. The
 * activities read the sandbox clock.
 */
final class MigrationFixture implements AutoCloseable {
  static final ActivityOptions ONE_ATTEMPT =
      ActivityOptions.newBuilder(ActivityStubs.AWS_CALL)
          .setRetryOptions(
              RetryOptions.newBuilder(ActivityStubs.AWS_CALL.getRetryOptions())
                  .setMaximumAttempts(1)
                  .build())
          .build();

  static final String WORKFLOW_ID = "aurora-migration/shop";
  static final MigrationNames NAMES = MigrationNames.forWorkflow(WORKFLOW_ID);
  static final Duration CREATE = Duration.ofMinutes(15);
  static final Duration INSTANCE_CREATE = Duration.ofMinutes(10);
  static final Duration PROMOTE = Duration.ofMinutes(5);
  static final Duration UPGRADE = Duration.ofMinutes(30);
  static final String PASSWORD_VAR = "DBOPS_TEST_MASTER_PASSWORD";
  static final String ACCOUNT = SandboxAccounts.DEFAULT_ACCOUNT;

  final AwsSandbox sandbox;
  final RdsClient client;
  final TestActivityEnvironment env;
  final MigrationActivities migration;
  final RdsUpgradeActivities rds;

  MigrationFixture() {
    sandbox =
        AwsSandbox.start(
            SandboxConfig.defaults()
                .withRdsTimings(
                    RdsTimings.defaults()
                        .withClusterRestore(CREATE)
                        .withInstanceCreate(INSTANCE_CREATE)
                        .withReplicaPromote(PROMOTE)
                        .withClusterUpgrade(UPGRADE)));
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    client = AwsClients.rds(AwsSettings.sandbox(sandbox.endpoint()), registry);
    env = TestActivityEnvironment.newInstance();
    env.registerActivitiesImplementations(
        new MigrationActivitiesImpl(
            client,
            new SecretResolver(Map.of(PASSWORD_VAR, RdsSandbox.DEFAULT_MASTER_PASSWORD), null),
            MySqlSettings.loopback()
                .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(20))
                .withReconnect(Duration.ofSeconds(5), Duration.ofMillis(250)),
            sandbox.clock()),
        new RdsUpgradeActivitiesImpl(client, registry, sandbox.clock()));
    migration = env.newActivityStub(MigrationActivities.class, ONE_ATTEMPT);
    rds = env.newActivityStub(RdsUpgradeActivities.class, ONE_ATTEMPT);
  }

  /** The source's master user (the replica cluster inherits it). */
  static DbLogin login() {
    return new DbLogin(RdsSandbox.DEFAULT_MASTER_USERNAME, "env:" + PASSWORD_VAR);
  }

  String sourceArn(String instanceId) {
    return sandbox.rds().instance(ACCOUNT, instanceId).arn();
  }

  /** The replica cluster a run of {@link #WORKFLOW_ID} asks for. */
  ReplicaClusterSpec replicaSpec(String sourceInstanceId, String owner) {
    return new ReplicaClusterSpec(
        NAMES.clusterId(),
        sourceArn(sourceInstanceId),
        null,
        null,
        null,
        List.of(),
        Map.of(StagingValidator.OWNER_TAG, owner));
  }

  long calls(String operation) {
    return sandbox.calls().count(operation);
  }

  @Override
  public void close() {
    env.close();
    client.close();
    sandbox.close();
  }
}
