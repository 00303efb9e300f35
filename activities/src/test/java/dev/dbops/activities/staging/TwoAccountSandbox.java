package dev.dbops.activities.staging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dbops.activities.aws.AccountClients;
import dev.dbops.activities.aws.AwsSettings;
import dev.dbops.activities.common.SecretResolver;
import dev.dbops.activities.mysql.MySqlSettings;
import dev.dbops.sandbox.AwsSandbox;
import dev.dbops.sandbox.CallLog;
import dev.dbops.sandbox.ClusterSeed;
import dev.dbops.sandbox.RdsSandbox;
import dev.dbops.sandbox.SandboxAccounts;
import dev.dbops.sandbox.SandboxConfig;
import dev.dbops.workflows.common.ErrorTypes;
import dev.dbops.workflows.staging.AccountRef;
import dev.dbops.workflows.staging.DnsTarget;
import dev.dbops.workflows.staging.StagingActivities;
import dev.dbops.workflows.staging.StagingValidator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.function.Executable;

/**
 * A fresh sandbox with two accounts, as a staging rebuild sees them: "production" (the default
 * account, the worker's own credentials) with an Aurora MySQL cluster on the {@code aws/rds} key
 * and a customer managed key, and "staging" (reached by assuming {@value #ROLE}) with a private
 * zone whose CNAME points at the current staging cluster. No MariaDB: these clusters hold no rows.
 * The real {@link StagingActivitiesImpl} runs in Temporal's {@link TestActivityEnvironment}, one
 * attempt per call, so a test sees exactly the failure an attempt raised.
 */
final class TwoAccountSandbox implements AutoCloseable {
  static final String PROD = SandboxAccounts.DEFAULT_ACCOUNT;
  static final String STAGING = "210987654321";
  static final String ROLE = "dbops-staging";
  static final String SOURCE = "prod-db";
  static final String OLD = "staging-old";
  static final String RUN = "staging-rebuild/db.staging.internal./20261122-0900";
  static final String PREVIOUS_RUN = "staging-rebuild/db.staging.internal./20261101-0900";
  static final String RECORD = "db.staging.internal.";
  static final String PASSWORD_VAR = "DBOPS_TEST_STAGING_PASSWORD";
  static final String PASSWORD = "Stg-9f3c1e77a2";
  static final Map<String, String> OWNED = Map.of(StagingValidator.OWNER_TAG, RUN);

  /** A single attempt of an ordinary activity: NOT_READY comes out instead of being retried. */
  static final ActivityOptions ONE_ATTEMPT =
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofMinutes(1))
          .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
          .build();

  final AwsSandbox sandbox;
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final AccountClients clients;
  final TestActivityEnvironment env;
  final StagingActivities staging;
  final String roleArn;
  final String customerKey;
  final RdsSandbox.ClusterView source;
  final RdsSandbox.ClusterView old;
  final String zoneId;

  private TwoAccountSandbox() {
    sandbox = AwsSandbox.start(SandboxConfig.defaults());
    roleArn = sandbox.accounts().allowRole(STAGING, ROLE);
    customerKey = sandbox.accounts().kms().createCustomerKey(PROD, "dbops-snapshot-share");
    source =
        sandbox
            .rds()
            .createCluster(
                ClusterSeed.auroraMysql57(SOURCE)
                    .withInstances(SOURCE + "-1")
                    .withTag("environment", "production"));
    old =
        sandbox
            .rds()
            .createCluster(
                ClusterSeed.auroraMysql57(OLD)
                    .inAccount(STAGING)
                    .withInstances(OLD + "-1")
                    .withTag(StagingValidator.OWNER_TAG, PREVIOUS_RUN));
    zoneId =
        sandbox
            .route53()
            .createPrivateZone(STAGING, "staging.internal.", RdsSandbox.REGION, "vpc-0staging01");
    sandbox.route53().upsertRecord(zoneId, RECORD, "CNAME", 0, old.endpoint());
    clients = new AccountClients(AwsSettings.sandbox(sandbox.endpoint()), registry);
    env = TestActivityEnvironment.newInstance();
    env.registerActivitiesImplementations(
        new StagingActivitiesImpl(
            clients,
            new SecretResolver(Map.of(PASSWORD_VAR, PASSWORD), null),
            MySqlSettings.loopback(),
            registry));
    staging = env.newActivityStub(StagingActivities.class, ONE_ATTEMPT);
  }

  static TwoAccountSandbox start() {
    return new TwoAccountSandbox();
  }

  AccountRef prod() {
    return new AccountRef(PROD, null);
  }

  AccountRef target() {
    return new AccountRef(STAGING, roleArn);
  }

  DnsTarget dns() {
    return new DnsTarget(zoneId, RECORD, 0L);
  }

  /** Moves the sandbox clock: snapshots, restores, instances and DNS changes progress on it. */
  void advance(Duration d) {
    sandbox.clock().advance(d);
  }

  long calls(String operation) {
    return sandbox.calls().count(operation);
  }

  /** The accounts calls of {@code operation} acted as, in order. */
  List<String> accountsOf(String operation) {
    return sandbox.calls().withAccounts().stream()
        .filter(c -> c.call().operation().equals(operation))
        .map(CallLog.AccountCall::account)
        .toList();
  }

  /** Call-log sequence number of the first {@code operation}, for asserting order. */
  long firstSeq(String operation) {
    return sandbox.calls().of(operation).get(0).seq();
  }

  /** The ApplicationFailure an activity call raised (Temporal wraps it in an ActivityFailure). */
  static ApplicationFailure failureOf(Executable call) {
    ActivityFailure f = assertThrows(ActivityFailure.class, call);
    return assertInstanceOf(ApplicationFailure.class, f.getCause());
  }

  /** The call said "not yet": a retryable NOT_READY whose message contains {@code text}. */
  static void assertNotReady(String text, Executable call) {
    ApplicationFailure f = failureOf(call);
    assertEquals(ErrorTypes.NOT_READY, f.getType(), f.getOriginalMessage());
    assertTrue(
        !f.isNonRetryable() && f.getOriginalMessage().contains(text), f.getOriginalMessage());
  }

  @Override
  public void close() {
    env.close();
    clients.close();
    sandbox.close();
  }
}
