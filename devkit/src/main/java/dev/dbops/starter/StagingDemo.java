package dev.dbops.starter;

import dev.dbops.sandbox.AwsSandbox;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Dev mode's staging rebuild demo: the sandbox's staging seed ({@link
 * dev.dbops.sandbox.StagingDemo}: a production account whose {@code aws/rds}-encrypted cluster is
 * bound to a local MariaDB holding made-up PII, a staging account with a role, a private zone, a
 * CNAME and a dbops-owned old staging cluster), plus what a request needs locally: the new
 * cluster's master password in an owner-only file and a masking script, both under {@code .dbops/}.
 */
final class StagingDemo {
  private StagingDemo() {}

  static final String PASSWORD_FILE = "staging-demo-master-password";
  static final String MASKING_FILE = "staging-demo-masking.sql";
  static final String INSTANCE_CLASS = "db.r6g.large";
  static final String APPROVER = "alice";

  /** Short enough to watch the old cluster go; a real one would be a day. */
  static final String DEMO_GRACE = "2m";

  static final String DEMO_POLL = "2s";

  /**
   * Every email, name and phone number of {@code app.users}, replaced by values derived from the
   * row id (emails stay unique: the column is UNIQUE).
   */
  static final List<String> MASKING_STATEMENTS =
      List.of(
          "UPDATE app.users SET email = CONCAT('user', id, '@example.invalid')",
          "UPDATE app.users SET name = CONCAT('User ', id)",
          "UPDATE app.users SET phone = CONCAT('+1-000-555-', LPAD(id % 10000, 4, '0'))");

  /** Each counts the rows masking missed: all must return 0 before the CNAME moves. */
  static final List<String> VERIFY_QUERIES =
      List.of(
          "SELECT COUNT(*) FROM app.users WHERE email NOT LIKE 'user%@example.invalid'",
          "SELECT COUNT(*) FROM app.users WHERE name NOT LIKE 'User %'",
          "SELECT COUNT(*) FROM app.users WHERE phone NOT LIKE '+1-000-555-%'");

  /**
   * The seed and the local files; {@link #close()} deletes the files (the sandbox owns the rest).
   */
  record Demo(dev.dbops.sandbox.StagingDemo.Seeded seeded, Path passwordFile, Path maskingFile)
      implements AutoCloseable {

    /**
     * The CLI arguments of a cross-account rebuild of the seeded production cluster into staging.
     */
    List<String> startArgs(String grace, String pollInterval) {
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
                  INSTANCE_CLASS,
                  "--master-password-ref",
                  "file:" + passwordFile,
                  "--masking-sql",
                  maskingFile.toString()));
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
              grace,
              "--approver",
              APPROVER,
              "--poll-interval",
              pollInterval));
      return args;
    }

    List<String> startArgs() {
      return startArgs(DEMO_GRACE, DEMO_POLL);
    }

    @Override
    public void close() {
      for (Path f : List.of(passwordFile, maskingFile)) {
        try {
          Files.deleteIfExists(f);
        } catch (IOException e) {
          // best effort: the clusters and servers are gone with the sandbox anyway
        }
      }
    }
  }

  /**
   * Seeds {@code sandbox} (one MariaDB, ≈ 2 s) and writes the password and masking files into
   * {@code stateDir}.
   */
  static Demo seed(AwsSandbox sandbox, Path stateDir) {
    dev.dbops.sandbox.StagingDemo.Seeded seeded = dev.dbops.sandbox.StagingDemo.seed(sandbox);
    Path password = UpgradeDemo.writePasswordFile(stateDir.resolve(PASSWORD_FILE), newPassword());
    Path masking = writeMaskingScript(stateDir.resolve(MASKING_FILE));
    return new Demo(seeded, password, masking);
  }

  static Path writeMaskingScript(Path file) {
    StringBuilder sql =
        new StringBuilder("-- dbops dev: masking for the staging demo's app.users (made-up PII)\n");
    for (String s : MASKING_STATEMENTS) sql.append(s).append(";\n");
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.writeString(file, sql.toString());
      return file.toAbsolutePath().normalize();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the demo masking script " + file, e);
    }
  }

  private static String newPassword() {
    byte[] b = new byte[12];
    new SecureRandom().nextBytes(b);
    return "Stg-" + HexFormat.of().formatHex(b);
  }
}
