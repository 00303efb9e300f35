package dev.dbops.sandbox.mysql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped mariadb / mariadb-dump clients: dump one server's application schemas, load them into
 * another.
 */
@Tag("mariadb")
@Tag("process")
class MariaDbCliTest {

  @Test
  void
      givenServerWithAppSchema_whenDumpedAndLoadedIntoAnotherServer_thenSameRowsRoutinesAndForeignKeys(
          @TempDir Path dir) throws Exception {
    try (LocalMariaDb source =
            LocalMariaDb.start(LocalMariaDb.Options.defaults().reportedVersion("5.6.10"));
        LocalMariaDb target =
            LocalMariaDb.start(LocalMariaDb.Options.defaults().reportedVersion("5.7.12"))) {
      try (Connection c = root(source)) {
        execute(c, "CREATE DATABASE app");
        execute(
            c,
            "CREATE TABLE app.users (id INT PRIMARY KEY, email VARCHAR(200) NOT NULL, note BLOB)");
        execute(
            c,
            "CREATE TABLE app.orders (id INT PRIMARY KEY, user_id INT NOT NULL, "
                + "FOREIGN KEY (user_id) REFERENCES app.users (id))");
        execute(
            c,
            "INSERT INTO app.users SELECT seq, CONCAT('u', seq, '@example.com'), UNHEX('00FF') FROM mysql.seq_1_to_300");
        execute(c, "INSERT INTO app.orders SELECT seq, 1 + seq MOD 300 FROM mysql.seq_1_to_900");
        execute(c, "CREATE PROCEDURE app.touch() SELECT 1");
        execute(c, "CREATE DATABASE empty_one");
      }
      Path dump = dir.resolve("dump.sql");

      long t0 = System.nanoTime();
      List<String> schemas = MariaDbCli.dumpUserSchemas(source, dump);
      long t1 = System.nanoTime();
      MariaDbCli.load(target, dump);
      long t2 = System.nanoTime();
      System.err.printf(
          "[measure] dump %d ms (%d bytes), load %d ms%n",
          (t1 - t0) / 1_000_000, Files.size(dump), (t2 - t1) / 1_000_000);

      assertEquals(List.of("app", "empty_one"), schemas);
      assertEquals(List.of("app", "empty_one"), MariaDbCli.userSchemas(target));
      try (Connection c = root(target)) {
        assertEquals("300", scalar(c, "SELECT COUNT(*) FROM app.users"));
        assertEquals("900", scalar(c, "SELECT COUNT(*) FROM app.orders"));
        assertEquals("00FF", scalar(c, "SELECT HEX(note) FROM app.users WHERE id = 7"));
        assertEquals(
            "1",
            scalar(
                c,
                "SELECT COUNT(*) FROM information_schema.routines WHERE routine_schema = 'app'"));
        assertThrows(
            SQLException.class,
            () -> execute(c, "INSERT INTO app.orders VALUES (5000, 999999)"),
            "foreign keys survive");
      }
    }
  }

  @Test
  void givenServer_whenExecuteCreatesAUserWithAQuotedPassword_thenItLogsIn() throws Exception {
    try (LocalMariaDb db = LocalMariaDb.start(LocalMariaDb.Options.defaults())) {
      String password = "it's a \\ secret";
      MariaDbCli.execute(
          db,
          "CREATE USER 'admin'@'%' IDENTIFIED BY "
              + MariaDbCli.literal(password)
              + "; GRANT SELECT ON *.* TO 'admin'@'%'");

      try (Connection c = DriverManager.getConnection(db.jdbcUrl(""), "admin", password)) {
        assertEquals("admin@%", scalar(c, "SELECT CURRENT_USER()"));
      }
      IllegalStateException e =
          assertThrows(IllegalStateException.class, () -> MariaDbCli.execute(db, "SELEC 1"));
      assertTrue(e.getMessage().contains("syntax"), e.getMessage());
    }
  }

  private static Connection root(LocalMariaDb db) throws SQLException {
    return DriverManager.getConnection(db.jdbcUrl(""), db.rootUser(), db.rootPassword());
  }

  private static void execute(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  private static String scalar(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }
}
