package dev.dbops.activities.staging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.dbops.activities.aws.AccountClients;
import dev.dbops.activities.aws.AwsSettings;
import dev.dbops.activities.common.SecretResolver;
import dev.dbops.activities.mysql.MySqlSettings;
import dev.dbops.sandbox.mysql.LocalMariaDb;
import dev.dbops.workflows.common.DbLogin;
import dev.dbops.workflows.staging.DriftCheck;
import dev.dbops.workflows.staging.DriftReport;
import dev.dbops.workflows.staging.StagingActivities;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.temporal.testing.TestActivityEnvironment;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** {@code checkDrift} between two real MariaDB servers: the "source" and the restored "copy". */
@Tag("mariadb")
class StagingDriftTest {
  static final String SOURCE_VAR = "DBOPS_TEST_DRIFT_SOURCE";
  static final String COPY_VAR = "DBOPS_TEST_DRIFT_COPY";
  static final List<String> SCHEMA =
      List.of(
          "DROP DATABASE IF EXISTS app",
          "CREATE DATABASE app",
          "CREATE TABLE app.users (id INT PRIMARY KEY, email VARCHAR(255) NOT NULL, phone VARCHAR(32) NOT NULL,"
              + " status VARCHAR(8) NOT NULL DEFAULT 'active', UNIQUE KEY users_email (email), KEY users_phone (phone))",
          "CREATE TABLE app.orders (id INT PRIMARY KEY, user_id INT NOT NULL, total_cents INT NOT NULL,"
              + " KEY orders_user (user_id, id))",
          "CREATE VIEW app.big_orders AS SELECT id, total_cents FROM app.orders WHERE total_cents > 10000");

  static LocalMariaDb source;
  static LocalMariaDb copy;
  static TestActivityEnvironment env;
  static AccountClients clients;
  static StagingActivities staging;

  @BeforeAll
  static void start() {
    source = LocalMariaDb.start(LocalMariaDb.Options.defaults());
    copy = LocalMariaDb.start(LocalMariaDb.Options.defaults());
    clients =
        new AccountClients(
            AwsSettings.sandbox(URI.create("http://127.0.0.1:9")), new SimpleMeterRegistry());
    env = TestActivityEnvironment.newInstance();
    env.registerActivitiesImplementations(
        new StagingActivitiesImpl(
            clients,
            new SecretResolver(
                Map.of(SOURCE_VAR, source.rootPassword(), COPY_VAR, copy.rootPassword()), null),
            MySqlSettings.loopback(),
            new SimpleMeterRegistry()));
    staging = env.newActivityStub(StagingActivities.class, TwoAccountSandbox.ONE_ATTEMPT);
  }

  @AfterAll
  static void stop() {
    env.close();
    clients.close();
    copy.close();
    source.close();
  }

  @BeforeEach
  void sameSchemaOnBoth() throws Exception {
    execute(source, SCHEMA);
    execute(copy, SCHEMA);
  }

  static void execute(LocalMariaDb db, List<String> statements) throws Exception {
    try (Connection c =
            DriverManager.getConnection(
                db.jdbcUrl("") + "?sslMode=DISABLED", db.rootUser(), db.rootPassword());
        Statement s = c.createStatement()) {
      for (String sql : statements) s.execute(sql);
    }
  }

  static DriftReport drift(List<String> schemas) {
    return staging.checkDrift(
        new DriftCheck(
            source.host(),
            source.port(),
            new DbLogin(source.rootUser(), "env:" + SOURCE_VAR),
            copy.host(),
            copy.port(),
            new DbLogin(copy.rootUser(), "env:" + COPY_VAR),
            schemas));
  }

  @Test
  void givenTheSameSchemaOnBothSides_whenCompared_thenNoDifferenceAndTheBaseTablesCounted() {
    DriftReport r = drift(List.of("app"));

    assertEquals(new DriftReport(2, List.of()), r);
  }

  @Test
  void givenAnAddedColumnAndADroppedIndexOnTheCopy_whenCompared_thenOneLineEach() throws Exception {
    execute(
        copy,
        List.of(
            "ALTER TABLE app.users ADD COLUMN nickname VARCHAR(40) NOT NULL DEFAULT ''",
            "ALTER TABLE app.users DROP INDEX users_phone"));

    DriftReport r = drift(List.of("app"));

    assertEquals(
        List.of(
            "app.users: column nickname varchar(40) not null default '' only in the copy",
            "app.users: index users_phone (phone) missing in the copy"),
        r.differences());
  }

  @Test
  void givenATypeADefaultAUniquenessAnIndexOrderAndATableThatDiffer_whenCompared_thenEachIsNamed()
      throws Exception {
    execute(
        copy,
        List.of(
            "ALTER TABLE app.users MODIFY phone VARCHAR(64) NOT NULL",
            "ALTER TABLE app.users ALTER status SET DEFAULT 'new'",
            "ALTER TABLE app.users DROP INDEX users_email, ADD KEY users_email (email)",
            "ALTER TABLE app.orders DROP INDEX orders_user, ADD KEY orders_user (id, user_id)",
            "CREATE TABLE app.audit (id INT PRIMARY KEY)"));

    DriftReport r = drift(List.of("app"));

    assertEquals(
        List.of(
            "app.audit: table only in the copy",
            "app.orders: index orders_user (user_id,id) -> (id,user_id)",
            "app.users: column phone varchar(32) not null -> varchar(64) not null",
            "app.users: column status varchar(8) not null default 'active' -> varchar(8) not null default 'new'",
            "app.users: index users_email unique(email) -> (email)"),
        r.differences());
  }

  @Test
  void givenASchemaMissingOnTheCopy_whenCompared_thenEveryTableIsMissing() throws Exception {
    execute(copy, List.of("DROP DATABASE app"));

    DriftReport r = drift(List.of("app"));

    assertEquals(
        List.of("app.orders: table missing in the copy", "app.users: table missing in the copy"),
        r.differences());
  }

  @Test
  void givenASchemaNameThatLooksLikeSql_whenCompared_thenItIsABoundNameMatchingNothing() {
    DriftReport r = drift(List.of("app' OR '1'='1", "x`; DROP DATABASE app; --"));

    assertEquals(new DriftReport(0, List.of()), r);
    assertEquals(new DriftReport(2, List.of()), drift(List.of("app")), "nothing was dropped");
  }
}
