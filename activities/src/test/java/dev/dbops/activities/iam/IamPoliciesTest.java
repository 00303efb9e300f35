package dev.dbops.activities.iam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dbops.activities.SandboxFixture;
import dev.dbops.activities.aws.AccountClients;
import dev.dbops.activities.aws.AwsClients;
import dev.dbops.activities.aws.AwsSettings;
import dev.dbops.activities.aws.Route53ActivitiesImpl;
import dev.dbops.activities.binlog.ReplicationActivitiesImpl;
import dev.dbops.activities.common.SecretResolver;
import dev.dbops.activities.hooks.CommandHookActivities;
import dev.dbops.activities.migration.MigrationActivitiesImpl;
import dev.dbops.activities.mysql.MySqlSettings;
import dev.dbops.activities.notify.LogNotifyActivities;
import dev.dbops.activities.staging.StagingActivitiesImpl;
import dev.dbops.activities.upgrade.RdsUpgradeActivitiesImpl;
import dev.dbops.sandbox.AwsSandbox;
import dev.dbops.sandbox.CallLog;
import dev.dbops.sandbox.ClusterSeed;
import dev.dbops.sandbox.InstanceSeed;
import dev.dbops.sandbox.RdsTimings;
import dev.dbops.sandbox.Route53Timings;
import dev.dbops.sandbox.SandboxAccounts;
import dev.dbops.sandbox.SandboxConfig;
import dev.dbops.sandbox.StagingDemo;
import dev.dbops.workflows.binlog.BinlogPosition;
import dev.dbops.workflows.binlog.ReplicationActivities;
import dev.dbops.workflows.common.ActivityStubs;
import dev.dbops.workflows.common.Approval;
import dev.dbops.workflows.common.ApprovalPolicy;
import dev.dbops.workflows.common.ErrorTypes;
import dev.dbops.workflows.common.OrderableQuery;
import dev.dbops.workflows.migration.InstanceUpgradeSpec;
import dev.dbops.workflows.migration.MigrationActivities;
import dev.dbops.workflows.migration.MigrationNames;
import dev.dbops.workflows.migration.MigrationRequest;
import dev.dbops.workflows.migration.ReplicaClusterSpec;
import dev.dbops.workflows.migration.SourceQuery;
import dev.dbops.workflows.restore.Delivery;
import dev.dbops.workflows.restore.DeliveryBatch;
import dev.dbops.workflows.restore.DeliveryMode;
import dev.dbops.workflows.restore.ListQuery;
import dev.dbops.workflows.restore.ObjectInfo;
import dev.dbops.workflows.restore.ObjectOutcome;
import dev.dbops.workflows.restore.ReadinessCheck;
import dev.dbops.workflows.restore.RestoreBatch;
import dev.dbops.workflows.restore.RestoreTier;
import dev.dbops.workflows.staging.AccountRef;
import dev.dbops.workflows.staging.ChangeRef;
import dev.dbops.workflows.staging.CnameChange;
import dev.dbops.workflows.staging.DnsTarget;
import dev.dbops.workflows.staging.MaskingSpec;
import dev.dbops.workflows.staging.RetirePolicy;
import dev.dbops.workflows.staging.StagingActivities;
import dev.dbops.workflows.staging.StagingNames;
import dev.dbops.workflows.staging.StagingRebuildRequest;
import dev.dbops.workflows.staging.StagingRebuildResult;
import dev.dbops.workflows.staging.StagingRebuildWorkflow;
import dev.dbops.workflows.staging.StagingRebuildWorkflowImpl;
import dev.dbops.workflows.staging.TargetQuery;
import dev.dbops.workflows.upgrade.ClusterEndpoints;
import dev.dbops.workflows.upgrade.InstanceSpec;
import dev.dbops.workflows.upgrade.ModifySpec;
import dev.dbops.workflows.upgrade.RdsUpgradeActivities;
import dev.dbops.workflows.upgrade.RollbackPhase;
import dev.dbops.workflows.upgrade.RollbackRequest;
import dev.dbops.workflows.upgrade.RollbackResult;
import dev.dbops.workflows.upgrade.SnapshotSpec;
import dev.dbops.workflows.upgrade.UpgradeProgress;
import dev.dbops.workflows.upgrade.UpgradeRequest;
import dev.dbops.workflows.upgrade.UpgradeRollbackWorkflow;
import dev.dbops.workflows.upgrade.UpgradeRollbackWorkflowImpl;
import dev.dbops.workflows.upgrade.UpgradeWatch;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.temporal.activity.ActivityOptions;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.rds.RdsClient;

/**
 * The least-privilege policies in {@code docs/iam/} against the AWS calls the activities really
 * make: each procedure's real activities (whole workflows where that is cheap) run with real SDK
 * clients against the sandbox, and its call log is checked against the procedure's policy — (a)
 * every call is allowed by an Allow statement's actions (and resource, where the log names it) in
 * the right account's policy; (b) every action a policy allows was needed by some call, or is on
 * that policy's commented list of what the sandbox cannot show. So a policy can neither miss a call
 * nor silently grow.
 */
@Tag("mariadb")
class IamPoliciesTest {
  private static final Logger log = LoggerFactory.getLogger(IamPoliciesTest.class);

  /** Every placeholder a policy may use; docs/iam/README.md explains each. */
  static final Set<String> PLACEHOLDERS =
      Set.of(
          "<ACCOUNT_ID>",
          "<REGION>",
          "<BUCKET>",
          "<DELIVERY_BUCKET>",
          "<CLUSTER_ID>",
          "<SOURCE_CLUSTER_ID>",
          "<SCRIPT_BUCKET>",
          "<KMS_KEY_ID>",
          "<TARGET_ACCOUNT_ID>",
          "<TARGET_ROLE_NAME>",
          "<SOURCE_ACCOUNT_ID>",
          "<ZONE_ID>",
          "<RECORD_NAME>",
          "<WORKER_ROLE_NAME>",
          "<SOURCE_INSTANCE_ID>");

  static final String GLACIER = "glacier-restore.json";
  static final String UPGRADE = "upgrade.json";
  static final String ROLLBACK = "upgrade-rollback.json";
  static final String BINLOG = "binlog-catch-up.json";
  static final String STAGING_SOURCE = "staging-rebuild-source-account.json";
  static final String STAGING_TARGET = "staging-rebuild-target-account.json";
  static final String STAGING_TRUST = "staging-rebuild-target-trust.json";
  static final String MIGRATION = "aurora-migration.json";

  private static final String SECRETS =
      "secretsmanager:ID password references are read with Secrets Manager"
          + " GetSecretValue (SecretResolver); the sandbox does not speak Secrets Manager, so tests use file: references";
  private static final String RDS_USES_THE_KEY =
      "RDS calls KMS itself (grants, data keys) while it copies or"
          + " restores an encrypted snapshot; the sandbox models keys for DescribeKey only, not RDS's own KMS calls";

  /**
   * Actions a policy allows that no sandbox call can show, per policy, with why. An entry that is
   * observed after all, or that the policy no longer allows, fails the test: the list cannot rot.
   */
  static final Map<String, Map<String, String>> NOT_OBSERVABLE =
      Map.of(
          GLACIER,
              Map.of(
                  // CopyObject copies the source's tags by default (TaggingDirective COPY): S3 then
                  // also
                  // authorizes GetObjectTagging on the source and PutObjectTagging on the copy.
                  "s3:GetObjectTagging",
                      "the sandbox stores no object tags, so CopyObject never copies any",
                  "s3:PutObjectTagging",
                      "the sandbox stores no object tags, so CopyObject never copies any"),
          UPGRADE, Map.of("secretsmanager:GetSecretValue", SECRETS),
          ROLLBACK, Map.of(),
          MIGRATION, Map.of("secretsmanager:GetSecretValue", SECRETS),
          BINLOG, Map.of("secretsmanager:GetSecretValue", SECRETS),
          STAGING_SOURCE,
              Map.of(
                  "secretsmanager:GetSecretValue", SECRETS,
                  "kms:CreateGrant", RDS_USES_THE_KEY,
                  "kms:Decrypt", RDS_USES_THE_KEY,
                  "kms:ReEncrypt*", RDS_USES_THE_KEY,
                  "kms:GenerateDataKey*", RDS_USES_THE_KEY),
          STAGING_TARGET,
              Map.of(
                  "kms:CreateGrant", RDS_USES_THE_KEY,
                  "kms:DescribeKey", RDS_USES_THE_KEY,
                  "kms:Decrypt", RDS_USES_THE_KEY,
                  "kms:ReEncrypt*", RDS_USES_THE_KEY,
                  "kms:GenerateDataKey*", RDS_USES_THE_KEY));

  /**
   * One attempt of the production describe/modify options: a test sees exactly one attempt's calls.
   */
  static final ActivityOptions ONE_ATTEMPT =
      ActivityOptions.newBuilder(ActivityStubs.AWS_CALL)
          .setRetryOptions(
              RetryOptions.newBuilder(ActivityStubs.AWS_CALL.getRetryOptions())
                  .setMaximumAttempts(1)
                  .build())
          .build();

  static final String ACCOUNT = SandboxAccounts.DEFAULT_ACCOUNT;
  static final String REGION = IamActions.REGION;

  @TempDir Path tmp;

  // ------------------------------------------------------------------------------- documents

  @Test
  void givenTheIamDocs_whenRead_thenEveryPolicyIsValidJsonWithSidsAndOnlyDocumentedPlaceholders()
      throws Exception {
    Path dir = docs();
    List<String> files;
    try (Stream<Path> s = Files.list(dir)) {
      files =
          s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json")).sorted().toList();
    }
    assertEquals(
        new TreeSet<>(
            List.of(
                GLACIER,
                UPGRADE,
                ROLLBACK,
                BINLOG,
                STAGING_SOURCE,
                STAGING_TARGET,
                STAGING_TRUST,
                MIGRATION)),
        new TreeSet<>(files),
        "every policy in docs/iam is checked here, and only those");
    String readme = Files.readString(dir.resolve("README.md"));
    for (String p : PLACEHOLDERS)
      assertTrue(readme.contains("`" + p + "`"), "docs/iam/README.md explains " + p);
    for (String f : files) {
      IamPolicy policy = IamPolicy.read(dir.resolve(f));
      assertEquals("2012-10-17", policy.root.path("Version").asText(), f);
      assertTrue(!policy.statements.isEmpty(), f + " has statements");
      Set<String> sids = new LinkedHashSet<>();
      for (IamPolicy.Statement s : policy.statements) {
        assertTrue(
            s.sid() != null && s.sid().matches("[A-Za-z0-9]+"),
            f + ": every statement has an alphanumeric Sid");
        assertTrue(sids.add(s.sid()), f + ": Sid " + s.sid() + " is unique");
        assertEquals("Allow", s.effect(), f + " " + s.sid());
        assertTrue(!s.actions().isEmpty(), f + " " + s.sid() + " names actions");
        assertTrue(
            s.actions().stream()
                .noneMatch(a -> a.startsWith("iam:") || a.equals("*") || a.endsWith(":*")),
            f + " " + s.sid() + ": no iam:PassRole or service-wide wildcards");
        assertTrue(
            f.equals(STAGING_TRUST) ? s.principal() != null : !s.resources().isEmpty(),
            f + " " + s.sid() + ": a resource (identity policy) or a principal (trust policy)");
      }
      Set<String> unknown = new TreeSet<>(policy.placeholders());
      unknown.removeAll(PLACEHOLDERS);
      assertEquals(Set.of(), unknown, f + " uses only documented placeholders");
    }
  }

  // ---------------------------------------------------------------------- the checker itself

  @Test
  void givenAPolicyWithoutAnActionACallNeeds_whenChecked_thenThatCallIsReported() {
    IamPolicy policy =
        IamPolicy.parse(
            "test.json",
            """
        {"Version": "2012-10-17", "Statement": [{"Sid": "List", "Effect": "Allow", "Action": "s3:ListBucket",
          "Resource": "arn:aws:s3:::<BUCKET>"}]}""");
    List<CallLog.AccountCall> calls =
        List.of(
            call("s3", "ListObjectsV2", "backups", null, 200),
            call("s3", "RestoreObject", "backups", "db/a", 202));

    List<String> problems = problems(policy, calls, Map.of("<BUCKET>", "backups"), Map.of());

    assertEquals(1, problems.size(), problems.toString());
    assertTrue(
        problems.get(0).contains("s3 RestoreObject")
            && problems.get(0).contains("s3:RestoreObject"),
        problems.get(0));
  }

  @Test
  void
      givenAPolicyAllowingMoreThanWasCalled_whenChecked_thenTheExtraActionIsReportedUnlessListedAsNotObservable() {
    IamPolicy policy =
        IamPolicy.parse(
            "test.json",
            """
        {"Version": "2012-10-17", "Statement": [{"Sid": "Read", "Effect": "Allow",
          "Action": ["s3:GetObject", "s3:DeleteObject", "s3:GetObjectTagging"], "Resource": "arn:aws:s3:::<BUCKET>/*"}]}""");
    List<CallLog.AccountCall> calls = List.of(call("s3", "GetObject", "backups", "db/a", 200));

    List<String> problems =
        problems(
            policy,
            calls,
            Map.of("<BUCKET>", "backups"),
            Map.of("s3:GetObjectTagging", "not modelled", "s3:GetObject", "stale entry"));

    assertEquals(2, problems.size(), problems.toString());
    assertTrue(
        problems.stream()
            .anyMatch(p -> p.contains("s3:DeleteObject") && p.contains("no call needed it")),
        problems.toString());
    assertTrue(
        problems.stream().anyMatch(p -> p.contains("s3:GetObject") && p.contains("was observed")),
        problems.toString());
  }

  @Test
  void givenACallOnTheWrongResource_whenChecked_thenItIsReported() {
    IamPolicy policy =
        IamPolicy.parse(
            "test.json",
            """
        {"Version": "2012-10-17", "Statement": [{"Sid": "Read", "Effect": "Allow", "Action": "s3:GetObject",
          "Resource": "arn:aws:s3:::<BUCKET>/*"}]}""");

    List<String> problems =
        problems(
            policy,
            List.of(call("s3", "GetObject", "elsewhere", "k", 200)),
            Map.of("<BUCKET>", "backups"),
            Map.of());

    assertEquals(1, problems.size(), problems.toString());
    assertTrue(problems.get(0).contains("arn:aws:s3:::elsewhere/k"), problems.get(0));
  }

  @Test
  void givenAnAwsCallOutsideTheTable_whenMapped_thenItFailsAskingForAnEntry() {
    AssertionError e =
        assertThrows(
            AssertionError.class,
            () ->
                IamActions.needs(
                    new CallLog.Call(1, "rds", "FailoverDBCluster", "orders", null, 200, null),
                    ACCOUNT));

    assertTrue(e.getMessage().contains("IamActions.TABLE"), e.getMessage());
  }

  // ------------------------------------------------------------------------- glacier-restore

  @Test
  void
      givenTheGlacierRestorePolicy_whenListedRestoredAwaitedDownloadedAndCopied_thenItAllowsEveryCallAndNoMore()
          throws Exception {
    Duration restoreTakes = Duration.ofMillis(300);
    try (SandboxFixture fx =
        SandboxFixture.start(
            SandboxConfig.defaults().withRestoreDuration("GLACIER", "Standard", restoreTakes))) {
      List<String> keys = List.of("db/2024-01/a.sql.gz", "db/2024-01/b.sql.gz");
      for (String k : keys)
        fx.sandbox.s3().putObject("backups", k, k.getBytes(StandardCharsets.UTF_8), "GLACIER");
      fx.sandbox.s3().createBucket("restored");
      fx.sandbox.calls().clear();

      List<ObjectInfo> byPrefix =
          fx.restore.listObjects(new ListQuery("backups", "db/", null, null, 100, 2)).objects();
      fx.restore.listObjects(new ListQuery("backups", null, keys, null, 100, 2));
      fx.restore.requestRestores(
          new RestoreBatch("backups", byPrefix, RestoreTier.STANDARD, 7, false, 2));
      fx.sandbox.clock().advance(restoreTakes.plusMillis(1));
      fx.restore.checkRestored(new ReadinessCheck("backups", keys, null, null, 2));
      fx.restore.checkRestored(new ReadinessCheck("backups", keys, "db/", null, 2));
      List<ObjectInfo> ready =
          fx.restore.listObjects(new ListQuery("backups", null, keys, null, 100, 2)).objects();
      List<ObjectOutcome> downloaded =
          fx.restore.deliver(
              new DeliveryBatch(
                  "backups",
                  ready.subList(0, 1),
                  new Delivery(DeliveryMode.DOWNLOAD, tmp.toString(), null, null),
                  2));
      List<ObjectOutcome> copied =
          fx.restore.deliver(
              new DeliveryBatch(
                  "backups",
                  ready.subList(1, 2),
                  new Delivery(DeliveryMode.COPY, null, "restored", "copies/"),
                  2));

      assertEquals(ObjectOutcome.DELIVERED, downloaded.get(0).outcome());
      assertEquals(ObjectOutcome.DELIVERED, copied.get(0).outcome());
      assertPolicy(
          GLACIER,
          fx.sandbox.calls().withAccounts(),
          Map.of("<BUCKET>", "backups", "<DELIVERY_BUCKET>", "restored"));
    }
  }

  // -------------------------------------------------------------------------------- upgrade

  @Test
  void
      givenTheUpgradePolicy_whenInspectedSnapshottedModifiedAndWatched_thenItAllowsEveryCallAndNoMore() {
    Duration snapshotTakes = Duration.ofSeconds(10);
    Duration upgradeTakes = Duration.ofSeconds(100);
    String target = "5.7.mysql_aurora.2.11.2";
    try (Rds fx =
        new Rds(
            RdsTimings.defaults()
                .withSnapshotCreate(snapshotTakes)
                .withClusterUpgrade(upgradeTakes))) {
      fx.sandbox
          .rds()
          .createCluster(
              ClusterSeed.aurora56("orders")
                  .withParameterGroups("orders-56", "orders-56-inst")
                  .withInstances("orders-1", "orders-2"));
      fx.sandbox.rds().createClusterParameterGroup("orders-57", "aurora-mysql5.7");
      fx.sandbox.rds().createDbParameterGroup("orders-57-inst", "aurora-mysql5.7");
      fx.sandbox
          .rds()
          .addPendingMaintenance(
              "orders", "system-update", "New Operating System update is available");
      fx.sandbox.calls().clear();
      RdsUpgradeActivities rds = fx.upgradeActivities();
      // The ids and tags UpgradeWorkflowImpl passes for a run with workflow id upgrade/orders.
      String snapshotId = UpgradeRequest.snapshotIdFor("upgrade/orders");

      rds.inspectCluster("orders", List.of("orders-57", "orders-57-inst"));
      rds.instanceClassOffers(new OrderableQuery("aurora-mysql", target, List.of("db.r5.large")));
      rds.ensureSnapshot(
          new SnapshotSpec("orders", snapshotId, Map.of("dbops:workflow-id", "upgrade/orders")));
      fx.sandbox.clock().advance(snapshotTakes);
      rds.checkSnapshotAvailable(snapshotId);
      long since = fx.sandbox.clock().millis();
      rds.startUpgrade(new ModifySpec("orders", target, "orders-57", "orders-57-inst"));
      fx.sandbox.clock().advance(upgradeTakes.plusSeconds(1));
      UpgradeProgress done =
          rds.checkUpgrade(new UpgradeWatch("orders", target, "5.6.10a", since, null, 0));

      assertEquals(UpgradeProgress.DONE, done.state());
      assertPolicy(
          UPGRADE,
          fx.sandbox.calls().withAccounts(),
          Map.of("<REGION>", REGION, "<ACCOUNT_ID>", ACCOUNT, "<CLUSTER_ID>", "orders"));
    }
  }

  @Test
  void
      givenTheMigrationPolicy_whenA56SourceIsUpgradedReplicatedPromotedAndTheCnameSwitched_thenItAllowsEveryCallAndNoMore() {
    Duration step = Duration.ofSeconds(10);
    String workflowId = "aurora-migration/shop";
    MigrationNames names = MigrationNames.forWorkflow(workflowId);
    try (AwsSandbox sandbox =
        AwsSandbox.start(
            SandboxConfig.defaults()
                .withRdsTimings(
                    RdsTimings.defaults()
                        .withClusterUpgrade(step)
                        .withClusterRestore(step)
                        .withInstanceCreate(step)
                        .withReplicaPromote(step))
                .withRoute53Timings(Route53Timings.defaults().withChangePropagation(step)))) {
      TestActivityEnvironment env = TestActivityEnvironment.newInstance();
      SimpleMeterRegistry registry = new SimpleMeterRegistry();
      String zone = sandbox.route53().createPrivateZone("shop.internal", "vpc-0sandbox");
      sandbox.route53().upsertRecord(zone, "db.shop.internal", "CNAME", 0, "shop.rds.invalid");
      sandbox.rds().createInstance(InstanceSeed.mysql56("shop"));
      sandbox.rds().createClusterParameterGroup("shop-aurora57", "aurora-mysql5.7");
      sandbox.rds().createDbParameterGroup("shop-mysql57", "mysql5.7");
      try (AccountClients clients =
              new AccountClients(AwsSettings.sandbox(sandbox.endpoint()), registry);
          RdsClient client = AwsClients.rds(AwsSettings.sandbox(sandbox.endpoint()), registry)) {
        env.registerActivitiesImplementations(
            new MigrationActivitiesImpl(
                client,
                SecretResolver.fromEnvironment(),
                MySqlSettings.loopback(),
                sandbox.clock()),
            new RdsUpgradeActivitiesImpl(client, registry, sandbox.clock()),
            new StagingActivitiesImpl(
                clients, SecretResolver.fromEnvironment(), MySqlSettings.loopback(), registry));
        MigrationActivities migration = env.newActivityStub(MigrationActivities.class, ONE_ATTEMPT);
        RdsUpgradeActivities rds = env.newActivityStub(RdsUpgradeActivities.class, ONE_ATTEMPT);
        StagingActivities route53 = env.newActivityStub(StagingActivities.class, ONE_ATTEMPT);
        DnsTarget dns = new DnsTarget(zone, "db.shop.internal", 0L);
        Map<String, String> owner = Map.of("dbops:owner", workflowId);
        sandbox.calls().clear();

        // The AWS calls AuroraMigrationWorkflowImpl makes, in its order, for a 5.6 source.
        String arn =
            migration
                .inspectSource(new SourceQuery("shop", List.of("shop-aurora57", "shop-mysql57")))
                .instanceArn();
        route53.inspectTarget(
            new TargetQuery(MigrationRequest.WORKER_ACCOUNT, dns, null, names.clusterId()));
        rds.instanceClassOffers(new OrderableQuery("aurora-mysql", null, List.of("db.r5.large")));
        InstanceUpgradeSpec upgrade = new InstanceUpgradeSpec("shop", "5.7.44", "shop-mysql57");
        migration.startInstanceUpgrade(upgrade);
        sandbox.clock().advance(step);
        migration.checkInstanceUpgraded(upgrade);
        migration.ensureReplicaCluster(
            new ReplicaClusterSpec(
                names.clusterId(), arn, null, "shop-aurora57", null, List.of(), owner));
        rds.createInstance(
            new InstanceSpec(
                names.instanceId(0), names.clusterId(), "db.r5.large", "aurora-mysql", owner));
        sandbox.clock().advance(step);
        rds.checkClusterAvailable(names.clusterId());
        migration.promote(names.clusterId());
        sandbox.clock().advance(step);
        ClusterEndpoints writer = migration.checkPromoted(names.clusterId());
        ChangeRef change =
            route53.upsertCname(
                new CnameChange(
                    MigrationRequest.WORKER_ACCOUNT,
                    dns,
                    writer.endpoint(),
                    0,
                    "dbops " + workflowId));
        sandbox.clock().advance(step);
        route53.checkChangeInsync(MigrationRequest.WORKER_ACCOUNT, change.changeId());

        assertPolicy(
            MIGRATION,
            sandbox.calls().withAccounts(),
            Map.of(
                "<REGION>", REGION,
                "<ACCOUNT_ID>", ACCOUNT,
                "<SOURCE_INSTANCE_ID>", "shop",
                "<ZONE_ID>", zone,
                "<RECORD_NAME>", "db.shop.internal"));
      } finally {
        env.close();
      }
    }
  }

  @Test
  void
      givenTheRollbackPolicy_whenTheRollbackRestoresAndRepointsTheCname_thenItAllowsEveryCallAndNoMore()
          throws Exception {
    Duration step = Duration.ofSeconds(1);
    try (Rds fx =
            new Rds(
                RdsTimings.defaults()
                    .withSnapshotCreate(step)
                    .withClusterRestore(step)
                    .withInstanceCreate(step));
        AccountClients accounts =
            new AccountClients(AwsSettings.sandbox(fx.sandbox.endpoint()), fx.registry);
        TestWorkflowEnvironment env =
            TestWorkflowEnvironment.newInstance(
                TestEnvironmentOptions.newBuilder().setUseTimeskipping(false).build())) {
      String snapshotId = UpgradeRequest.snapshotIdFor("upgrade/orders");
      String oldEndpoint =
          fx.sandbox.rds().createCluster(ClusterSeed.aurora56("orders")).endpoint();
      fx.client.createDBClusterSnapshot(
          b -> b.dbClusterIdentifier("orders").dbClusterSnapshotIdentifier(snapshotId));
      fx.sandbox.clock().advance(step);
      String zoneId = fx.sandbox.route53().createPrivateZone("orders.internal.", "vpc-0orders0001");
      fx.sandbox.route53().upsertRecord(zoneId, "db.orders.internal.", "CNAME", 0, oldEndpoint);
      fx.sandbox.calls().clear();
      Worker w = env.newWorker("q");
      w.registerWorkflowImplementationTypes(UpgradeRollbackWorkflowImpl.class);
      w.registerActivitiesImplementations(
          new RdsUpgradeActivitiesImpl(fx.client, fx.registry, fx.sandbox.clock()),
          new Route53ActivitiesImpl(accounts.route53(null)),
          CommandHookActivities.none(),
          new LogNotifyActivities());
      env.start();

      UpgradeRollbackWorkflow wf =
          env.getWorkflowClient()
              .newWorkflowStub(
                  UpgradeRollbackWorkflow.class,
                  WorkflowOptions.newBuilder()
                      .setTaskQueue("q")
                      .setWorkflowId("upgrade-rollback/orders-rollback")
                      .build());
      WorkflowClient.start(
          wf::run,
          new RollbackRequest(
              snapshotId,
              "orders-rollback",
              null,
              null,
              null,
              null,
              1,
              "ci",
              step,
              Duration.ofMinutes(10),
              zoneId,
              "db.orders.internal.",
              new ApprovalPolicy(List.of("alice"), 1, Duration.ofMinutes(10)),
              null));
      long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
      while (!RollbackPhase.AWAITING_APPROVAL.equals(wf.status().phase())) {
        assertTrue(System.nanoTime() < deadline, "never waited for approval: " + wf.status());
        Thread.sleep(100);
      }
      wf.approve(new Approval("alice", "rollback"));
      RollbackResult r =
          env.getWorkflowClient()
              .newUntypedWorkflowStub("upgrade-rollback/orders-rollback")
              .getResult(RollbackResult.class);

      assertEquals("orders-rollback", r.newClusterId());
      assertEquals(oldEndpoint, r.previousCname());
      IamPolicy policy =
          assertPolicy(
              ROLLBACK,
              fx.sandbox.calls().withAccounts(),
              Map.of(
                  "<REGION>",
                  REGION,
                  "<ACCOUNT_ID>",
                  ACCOUNT,
                  "<ZONE_ID>",
                  zoneId,
                  "<RECORD_NAME>",
                  "db.orders.internal"));
      assertTagsRequiredOnCreate(
          policy,
          "rds:RestoreDBClusterFromSnapshot",
          fx.sandbox.rds().cluster(ACCOUNT, "orders-rollback").tags(),
          "cluster orders-rollback");
    }
  }

  // ------------------------------------------------------------------------ binlog-catch-up

  @Test
  void
      givenTheBinlogPolicy_whenTheStartPositionIsReadFromTheRestoredClustersEvents_thenItAllowsEveryCallAndNoMore() {
    Duration step = Duration.ofSeconds(10);
    try (Rds fx =
        new Rds(RdsTimings.defaults().withSnapshotCreate(step).withClusterRestore(step))) {
      fx.sandbox.rds().createCluster(ClusterSeed.aurora56("orders"));
      fx.client.createDBClusterSnapshot(
          b -> b.dbClusterIdentifier("orders").dbClusterSnapshotIdentifier("orders-snap"));
      fx.sandbox.clock().advance(step);
      fx.client.restoreDBClusterFromSnapshot(
          b ->
              b.dbClusterIdentifier("orders-clone")
                  .snapshotIdentifier("orders-snap")
                  .engine("aurora"));
      fx.sandbox.clock().advance(step);
      fx.sandbox.calls().clear();
      fx.env.registerActivitiesImplementations(
          new ReplicationActivitiesImpl(
              new SecretResolver(Map.of(), null), MySqlSettings.loopback(), fx.client));

      BinlogPosition start =
          fx.env
              .newActivityStub(ReplicationActivities.class, ONE_ATTEMPT)
              .startFromRdsEvents("orders-clone");

      assertEquals("mysql-bin-changelog.000118", start.file());
      assertPolicy(
          BINLOG,
          fx.sandbox.calls().withAccounts(),
          Map.of("<REGION>", REGION, "<ACCOUNT_ID>", ACCOUNT));
    }
  }

  // ------------------------------------------------------------------------ staging-rebuild

  @Test
  void
      givenTheStagingPolicies_whenARebuildRetiresAndARebuildFailsAndCompensates_thenEachAccountsCallsAreAllowedByItsOwnPolicyAndNoMore()
          throws Exception {
    Duration step = Duration.ofSeconds(1);
    try (AwsSandbox sandbox =
            AwsSandbox.start(
                SandboxConfig.defaults()
                    .withRdsTimings(
                        RdsTimings.defaults()
                            .withSnapshotCreate(step)
                            .withSnapshotCopy(step)
                            .withClusterRestore(step)
                            .withInstanceCreate(step)
                            .withInstanceDelete(Duration.ofMillis(500))
                            .withClusterDelete(Duration.ofMillis(500)))
                    .withRoute53Timings(Route53Timings.defaults().withChangePropagation(step)));
        TestWorkflowEnvironment env =
            TestWorkflowEnvironment.newInstance(
                TestEnvironmentOptions.newBuilder().setUseTimeskipping(false).build())) {
      StagingDemo.Seeded seeded = StagingDemo.seed(sandbox);
      sandbox
          .s3()
          .putObject(
              "dbops-scripts",
              "staging/masking.sql",
              ("UPDATE app.users SET email = CONCAT('user', id,"
                      + " '@example.invalid'), name = CONCAT('User ', id), phone = CONCAT('+10000', LPAD(id, 6, '0'));\n")
                  .getBytes(StandardCharsets.UTF_8),
              "STANDARD");
      Path password = Files.writeString(tmp.resolve("master-password"), "Stg-9f3c1e77a2");
      SimpleMeterRegistry registry = new SimpleMeterRegistry();
      try (AccountClients clients =
          new AccountClients(AwsSettings.sandbox(sandbox.endpoint()), registry)) {
        Worker w = env.newWorker("q");
        w.registerWorkflowImplementationTypes(StagingRebuildWorkflowImpl.class);
        w.registerActivitiesImplementations(
            new StagingActivitiesImpl(
                clients, SecretResolver.fromEnvironment(), MySqlSettings.loopback(), registry),
            CommandHookActivities.none(),
            new LogNotifyActivities());
        env.start();
        sandbox.calls().clear();

        String rebuilt = "staging-rebuild/db.staging.internal./iam-1";
        StagingRebuildResult r =
            staging(env, rebuilt)
                .run(
                    stagingRequest(
                        seeded,
                        password,
                        "SELECT COUNT(*) FROM app.users WHERE email NOT LIKE '%@example.invalid'"));
        assertEquals(StagingRebuildResult.COMPLETED, r.outcome());
        assertEquals(StagingRebuildResult.RETIRED, r.retirement());

        String compensated = "staging-rebuild/db.staging.internal./iam-2";
        WorkflowFailedException e =
            assertThrows(
                WorkflowFailedException.class,
                () ->
                    staging(env, compensated)
                        .run(stagingRequest(seeded, password, "SELECT COUNT(*) FROM app.orders")));
        assertEquals(
            ErrorTypes.MASKING_FAILED,
            assertInstanceOf(ApplicationFailure.class, e.getCause()).getType());

        List<CallLog.AccountCall> calls = sandbox.calls().withAccounts();
        Set<String> accounts =
            calls.stream()
                .map(CallLog.AccountCall::account)
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(
            new TreeSet<>(Set.of(seeded.prodAccount(), seeded.stagingAccount())),
            accounts,
            "every call acted as the production or the staging account");
        String keyId =
            seeded
                .customerKeyArn()
                .substring(seeded.customerKeyArn().indexOf(":key/") + ":key/".length());
        IamPolicy source =
            assertPolicy(
                STAGING_SOURCE,
                only(calls, seeded.prodAccount()),
                Map.of(
                    "<REGION>",
                    REGION,
                    "<ACCOUNT_ID>",
                    seeded.prodAccount(),
                    "<SOURCE_CLUSTER_ID>",
                    seeded.sourceClusterId(),
                    "<SCRIPT_BUCKET>",
                    "dbops-scripts",
                    "<KMS_KEY_ID>",
                    keyId,
                    "<TARGET_ACCOUNT_ID>",
                    seeded.stagingAccount(),
                    "<TARGET_ROLE_NAME>",
                    StagingDemo.STAGING_ROLE));
        IamPolicy target =
            assertPolicy(
                STAGING_TARGET,
                only(calls, seeded.stagingAccount()),
                Map.of(
                    "<REGION>",
                    REGION,
                    "<ACCOUNT_ID>",
                    seeded.stagingAccount(),
                    "<SOURCE_ACCOUNT_ID>",
                    seeded.prodAccount(),
                    "<KMS_KEY_ID>",
                    keyId,
                    "<ZONE_ID>",
                    seeded.hostedZoneId(),
                    "<RECORD_NAME>",
                    "db.staging.internal"));

        // Conditions the log can show: the tags creates must carry, the record Route53 may change,
        // the session name the trust policy requires.
        StagingNames names = StagingNames.forWorkflow(rebuilt);
        assertTagsRequiredOnCreate(
            source,
            "rds:CreateDBClusterSnapshot",
            sandbox.rds().snapshot(seeded.prodAccount(), names.snapshotId()).orElseThrow().tags(),
            "snapshot");
        assertTagsRequiredOnCreate(
            source,
            "rds:CopyDBClusterSnapshot",
            sandbox
                .rds()
                .snapshot(seeded.prodAccount(), names.copySnapshotId())
                .orElseThrow()
                .tags(),
            "copy");
        assertTagsRequiredOnCreate(
            target,
            "rds:RestoreDBClusterFromSnapshot",
            sandbox.rds().cluster(seeded.stagingAccount(), names.clusterId()).tags(),
            "restored cluster");
        assertEquals(
            List.of(dnsName(seeded.recordName())),
            target
                .conditionValues(
                    "route53:ChangeResourceRecordSets",
                    "route53:ChangeResourceRecordSetsNormalizedRecordNames")
                .stream()
                .map(v -> IamPolicy.substitute(v, Map.of("<RECORD_NAME>", "db.staging.internal")))
                .toList(),
            "Route53 may change the one record the request names, as Route53 normalizes it");
        IamPolicy trust = IamPolicy.read(docs().resolve(STAGING_TRUST));
        Set<String> sessions =
            calls.stream()
                .filter(c -> c.call().operation().equals("AssumeRole"))
                .map(c -> c.call().key())
                .collect(Collectors.toSet());
        assertTrue(!sessions.isEmpty(), "the staging account was reached through AssumeRole");
        assertEquals(
            List.copyOf(sessions),
            trust.conditionValues("sts:AssumeRole", "sts:RoleSessionName"),
            "the trust policy admits the session name the worker uses");
        assertEquals(
            "arn:aws:iam::<SOURCE_ACCOUNT_ID>:role/<WORKER_ROLE_NAME>",
            trust.statements.get(0).principal().path("AWS").asText());
      }
    }
  }

  // -------------------------------------------------------------------------------- helpers

  /** Checks (a) and (b) for one policy and fails with every problem found; logs the call set. */
  static IamPolicy assertPolicy(
      String file, List<CallLog.AccountCall> calls, Map<String, String> values) {
    IamPolicy policy = IamPolicy.read(docs().resolve(file));
    List<String> problems = problems(policy, calls, values, NOT_OBSERVABLE.get(file));
    Map<String, Long> observed =
        calls.stream()
            .collect(
                Collectors.groupingBy(
                    c -> c.call().service() + " " + c.call().operation(),
                    TreeMap::new,
                    Collectors.counting()));
    log.info("{}: observed {}", file, observed);
    assertEquals(List.of(), problems, file + " against the calls " + observed.keySet());
    return policy;
  }

  /**
   * (a) every call allowed, (b) every allowed action needed or listed as not observable; all
   * problems.
   */
  static List<String> problems(
      IamPolicy policy,
      List<CallLog.AccountCall> calls,
      Map<String, String> values,
      Map<String, String> notObservable) {
    Set<String> out = new LinkedHashSet<>();
    Set<String> unset = new TreeSet<>(policy.placeholders());
    unset.removeAll(values.keySet());
    if (!unset.isEmpty()) out.add(policy + " uses " + unset + ", which this check gives no value");
    Set<String> needed = new TreeSet<>();
    for (CallLog.AccountCall c : calls) {
      for (IamActions.Need n : IamActions.needs(c.call(), c.account())) {
        needed.add(n.action());
        if (!policy.allows(n.action(), n.resource(), values)) {
          out.add(
              c.call().service()
                  + " "
                  + c.call().operation()
                  + " needs "
                  + n.action()
                  + (n.resource() == null ? "" : " on " + n.resource())
                  + ": no Allow statement of "
                  + policy
                  + " gives it");
        }
      }
    }
    Set<String> allowed = policy.allowedActionPatterns();
    for (String pattern : allowed) {
      boolean seen = needed.stream().anyMatch(a -> IamPolicy.matches(pattern, a, true));
      if (seen && notObservable.containsKey(pattern)) {
        out.add(
            pattern
                + " is listed as not observable in the sandbox but was observed: take it off the list");
      } else if (!seen && !notObservable.containsKey(pattern)) {
        out.add(
            policy
                + " allows "
                + pattern
                + " but no call needed it and it is not listed as not observable");
      }
    }
    for (String u : notObservable.keySet()) {
      if (!allowed.contains(u))
        out.add(u + " is listed as not observable but " + policy + " does not allow it");
    }
    return new ArrayList<>(out);
  }

  /** The resource carries every tag key the policy requires on {@code action}'s request. */
  static void assertTagsRequiredOnCreate(
      IamPolicy policy, String action, Map<String, String> tags, String what) {
    Set<String> required = policy.requiredRequestTags().getOrDefault(action, Set.of());
    assertTrue(!required.isEmpty(), policy + " requires tags on " + action);
    assertTrue(
        tags.keySet().containsAll(required),
        what
            + " has tags "
            + tags.keySet()
            + "; "
            + policy
            + " lets "
            + action
            + " through only with "
            + required);
  }

  static List<CallLog.AccountCall> only(List<CallLog.AccountCall> calls, String account) {
    Predicate<CallLog.AccountCall> mine = c -> account.equals(c.account());
    return calls.stream().filter(mine).toList();
  }

  static CallLog.AccountCall call(
      String service, String operation, String bucket, String key, int status) {
    return new CallLog.AccountCall(
        new CallLog.Call(1, service, operation, bucket, key, status, null), ACCOUNT);
  }

  /** Route53's normalized form of a record name: lower case, no trailing dot. */
  static String dnsName(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
  }

  static StagingRebuildWorkflow staging(TestWorkflowEnvironment env, String workflowId) {
    return env.getWorkflowClient()
        .newWorkflowStub(
            StagingRebuildWorkflow.class,
            WorkflowOptions.newBuilder().setTaskQueue("q").setWorkflowId(workflowId).build());
  }

  /**
   * The demo rebuild, with the masking script in S3 (so its GetObject is seen), a final snapshot of
   * the retired cluster, and the temporary snapshots kept (so their tags can be read); the
   * compensating run deletes its own, which shows the unshare and delete calls.
   */
  static StagingRebuildRequest stagingRequest(
      StagingDemo.Seeded seeded, Path password, String verify) {
    return new StagingRebuildRequest(
        new AccountRef(seeded.prodAccount(), null),
        seeded.sourceClusterId(),
        new AccountRef(seeded.stagingAccount(), seeded.stagingRoleArn()),
        null,
        seeded.customerKeyArn(),
        "db.r5.large",
        1,
        null,
        null,
        "file:" + password,
        new MaskingSpec(null, "s3://dbops-scripts/staging/masking.sql", List.of(verify)),
        StagingRebuildRequest.DRIFT_OFF,
        null,
        null,
        new DnsTarget(seeded.hostedZoneId(), seeded.recordName(), 0L),
        new RetirePolicy(RetirePolicy.GRACE, null, Duration.ofSeconds(1), true),
        true,
        null,
        null,
        "ci",
        Duration.ofSeconds(1),
        null,
        null,
        null,
        null);
  }

  /** docs/iam, found from the module directory Maven runs tests in (or the repository root). */
  static Path docs() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isDirectory(p.resolve("docs/iam"))) return p.resolve("docs/iam");
    }
    throw new AssertionError("docs/iam not found above " + Path.of("").toAbsolutePath());
  }

  /** The sandbox, a real RdsClient, and Temporal's activity environment. */
  static final class Rds implements AutoCloseable {
    final AwsSandbox sandbox;
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final RdsClient client;
    final TestActivityEnvironment env = TestActivityEnvironment.newInstance();

    Rds(RdsTimings timings) {
      sandbox = AwsSandbox.start(SandboxConfig.defaults().withRdsTimings(timings));
      client = AwsClients.rds(AwsSettings.sandbox(sandbox.endpoint()), registry);
    }

    RdsUpgradeActivities upgradeActivities() {
      env.registerActivitiesImplementations(
          new RdsUpgradeActivitiesImpl(client, registry, sandbox.clock()));
      return env.newActivityStub(RdsUpgradeActivities.class, ONE_ATTEMPT);
    }

    @Override
    public void close() {
      env.close();
      client.close();
      sandbox.close();
    }
  }
}
