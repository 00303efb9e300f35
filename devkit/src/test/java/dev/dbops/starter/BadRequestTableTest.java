package dev.dbops.starter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import dev.dbops.sandbox.CallLog;
import dev.dbops.sandbox.ClusterSeed;
import dev.dbops.sandbox.mysql.BinlogPosition;
import dev.dbops.sandbox.mysql.ReplicaStatus;
import dev.dbops.sandbox.mysql.ReplicationPair;
import dev.dbops.workflows.catalog.Procedure;
import dev.dbops.workflows.catalog.Procedures;
import dev.dbops.workflows.common.ErrorTypes;
import io.temporal.api.common.v1.Payload;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.converter.RawValue;
import io.temporal.failure.ApplicationFailure;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bad-request table (issue 6, item 4): one valid request per procedure, each row changes it in
 * one way that must be refused. Every row goes in twice — as {@code dbops start <procedure> --input
 * FILE.json} (exit 2, the field and the reason on stderr) and as the JSON payload the Temporal UI
 * sends, started with a plain {@link WorkflowClient} (the run fails with {@link
 * ErrorTypes#INVALID_INPUT} naming the field) — and after each, the sandbox saw no call that
 * changes anything and the binlog replica is not replicating, the source's binlog not moved. Most
 * rows are refused by the request's own {@code problems()}; a few (unknown bucket or cluster,
 * nothing under the prefix, Deep Archive without fallback, production not named) only by the run's
 * read-only look at the account, which must refuse them just as early. Input that never becomes a
 * request object (malformed JSON, unknown fields, wrong types) has a table of its own for each path
 * ({@link #cliRows}, {@link #rawRows}), flag values a CLI-only one.
 */
@DevStackTest
@Tag("mariadb")
class BadRequestTableTest {
  /** Every call that changes something in an account (the sandbox's whole write surface). */
  static final Set<String> MUTATING =
      Set.of(
          "RestoreObject",
          "CopyObject",
          "PutObject",
          "DeleteObject",
          "CreateBucket",
          "DeleteBucket",
          "CreateDBClusterSnapshot",
          "CopyDBClusterSnapshot",
          "ModifyDBClusterSnapshotAttribute",
          "DeleteDBClusterSnapshot",
          "RestoreDBClusterFromSnapshot",
          "CreateDBInstance",
          "ModifyDBCluster",
          "DeleteDBInstance",
          "DeleteDBCluster",
          "AddTagsToResource",
          "RemoveTagsFromResource",
          "ChangeResourceRecordSets");

  static final String BUCKET = "bad-table-bucket";
  static final String ON_56 = "bad-table-56";
  static final String PRODUCTION = "bad-table-prod";

  /**
   * Aurora 5.6 on db.t2.small (not offered on 5.7), and a snapshot of an Aurora MySQL 5.7 cluster.
   */
  static final String ON_T2 = "bad-table-t2";

  static final String ON_57 = "bad-table-57";
  static final String SNAPSHOT_57 = "bad-table-57-manual";
  static final String TARGET_57 = "5.7.mysql_aurora.2.11.2";
  static final String INJECTION = "prod; DROP TABLE x";

  @TempDir static Path dir;
  static ReplicationPair pair;
  static BinlogPosition sourceAtStart;
  static WorkflowServiceStubs stubs;
  static WorkflowClient client;
  static final AtomicInteger runs = new AtomicInteger();

  /**
   * The valid request of each procedure, as JSON; rows edit a copy. Row sources run after {@link
   * #seed} (JUnit asks a parameterized test for its arguments once the class is set up).
   */
  static Map<String, ObjectNode> valid;

  @BeforeAll
  static void seed() throws Exception {
    var s3 = DevStack.sandbox().s3();
    s3.createBucket(BUCKET);
    s3.putObject(BUCKET, "glacier/a.csv", "a,b\n1,2\n".getBytes(), "GLACIER");
    s3.putObject(BUCKET, "deep/2019.tar", "old backup".getBytes(), "DEEP_ARCHIVE");
    var rds = DevStack.sandbox().rds();
    rds.createCluster(ClusterSeed.aurora56(ON_56).withEngine("aurora", "5.6.mysql_aurora.1.22.2"));
    rds.createCluster(
        ClusterSeed.aurora56(PRODUCTION)
            .withEngine("aurora", "5.6.mysql_aurora.1.22.2")
            .withTag("environment", "production"));
    rds.createCluster(
        ClusterSeed.aurora56(ON_T2)
            .withEngine("aurora", "5.6.mysql_aurora.1.22.2")
            .withInstanceClass("db.t2.small"));
    rds.createCluster(ClusterSeed.auroraMysql57(ON_57));
    DevStack.snapshot(ON_57, SNAPSHOT_57);
    pair = ReplicationPair.start();
    sourceAtStart = pair.sourceStatus();
    Path admin = Files.writeString(dir.resolve("admin"), pair.adminPassword());
    Path repl = Files.writeString(dir.resolve("repl"), pair.replicationPassword());
    stubs =
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder().setTarget(DevStack.temporalAddress()).build());
    client = WorkflowClient.newInstance(stubs);
    valid =
        Map.of(
            "glacier-restore",
                json(
                    """
            {"bucket": "%s", "prefix": "glacier/", "tier": "STANDARD", "requestedBy": "bob"}"""
                        .formatted(BUCKET)),
            "upgrade",
                json(
                    """
            {"clusterId": "%s", "targetEngineVersion": "%s",
             "login": {"user": "dbops", "passwordRef": "env:DBOPS_TEST_UNUSED"},
             "approval": {"approvers": ["alice"]}, "requestedBy": "bob", "pollInterval": "PT1S"}"""
                        .formatted(ON_56, TARGET_57)),
            "upgrade-rollback",
                json(
                    """
            {"snapshotId": "dbops-pre-upgrade-x", "newClusterId": "bad-table-back", "instances": 1,
             "requestedBy": "bob"}"""),
            "staging-rebuild",
                json(
                    """
            {"source": {"accountId": "111111111111"}, "sourceClusterId": "prod-db",
             "target": {"accountId": "222222222222", "roleArn": "arn:aws:iam::222222222222:role/dbops-staging"},
             "instanceClass": "db.r5.large", "masterPasswordRef": "env:STAGING_PASSWORD",
             "masking": {"statements": ["UPDATE app.users SET email = CONCAT('u', id, '@example.invalid')"],
                         "verifyQueries": ["SELECT COUNT(*) FROM app.users WHERE email NOT LIKE '%@example.invalid'"]},
             "dns": {"hostedZoneId": "Z0123456789ABC", "recordName": "db.staging.internal."},
             "requestedBy": "bob"}"""),
            "binlog-catch-up",
                json(
                    """
            {"source": {"host": "127.0.0.1", "port": %d, "login": {"user": "%s", "passwordRef": "file:%s"}},
             "replica": {"host": "127.0.0.1", "port": %d, "login": {"user": "%s", "passwordRef": "file:%s"}},
             "startPosition": {"file": "%s", "position": %d},
             "replicationUser": {"user": "%s", "passwordRef": "file:%s"},
             "approval": {"approvers": ["alice"]}, "requestedBy": "bob", "pollInterval": "PT1S"}"""
                        .formatted(
                            pair.source().port(),
                            pair.adminUser(),
                            admin,
                            pair.replica().port(),
                            pair.adminUser(),
                            admin,
                            sourceAtStart.file(),
                            sourceAtStart.position(),
                            pair.replicationUser(),
                            repl)));
  }

  @AfterAll
  static void stop() {
    if (stubs != null) stubs.shutdownNow();
    if (pair != null) pair.close();
  }

  /**
   * One bad request: the procedure, what the refusal must say (fragments joined by " … "), and the
   * edits of the valid request as (dotted path, JSON value) pairs; {@link #REMOVE} drops a field.
   */
  record Row(String procedure, String expect, List<String> edits) {
    @Override
    public String toString() {
      return procedure + " " + edits;
    }
  }

  static final String REMOVE = "<remove>";

  static Row row(String procedure, String expect, String... edits) {
    return new Row(procedure, expect, List.of(edits));
  }

  static Stream<Row> rows() {
    String g = "glacier-restore";
    String u = "upgrade";
    String r = "upgrade-rollback";
    String s = "staging-rebuild";
    String b = "binlog-catch-up";
    String inj = "\"" + INJECTION + "\"";
    return Stream.of(
        // glacier-restore: bucket and key oddities, ranges, durations, approval
        row(g, "bucket: required", "bucket", "\"\""),
        row(g, "bucket: 'prod; DROP TABLE x' is not a valid S3 bucket name", "bucket", inj),
        row(g, "bucket: 'My_Bucket' is not a valid S3 bucket name", "bucket", "\"My_Bucket\""),
        row(g, "bucket: 'bad..bucket' is not a valid S3 bucket name", "bucket", "\"bad..bucket\""),
        row(
            g,
            "bucket: '192.168.10.1' is not a valid S3 bucket name",
            "bucket",
            "\"192.168.10.1\""),
        row(g, "prefix/keys: give a prefix or a key list, not both", "keys", "[\"glacier/a.csv\"]"),
        row(
            g,
            "prefix/keys: give a prefix or a non-empty key list",
            "prefix",
            REMOVE,
            "keys",
            "[]"),
        row(
            g,
            "keys: 'glacier/a.csv' listed twice",
            "prefix",
            REMOVE,
            "keys",
            "[\"glacier/a.csv\", \"glacier/a.csv\"]"),
        row(g, "keys: empty key", "prefix", REMOVE, "keys", "[\"\"]"),
        row(
            g,
            "keys: '../../etc/cron.d/x' would be written outside delivery.directory",
            "prefix",
            REMOVE,
            "keys",
            "[\"../../etc/cron.d/x\"]",
            "delivery",
            "{\"mode\": \"DOWNLOAD\", \"directory\": \"/tmp/out\"}"),
        row(g, "tier: required", "tier", REMOVE),
        row(g, "days: must be 1..365, was 0", "days", "0"),
        row(g, "days: must be 1..365, was -3", "days", "-3"),
        row(g, "pollInterval: must be at least 1s, was PT0S", "pollInterval", "\"PT0S\""),
        row(g, "pollInterval: must be at least 1s, was PT-5M", "pollInterval", "\"-PT5M\""),
        row(g, "maxWait: must be positive, was PT-1H", "maxWait", "\"-PT1H\""),
        row(g, "batchSize: must be 1..1000, was 0", "batchSize", "0"),
        row(g, "concurrencyPerBatch: must be 1..64, was -1", "concurrencyPerBatch", "-1"),
        row(g, "approvalThresholdUsd: must be >= 0, was -5.0", "approvalThresholdUsd", "-5"),
        row(g, "approval.approvers: an approval may be needed", "requireApproval", "true"),
        row(
            g,
            "approval.required: 1 approvals needed but only 0 approver(s) other than the requester 'bob'",
            "requireApproval",
            "true",
            "approval",
            "{\"approvers\": [\"bob\"]}"),
        row(
            g,
            "approval.timeout: must be positive, was PT-1H",
            "requireApproval",
            "true",
            "approval",
            "{\"approvers\": [\"alice\"], \"timeout\": \"-PT1H\"}"),
        row(g, "delivery.directory: required for DOWNLOAD", "delivery", "{\"mode\": \"DOWNLOAD\"}"),
        // ... and what only the run's read-only look at the account can tell
        row(g, "bucket: not found", "bucket", "\"bad-table-no-such-bucket\""),
        row(
            g,
            "prefix: no object in s3://" + BUCKET + "/nothing-here/ matches",
            "prefix",
            "\"nothing-here/\""),
        row(
            g,
            "tier: EXPEDITED is not available for Deep Archive",
            "prefix",
            "\"deep/\"",
            "tier",
            "\"EXPEDITED\"",
            "allowTierFallback",
            "false"),
        row(
            g,
            "delivery.targetBucket: 'out bucket' is not a valid S3 bucket name",
            "delivery",
            "{\"mode\": \"COPY\", \"targetBucket\": \"out bucket\"}"),
        // upgrade: identifiers, login, approval, durations; production without naming it
        row(
            u,
            "clusterId: 'prod; DROP TABLE x' is not a valid RDS cluster identifier",
            "clusterId",
            inj),
        row(u, "clusterId: required", "clusterId", "\"\""),
        row(u, "clusterId: 'a--b' is not a valid RDS cluster identifier", "clusterId", "\"a--b\""),
        row(
            u,
            "targetEngineVersion: '5.7`; DROP' is not an engine version",
            "targetEngineVersion",
            "\"5.7`; DROP\""),
        row(
            u,
            "clusterParameterGroup: 'tuned'; --' is not a parameter group name",
            "clusterParameterGroup",
            "\"tuned'; --\""),
        row(u, "login: required", "login", REMOVE),
        row(
            u,
            "login.user: 'dbops'@'%'; DROP USER root' is not a MySQL user name",
            "login.user",
            "\"dbops'@'%'; DROP USER root\""),
        row(
            u,
            "login.passwordRef: must be env:NAME, file:/path or secretsmanager:ID (never the password itself)",
            "login.passwordRef",
            "\"hunter2\""),
        row(u, "requestedBy: required", "requestedBy", "\"  \""),
        row(
            u,
            "approval.required: 1 approvals needed but only 0 approver(s) other than the requester 'bob'",
            "approval.approvers",
            "[\"bob\"]"),
        row(u, "approval.required: must be at least 1, was 0", "approval.required", "0"),
        row(u, "pollInterval: must be at least PT1S, was PT0S", "pollInterval", "\"PT0S\""),
        row(u, "maxWait: must be at least PT1S, was PT-48H", "maxWait", "\"-PT48H\""),
        row(u, "stallThreshold: must be at least PT1S, was PT0.5S", "stallThreshold", "\"PT0.5S\""),
        row(u, "smokeSql: empty statement", "smokeSql", "[\"SELECT 1\", \" \"]"),
        row(
            u,
            "smokeSql: statement 1: must be a read: a SELECT, SHOW, TABLE, VALUES or WITH … SELECT, not CREATE",
            "smokeSql",
            "[\"CREATE DATABASE x\"]"),
        row(
            u,
            "smokeSql: statement 1: SLEEP() acts beyond reading",
            "smokeSql",
            "[\"SELECT SLEEP(86400)\"]"),
        row(u, "limits: must not be negative", "limits", "{\"maxTrxRowsModified\": -1}"),
        row(u, "clusterId: 'bad-table-none' not found", "clusterId", "\"bad-table-none\""),
        row(
            u,
            "clusterId: instance "
                + ON_T2
                + "-instance-1 runs 'db.t2.small' is not offered for aurora-mysql "
                + TARGET_57
                + " … nothing was changed",
            "clusterId",
            "\"" + ON_T2 + "\""),
        row(
            u,
            "targetEngineVersion: '8.0.mysql_aurora.3.04.0' is not a major-version upgrade target",
            "targetEngineVersion",
            "\"8.0.mysql_aurora.3.04.0\""),
        row(
            u,
            "confirmProduction: '"
                + PRODUCTION
                + "' is tagged production; name it in confirmProduction",
            "clusterId",
            "\"" + PRODUCTION + "\""),
        row(
            u,
            "waiveApproval: '"
                + PRODUCTION
                + "' is tagged production; its upgrade always needs an approval",
            "clusterId",
            "\"" + PRODUCTION + "\"",
            "confirmProduction",
            "\"" + PRODUCTION + "\"",
            "waiveApproval",
            "true"),
        // upgrade-rollback
        row(
            r,
            "snapshotId: 'snap; rm -rf /' is not a snapshot identifier",
            "snapshotId",
            "\"snap; rm -rf /\""),
        row(r, "newClusterId: '' is not a valid RDS cluster identifier", "newClusterId", "\"\""),
        row(r, "instances: must be 1..15, was 16", "instances", "16"),
        row(
            r,
            "instanceClass: 'r5.large' is not an instance class",
            "instanceClass",
            "\"r5.large\""),
        row(
            r,
            "engine: must be aurora (5.6) or aurora-mysql (5.7), was 'mysql; DROP'",
            "engine",
            "\"mysql; DROP\""),
        row(r, "engineVersion: '5.6`x' is not an engine version", "engineVersion", "\"5.6`x\""),
        row(
            r,
            "clusterParameterGroup: 'my group' is not a parameter group name",
            "clusterParameterGroup",
            "\"my group\""),
        row(
            r,
            "maxWait: shorter than pollInterval",
            "pollInterval",
            "\"PT1M\"",
            "maxWait",
            "\"PT1S\""),
        row(r, "pollInterval: at least 1s", "pollInterval", "\"-PT1M\""),
        row(
            r,
            "instanceClass: 'db.t2.small' is not offered for aurora-mysql "
                + TARGET_57
                + " … nothing was created",
            "snapshotId",
            "\"" + SNAPSHOT_57 + "\"",
            "instanceClass",
            "\"db.t2.small\""),
        // staging-rebuild: accounts, identifiers, DNS names, masking, retirement
        row(
            s,
            "sourceClusterId: 'prod; DROP TABLE x' is not a valid RDS cluster identifier",
            "sourceClusterId",
            inj),
        row(
            s,
            "target.accountId: same as source.accountId",
            "target",
            "{\"accountId\": \"111111111111\", \"roleArn\": \"arn:aws:iam::111111111111:role/dbops-staging\"}"),
        row(
            s,
            "source.accountId: must be a 12-digit AWS account id, was '1234'",
            "source.accountId",
            "\"1234\""),
        row(
            s,
            "target.roleArn: 'arn:aws:iam::333333333333:role/x' is not an IAM role ARN in account 222222222222",
            "target.roleArn",
            "\"arn:aws:iam::333333333333:role/x\""),
        row(
            s,
            "dns.recordName: 'db staging.internal.' is not a DNS name",
            "dns.recordName",
            "\"db staging.internal.\""),
        row(
            s,
            "dns.recordName: 'db.staging.internal.\nevil.internal.' is not a DNS name",
            "dns.recordName",
            "\"db.staging.internal.\\nevil.internal.\""),
        row(
            s,
            "dns.hostedZoneId: 'Z123; DROP' is not a Route53 hosted zone id",
            "dns.hostedZoneId",
            "\"Z123; DROP\""),
        row(s, "dns.ttl: must be 0..86400 seconds, was -1", "dns.ttl", "-1"),
        row(
            s,
            "masterPasswordRef: required, env:NAME, file:/path or secretsmanager:ID (never the password itself)",
            "masterPasswordRef",
            "\"s3cr3t\""),
        row(
            s,
            "masking: required: a staging copy of production is never left unmasked",
            "masking",
            REMOVE),
        row(
            s,
            "masking.verifyQueries: query 1: must be a read: a SELECT, SHOW, TABLE, VALUES or WITH … SELECT, not DELETE",
            "masking.verifyQueries",
            "[\"DELETE FROM app.users\"]"),
        row(
            s,
            "masking.verifyQueries: query 2: more than one statement",
            "masking.verifyQueries",
            "[\"SELECT 0\", \"SELECT COUNT(*) FROM app.users; DELETE FROM app.users\"]"),
        row(
            s,
            "masking.verifyQueries: query 1: 'INTO' locks, writes or exports",
            "masking.verifyQueries",
            "[\"SELECT email FROM app.users INTO OUTFILE '/tmp/emails.csv'\"]"),
        row(
            s,
            "masking.statements: statement 1: unterminated string (') starting at line 1",
            "masking.statements",
            "[\"UPDATE app.users SET email = 'x\"]"),
        row(
            s,
            "masking: give exactly one of statements or scriptRef",
            "masking.scriptRef",
            "\"file:/tmp/mask.sql\""),
        row(
            s,
            "driftSchemas: 'app`; DROP DATABASE app; --' is not a schema name",
            "schemaDriftCheck",
            "\"WARN\"",
            "sourceLogin",
            "{\"user\": \"dbops\", \"passwordRef\": \"env:X\"}",
            "driftSchemas",
            "[\"app`; DROP DATABASE app; --\"]"),
        row(
            s,
            "schemaDriftCheck: must be OFF, WARN or FAIL, was 'MAYBE'",
            "schemaDriftCheck",
            "\"MAYBE\""),
        row(s, "instanceCount: must be 1..16, was 0", "instanceCount", "0"),
        row(s, "instanceClass: required, like db.r5.large, was ''", "instanceClass", "\"\""),
        row(
            s,
            "vpcSecurityGroupIds: 'sg-1234'; DROP' is not sg-",
            "vpcSecurityGroupIds",
            "[\"sg-1234'; DROP\"]"),
        row(
            s,
            "kmsKeyId: 'alias/aws/rds' is not a KMS key or alias ARN",
            "kmsKeyId",
            "\"alias/aws/rds\""),
        row(s, "retire.grace: must be 0..30 days, was PT-24H", "retire", "{\"grace\": \"-P1D\"}"),
        row(
            s,
            "retire.mode: must be GRACE, APPROVAL or KEEP, was 'DELETE_NOW'",
            "retire",
            "{\"mode\": \"DELETE_NOW\"}"),
        row(
            s,
            "retire.oldClusterId: 'old staging' is not a valid RDS cluster identifier",
            "retire",
            "{\"oldClusterId\": \"old staging\"}"),
        row(
            s,
            "retire.oldClusterId: 'prod-db' is sourceClusterId; a rebuild never retires its source",
            "crossAccount",
            "false",
            "target",
            REMOVE,
            "retire",
            "{\"oldClusterId\": \"prod-db\"}"),
        row(
            s,
            "approval.approvers: an approval may be needed",
            "retire",
            "{\"mode\": \"APPROVAL\"}"),
        row(s, "pollInterval: must be at least PT1S, was PT0S", "pollInterval", "\"PT0S\""),
        row(s, "dnsMaxWait: must be at least PT1S, was PT-1M", "dnsMaxWait", "\"-PT1M\""),
        // binlog-catch-up: hosts, ports, positions, users, policy, durations
        row(
            b,
            "source.host: 'db; DROP TABLE x' is not a host name",
            "source.host",
            "\"db; DROP TABLE x\""),
        row(b, "replica.port: must be 1..65535, was 0", "replica.port", "0"),
        row(b, "replica: must not be the source", "replica.port", "" + pair.source().port()),
        row(
            b,
            "startPosition: … is not a binlog file.NNNNNN and position >= 4",
            "startPosition.position",
            "0"),
        row(
            b,
            "startPosition: '../../etc/passwd:4' is not a binlog file.NNNNNN",
            "startPosition",
            "{\"file\": \"../../etc/passwd\", \"position\": 4}"),
        row(
            b,
            "startPosition: required unless replicaClusterId names a restored cluster",
            "startPosition",
            REMOVE),
        row(
            b,
            "replicationUser.passwordRef: must be env:NAME, file:/path or secretsmanager:ID",
            "replicationUser.passwordRef",
            "\"hunter2\""),
        row(b, "replicationUser.user: required", "replicationUser.user", "\"\""),
        row(
            b,
            "replicationUser.user: 'repl'@'%' IDENTIFIED BY 'x' is not a MySQL user name",
            "replicationUser.user",
            "\"repl'@'%' IDENTIFIED BY 'x\""),
        row(
            b,
            "source.login.passwordRef: must be env:NAME",
            "source.login.passwordRef",
            "\"letmein\""),
        row(
            b,
            "skipPolicy.allowedErrnos: 1236 is not an apply error",
            "skipPolicy",
            "{\"allowedErrnos\": [1236]}"),
        row(
            b,
            "skipPolicy.budget: must not be negative, was -1",
            "skipPolicy",
            "{\"allowedErrnos\": [1062], \"budget\": -1}"),
        row(
            b,
            "skipPolicy.errorPattern: not a regular expression",
            "skipPolicy",
            "{\"allowedErrnos\": [1062], \"errorPattern\": \"([\"}"),
        row(
            b,
            "heartbeatTable: 'hb`; DROP TABLE x' is not schema.table",
            "heartbeatTable",
            "\"hb`; DROP TABLE x\""),
        row(b, "setRetentionHours: must be 1..2160 … was 0", "setRetentionHours", "0"),
        row(b, "setRetentionHours: must be 1..2160 … was 2161", "setRetentionHours", "2161"),
        row(
            b,
            "skipPolicy.allowedErrnos: 1452 is never skipped while skipPolicy.foreignKeyMode is STOP_AND_ASK",
            "skipPolicy",
            "{\"allowedErrnos\": [1062, 1452]}"),
        row(b, "caughtUpWindow: must not be negative, was PT-1S", "caughtUpWindow", "\"-PT1S\""),
        row(b, "decisionTimeout: must be positive, was PT-1H", "decisionTimeout", "\"-PT1H\""),
        row(b, "continueAfterEvents: must be 100..40000, was 5", "continueAfterEvents", "5"),
        row(b, "approval.approvers: an approval may be needed", "approval", REMOVE),
        row(b, "requestedBy: required", "requestedBy", "\"\""));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("rows")
  void givenBadRequestFile_whenStartedThroughCli_thenExit2NamingFieldAndReasonAndNothingChanged(
      Row row) throws Exception {
    Path file =
        Files.writeString(
            dir.resolve("request-" + runs.incrementAndGet() + ".json"),
            request(row).toPrettyString());
    long before = lastCall();
    Cli.Result r =
        DevStack.cli(
            "start",
            row.procedure(),
            "--input",
            file.toString(),
            "--id",
            "bad-table/cli-" + runs.get());
    assertEquals(ExitCodes.INVALID_INPUT, r.exit(), r.toString());
    for (String fragment : row.expect().split(" … ")) {
      assertTrue(r.err().contains(fragment), "stderr should say '" + fragment + "':\n" + r);
    }
    assertNothingChanged(before, row.procedure());
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("rows")
  void
      givenBadRequestPayload_whenStartedThroughWorkflowClient_thenInvalidInputNamingFieldAndNothingChanged(
          Row row) throws Exception {
    Outcome outcome = payloadOutcome(row);
    ApplicationFailure failure = outcome.failure();
    assertEquals(ErrorTypes.INVALID_INPUT, failure.getType(), failure.toString());
    for (String fragment : row.expect().split(" … ")) {
      assertTrue(
          failure.getOriginalMessage().contains(fragment),
          "failure should say '" + fragment + "': " + failure.getOriginalMessage());
    }
    // since the run started, in any lane: a change made as late as now is still caught
    assertNoChangingCall(outcome.before());
    if (outcome.binlog() != null) outcome.binlog().assertUnchanged();
  }

  /**
   * How a payload row's run ended: its failure, the last sandbox call before it started and, for a
   * binlog request, the replica and the source's binlog read right after it.
   */
  record Outcome(ApplicationFailure failure, long before, Databases binlog) {}

  /** The replica's replication status and the source's binlog position, read after a run. */
  record Databases(Optional<ReplicaStatus> replica, BinlogPosition source) {
    void assertUnchanged() {
      assertTrue(replica.isEmpty(), "the replica replicates: " + replica);
      assertEquals(
          sourceAtStart, source, "the source's binlog moved (a user created, a setting changed)");
    }
  }

  /** Every payload row's outcome, by its index in {@link #rows()}; run once, on first use. */
  static List<Outcome> payloadOutcomes;

  /**
   * The outcome of {@code row}'s run. Rows whose requests name a common target (a lock id) run one
   * after another, in one lane: a run's target lock outlives the run by the moment the lock takes
   * to see it closed (it looks every 2 s), which the next start on that target waits out. Lanes run
   * side by side, so all rows take about as long as the longest lane (about 40 s instead of 150 s
   * one after another). A row whose targets cannot be read runs alone, after the lanes.
   */
  static synchronized Outcome payloadOutcome(Row row) throws Exception {
    List<Row> all = rows().toList();
    if (payloadOutcomes == null) {
      Outcome[] outcomes = new Outcome[all.size()];
      // rows naming a common target share a lane: each row joins the lane of its targets' first row
      int[] lead = new int[all.size()];
      Map<String, Integer> firstRowOf = new LinkedHashMap<>();
      List<Integer> alone = new ArrayList<>();
      for (int i = 0; i < all.size(); i++) {
        lead[i] = i;
        List<String> targets = targetsOf(all.get(i));
        if (targets == null) {
          alone.add(i);
          continue;
        }
        for (String t : targets) {
          Integer first = firstRowOf.putIfAbsent(t, i);
          if (first != null) lead[leadOf(lead, i)] = leadOf(lead, first);
        }
      }
      Map<Integer, List<Integer>> byLead = new LinkedHashMap<>();
      for (int i = 0; i < all.size(); i++) {
        if (!alone.contains(i))
          byLead.computeIfAbsent(leadOf(lead, i), k -> new ArrayList<>()).add(i);
      }
      Collection<List<Integer>> lanes = byLead.values();
      ExecutorService pool = Executors.newFixedThreadPool(lanes.size());
      try {
        List<Future<?>> running = new ArrayList<>();
        for (List<Integer> lane : lanes) {
          running.add(
              pool.submit(
                  () -> {
                    for (int i : lane) outcomes[i] = runPayloadRow(all.get(i));
                    return null;
                  }));
        }
        for (Future<?> f : running) f.get();
      } finally {
        pool.shutdownNow();
      }
      for (int i : alone) outcomes[i] = runPayloadRow(all.get(i));
      payloadOutcomes = List.of(outcomes);
    }
    return payloadOutcomes.get(all.indexOf(row));
  }

  private static int leadOf(int[] lead, int i) {
    while (lead[i] != i) i = lead[i];
    return i;
  }

  static Outcome runPayloadRow(Row r) throws Exception {
    long before = lastCall();
    ApplicationFailure failure = startRaw(r.procedure(), request(r).toString());
    Databases dbs =
        "binlog-catch-up".equals(r.procedure())
            ? new Databases(pair.replicaStatus(), pair.sourceStatus())
            : null;
    return new Outcome(failure, before, dbs);
  }

  /** The lock ids the run of {@code row}'s request takes (as the worker reads them), or null. */
  static List<String> targetsOf(Row row) {
    try {
      Procedure<?> p = Procedures.byName(row.procedure()).orElseThrow();
      return p.targetsOf(RequestInput.parse(request(row).toString(), p, null, row.procedure()));
    } catch (Exception e) {
      return null;
    }
  }

  @Test
  void givenTheValidRequests_whenChecked_thenEachHasNoProblemsSoEveryRowTestsOnlyItsOwnEdit()
      throws Exception {
    for (Map.Entry<String, ObjectNode> e : valid.entrySet()) {
      Procedure<?> p = Procedures.byName(e.getKey()).orElseThrow();
      Object request = RequestInput.parse(e.getValue().toString(), p, null, e.getKey());
      assertEquals(List.of(), p.problemsOf(request), e.getKey());
    }
    assertTrue(rows().count() >= 40, "at least 40 rows");
  }

  /** What a file or flags can get wrong so that it never becomes a request object. */
  record CliRow(String expect, List<String> args) {
    @Override
    public String toString() {
      return String.join(" ", args);
    }
  }

  static Stream<CliRow> cliRows() {
    return Stream.of(
        input("glacier-restore", "{\"bucket\": \"" + BUCKET + "\",", "is not valid JSON (line 1"),
        input("upgrade", "[\"" + ON_56 + "\"]", "must hold one JSON object"),
        input("glacier-restore", "", "must hold one JSON object"),
        input(
            "upgrade",
            edited("upgrade", "clusterID", "\"" + ON_56 + "\""),
            "clusterID: unknown field"),
        input(
            "staging-rebuild",
            edited("staging-rebuild", "dns.recordname", "\"db.staging.internal.\""),
            "dns.recordname: unknown field"),
        input(
            "binlog-catch-up",
            edited("binlog-catch-up", "skipErrors", "[1062]"),
            "skipErrors: unknown field"),
        input(
            "glacier-restore",
            edited("glacier-restore", "days", "\"seven\""),
            "days: Cannot coerce String value"),
        input(
            "glacier-restore",
            edited("glacier-restore", "tier", "\"FAST\""),
            "tier: Cannot deserialize"),
        input(
            "upgrade-rollback",
            edited("upgrade-rollback", "instances", "\"two\""),
            "instances: Cannot coerce String value"),
        input(
            "binlog-catch-up",
            edited("binlog-catch-up", "replica.port", "\"3306; DROP\""),
            "replica.port: Cannot coerce String value"),
        input(
            "upgrade",
            edited("upgrade", "pollInterval", "\"5 minutes\""),
            "pollInterval: Cannot deserialize"),
        input(
            "staging-rebuild",
            edited("staging-rebuild", "vpcSecurityGroupIds", "{\"id\": \"sg-12345678\"}"),
            "vpcSecurityGroupIds: Cannot deserialize"),
        flags(
            "--poll-interval",
            "start",
            "glacier-restore",
            "--bucket",
            BUCKET,
            "--prefix",
            "glacier/",
            "--tier",
            "STANDARD",
            "--poll-interval",
            "-5m"),
        flags(
            "--days: must be 1..365, was -1",
            "start",
            "glacier-restore",
            "--bucket",
            BUCKET,
            "--prefix",
            "glacier/",
            "--tier",
            "STANDARD",
            "--days",
            "-1"),
        flags(
            "--instances",
            "start",
            "upgrade-rollback",
            "--snapshot",
            "dbops-pre-upgrade-x",
            "--new-cluster",
            "bad-table-back",
            "--instances",
            "two"),
        flags(
            "--max-wait: must be at least PT1S, was PT0S",
            "start",
            "upgrade",
            "--cluster",
            ON_56,
            "--target-version",
            TARGET_57,
            "--db-user",
            "dbops",
            "--db-password-ref",
            "env:X",
            "--waive-approval",
            "--max-wait",
            "0s"),
        flags(
            "--ttl: must be 0..86400 seconds, was -5",
            "start",
            "staging-rebuild",
            "--source-account",
            "111111111111",
            "--source-cluster",
            "prod-db",
            "--target-account",
            "222222222222",
            "--target-role-arn",
            "arn:aws:iam::222222222222:role/dbops-staging",
            "--instance-class",
            "db.r5.large",
            "--master-password-ref",
            "env:X",
            "--masking-statement",
            "UPDATE app.users SET email = ''",
            "--verify-sql",
            "SELECT 0",
            "--zone-id",
            "Z0123456789ABC",
            "--record-name",
            "db.staging.internal.",
            "--ttl",
            "-5"),
        flags(
            "--source: 'db:x' is not HOST:PORT (port is not a number)",
            "start",
            "binlog-catch-up",
            "--source",
            "db:x",
            "--source-user",
            "a",
            "--source-password-ref",
            "env:X"),
        flags(
            "--skip-errno: 'deadlock; DROP' is neither a number nor one of",
            "start",
            "binlog-catch-up",
            "--source",
            "db:3306",
            "--skip-errno",
            "deadlock; DROP"));
  }

  static CliRow input(String procedure, String text, String expect) {
    return new CliRow(expect, List.of("start", procedure, "--input", text));
  }

  static CliRow flags(String expect, String... args) {
    return new CliRow(expect, List.of(args));
  }

  /** The valid request of {@code procedure} with one edit, as file text. */
  static String edited(String procedure, String path, String value) {
    return edit(valid.get(procedure).deepCopy(), path, value).toPrettyString();
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("cliRows")
  void givenMalformedFileOrFlag_whenStartedThroughCli_thenExit2NamingItAndNothingChanged(CliRow row)
      throws Exception {
    List<String> args = new ArrayList<>(row.args());
    int input = args.indexOf("--input");
    if (input >= 0) {
      Path file = dir.resolve("file-" + runs.incrementAndGet() + ".json");
      Files.writeString(file, args.get(input + 1));
      args.set(input + 1, file.toString());
    }
    long before = lastCall();
    Cli.Result r = DevStack.cli(args.toArray(String[]::new));
    assertEquals(ExitCodes.INVALID_INPUT, r.exit(), r.toString());
    assertTrue(r.err().contains(row.expect()), "stderr should say '" + row.expect() + "':\n" + r);
    assertNothingChanged(before, args.get(1));
  }

  /**
   * What the Temporal UI can send that never becomes a request record: the worker fails the run at
   * once (not the workflow task, retried until the run times out) with a non-retryable InvalidInput
   * naming the field or the syntax error, before any activity.
   */
  record RawRow(String procedure, String json, String expect) {
    @Override
    public String toString() {
      return procedure + " " + expect;
    }
  }

  static Stream<RawRow> rawRows() {
    return Stream.of(
        // malformed JSON
        new RawRow(
            "glacier-restore",
            "{\"bucket\": \"" + BUCKET + "\",",
            "request is not valid JSON (line 1"),
        new RawRow(
            "binlog-catch-up",
            valid.get("binlog-catch-up").toString().replace("\"replica\"", "replica"),
            "request is not valid JSON (line 1"),
        new RawRow("upgrade", "[\"" + ON_56 + "\"]", "request: Cannot deserialize value of type"),
        // an empty payload decodes as no request at all, which the run's own check refuses
        new RawRow("upgrade-rollback", "", "request: missing"),
        // unknown fields (a misspelt field is refused, never dropped: see CONTRIBUTING)
        new RawRow(
            "upgrade",
            edited("upgrade", "clusterID", "\"" + ON_56 + "\""),
            "clusterID: unknown field"),
        new RawRow(
            "upgrade",
            edited("upgrade", "confirmProduktion", "\"" + PRODUCTION + "\""),
            "confirmProduktion: unknown field"),
        new RawRow(
            "staging-rebuild",
            edited("staging-rebuild", "dns.recordname", "\"db.staging.internal.\""),
            "dns.recordname: unknown field"),
        new RawRow(
            "binlog-catch-up",
            edited("binlog-catch-up", "skipErrors", "[1062]"),
            "skipErrors: unknown field"),
        // wrong types
        new RawRow(
            "glacier-restore",
            edited("glacier-restore", "days", "\"seven\""),
            "days: Cannot deserialize"),
        new RawRow(
            "glacier-restore",
            edited("glacier-restore", "tier", "\"FAST\""),
            "tier: Cannot deserialize"),
        new RawRow(
            "upgrade-rollback",
            edited("upgrade-rollback", "instances", "\"two\""),
            "instances: Cannot deserialize"),
        new RawRow(
            "binlog-catch-up",
            edited("binlog-catch-up", "replica.port", "\"3306; DROP\""),
            "replica.port: Cannot deserialize"),
        new RawRow(
            "upgrade",
            edited("upgrade", "pollInterval", "\"5 minutes\""),
            "pollInterval: Cannot deserialize"),
        new RawRow(
            "staging-rebuild",
            edited("staging-rebuild", "vpcSecurityGroupIds", "{\"id\": \"sg-12345678\"}"),
            "vpcSecurityGroupIds: Cannot deserialize"));
  }

  /**
   * How long an undecodable start may take to fail; before the fix it ran until its run timeout.
   */
  static final Duration UNDECODABLE_FAILS_WITHIN = Duration.ofSeconds(10);

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("rawRows")
  void
      givenUndecodablePayload_whenStartedThroughWorkflowClient_thenFailsAtOnceAsInvalidInputAndNothingChanged(
          RawRow row) throws Exception {
    long before = lastCall();
    long started = System.nanoTime();
    ApplicationFailure failure = startRaw(row.procedure(), row.json());
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    assertEquals(ErrorTypes.INVALID_INPUT, failure.getType(), failure.toString());
    assertTrue(failure.isNonRetryable(), failure.toString());
    assertTrue(
        failure.getOriginalMessage().contains(row.expect()),
        "failure should say '" + row.expect() + "': " + failure.getOriginalMessage());
    assertFalse(
        failure.getOriginalMessage().contains("\"requestedBy\""), "the payload is not echoed");
    assertTrue(took.compareTo(UNDECODABLE_FAILS_WITHIN) < 0, "failed after " + took);
    assertNothingChanged(before, row.procedure());
  }

  // ----- helpers

  static ObjectNode request(Row row) throws Exception {
    ObjectNode out = valid.get(row.procedure()).deepCopy();
    List<String> e = row.edits();
    for (int i = 0; i < e.size(); i += 2) edit(out, e.get(i), e.get(i + 1));
    return out;
  }

  static ObjectNode edit(ObjectNode root, String path, String value) {
    String[] names = path.split("\\.");
    ObjectNode parent = root;
    for (int i = 0; i < names.length - 1; i++) {
      JsonNode child = parent.get(names[i]);
      parent = child instanceof ObjectNode o ? o : parent.putObject(names[i]);
    }
    String last = names[names.length - 1];
    if (REMOVE.equals(value)) {
      parent.remove(last);
    } else {
      parent.set(last, uncheckedJson(value));
    }
    return root;
  }

  static ObjectNode json(String text) throws Exception {
    return (ObjectNode) RequestInput.STRICT.readTree(text);
  }

  static JsonNode uncheckedJson(String text) {
    try {
      return RequestInput.STRICT.readTree(text);
    } catch (Exception e) {
      throw new IllegalArgumentException(text, e);
    }
  }

  /**
   * Starts {@code procedure} with {@code json} as its one argument, exactly the payload the
   * Temporal UI sends (encoding json/plain), and returns the failure the run ended with.
   */
  static ApplicationFailure startRaw(String procedure, String json) {
    Procedure<?> p = Procedures.byName(procedure).orElseThrow();
    String id = "bad-table/raw-" + runs.incrementAndGet();
    WorkflowStub stub =
        client.newUntypedWorkflowStub(
            p.workflowType(),
            WorkflowOptions.newBuilder()
                .setWorkflowId(id)
                .setTaskQueue(DevStack.QUEUE)
                // A run the worker could not even start must not outlive the test.
                .setWorkflowRunTimeout(Duration.ofSeconds(30))
                .build());
    Payload payload =
        Payload.newBuilder()
            .putMetadata("encoding", ByteString.copyFromUtf8("json/plain"))
            .setData(ByteString.copyFromUtf8(json))
            .build();
    stub.start(new RawValue(payload));
    WorkflowFailedException e =
        assertThrows(
            WorkflowFailedException.class,
            () -> stub.getResult(30, TimeUnit.SECONDS, JsonNode.class),
            id);
    return assertInstanceOf(ApplicationFailure.class, e.getCause(), id);
  }

  static long lastCall() {
    List<CallLog.Call> all = DevStack.sandbox().calls().all();
    return all.isEmpty() ? 0 : all.get(all.size() - 1).seq();
  }

  /**
   * No AWS call that changes anything since {@code seq}; for a binlog request also the replica
   * unconfigured and the source's binlog where it was (a created user or a changed setting would
   * move it). Other procedures never reach MariaDB, so their rows skip the two connections.
   */
  static void assertNothingChanged(long seq, String procedure) throws Exception {
    assertNoChangingCall(seq);
    if (!"binlog-catch-up".equals(procedure)) return;
    new Databases(pair.replicaStatus(), pair.sourceStatus()).assertUnchanged();
  }

  /** No sandbox call that changes anything since the call numbered {@code seq}. */
  static void assertNoChangingCall(long seq) {
    List<String> changes =
        DevStack.sandbox().calls().all().stream()
            .filter(c -> c.seq() > seq && MUTATING.contains(c.operation()))
            .map(c -> c.operation() + " " + c.resource())
            .toList();
    assertEquals(List.of(), changes, "the sandbox saw changes");
  }
}
