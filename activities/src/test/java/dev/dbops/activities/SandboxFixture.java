package dev.dbops.activities;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.dbops.activities.aws.AwsClients;
import dev.dbops.activities.aws.AwsSettings;
import dev.dbops.activities.restore.S3RestoreActivitiesImpl;
import dev.dbops.sandbox.AwsSandbox;
import dev.dbops.sandbox.SandboxConfig;
import dev.dbops.workflows.common.ActivityStubs;
import dev.dbops.workflows.restore.S3RestoreActivities;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import org.junit.jupiter.api.function.Executable;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The real S3 client (through {@link AwsClients}) against a fresh sandbox, and the restore
 * activities run by Temporal's {@link TestActivityEnvironment} (heartbeats work there).
 */
public final class SandboxFixture implements AutoCloseable {
  /**
   * The production batch options with a single attempt: a test sees exactly one attempt's calls and
   * the failure that attempt raised, retryable or not.
   */
  public static final ActivityOptions ONE_ATTEMPT =
      ActivityOptions.newBuilder(ActivityStubs.AWS_BATCH)
          .setRetryOptions(
              RetryOptions.newBuilder(ActivityStubs.AWS_BATCH.getRetryOptions())
                  .setMaximumAttempts(1)
                  .build())
          .build();

  public final AwsSandbox sandbox;
  public final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  public final S3Client s3;
  public final TestActivityEnvironment env;
  public final S3RestoreActivities restore;

  private SandboxFixture(SandboxConfig config) {
    sandbox = AwsSandbox.start(config);
    s3 = AwsClients.s3(AwsSettings.sandbox(sandbox.endpoint()), registry);
    env = TestActivityEnvironment.newInstance();
    env.registerActivitiesImplementations(new S3RestoreActivitiesImpl(s3, registry));
    restore = env.newActivityStub(S3RestoreActivities.class, ONE_ATTEMPT);
  }

  public static SandboxFixture start(SandboxConfig config) {
    return new SandboxFixture(config);
  }

  public static SandboxFixture start() {
    return start(SandboxConfig.defaults());
  }

  /** The ApplicationFailure an activity call raised (Temporal wraps it in an ActivityFailure). */
  public static ApplicationFailure failureOf(Executable call) {
    ActivityFailure f = assertThrows(ActivityFailure.class, call);
    return assertInstanceOf(ApplicationFailure.class, f.getCause());
  }

  public double counter(String name, String... tags) {
    Counter c = registry.find(name).tags(tags).counter();
    return c == null ? 0 : c.count();
  }

  @Override
  public void close() {
    env.close();
    s3.close();
    sandbox.close();
  }
}
