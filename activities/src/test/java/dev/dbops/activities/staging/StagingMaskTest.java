package dev.dbops.activities.staging;

import static dev.dbops.activities.staging.TwoAccountSandbox.failureOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dbops.activities.aws.AccountClients;
import dev.dbops.activities.aws.AwsSettings;
import dev.dbops.activities.common.SecretResolver;
import dev.dbops.activities.mysql.MySqlSettings;
import dev.dbops.activities.sql.StagingSql;
import dev.dbops.sandbox.mysql.LocalMariaDb;
import dev.dbops.workflows.common.DbLogin;
import dev.dbops.workflows.common.ErrorTypes;
import dev.dbops.workflows.staging.MaskReport;
import dev.dbops.workflows.staging.MaskRun;
import dev.dbops.workflows.staging.MaskingSpec;
import dev.dbops.workflows.staging.StagingActivities;
import dev.dbops.workflows.staging.VerifyResult;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mask} on a real MariaDB holding a users table with emails and phone numbers, run by
 * Temporal's {@link TestActivityEnvironment} (heartbeats are observed), one attempt per call.
 */
@Tag("mariadb")
class StagingMaskTest {
  static final String PASSWORD_VAR = "DBOPS_TEST_MASK_PASSWORD";
  static final String MASK_EMAILS =
      "UPDATE app.users SET email = CONCAT('user', id, '@example.invalid')";
  static final String MASK_PHONES =
      "UPDATE app.users SET phone = CONCAT('+10000', LPAD(id, 6, '0'))";
  static final String UNMASKED_EMAILS =
      "SELECT COUNT(*) FROM app.users WHERE email NOT LIKE '%@example.invalid'";
  static final String UNMASKED_PHONES =
      "SELECT COUNT(*) FROM app.users WHERE phone NOT LIKE '+10000%'";
  static final Set<String> EMAILS =
      Set.of("ada@example.com", "grace@example.com", "alan@example.com");

  static LocalMariaDb db;
  static AccountClients clients;

  @TempDir Path tmp;
  TestActivityEnvironment env;
  StagingActivities staging;
  SimpleMeterRegistry registry;
  final List<Integer> heartbeats = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void startDb() {
    db = LocalMariaDb.start(LocalMariaDb.Options.defaults());
    // Never called here (no s3:// script): the masking side needs no AWS.
    clients =
        new AccountClients(
            AwsSettings.sandbox(URI.create("http://127.0.0.1:9")), new SimpleMeterRegistry());
  }

  @AfterAll
  static void stopDb() {
    clients.close();
    db.close();
  }

  @BeforeEach
  void setUp() throws Exception {
    try (Connection c = root();
        Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS app");
      s.execute("CREATE DATABASE app");
      s.execute(
          "CREATE TABLE app.users (id INT PRIMARY KEY, email VARCHAR(255) NOT NULL, phone VARCHAR(32) NOT NULL)");
      s.execute(
          "INSERT INTO app.users VALUES (1, 'ada@example.com', '+1-202-555-0101'),"
              + " (2, 'grace@example.com', '+1-202-555-0102'), (3, 'alan@example.com', '+1-202-555-0103')");
    }
    registry = new SimpleMeterRegistry();
    env = TestActivityEnvironment.newInstance();
    env.registerActivitiesImplementations(
        new StagingActivitiesImpl(
            clients,
            new SecretResolver(Map.of(PASSWORD_VAR, db.rootPassword()), null),
            MySqlSettings.loopback(),
            registry));
    env.setActivityHeartbeatListener(Integer.class, heartbeats::add);
    staging = env.newActivityStub(StagingActivities.class, TwoAccountSandbox.ONE_ATTEMPT);
  }

  @AfterEach
  void tearDown() {
    env.close();
  }

  static Connection root() throws Exception {
    return DriverManager.getConnection(
        db.jdbcUrl("") + "?sslMode=DISABLED", db.rootUser(), db.rootPassword());
  }

  static Set<String> emails() throws Exception {
    Set<String> out = new HashSet<>();
    try (Connection c = root();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT email FROM app.users")) {
      while (rs.next()) out.add(rs.getString(1));
    }
    return out;
  }

  MaskRun run(MaskingSpec spec, String expectedSha256) {
    return new MaskRun(
        db.host(),
        db.port(),
        new DbLogin(db.rootUser(), "env:" + PASSWORD_VAR),
        spec,
        expectedSha256);
  }

  MaskRun run(MaskingSpec spec) {
    return run(spec, staging.readMaskingScript(spec).sha256());
  }

  @Test
  void
      givenUsersWithEmailsAndPhones_whenMasked_thenEveryRowRewrittenVerificationZeroAndHeartbeatsWithTheIndex()
          throws Exception {
    MaskingSpec spec =
        new MaskingSpec(
            List.of(MASK_EMAILS, MASK_PHONES), null, List.of(UNMASKED_EMAILS, UNMASKED_PHONES));

    MaskReport r = staging.mask(run(spec));

    assertTrue(r.passed());
    assertEquals(
        List.of(new VerifyResult(UNMASKED_EMAILS, 0), new VerifyResult(UNMASKED_PHONES, 0)),
        r.verification());
    assertEquals(2, r.statementsRun());
    assertEquals(List.of(3L, 3L), r.rowsChanged());
    assertEquals(StagingSql.sha256(List.of(MASK_EMAILS, MASK_PHONES)), r.sha256());
    assertTrue(r.elapsedMillis() >= 0);
    // The SDK sends the first heartbeat and throttles the next ones; each carries the last index
    // run.
    assertEquals(1, heartbeats.get(0));
    assertTrue(heartbeats.stream().allMatch(i -> i >= 1 && i <= 2), heartbeats.toString());
    assertEquals(
        Set.of("user1@example.invalid", "user2@example.invalid", "user3@example.invalid"),
        emails());
    assertEquals(1, registry.find(StagingMetrics.MASKING).timer().count());
  }

  @Test
  void givenAScriptFileRunTwice_whenMaskedAgainAsARetryWould_thenTheSameEndStateAndStillPassing()
      throws Exception {
    Path script = tmp.resolve("mask.sql");
    Files.writeString(script, "-- staging masking\n" + MASK_EMAILS + ";\n\n" + MASK_PHONES + ";\n");
    MaskingSpec spec =
        new MaskingSpec(null, "file:" + script, List.of(UNMASKED_EMAILS, UNMASKED_PHONES));

    MaskReport first = staging.mask(run(spec));
    Set<String> afterFirst = emails();
    MaskReport second = staging.mask(run(spec));

    assertTrue(first.passed());
    assertTrue(second.passed());
    assertEquals(afterFirst, emails());
    assertEquals(first.sha256(), second.sha256());
  }

  @Test
  void givenAScriptChangedSinceValidation_whenMasked_thenNonRetryableInvalidInputAndNoRowTouched()
      throws Exception {
    MaskingSpec validated = new MaskingSpec(List.of(MASK_EMAILS), null, List.of(UNMASKED_EMAILS));
    String hash = staging.readMaskingScript(validated).sha256();
    MaskingSpec changed =
        new MaskingSpec(
            List.of(MASK_EMAILS, "DELETE FROM app.users"), null, List.of(UNMASKED_EMAILS));

    ApplicationFailure f = failureOf(() -> staging.mask(run(changed, hash)));

    assertEquals(ErrorTypes.INVALID_INPUT, f.getType());
    assertTrue(f.isNonRetryable());
    assertTrue(f.getOriginalMessage().contains(hash), f.getOriginalMessage());
    assertEquals(EMAILS, emails());
    assertEquals(List.of(), heartbeats);
  }

  @Test
  void
      givenAVerificationThatStillFindsRows_whenMasked_thenItsValueIsReportedForTheWorkflowToJudge() {
    MaskingSpec spec =
        new MaskingSpec(List.of(MASK_EMAILS), null, List.of(UNMASKED_EMAILS, UNMASKED_PHONES));

    MaskReport r = staging.mask(run(spec));

    assertFalse(r.passed());
    assertEquals(
        List.of(new VerifyResult(UNMASKED_EMAILS, 0), new VerifyResult(UNMASKED_PHONES, 3)),
        r.verification());
  }

  @Test
  void givenAVerificationAnsweringNull_whenMasked_thenNonRetryableMaskingFailedNotASilentZero() {
    String nothing = "SELECT MAX(id) FROM app.users WHERE email LIKE '%@example.com'";
    MaskingSpec spec = new MaskingSpec(List.of(MASK_EMAILS), null, List.of(nothing));

    ApplicationFailure f = failureOf(() -> staging.mask(run(spec)));

    assertEquals(ErrorTypes.MASKING_FAILED, f.getType());
    assertTrue(f.getOriginalMessage().contains("NULL"), f.getOriginalMessage());
  }

  /**
   * The example: a no-op mask and a verification whose first row is 0. Reading only the
   * first row passed it and staging went live unmasked.
   */
  @Test
  void
      givenAVerificationAnsweringTwoRows_whenMasked_thenNonRetryableMaskingFailedSayingWhatCameBack()
          throws Exception {
    String twoRows =
        "SELECT 0 UNION ALL SELECT COUNT(*) FROM app.users WHERE email NOT LIKE '%@example.invalid'";
    MaskingSpec spec =
        new MaskingSpec(List.of("UPDATE app.users SET email = email"), null, List.of(twoRows));

    ApplicationFailure f = failureOf(() -> staging.mask(run(spec)));

    assertEquals(ErrorTypes.MASKING_FAILED, f.getType());
    assertTrue(f.isNonRetryable());
    assertTrue(
        f.getOriginalMessage().contains("returned 2 row(s) x 1 column(s) (0): [0], [3]"),
        f.getOriginalMessage());
    assertTrue(
        f.getOriginalMessage().contains("exactly one row of one whole number"),
        f.getOriginalMessage());
  }

  @Test
  void givenVerificationsOfTheWrongShape_whenMasked_thenEachFailsSayingWhatCameBack() {
    for (String[] q :
        new String[][] {
          {"SELECT 0, COUNT(*) FROM app.users", "1 row(s) x 2 column(s)"},
          {"SELECT id FROM app.users WHERE id > 99", "0 row(s) x 1 column(s) (id)"},
          {"SELECT 0.5", "[0.5]"},
          {"SELECT 'none'", "['none']"},
          {"SELECT id FROM app.users", "3 row(s)"}
        }) {
      MaskingSpec spec = new MaskingSpec(List.of(MASK_EMAILS), null, List.of(q[0]));

      ApplicationFailure f = failureOf(() -> staging.mask(run(spec)));

      assertEquals(ErrorTypes.MASKING_FAILED, f.getType(), q[0]);
      assertTrue(f.getOriginalMessage().contains(q[1]), q[0] + ": " + f.getOriginalMessage());
    }
  }

  /**
   * A verification that writes through a stored function: only the server can tell, and refuses.
   */
  @Test
  void
      givenAVerificationCallingAFunctionThatWrites_whenMasked_thenTheServerRefusesItAndNoRowIsWritten()
          throws Exception {
    try (Connection c = root();
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE app.audit (id INT)");
      s.execute(
          "CREATE FUNCTION app.unmask() RETURNS INT MODIFIES SQL DATA"
              + " BEGIN UPDATE app.users SET email = 'leak@example.com'; INSERT INTO app.audit VALUES (1); RETURN 0; END");
    }
    MaskingSpec spec = new MaskingSpec(List.of(MASK_EMAILS), null, List.of("SELECT app.unmask()"));

    ApplicationFailure f = failureOf(() -> staging.mask(run(spec)));

    assertEquals(ErrorTypes.MASKING_FAILED, f.getType());
    assertTrue(
        f.getOriginalMessage().contains("refused it in the read-only transaction (errno 1792"),
        f.getOriginalMessage());
    assertEquals(
        Set.of("user1@example.invalid", "user2@example.invalid", "user3@example.invalid"),
        emails());
    try (Connection c = root();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM app.audit")) {
      rs.next();
      assertEquals(0, rs.getLong(1));
    }
  }

  /**
   * A script the old line-based splitter broke three ways — a string literal with a {@code ;} at a
   * line end, a comment holding {@code ;}, a DELIMITER block — runs on MariaDB as written.
   */
  @Test
  void
      givenAScriptWithAMultiLineLiteralCommentsAndADelimiterBlock_whenMasked_thenItRunsAsTheMysqlClientWould()
          throws Exception {
    Path script = tmp.resolve("mask.sql");
    Files.writeString(
        script,
        """
        /* staging masking;
           emails first; */
        DELIMITER //
        CREATE PROCEDURE app.mask_emails()
        BEGIN
          UPDATE app.users SET email = CONCAT('user', id, '@example.invalid');
        END //
        DELIMITER ;
        CALL app.mask_emails(); -- every row;
        UPDATE app.users SET phone = 'masked;
          kept;' WHERE id = 1;
        DROP PROCEDURE app.mask_emails;
        """);
    MaskingSpec spec = new MaskingSpec(null, "file:" + script, List.of(UNMASKED_EMAILS));

    MaskReport r = staging.mask(run(spec));

    assertTrue(r.passed());
    assertEquals(4, r.statementsRun());
    assertEquals(
        Set.of("user1@example.invalid", "user2@example.invalid", "user3@example.invalid"),
        emails());
    try (Connection c = root();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT phone FROM app.users WHERE id = 1")) {
      rs.next();
      assertEquals("masked;\n  kept;", rs.getString(1));
    }
  }

  @Test
  void
      givenAMaskingStatementThatFails_whenMasked_thenNonRetryableSqlFailureNamingTheStatementAndLaterOnesNotRun()
          throws Exception {
    MaskingSpec spec =
        new MaskingSpec(
            List.of("UPDATE app.customers SET email = NULL", MASK_EMAILS),
            null,
            List.of(UNMASKED_EMAILS));

    ApplicationFailure f = failureOf(() -> staging.mask(run(spec)));

    assertEquals(ErrorTypes.SQL_FAILED, f.getType());
    assertTrue(f.isNonRetryable());
    assertTrue(
        f.getOriginalMessage().startsWith("masking statement 1 on " + db.host() + ":" + db.port()),
        f.getOriginalMessage());
    assertTrue(f.getOriginalMessage().contains("1146"), f.getOriginalMessage());
    assertEquals(EMAILS, emails());
  }

  @Test
  void givenAWrongPassword_whenMasked_thenNonRetryableAccessDeniedAndThePasswordIsNotInTheMessage()
      throws Exception {
    MaskingSpec spec = new MaskingSpec(List.of(MASK_EMAILS), null, List.of(UNMASKED_EMAILS));
    String hash = staging.readMaskingScript(spec).sha256();
    env.close();
    env = TestActivityEnvironment.newInstance();
    env.registerActivitiesImplementations(
        new StagingActivitiesImpl(
            clients,
            new SecretResolver(Map.of(PASSWORD_VAR, "Not-The-Password-1"), null),
            MySqlSettings.loopback(),
            registry));
    staging = env.newActivityStub(StagingActivities.class, TwoAccountSandbox.ONE_ATTEMPT);

    ApplicationFailure f = failureOf(() -> staging.mask(run(spec, hash)));

    assertTrue(f.isNonRetryable(), f.getType());
    assertEquals(ErrorTypes.ACCESS_DENIED, f.getType());
    assertFalse(f.getOriginalMessage().contains("Not-The-Password-1"));
    assertEquals(EMAILS, emails());
  }
}
