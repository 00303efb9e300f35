package dev.dbops.starter;

import dev.dbops.sandbox.AwsSandbox;
import dev.dbops.sandbox.InstanceSeed;
import dev.dbops.sandbox.RdsSandbox;
import dev.dbops.sandbox.SandboxAccounts;
import dev.dbops.sandbox.mysql.LocalMariaDb;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Dev mode's Aurora migration demo: an RDS MySQL 5.7 instance of the sandbox bound to a real local
 * MariaDB (binary log on, RDS's procedures and binlog retention 24 h from the sandbox, a demo
 * table), a private zone whose CNAME points at the instance, and the master user's password in an
 * owner-only file. The sandbox makes the Aurora read replica a real MariaDB replica of it;
 * promoting stops the replication.
 */
final class AuroraMigrationDemo {
  private AuroraMigrationDemo() {}

  static final String INSTANCE = "dbops-demo-mysql";
  static final String ZONE = "orders.internal.";
  static final String RECORD = "db.orders.internal.";
  static final String MASTER = "admin";
  static final String PASSWORD_FILE = "aurora-migration-demo-master-password";
  static final String APPROVER = "alice";
  static final int ORDERS = 50;

  /** What the run requires by default ({@code minBinlogRetentionHours}). */
  static final int RETENTION_HOURS = 24;

  /** The seeded instance and zone; {@link #close()} deletes the password file. */
  record Demo(
      String instanceId,
      String endpoint,
      LocalMariaDb db,
      String hostedZoneId,
      String recordName,
      Path passwordFile,
      String password)
      implements AutoCloseable {

    String workflowId() {
      return "aurora-migration/" + instanceId;
    }

    /** A JDBC URL of {@code host:port} as the master user would use it. */
    static String url(String host, int port) {
      return "jdbc:mysql://" + host + ":" + port + "/?sslMode=DISABLED";
    }

    /** The CLI arguments of the migration, paced for a demo (seconds, not minutes). */
    List<String> startArgs() {
      return List.of(
          "--source-instance",
          instanceId,
          "--db-user",
          MASTER,
          "--db-password-ref",
          "file:" + passwordFile,
          "--zone-id",
          hostedZoneId,
          "--record-name",
          recordName,
          "--approver",
          APPROVER,
          "--poll-interval",
          "1s",
          "--cutover-window",
          "2s");
    }

    @Override
    public void close() {
      try {
        Files.deleteIfExists(passwordFile);
      } catch (IOException e) {
        // best effort: the servers are gone with the sandbox anyway
      }
    }
  }

  /** Seeds {@code sandbox} (one MariaDB, ≈ 2 s) and writes the password file into {@code dir}. */
  static Demo seed(AwsSandbox sandbox, Path dir) {
    String password = "Mig-" + UpgradeDemo.newPassword();
    RdsSandbox rds = sandbox.rds();
    String account = SandboxAccounts.DEFAULT_ACCOUNT;
    rds.createInstance(InstanceSeed.mysql57(INSTANCE).withMasterUser(MASTER, password));
    LocalMariaDb db = rds.startInstanceMariaDb(account, INSTANCE, RETENTION_HOURS);
    try (Connection root =
            DriverManager.getConnection(
                db.jdbcUrl("") + "?sslMode=DISABLED", db.rootUser(), db.rootPassword());
        Statement s = root.createStatement()) {
      s.execute("CREATE DATABASE shop");
      s.execute("CREATE TABLE shop.orders (id INT PRIMARY KEY, note VARCHAR(60))");
      for (int i = 1; i <= ORDERS; i++)
        s.execute("INSERT INTO shop.orders VALUES (" + i + ", 'before the replica')");
    } catch (SQLException e) {
      throw new IllegalStateException("cannot set up the migration demo on " + db, e);
    }
    String endpoint = rds.instance(account, INSTANCE).endpoint();
    String zone = sandbox.route53().createPrivateZone(ZONE, "vpc-0demo0migration");
    sandbox.route53().upsertRecord(zone, RECORD, "CNAME", 0, endpoint);
    Path file = UpgradeDemo.writePasswordFile(dir.resolve(PASSWORD_FILE), password);
    return new Demo(INSTANCE, endpoint, db, zone, RECORD, file, password);
  }
}
