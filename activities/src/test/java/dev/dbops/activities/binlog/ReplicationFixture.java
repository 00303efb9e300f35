package dev.dbops.activities.binlog;

import dev.dbops.activities.common.SecretResolver;
import dev.dbops.activities.mysql.MySqlSettings;
import dev.dbops.sandbox.mysql.ReplicationPair;
import dev.dbops.workflows.binlog.DbTarget;
import dev.dbops.workflows.binlog.ReplicationActivities;
import dev.dbops.workflows.binlog.ReplicationUser;
import dev.dbops.workflows.common.ActivityStubs;
import dev.dbops.workflows.common.DbLogin;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.testing.TestActivityEnvironment;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A real MariaDB source and RDS-style replica ({@link ReplicationPair}: the replica's admin has no
 * SUPER and drives replication through the mysql.rds_* stand-ins), and the replication activities
 * run by {@link TestActivityEnvironment} as that admin. One pair per test class; {@link #reset}
 * between cases.
 */
final class ReplicationFixture implements AutoCloseable {
  static final String ADMIN_VAR = "DBOPS_TEST_ADMIN_PASSWORD";
  static final String REPL_VAR = "DBOPS_TEST_REPL_PASSWORD";
  static final MySqlSettings SETTINGS =
      MySqlSettings.loopback().withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(20));

  /** The production options with one attempt: the test sees that attempt's failure. */
  static final ActivityOptions ONE_ATTEMPT = oneAttempt(ActivityStubs.DB_CALL);

  final ReplicationPair pair;
  final SecretResolver secrets;

  /** What the activities of {@link #environment} export (skipped events, lag). */
  final SimpleMeterRegistry metrics = new SimpleMeterRegistry();

  private final List<TestActivityEnvironment> envs = new ArrayList<>();

  private ReplicationFixture(ReplicationPair pair) {
    this.pair = pair;
    this.secrets =
        new SecretResolver(
            Map.of(ADMIN_VAR, pair.adminPassword(), REPL_VAR, pair.replicationPassword()), null);
  }

  static ReplicationFixture start() {
    return new ReplicationFixture(ReplicationPair.start());
  }

  static ActivityOptions oneAttempt(ActivityOptions options) {
    return ActivityOptions.newBuilder(options)
        .setRetryOptions(
            RetryOptions.newBuilder(options.getRetryOptions()).setMaximumAttempts(1).build())
        .build();
  }

  /** Activities with {@code hooks}, in an environment of their own. */
  TestActivityEnvironment environment(SkipHooks hooks) {
    TestActivityEnvironment env = TestActivityEnvironment.newInstance();
    env.registerActivitiesImplementations(
        new ReplicationActivitiesImpl(secrets, SETTINGS, null, metrics, hooks));
    envs.add(env);
    return env;
  }

  ReplicationActivities activities(TestActivityEnvironment env, ActivityOptions options) {
    return env.newActivityStub(ReplicationActivities.class, options);
  }

  DbLogin admin() {
    return new DbLogin(pair.adminUser(), "env:" + ADMIN_VAR);
  }

  DbTarget source() {
    return new DbTarget(pair.source().host(), pair.source().port(), admin());
  }

  DbTarget replica() {
    return new DbTarget(pair.replica().host(), pair.replica().port(), admin());
  }

  ReplicationUser replicationUser() {
    return new ReplicationUser(pair.replicationUser(), "env:" + REPL_VAR, false);
  }

  /**
   * Back to two empty servers: replication reset, every user schema dropped on both (the journal
   * too), the replica's gtid_slave_pos emptied, the source's binary logs reset, its binlog_format
   * MIXED, gtid_strict_mode OFF and read_only OFF again.
   */
  void reset() throws SQLException {
    try (Connection r = pair.connectReplica();
        Statement s = r.createStatement()) {
      s.execute("STOP SLAVE");
      s.execute("RESET SLAVE ALL");
      s.execute("SET GLOBAL gtid_slave_pos = ''");
      dropUserSchemas(s);
      s.execute("SET SESSION sql_log_bin = 0");
      s.execute("DELETE FROM mysql.rds_history");
      s.execute("SET SESSION sql_log_bin = 1");
    }
    try (Connection c = pair.connectSource();
        Statement s = c.createStatement()) {
      dropUserSchemas(s);
      s.execute("SET GLOBAL binlog_format = 'MIXED'");
      s.execute("SET GLOBAL gtid_strict_mode = 0");
      s.execute("SET GLOBAL read_only = 0");
      s.execute("RESET MASTER");
    }
  }

  private static void dropUserSchemas(Statement s) throws SQLException {
    List<String> schemas = new ArrayList<>();
    try (ResultSet rs = s.executeQuery("SHOW DATABASES")) {
      while (rs.next()) schemas.add(rs.getString(1));
    }
    s.execute("SET SESSION sql_log_bin = 0");
    for (String db : schemas) {
      if (!List.of("mysql", "information_schema", "performance_schema", "sys").contains(db)) {
        s.execute("DROP DATABASE `" + db + "`");
      }
    }
    s.execute("SET SESSION sql_log_bin = 1");
  }

  /** Rows of a query as root on the replica, each row's columns joined by a tab. */
  List<String> onReplica(String sql) throws SQLException {
    try (Connection c = pair.connectReplica()) {
      return rows(c, sql);
    }
  }

  List<String> onSource(String sql) throws SQLException {
    try (Connection c = pair.connectSource()) {
      return rows(c, sql);
    }
  }

  static List<String> rows(Connection c, String sql) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        List<String> cells = new ArrayList<>();
        for (int i = 1; i <= n; i++) cells.add(String.valueOf(rs.getString(i)));
        out.add(String.join("\t", cells));
      }
    }
    return out;
  }

  /** How many times rds_skip_repl_error actually skipped (the sandbox's mysql.rds_history). */
  int skipsMade() throws SQLException {
    return Integer.parseInt(
        onReplica("SELECT COUNT(*) FROM mysql.rds_history WHERE action = 'skip repl error'")
            .get(0));
  }

  @Override
  public void close() {
    envs.forEach(TestActivityEnvironment::close);
    pair.close();
  }
}
