package dev.dbops.sandbox.mysql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A real MariaDB per instance: reported version, restart on the same port and data, two at once.
 */
@Tag("mariadb")
class LocalMariaDbTest {

  private static LocalMariaDb db;

  @BeforeAll
  static void start() {
    db = LocalMariaDb.start(LocalMariaDb.Options.defaults().reportedVersion("5.6.10"));
  }

  @AfterAll
  static void stop() {
    db.close();
  }

  @Test
  void givenReportedVersion56_whenSelectVersion_thenExactly56AndLoopbackOnly() throws SQLException {
    try (Connection c = connect(db, "")) {
      assertEquals("5.6.10", scalar(c, "SELECT VERSION()"));
      assertEquals("5.6.10", scalar(c, "SELECT @@version"));
      assertEquals("127.0.0.1", scalar(c, "SELECT @@bind_address"));
      assertEquals("root@127.0.0.1", scalar(c, "SELECT CURRENT_USER()"));
    }
    assertEquals("127.0.0.1", db.host());
    assertTrue(db.isRunning());
  }

  @Test
  void givenTableOn56_whenRestartedAs57_thenOldConnectionFailsAndNewOneSeesTableAndVersion()
      throws SQLException {
    int port = db.port();
    try (Connection before = connect(db, "")) {
      try (Statement s = before.createStatement()) {
        s.execute("CREATE DATABASE IF NOT EXISTS app");
        s.execute("CREATE TABLE app.t (id INT PRIMARY KEY, v VARCHAR(10))");
        s.execute("INSERT INTO app.t VALUES (1, 'kept')");
      }

      db.restart("5.7.12");

      assertThrows(
          SQLException.class,
          () -> scalar(before, "SELECT 1"),
          "the restart dropped the connection");
    }
    assertEquals(port, db.port());
    try (Connection after = connect(db, "app")) {
      assertEquals("5.7.12", scalar(after, "SELECT VERSION()"));
      assertEquals("kept", scalar(after, "SELECT v FROM t WHERE id = 1"));
    }
    db.restart("5.6.10");
  }

  @Test
  void givenSecondInstance_whenBothRun_thenPortsAndDataAreSeparateAndCloseDeletesData()
      throws SQLException {
    Path dataDir;
    try (LocalMariaDb other =
        LocalMariaDb.start(LocalMariaDb.Options.defaults().rootPassword("other-secret"))) {
      dataDir = other.dataDir();
      assertNotEquals(db.port(), other.port());
      try (Connection c = connect(other, "");
          Connection mine = connect(db, "")) {
        assertTrue(
            scalar(c, "SELECT VERSION()").startsWith("11.4.5-MariaDB"),
            "no --version: MariaDB's own");
        try (Statement s = c.createStatement()) {
          s.execute("CREATE DATABASE only_here");
        }
        assertEquals(
            "0",
            scalar(
                mine,
                "SELECT COUNT(*) FROM information_schema.schemata WHERE schema_name = 'only_here'"));
      }
      assertThrows(
          SQLException.class,
          () -> DriverManager.getConnection(other.jdbcUrl(""), "root", "wrong"));
    }
    assertFalse(Files.exists(dataDir), "close deletes the data directory");
  }

  @Test
  void givenDefaultOptions_whenStartedTwice_thenRootPasswordsAreRandomAndTheOldFixedOneIsRefused()
      throws SQLException {
    LocalMariaDb.Options defaults = LocalMariaDb.Options.defaults();
    try (LocalMariaDb other = LocalMariaDb.start(defaults)) {
      assertNotEquals(db.rootPassword(), other.rootPassword(), "a new password per start");
      for (LocalMariaDb d : java.util.List.of(db, other)) {
        assertTrue(d.rootPassword().matches("[A-Za-z0-9]{24}"), d.rootPassword());
        assertThrows(
            SQLException.class,
            () -> DriverManager.getConnection(d.jdbcUrl(""), "root", "sandbox"),
            "the old fixed root password is refused");
        try (Connection c = connect(d, "")) {
          assertEquals("root@127.0.0.1", scalar(c, "SELECT CURRENT_USER()"));
        }
      }
    }
    assertEquals(
        null, defaults.rootPassword(), "the options stay reusable: each start draws its own");
  }

  @Test
  void givenStoppedInstance_whenRestarted_thenServesAgain() throws SQLException {
    db.stop();
    assertFalse(db.isRunning());
    assertThrows(SQLException.class, () -> connect(db, ""));

    db.restart("5.6.10");

    try (Connection c = connect(db, "")) {
      assertEquals("5.6.10", scalar(c, "SELECT VERSION()"));
    }
  }

  static Connection connect(LocalMariaDb db, String schema) throws SQLException {
    return DriverManager.getConnection(db.jdbcUrl(schema), db.rootUser(), db.rootPassword());
  }

  static String scalar(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }
}
