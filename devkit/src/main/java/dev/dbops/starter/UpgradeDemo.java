package dev.dbops.starter;

import dev.dbops.sandbox.ClusterSeed;
import dev.dbops.sandbox.RdsSandbox;
import dev.dbops.sandbox.mysql.LocalMariaDb;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.List;

/**
 * Dev mode's upgrade demo: a sandbox Aurora MySQL 5.6 cluster bound to a real local MariaDB
 * (started by the sandbox, which stops it and deletes its data directory when it closes), a demo
 * database, and a MySQL user whose password lives only in a file the request refers to.
 */
final class UpgradeDemo {
  private UpgradeDemo() {}

  static final String CLUSTER = "dbops-demo-56";
  static final String ENGINE_VERSION = "5.6.mysql_aurora.1.22.2";
  static final String TARGET_VERSION = "5.7.mysql_aurora.2.11.2";
  static final String DB_USER = "dbops_demo";
  static final String PASSWORD_FILE = "demo-db-password";
  static final String SMOKE_SQL = "SELECT COUNT(*) FROM demo.orders";
  static final int ORDERS = 100;

  /**
   * A seeded cluster: its id, the MySQL server it is bound to, and the login the request carries.
   * {@link #close()} deletes the password file (the sandbox closes the server).
   */
  record Cluster(String clusterId, LocalMariaDb db, String user, Path passwordFile)
      implements AutoCloseable {
    String passwordRef() {
      return "file:" + passwordFile;
    }

    /** The CLI arguments that upgrade this cluster without an approval (it is not production). */
    List<String> startArgs() {
      return List.of(
          "--cluster",
          clusterId,
          "--target-version",
          TARGET_VERSION,
          "--db-user",
          user,
          "--db-password-ref",
          passwordRef(),
          "--waive-approval");
    }

    @Override
    public void close() {
      try {
        Files.deleteIfExists(passwordFile);
      } catch (IOException e) {
        // best effort: the server it opened is gone with the sandbox anyway
      }
    }
  }

  /**
   * {@value #CLUSTER}: aurora {@value #ENGINE_VERSION}, default groups, one instance,
   * environment=dev.
   */
  static Cluster seed(RdsSandbox rds, Path stateDir) {
    return seed(
        rds,
        ClusterSeed.aurora56(CLUSTER)
            .withEngine("aurora", ENGINE_VERSION)
            .withTag("environment", "dev"),
        stateDir);
  }

  /**
   * Seeds {@code seed}, starts a local MariaDB bound to it, creates the demo database and user, and
   * writes the user's password to {@code stateDir/<cluster>-demo-db-password} (owner-only).
   */
  static Cluster seed(RdsSandbox rds, ClusterSeed seed, Path stateDir) {
    rds.createCluster(seed);
    LocalMariaDb db = rds.startLocalMariaDb(seed.id());
    String password = newPassword();
    Path file = writePasswordFile(stateDir.resolve(seed.id() + "-" + PASSWORD_FILE), password);
    try (Connection c =
            DriverManager.getConnection(
                db.jdbcUrl("") + "?sslMode=DISABLED", db.rootUser(), db.rootPassword());
        Statement s = c.createStatement()) {
      s.execute("CREATE USER '" + DB_USER + "'@'127.0.0.1' IDENTIFIED BY '" + password + "'");
      // What the pre-checks read (processlist, INNODB_TRX, XA RECOVER, InnoDB status) and the
      // demo table for smoke SQL; nothing that writes.
      s.execute("GRANT SELECT, PROCESS, SUPER ON *.* TO '" + DB_USER + "'@'127.0.0.1'");
      s.execute("CREATE DATABASE demo");
      s.execute(
          "CREATE TABLE demo.orders (id INT PRIMARY KEY, customer VARCHAR(40), total DECIMAL(10,2))");
      StringBuilder rows = new StringBuilder("INSERT INTO demo.orders VALUES ");
      for (int i = 1; i <= ORDERS; i++) {
        rows.append(i == 1 ? "" : ", ")
            .append("(")
            .append(i)
            .append(", 'customer-")
            .append(i % 17)
            .append("', ")
            .append(i * 3)
            .append(".50)");
      }
      s.execute(rows.toString());
    } catch (SQLException e) {
      throw new IllegalStateException(
          "cannot set up the demo database on " + db + ": " + e.getMessage(), e);
    }
    return new Cluster(seed.id(), db, DB_USER, file);
  }

  /** Writes {@code password} to {@code file}, owner-only; returns its absolute path. */
  static Path writePasswordFile(Path file, String password) {
    try {
      Files.createDirectories(file.getParent());
      Files.deleteIfExists(file);
      if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
        Files.createFile(
            file,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      }
      Files.writeString(file, password + "\n");
      return file.toAbsolutePath().normalize();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the demo password file " + file, e);
    }
  }

  /** A fresh dev-mode database password: 24 hex characters from SecureRandom. */
  static String newPassword() {
    return HexFormat.of().formatHex(randomBytes(12));
  }

  private static byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    new SecureRandom().nextBytes(b);
    return b;
  }
}
