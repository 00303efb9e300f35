package dev.dbops.sandbox;

import dev.dbops.sandbox.mysql.LocalMariaDb;
import dev.dbops.sandbox.mysql.MariaDbCli;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Seeds a sandbox for the snapshot-share staging rebuild (docs/procedures.md, staging), for {@code
 * dbops dev} and tests:
 *
 * <ul>
 *   <li>"production" = the default account {@value SandboxAccounts#DEFAULT_ACCOUNT}: Aurora MySQL
 *       5.7 cluster {@value #SOURCE_CLUSTER} (two instances, tagged {@code
 *       environment=production}), encrypted with the account's AWS managed {@code aws/rds} key (so
 *       its snapshots must be copied before sharing), bound to a real MariaDB holding demo PII:
 *       schema {@code app} with {@code users(id, email, name, phone)} and {@code orders(id, user_id
 *       → users.id, total_cents, created_at)}, deterministic fake rows; and a customer managed KMS
 *       key (alias {@value #SHARE_KEY_ALIAS}) to copy with;
 *   <li>"staging" = account {@value #STAGING_ACCOUNT}: role {@value #STAGING_ROLE} anyone may
 *       assume, the current staging cluster {@value #STAGING_CLUSTER} (one instance, tagged {@value
 *       #OWNER_TAG} = the previous run's workflow id), and a private hosted zone {@value
 *       #ZONE_NAME} whose CNAME {@value #RECORD_NAME} (TTL 0) points at that cluster's endpoint.
 * </ul>
 *
 * A test double's data: every name, email and phone number is made up ({@code example.com}, {@code
 * 555}).
 */
public final class StagingDemo {

  public static final String PROD_ACCOUNT = SandboxAccounts.DEFAULT_ACCOUNT;
  public static final String STAGING_ACCOUNT = "210987654321";
  public static final String STAGING_ROLE = "dbops-staging";
  public static final String SOURCE_CLUSTER = "prod-main";
  public static final String STAGING_CLUSTER = "staging-old";
  public static final String SHARE_KEY_ALIAS = "dbops-snapshot-share";
  public static final String ZONE_NAME = "staging.internal.";
  public static final String RECORD_NAME = "db.staging.internal.";
  public static final String STAGING_VPC = "vpc-0staging0000000001";

  /** The tag that says which workflow run owns a resource (docs/procedures.md, "Ownership"). */
  public static final String OWNER_TAG = "dbops:owner";

  private static final Logger log = LoggerFactory.getLogger(StagingDemo.class);
  private static final String FIRST_NAMES =
      "'Ada','Grace','Alan','Edsger','Barbara','Donald','Frances','Ken','Radia','Tim'";
  private static final String LAST_NAMES =
      "'Lovelace','Hopper','Turing','Dijkstra','Liskov','Knuth','Allen','Thompson',"
          + "'Perlman','Berners-Lee'";

  /**
   * What to seed.
   *
   * @param users rows in {@code app.users}
   * @param orders rows in {@code app.orders}, spread over the users
   * @param previousOwner the {@value #OWNER_TAG} value on {@value #STAGING_CLUSTER}: the workflow
   *     id of the run that built it
   */
  public record Options(int users, int orders, String previousOwner) {

    public Options {
      if (users < 1 || orders < 0) {
        throw new IllegalArgumentException(
            "users must be positive and orders not negative: " + users + ", " + orders);
      }
      Objects.requireNonNull(previousOwner, "previousOwner");
    }

    /** 300 users, 900 orders, owner {@code staging/db.staging.internal}. */
    public static Options defaults() {
      return new Options(300, 900, "staging/db.staging.internal");
    }
  }

  /**
   * What was seeded: ids and ARNs for a StagingRebuild request and for assertions.
   *
   * @param sourceDefaultKeyArn the {@code aws/rds} key {@value #SOURCE_CLUSTER} is encrypted with
   * @param customerKeyArn the customer managed key to copy the snapshot with
   * @param sourceJdbcUrl {@code jdbc:mysql://127.0.0.1:<port>/app} of the source's MariaDB
   * @param hostedZoneId the private zone's id ({@code ZSBX…}, no {@code /hostedzone/} prefix)
   * @param recordValue the CNAME's current value: {@value #STAGING_CLUSTER}'s endpoint
   */
  public record Seeded(
      String prodAccount,
      String stagingAccount,
      String stagingRoleArn,
      String sourceClusterId,
      String sourceClusterArn,
      String sourceDefaultKeyArn,
      String customerKeyArn,
      String sourceJdbcUrl,
      String masterUsername,
      String masterPassword,
      String stagingClusterId,
      String stagingClusterArn,
      String stagingClusterEndpoint,
      String hostedZoneId,
      String zoneName,
      String recordName,
      String recordValue,
      String ownerTag,
      String previousOwner,
      int users,
      int orders) {}

  private StagingDemo() {}

  public static Seeded seed(AwsSandbox sandbox) {
    return seed(sandbox, Options.defaults());
  }

  /** Seeds both accounts; starts one MariaDB (≈ 2 s), owned by the sandbox. */
  public static Seeded seed(AwsSandbox sandbox, Options options) {
    SandboxAccounts accounts = sandbox.accounts();
    RdsSandbox rds = sandbox.rds();
    String roleArn = accounts.allowRole(STAGING_ACCOUNT, STAGING_ROLE);
    String cmk = accounts.kms().createCustomerKey(PROD_ACCOUNT, SHARE_KEY_ALIAS);

    RdsSandbox.ClusterView source =
        rds.createCluster(
            ClusterSeed.auroraMysql57(SOURCE_CLUSTER)
                .withInstances(SOURCE_CLUSTER + "-1", SOURCE_CLUSTER + "-2")
                .withTag("environment", "production"));
    LocalMariaDb db = rds.startLocalMariaDb(PROD_ACCOUNT, SOURCE_CLUSTER);
    MariaDbCli.execute(db, demoData(options));
    RdsSandbox.MasterCredentials master = rds.masterCredentials(PROD_ACCOUNT, SOURCE_CLUSTER);

    RdsSandbox.ClusterView staging =
        rds.createCluster(
            ClusterSeed.auroraMysql57(STAGING_CLUSTER)
                .inAccount(STAGING_ACCOUNT)
                .withInstances(STAGING_CLUSTER + "-1")
                .withTag("environment", "staging")
                .withTag(OWNER_TAG, options.previousOwner()));
    String zone =
        sandbox
            .route53()
            .createPrivateZone(STAGING_ACCOUNT, ZONE_NAME, RdsSandbox.REGION, STAGING_VPC);
    sandbox.route53().upsertRecord(zone, RECORD_NAME, "CNAME", 0, staging.endpoint());

    log.info(
        "[sandbox, test double] staging demo seeded: {}/{} ({} users, {} orders on {}), {}/{} behind {} in zone {}",
        PROD_ACCOUNT,
        SOURCE_CLUSTER,
        options.users(),
        options.orders(),
        db,
        STAGING_ACCOUNT,
        STAGING_CLUSTER,
        RECORD_NAME,
        zone);
    return new Seeded(
        PROD_ACCOUNT,
        STAGING_ACCOUNT,
        roleArn,
        SOURCE_CLUSTER,
        source.arn(),
        source.kmsKeyId(),
        cmk,
        db.jdbcUrl("app"),
        master.username(),
        master.password(),
        STAGING_CLUSTER,
        staging.arn(),
        staging.endpoint(),
        zone,
        ZONE_NAME,
        RECORD_NAME,
        staging.endpoint(),
        OWNER_TAG,
        options.previousOwner(),
        options.users(),
        options.orders());
  }

  /** Deterministic fake PII from MariaDB's sequence tables: the same rows in every run. */
  static String demoData(Options o) {
    return String.join(
        ";\n",
        "CREATE DATABASE app",
        "CREATE TABLE app.users (id INT PRIMARY KEY, email VARCHAR(255) NOT NULL UNIQUE, "
            + "name VARCHAR(100) NOT NULL, phone VARCHAR(32) NOT NULL)",
        "CREATE TABLE app.orders (id INT PRIMARY KEY, user_id INT NOT NULL, total_cents INT NOT NULL, "
            + "created_at DATETIME NOT NULL, KEY orders_user (user_id), "
            + "CONSTRAINT fk_orders_user FOREIGN KEY (user_id) REFERENCES app.users (id))",
        "INSERT INTO app.users (id, email, name, phone) "
            + "SELECT seq, CONCAT(LOWER(first), '.', LOWER(REPLACE(last, '-', '')), seq, '@example.com'), "
            + "CONCAT(first, ' ', last), CONCAT('+1-202-555-', LPAD((seq * 37) % 10000, 4, '0')) "
            + "FROM (SELECT seq, ELT(1 + seq % 10, "
            + FIRST_NAMES
            + ") AS first, "
            + "ELT(1 + (seq DIV 10) % 10, "
            + LAST_NAMES
            + ") AS last "
            + "FROM mysql.seq_1_to_"
            + o.users()
            + ") AS people",
        o.orders() == 0
            ? "DO 0"
            : "INSERT INTO app.orders (id, user_id, total_cents, created_at) "
                + "SELECT seq, 1 + (seq * 7) % "
                + o.users()
                + ", 500 + (seq * 131) % 20000, "
                + "TIMESTAMP('2024-01-01 00:00:00') + INTERVAL seq HOUR FROM mysql.seq_1_to_"
                + o.orders());
  }
}
