package dev.dbops.activities.upgrade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dbops.workflows.upgrade.PrecheckReport;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The pre-checks against a real MariaDB reporting 5.6, with the conditions that block an upgrade.
 */
@Tag("mariadb")
class PrecheckTest {
  private static MariaDbFixture fx;

  @BeforeAll
  static void start() {
    fx = MariaDbFixture.start("5.6.10");
  }

  @AfterAll
  static void stop() {
    fx.close();
  }

  @BeforeEach
  void schema() throws Exception {
    try (Connection c = fx.connect();
        Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS app");
      s.execute("CREATE DATABASE app");
      s.execute("CREATE TABLE app.orders (id INT PRIMARY KEY, note VARCHAR(40)) ENGINE=InnoDB");
      // Not empty: MariaDB logs an INSERT into an empty table as one table-level undo record.
      s.execute("INSERT INTO app.orders VALUES (0, 'seed')");
    }
  }

  /**
   * INNODB_TRX is a cache refreshed only when it has not been read for 100 ms: right after a
   * rollback it may still show the transaction, so the next test waits it out (polling slower than
   * the refresh rule, or the cache would never refresh), then leaves the cache unread long enough
   * that the next test's precheck sees fresh rows.
   */
  @AfterEach
  void awaitNoTransactions() throws Exception {
    try (Connection c = fx.connect();
        Statement s = c.createStatement()) {
      for (int i = 0; i < 50; i++) {
        try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM information_schema.INNODB_TRX")) {
          rs.next();
          if (rs.getInt(1) == 0) break;
        }
        Thread.sleep(200);
      }
    }
    Thread.sleep(200);
  }

  @Test
  void givenAQuietServer_whenPrechecked_thenNothingToReport() {
    PrecheckReport r = fx.checks.precheck(fx.endpoint());

    assertEquals("5.6.10", r.version());
    assertEquals(List.of(), r.preparedXa());
    assertEquals(List.of(), r.runningDdl());
    assertEquals(0, r.largestTrxRowsModified());
    assertNull(r.largestTrxId());
    assertTrue(
        r.historyListLength() >= 0,
        "read from INNODB_METRICS or INNODB STATUS: " + r.historyListLength());
  }

  @Test
  void givenTheHistoryMetricDisabled_whenPrechecked_thenTheLengthComesFromInnodbStatus()
      throws Exception {
    try (Connection c = fx.connect();
        Statement s = c.createStatement()) {
      s.execute("SET GLOBAL innodb_monitor_disable = 'trx_rseg_history_len'");
      try {
        assertTrue(fx.checks.precheck(fx.endpoint()).historyListLength() >= 0, "not -1 (unknown)");
      } finally {
        s.execute("SET GLOBAL innodb_monitor_enable = 'trx_rseg_history_len'");
      }
    }
  }

  @Test
  void givenAPreparedXaTransaction_whenPrechecked_thenItIsListedWithItsRollback() throws Exception {
    try (Connection c = fx.connect();
        Statement s = c.createStatement()) {
      s.execute("XA START 'dbops-x'");
      s.execute("INSERT INTO app.orders VALUES (1, 'prepared')");
      s.execute("XA END 'dbops-x'");
      s.execute("XA PREPARE 'dbops-x'");
      try {
        PrecheckReport r = fx.checks.precheck(fx.endpoint());

        assertEquals(
            List.of("formatID=1 gtrid='dbops-x' bqual='' (XA ROLLBACK X'64626F70732D78',X'',1)"),
            r.preparedXa());
      } finally {
        s.execute("XA ROLLBACK 'dbops-x'");
      }
    }
  }

  @Test
  void givenABigOpenTransaction_whenPrechecked_thenItsRowsModifiedAndId() throws Exception {
    try (Connection c = fx.connect();
        Statement s = c.createStatement()) {
      c.setAutoCommit(false);
      s.execute("INSERT INTO app.orders SELECT seq, 'bulk' FROM app.seq_1_to_5000");
      try {
        PrecheckReport r = fx.checks.precheck(fx.endpoint());

        assertEquals(5000, r.largestTrxRowsModified());
        assertNotNull(r.largestTrxId());
      } finally {
        c.rollback();
      }
    }
  }

  @Test
  void givenAnAlterWaitingOnAMetadataLock_whenPrechecked_thenTheRunningDdlIsListed()
      throws Exception {
    try (Connection reader = fx.connect();
        Connection migrator = fx.connect();
        Statement r = reader.createStatement();
        Statement m = migrator.createStatement()) {
      reader.setAutoCommit(false);
      r.executeQuery("SELECT * FROM app.orders").close(); // holds the table's metadata lock
      m.execute("SET SESSION lock_wait_timeout = 60");
      CompletableFuture<Boolean> alter =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return m.execute(
                      "/* migration 42 */ ALTER TABLE app.orders ADD COLUMN shipped TINYINT");
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      try {
        PrecheckReport report = waitForDdl();

        assertEquals(1, report.runningDdl().size(), report.runningDdl().toString());
        String line = report.runningDdl().get(0);
        assertTrue(
            line.matches(
                "id=\\d+ user=root time=\\d+s: /\\* migration 42 \\*/ ALTER TABLE app.orders "
                    + "ADD COLUMN shipped TINYINT"),
            line);
      } finally {
        reader.commit();
        alter.get(30, TimeUnit.SECONDS);
      }
    }
  }

  /** The ALTER reaches the processlist a moment after it is sent. */
  private static PrecheckReport waitForDdl() throws InterruptedException {
    PrecheckReport r = null;
    for (int i = 0; i < 50; i++) {
      r = fx.checks.precheck(fx.endpoint());
      if (!r.runningDdl().isEmpty()) return r;
      Thread.sleep(100);
    }
    return r;
  }
}
