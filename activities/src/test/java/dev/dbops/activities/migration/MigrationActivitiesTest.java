package dev.dbops.activities.migration;

import static dev.dbops.activities.SandboxFixture.failureOf;
import static dev.dbops.activities.migration.MigrationFixture.NAMES;
import static dev.dbops.activities.migration.MigrationFixture.WORKFLOW_ID;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dbops.sandbox.ClusterSeed;
import dev.dbops.sandbox.InstanceSeed;
import dev.dbops.workflows.common.ErrorTypes;
import dev.dbops.workflows.migration.CreateOutcome;
import dev.dbops.workflows.migration.InstanceUpgradeSpec;
import dev.dbops.workflows.migration.PromoteOutcome;
import dev.dbops.workflows.migration.SourceInstanceFacts;
import dev.dbops.workflows.migration.SourceQuery;
import dev.dbops.workflows.staging.StagingValidator;
import dev.dbops.workflows.upgrade.ClusterEndpoints;
import dev.dbops.workflows.upgrade.ClusterFacts.UpgradeTarget;
import dev.dbops.workflows.upgrade.InstanceSpec;
import dev.dbops.workflows.upgrade.ModifyOutcome;
import io.temporal.failure.ApplicationFailure;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The AWS side of the migration over the real SDK against the sandbox, instances unbound: inspect,
 * create-or-adopt of the replica cluster, the 5.6 source upgrade, promote once, and the RDS errors
 * classified by the one classifier. {@link MigrationReplicationTest} has real MariaDB replication.
 */
class MigrationActivitiesTest {
  private MigrationFixture aws;

  @BeforeEach
  void start() {
    aws = new MigrationFixture();
    aws.sandbox
        .rds()
        .createInstance(InstanceSeed.mysql57("shop").withTags(Map.of("environment", "production")));
  }

  @AfterEach
  void stop() {
    aws.close();
  }

  @Test
  void givenMySql57Source_whenInspected_thenFactsRdsReportsIncludingGroupFamilies() {
    aws.sandbox.rds().createClusterParameterGroup("shop-aurora57", "aurora-mysql5.7");

    SourceInstanceFacts facts =
        aws.migration.inspectSource(new SourceQuery("shop", List.of("shop-aurora57", "missing")));

    assertEquals(aws.sourceArn("shop"), facts.instanceArn());
    assertEquals("available", facts.status());
    assertEquals("mysql", facts.engine());
    assertEquals("5.7", facts.majorVersion());
    assertEquals(7, facts.backupRetentionDays());
    assertTrue(facts.production());
    assertEquals("default", facts.dbSubnetGroup());
    assertEquals(
        Map.of("default.mysql5.7", "mysql5.7", "shop-aurora57", "aurora-mysql5.7"),
        facts.parameterGroupFamilies());
    assertEquals(List.of(), facts.replicaClusters());
    assertEquals(
        List.of(), facts.validUpgradeTargets(), "5.7.44 is the newest 5.7 the sandbox has");
  }

  @Test
  void givenReplicaCluster_whenEnsuredTwiceAndPromotedTwice_thenOneCreateAndOnePromote() {
    CreateOutcome first = aws.migration.ensureReplicaCluster(aws.replicaSpec("shop", WORKFLOW_ID));
    CreateOutcome again = aws.migration.ensureReplicaCluster(aws.replicaSpec("shop", WORKFLOW_ID));
    aws.rds.createInstance(
        new InstanceSpec(
            NAMES.instanceId(0),
            NAMES.clusterId(),
            "db.r5.large",
            "aurora-mysql",
            Map.of(StagingValidator.OWNER_TAG, WORKFLOW_ID)));

    assertEquals(new CreateOutcome(NAMES.clusterId(), CreateOutcome.CREATED, "creating"), first);
    assertEquals(CreateOutcome.ADOPTED, again.action());
    assertEquals(1, aws.calls("CreateDBCluster"));
    assertEquals(
        List.of(NAMES.clusterId()),
        aws.migration.inspectSource(new SourceQuery("shop", List.of())).replicaClusters());
    assertEquals(
        ErrorTypes.NOT_READY,
        failureOf(() -> aws.migration.checkPromoted(NAMES.clusterId())).getType(),
        "creating, and still a replica");

    aws.sandbox.clock().advance(MigrationFixture.CREATE);
    PromoteOutcome promoted = aws.migration.promote(NAMES.clusterId());
    PromoteOutcome resumed = aws.migration.promote(NAMES.clusterId());
    ApplicationFailure promoting = failureOf(() -> aws.migration.checkPromoted(NAMES.clusterId()));
    aws.sandbox.clock().advance(MigrationFixture.PROMOTE);
    ClusterEndpoints endpoints = aws.migration.checkPromoted(NAMES.clusterId());

    assertEquals(PromoteOutcome.PROMOTED, promoted.action());
    assertEquals(PromoteOutcome.ALREADY_PROMOTED, resumed.action());
    assertEquals(1, aws.calls("PromoteReadReplicaDBCluster"));
    assertEquals(ErrorTypes.NOT_READY, promoting.getType());
    assertTrue(
        promoting.getOriginalMessage().contains("promoting"), promoting.getOriginalMessage());
    assertEquals(NAMES.clusterId(), endpoints.clusterId());
    assertEquals(
        List.of(),
        aws.migration.inspectSource(new SourceQuery("shop", List.of())).replicaClusters(),
        "promoted: the source keeps no replica");
  }

  @Test
  void givenClusterOfAnotherOwner_whenEnsured_thenNotOwnedAndNothingCreated() {
    aws.sandbox
        .rds()
        .createCluster(
            ClusterSeed.auroraMysql57(NAMES.clusterId())
                .withTag(StagingValidator.OWNER_TAG, "aurora-migration/other"));

    ApplicationFailure f =
        failureOf(() -> aws.migration.ensureReplicaCluster(aws.replicaSpec("shop", WORKFLOW_ID)));

    assertEquals(ErrorTypes.NOT_OWNED, f.getType());
    assertTrue(f.isNonRetryable());
    assertEquals(0, aws.calls("CreateDBCluster"));
  }

  @Test
  void givenSourcesRdsRefuses_whenEnsured_thenNonRetryableInvalidParameterNamingTheRule() {
    aws.sandbox.rds().createInstance(InstanceSeed.mysql57("no-backups").withBackupRetentionDays(0));
    aws.sandbox.rds().createInstance(InstanceSeed.mysql56("old"));

    ApplicationFailure noBackups =
        failureOf(
            () -> aws.migration.ensureReplicaCluster(aws.replicaSpec("no-backups", WORKFLOW_ID)));
    ApplicationFailure old =
        failureOf(() -> aws.migration.ensureReplicaCluster(aws.replicaSpec("old", WORKFLOW_ID)));

    assertEquals(ErrorTypes.INVALID_PARAMETER, noBackups.getType());
    assertTrue(noBackups.isNonRetryable());
    assertTrue(
        noBackups.getOriginalMessage().contains("Automated backups are not enabled"),
        noBackups.getOriginalMessage());
    assertEquals(ErrorTypes.INVALID_PARAMETER, old.getType());
    assertTrue(old.getOriginalMessage().contains("Upgrade it to MySQL 5.7 first"));
    assertEquals(
        ErrorTypes.NOT_FOUND, failureOf(() -> aws.migration.promote("no-such-cluster")).getType());
  }

  @Test
  void givenMySql56Source_whenUpgradedTwice_thenOneModifyThenReplicaAllowed() {
    aws.sandbox.rds().createInstance(InstanceSeed.mysql56("old"));
    InstanceUpgradeSpec spec = new InstanceUpgradeSpec("old", "5.7.44", null);
    SourceInstanceFacts before = aws.migration.inspectSource(new SourceQuery("old", List.of()));

    ModifyOutcome started = aws.migration.startInstanceUpgrade(spec);
    ModifyOutcome resumed = aws.migration.startInstanceUpgrade(spec);
    ApplicationFailure upgrading = failureOf(() -> aws.migration.checkInstanceUpgraded(spec));
    aws.sandbox.clock().advance(MigrationFixture.UPGRADE);
    String version = aws.migration.checkInstanceUpgraded(spec);

    assertTrue(before.validUpgradeTargets().contains(new UpgradeTarget("mysql", "5.7.44", true)));
    assertEquals(ModifyOutcome.STARTED, started.action());
    assertEquals(ModifyOutcome.ALREADY_UPGRADING, resumed.action());
    assertEquals(1, aws.calls("ModifyDBInstance"));
    assertEquals(ErrorTypes.NOT_READY, upgrading.getType());
    assertEquals("5.7.44", version);
    assertEquals(
        "default.mysql5.7",
        aws.migration.inspectSource(new SourceQuery("old", List.of())).parameterGroup());
    assertEquals(
        CreateOutcome.CREATED,
        aws.migration.ensureReplicaCluster(aws.replicaSpec("old", WORKFLOW_ID)).action());
    assertFalse(
        aws.migration.inspectSource(new SourceQuery("old", List.of())).replicaClusters().isEmpty());
  }

  @Test
  void givenAvailableSourceNotUpgraded_whenChecked_thenUpgradeFailedNotWaitingForever() {
    InstanceUpgradeSpec spec = new InstanceUpgradeSpec("shop", "5.7.99", null);

    ApplicationFailure f = failureOf(() -> aws.migration.checkInstanceUpgraded(spec));

    assertEquals(ErrorTypes.UPGRADE_FAILED, f.getType());
    assertTrue(f.isNonRetryable());
  }
}
