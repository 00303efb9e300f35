package dev.dbops.sandbox;

import dev.dbops.sandbox.mysql.LocalMariaDb;
import dev.dbops.sandbox.mysql.MariaDbCli;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo resources {@code dbops dev} shows, seeded into a standalone sandbox ({@code SandboxMain
 * --seed-demo}, the compose {@code sandbox} profile) so every procedure can be tried without AWS: a
 * bucket with STANDARD, GLACIER and DEEP_ARCHIVE objects (glacier restore), an Aurora MySQL 5.6
 * cluster bound to a local MariaDB with a demo user (in-place upgrade), and the two-account staging
 * seed of {@link StagingDemo} (staging rebuild). The files a request refers to — database passwords
 * and the masking script — are written where the worker reads them ({@code secretsDir}, {@code
 * maskingDir}). A test double's data: every value is made up.
 */
public final class DemoResources {
  private static final Logger log = LoggerFactory.getLogger(DemoResources.class);

  public static final String BUCKET = "dbops-demo";
  public static final String PREFIX = "demo/";

  /** key → storage class, in the order they are seeded (the same objects as {@code dbops dev}). */
  public static final Map<String, String> OBJECTS = objects();

  public static final String UPGRADE_CLUSTER = "dbops-demo-56";
  public static final String UPGRADE_ENGINE_VERSION = "5.6.mysql_aurora.1.22.2";
  public static final String UPGRADE_TARGET_VERSION = "5.7.mysql_aurora.2.11.2";
  public static final String UPGRADE_DB_USER = "dbops_demo";
  public static final int UPGRADE_ORDERS = 100;

  public static final String STAGING_PASSWORD_FILE = "staging-demo-master-password";
  public static final String STAGING_MASKING_FILE = "staging-demo-masking.sql";
  public static final String STAGING_INSTANCE_CLASS = "db.r6g.large";
  public static final String STAGING_APPROVER = "alice";
  public static final List<String> MASKING_STATEMENTS =
      List.of(
          "UPDATE app.users SET email = CONCAT('user', id, '@example.invalid')",
          "UPDATE app.users SET name = CONCAT('User ', id)",
          "UPDATE app.users SET phone = CONCAT('+1-000-555-', LPAD(id % 10000, 4, '0'))");
  public static final List<String> VERIFY_QUERIES =
      List.of(
          "SELECT COUNT(*) FROM app.users WHERE email NOT LIKE 'user%@example.invalid'",
          "SELECT COUNT(*) FROM app.users WHERE name NOT LIKE 'User %'",
          "SELECT COUNT(*) FROM app.users WHERE phone NOT LIKE '+1-000-555-%'");

  private DemoResources() {}

  private static Map<String, String> objects() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put(PREFIX + "README.txt", "STANDARD");
    m.put(PREFIX + "orders/2023-01.csv", "GLACIER");
    m.put(PREFIX + "orders/2023-02.csv", "GLACIER");
    m.put(PREFIX + "archive/2019-full-backup.sql", "DEEP_ARCHIVE");
    return m;
  }

  /**
   * What was seeded, as the {@code dbops start} arguments of each procedure; a procedure whose
   * MariaDB did not start has none (and a warning was logged).
   */
  public record Seeded(
      List<String> restoreArgs, List<String> upgradeArgs, List<String> stagingArgs) {}

  /**
   * Seeds everything; the MariaDB-backed demos are skipped with a warning where no local MariaDB
   * can run, as in {@code dbops dev}.
   */
  public static Seeded seed(
      AwsSandbox sandbox, Path secretsDir, Path maskingDir, Path downloadDir) {
    seedBucket(sandbox.s3());
    List<String> restore =
        List.of(
            "--bucket",
            BUCKET,
            "--prefix",
            PREFIX,
            "--tier",
            "EXPEDITED",
            "--days",
            "1",
            "--download-dir",
            downloadDir.toString(),
            "--poll-interval",
            "2s");
    List<String> upgrade = List.of();
    try {
      upgrade = seedUpgrade(sandbox.rds(), secretsDir);
    } catch (RuntimeException e) {
      log.warn(
          "[sandbox, test double] no upgrade demo (the local MariaDB did not start: {})",
          e.getMessage());
    }
    List<String> staging = List.of();
    try {
      staging = seedStaging(sandbox, secretsDir, maskingDir);
    } catch (RuntimeException e) {
      log.warn(
          "[sandbox, test double] no staging demo (the local MariaDB did not start: {})",
          e.getMessage());
    }
    return new Seeded(restore, upgrade, staging);
  }

  /** The demo bucket with STANDARD, GLACIER and DEEP_ARCHIVE objects. */
  public static void seedBucket(S3Sandbox s3) {
    s3.createBucket(BUCKET);
    OBJECTS.forEach((key, storageClass) -> s3.putObject(BUCKET, key, content(key), storageClass));
  }

  /** A demo object's content: made-up CSV rows, the same for a key every time. */
  public static byte[] content(String key) {
    StringBuilder sb = new StringBuilder("# " + key + " — dbops demo object (sandbox data)\n");
    for (int i = 1; i <= 200; i++) {
      sb.append(i)
          .append(",")
          .append(key.hashCode() ^ (i * 7919))
          .append(",row ")
          .append(i)
          .append('\n');
    }
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * The 5.6 cluster bound to a MariaDB with a read-only demo user; returns the upgrade's arguments.
   */
  static List<String> seedUpgrade(RdsSandbox rds, Path secretsDir) {
    rds.createCluster(
        ClusterSeed.aurora56(UPGRADE_CLUSTER)
            .withEngine("aurora", UPGRADE_ENGINE_VERSION)
            .withTag("environment", "dev"));
    LocalMariaDb db = rds.startLocalMariaDb(UPGRADE_CLUSTER);
    String password = HexFormat.of().formatHex(randomBytes(12));
    Path file =
        writeOwnerOnly(secretsDir.resolve(UPGRADE_CLUSTER + "-demo-db-password"), password + "\n");
    StringBuilder rows = new StringBuilder("INSERT INTO demo.orders VALUES ");
    for (int i = 1; i <= UPGRADE_ORDERS; i++) {
      rows.append(i == 1 ? "" : ", ")
          .append("(")
          .append(i)
          .append(", 'customer-")
          .append(i % 17)
          .append("', ")
          .append(i * 3)
          .append(".50)");
    }
    MariaDbCli.execute(
        db,
        String.join(
            ";\n",
            "CREATE USER '"
                + UPGRADE_DB_USER
                + "'@'127.0.0.1' IDENTIFIED BY "
                + MariaDbCli.literal(password),
            // What the pre-checks read and the demo table for smoke SQL; nothing that writes.
            "GRANT SELECT, PROCESS, SUPER ON *.* TO '" + UPGRADE_DB_USER + "'@'127.0.0.1'",
            "CREATE DATABASE demo",
            "CREATE TABLE demo.orders (id INT PRIMARY KEY, customer VARCHAR(40), total DECIMAL(10,2))",
            rows.toString()));
    return List.of(
        "--cluster",
        UPGRADE_CLUSTER,
        "--target-version",
        UPGRADE_TARGET_VERSION,
        "--db-user",
        UPGRADE_DB_USER,
        "--db-password-ref",
        "file:" + file,
        "--waive-approval",
        "--poll-interval",
        "2s",
        "--progress-every",
        "5s");
  }

  /** {@link StagingDemo#seed} plus the new cluster's master password and the masking script. */
  static List<String> seedStaging(AwsSandbox sandbox, Path secretsDir, Path maskingDir) {
    StagingDemo.Seeded seeded = StagingDemo.seed(sandbox);
    Path password =
        writeOwnerOnly(
            secretsDir.resolve(STAGING_PASSWORD_FILE),
            "Stg-" + HexFormat.of().formatHex(randomBytes(12)) + "\n");
    StringBuilder sql =
        new StringBuilder(
            "-- dbops sandbox: masking for the staging demo's app.users (made-up PII)\n");
    MASKING_STATEMENTS.forEach(s -> sql.append(s).append(";\n"));
    Path masking = write(maskingDir.resolve(STAGING_MASKING_FILE), sql.toString());
    List<String> args =
        new ArrayList<>(
            List.of(
                "--source-account",
                seeded.prodAccount(),
                "--source-cluster",
                seeded.sourceClusterId(),
                "--target-account",
                seeded.stagingAccount(),
                "--target-role-arn",
                seeded.stagingRoleArn(),
                "--kms-key-id",
                seeded.customerKeyArn(),
                "--instance-class",
                STAGING_INSTANCE_CLASS,
                "--master-password-ref",
                "file:" + password,
                "--masking-sql",
                masking.toString()));
    for (String q : VERIFY_QUERIES) {
      args.add("--verify-sql");
      args.add(q);
    }
    args.addAll(
        List.of(
            "--zone-id",
            seeded.hostedZoneId(),
            "--record-name",
            seeded.recordName(),
            "--retire",
            "GRACE",
            "--grace",
            "2m",
            "--approver",
            STAGING_APPROVER,
            "--poll-interval",
            "2s"));
    return args;
  }

  private static Path writeOwnerOnly(Path file, String text) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.deleteIfExists(file);
      if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
        Files.createFile(
            file,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      }
      return write(file, text);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the demo file " + file, e);
    }
  }

  private static Path write(Path file, String text) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.writeString(file, text);
      return file.toAbsolutePath().normalize();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the demo file " + file, e);
    }
  }

  private static byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    new SecureRandom().nextBytes(b);
    return b;
  }
}
