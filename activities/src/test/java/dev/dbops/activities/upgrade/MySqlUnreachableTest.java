package dev.dbops.activities.upgrade;

import static dev.dbops.activities.SandboxFixture.failureOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dbops.activities.common.SecretResolver;
import dev.dbops.activities.mysql.MySqlSettings;
import dev.dbops.activities.mysql.SqlFailures;
import dev.dbops.workflows.common.ActivityStubs;
import dev.dbops.workflows.common.DbLogin;
import dev.dbops.workflows.upgrade.DbEndpoint;
import dev.dbops.workflows.upgrade.MySqlCheckActivities;
import dev.dbops.workflows.upgrade.VerifySpec;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Nothing listens on the port: connection refused is retryable, and verify keeps trying first. */
class MySqlUnreachableTest {
  private static final ActivityOptions ONE_ATTEMPT =
      ActivityOptions.newBuilder(ActivityStubs.DB_CALL)
          .setRetryOptions(
              RetryOptions.newBuilder(ActivityStubs.DB_CALL.getRetryOptions())
                  .setMaximumAttempts(1)
                  .build())
          .build();
  private static final DbLogin LOGIN = new DbLogin("app", "env:DB_PASSWORD");

  private TestActivityEnvironment env;
  private MySqlCheckActivities checks;
  private int closedPort;

  @BeforeEach
  void start() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    env = TestActivityEnvironment.newInstance();
    MySqlSettings settings =
        MySqlSettings.loopback()
            .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(5))
            .withReconnect(Duration.ofMillis(900), Duration.ofMillis(200));
    env.registerActivitiesImplementations(
        new MySqlCheckActivitiesImpl(
            new SecretResolver(Map.of("DB_PASSWORD", "pw"), null), settings));
    checks = env.newActivityStub(MySqlCheckActivities.class, ONE_ATTEMPT);
  }

  @AfterEach
  void stop() {
    env.close();
  }

  @Test
  void givenNothingListening_whenPrecheck_thenRetryableDbUnavailable() {
    ApplicationFailure f =
        failureOf(() -> checks.precheck(new DbEndpoint("127.0.0.1", closedPort, LOGIN)));
    assertEquals(SqlFailures.DB_UNAVAILABLE, f.getType());
    assertFalse(f.isNonRetryable());
    assertTrue(
        f.getOriginalMessage().startsWith("connect to 127.0.0.1:" + closedPort + " as app failed"),
        f.getOriginalMessage());
  }

  @Test
  void givenNothingListening_whenVerify_thenTriesForTheReconnectWindowThenRetryable() {
    long t0 = System.nanoTime();
    ApplicationFailure f =
        failureOf(
            () -> checks.verify(new VerifySpec("127.0.0.1", closedPort, LOGIN, "5.7", List.of())));
    long tookMs = (System.nanoTime() - t0) / 1_000_000;
    assertEquals(SqlFailures.DB_UNAVAILABLE, f.getType());
    assertFalse(f.isNonRetryable());
    assertTrue(f.getOriginalMessage().contains("tries over PT0.9S"), f.getOriginalMessage());
    assertTrue(tookMs >= 600, "kept trying within the attempt, took " + tookMs + " ms");
  }

  @Test
  void givenAPasswordInsteadOfARef_whenPrecheck_thenNonRetryableInvalidInputBeforeConnecting() {
    ApplicationFailure f =
        failureOf(
            () ->
                checks.precheck(
                    new DbEndpoint("127.0.0.1", closedPort, new DbLogin("app", "hunter2"))));
    assertTrue(f.isNonRetryable());
    assertFalse(f.getOriginalMessage().contains("hunter2"), f.getOriginalMessage());
  }
}
