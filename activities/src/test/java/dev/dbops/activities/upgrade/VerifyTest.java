package dev.dbops.activities.upgrade;

import static dev.dbops.activities.SandboxFixture.failureOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dbops.workflows.common.DbLogin;
import dev.dbops.workflows.common.ErrorTypes;
import dev.dbops.workflows.upgrade.VerifyReport;
import dev.dbops.workflows.upgrade.VerifySpec;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Verification against a real MariaDB restarted with the version an upgraded Aurora reports. */
@Tag("mariadb")
class VerifyTest {
  private static MariaDbFixture fx;

  @BeforeAll
  static void start() throws Exception {
    fx = MariaDbFixture.start("5.7.12");
    try (Connection c = fx.connect();
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE app");
      s.execute("CREATE TABLE app.orders (id INT PRIMARY KEY, note VARCHAR(40))");
      s.execute("INSERT INTO app.orders VALUES (1, 'a'), (2, 'b'), (3, 'c')");
    }
  }

  @AfterAll
  static void stop() {
    fx.close();
  }

  @Test
  void givenTheServerOn57_whenVerified_thenVersionAndEachSmokeResult() {
    VerifyReport r =
        fx.checks.verify(
            fx.verify(
                "5.7",
                "SELECT COUNT(*) FROM app.orders",
                "SELECT id, note FROM app.orders WHERE id = 2",
                "SELECT id FROM app.orders WHERE id > 99;"));

    assertEquals("5.7.12", r.version());
    assertEquals(
        List.of(
            "SELECT COUNT(*) FROM app.orders -> 3",
            "SELECT id, note FROM app.orders WHERE id = 2 -> 2, b",
            "SELECT id FROM app.orders WHERE id > 99; -> (no rows)"),
        r.smokeResults());
  }

  @Test
  void givenSmokeSqlThatWrites_whenVerified_thenNonRetryableVerifyFailedAndTheServerNeverSawIt()
      throws Exception {
    ApplicationFailure f =
        failureOf(
            () ->
                fx.checks.verify(fx.verify("5.7", "SELECT 1", "CREATE DATABASE smoke_wrote_this")));

    assertEquals(ErrorTypes.VERIFY_FAILED, f.getType());
    assertTrue(f.isNonRetryable());
    assertTrue(
        f.getOriginalMessage().contains("not a read-only check (must be a read"),
        f.getOriginalMessage());
    assertEquals(
        0,
        count(
            "SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = 'smoke_wrote_this'"));
  }

  /**
   * A stored function that inserts is a SELECT to any parser: only the server knows it writes. The
   * read-only transaction makes the server refuse it; the row never lands.
   */
  @Test
  void
      givenASelectOfAFunctionThatWrites_whenVerified_thenTheServerRefusesItInTheReadOnlyTransaction()
          throws Exception {
    try (Connection c = fx.connect();
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS app.smoke_audit (id INT)");
      s.execute(
          "CREATE FUNCTION IF NOT EXISTS app.smoke_touch() RETURNS INT MODIFIES SQL DATA"
              + " BEGIN INSERT INTO app.smoke_audit VALUES (1); RETURN 1; END");
    }

    ApplicationFailure f =
        failureOf(() -> fx.checks.verify(fx.verify("5.7", "SELECT app.smoke_touch()")));

    assertEquals(ErrorTypes.VERIFY_FAILED, f.getType());
    assertTrue(f.isNonRetryable());
    assertTrue(
        f.getOriginalMessage().contains("refused it in the read-only transaction (errno 1792"),
        f.getOriginalMessage());
    assertEquals(0, count("SELECT COUNT(*) FROM app.smoke_audit"));
  }

  /**
   * With NO_BACKSLASH_ESCAPES the server would end {@code 'it\'} where the lexer does not; the
   * check's session clears it, so the server reads the string the lexer judged.
   */
  @Test
  void
      givenAServerWithNoBackslashEscapes_whenSmokeSqlHoldsAnEscapedQuote_thenTheServerReadsItAsTheLexerDid()
          throws Exception {
    String before;
    try (Connection c = fx.connect();
        Statement s = c.createStatement()) {
      var rs = s.executeQuery("SELECT @@GLOBAL.sql_mode");
      rs.next();
      before = rs.getString(1);
      s.execute(
          "SET GLOBAL sql_mode = CONCAT(@@GLOBAL.sql_mode, ',NO_BACKSLASH_ESCAPES,ANSI_QUOTES')");
    }
    try {
      VerifyReport r = fx.checks.verify(fx.verify("5.7", "SELECT 'it\\'s; one string'"));

      assertEquals(List.of("SELECT 'it\\'s; one string' -> it's; one string"), r.smokeResults());
    } finally {
      try (Connection c = fx.connect();
          var p = c.prepareStatement("SET GLOBAL sql_mode = ?")) {
        p.setString(1, before);
        p.execute();
      }
    }
  }

  private static long count(String sql) throws Exception {
    try (Connection c = fx.connect();
        Statement s = c.createStatement();
        var rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  void givenTheServerStillOn56_whenVerified_thenNonRetryableVerifyFailed() {
    fx.db.restart("5.6.10");
    try {
      ApplicationFailure f = failureOf(() -> fx.checks.verify(fx.verify("5.7")));

      assertEquals(ErrorTypes.VERIFY_FAILED, f.getType());
      assertTrue(f.isNonRetryable());
      assertEquals(
          fx.db.host()
              + ":"
              + fx.db.port()
              + " reports VERSION() 5.6.10, expected it to start with 5.7",
          f.getOriginalMessage());
    } finally {
      fx.db.restart("5.7.12");
    }
  }

  @Test
  void givenAFailingSmokeStatement_whenVerified_thenNonRetryableVerifyFailedWithTheSqlError() {
    ApplicationFailure f =
        failureOf(
            () ->
                fx.checks.verify(
                    fx.verify("5.7", "SELECT 1", "SELECT * FROM app.missing", "SELECT 3")));

    assertEquals(ErrorTypes.VERIFY_FAILED, f.getType());
    assertTrue(f.isNonRetryable());
    assertTrue(
        f.getOriginalMessage()
            .startsWith(
                "smoke statement 2 of 3 failed on "
                    + fx.db.host()
                    + ":"
                    + fx.db.port()
                    + ": SELECT * FROM app.missing: errno 1146 (42S02): Table 'app.missing' doesn't exist"),
        f.getOriginalMessage());
  }

  @Test
  void
      givenTheServerRestartingAsAnUpgradeEnds_whenVerified_thenItReconnectsWithinTheAttemptAndPasses() {
    fx.db.stop();
    CompletableFuture<Void> upgradeEnds =
        CompletableFuture.runAsync(
            () -> {
              sleep(1500);
              fx.db.restart("5.7.12");
            });

    VerifyReport r = fx.checks.verify(fx.verify("5.7", "SELECT COUNT(*) FROM app.orders"));

    upgradeEnds.orTimeout(30, TimeUnit.SECONDS).join();
    assertEquals("5.7.12", r.version());
    assertEquals(List.of("SELECT COUNT(*) FROM app.orders -> 3"), r.smokeResults());
  }

  @Test
  void givenAWrongPassword_whenVerified_thenNonRetryableAccessDeniedAtOnce(@TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("password");
    Files.writeString(file, "not-the-password\n");
    VerifySpec spec =
        new VerifySpec(
            fx.db.host(), fx.db.port(), new DbLogin("root", "file:" + file), "5.7", List.of());

    long t0 = System.nanoTime();
    ApplicationFailure f = failureOf(() -> fx.checks.verify(spec));

    assertEquals(ErrorTypes.ACCESS_DENIED, f.getType());
    assertTrue(f.isNonRetryable());
    assertTrue(
        f.getOriginalMessage().contains("Access denied for user 'root'"), f.getOriginalMessage());
    assertFalse(f.getOriginalMessage().contains("not-the-password"));
    assertTrue(
        (System.nanoTime() - t0) / 1_000_000 < MariaDbFixture.SETTINGS.reconnectFor().toMillis(),
        "not retried within the attempt");
  }

  @Test
  void givenThePasswordInAFile_whenVerified_thenItLogsIn(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("password");
    Files.writeString(file, fx.db.rootPassword() + "\n");
    VerifySpec spec =
        new VerifySpec(
            fx.db.host(), fx.db.port(), new DbLogin("root", "file:" + file), "5.7", List.of());

    assertEquals("5.7.12", fx.checks.verify(spec).version());
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
