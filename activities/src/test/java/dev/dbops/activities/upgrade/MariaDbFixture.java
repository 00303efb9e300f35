package dev.dbops.activities.upgrade;

import dev.dbops.activities.common.SecretResolver;
import dev.dbops.activities.mysql.MySqlSettings;
import dev.dbops.sandbox.mysql.LocalMariaDb;
import dev.dbops.workflows.common.ActivityStubs;
import dev.dbops.workflows.common.DbLogin;
import dev.dbops.workflows.upgrade.DbEndpoint;
import dev.dbops.workflows.upgrade.MySqlCheckActivities;
import dev.dbops.workflows.upgrade.VerifySpec;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.testing.TestActivityEnvironment;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A real local MariaDB (the sandbox's test double of an Aurora writer) and the MySQL check
 * activities run by {@link TestActivityEnvironment}, logging in as root with the password from an
 * {@code env:} reference resolved from an injected environment.
 */
final class MariaDbFixture implements AutoCloseable {
  /** The production SQL options with one attempt: the test sees that attempt's failure. */
  static final ActivityOptions ONE_ATTEMPT =
      ActivityOptions.newBuilder(ActivityStubs.DB_CALL)
          .setRetryOptions(
              RetryOptions.newBuilder(ActivityStubs.DB_CALL.getRetryOptions())
                  .setMaximumAttempts(1)
                  .build())
          .build();

  static final String PASSWORD_VAR = "DBOPS_TEST_DB_PASSWORD";

  /** Short enough for tests, long enough to ride over a server restart (about 2 s). */
  static final MySqlSettings SETTINGS =
      MySqlSettings.loopback()
          .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(20))
          .withReconnect(Duration.ofSeconds(30), Duration.ofMillis(250));

  final LocalMariaDb db;
  final TestActivityEnvironment env;
  final MySqlCheckActivities checks;

  private MariaDbFixture(String reportedVersion) {
    db = LocalMariaDb.start(LocalMariaDb.Options.defaults().reportedVersion(reportedVersion));
    env = TestActivityEnvironment.newInstance();
    env.registerActivitiesImplementations(
        new MySqlCheckActivitiesImpl(
            new SecretResolver(Map.of(PASSWORD_VAR, db.rootPassword()), null), SETTINGS));
    checks = env.newActivityStub(MySqlCheckActivities.class, ONE_ATTEMPT);
  }

  static MariaDbFixture start(String reportedVersion) {
    return new MariaDbFixture(reportedVersion);
  }

  DbLogin login() {
    return new DbLogin(db.rootUser(), "env:" + PASSWORD_VAR);
  }

  DbEndpoint endpoint() {
    return new DbEndpoint(db.host(), db.port(), login());
  }

  VerifySpec verify(String prefix, String... smoke) {
    return new VerifySpec(db.host(), db.port(), login(), prefix, List.of(smoke));
  }

  /** A plain root connection for setting up the scene. */
  Connection connect() throws SQLException {
    return DriverManager.getConnection(
        db.jdbcUrl("") + "?sslMode=DISABLED", db.rootUser(), db.rootPassword());
  }

  @Override
  public void close() {
    env.close();
    db.close();
  }
}
