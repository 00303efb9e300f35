package dev.dbops.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBCluster;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.rds.model.DbClusterAlreadyExistsException;
import software.amazon.awssdk.services.rds.model.DbInstanceNotFoundException;
import software.amazon.awssdk.services.rds.model.Event;
import software.amazon.awssdk.services.rds.model.InvalidDbClusterStateException;
import software.amazon.awssdk.services.rds.model.RdsException;
import software.amazon.awssdk.services.rds.model.SourceType;

/**
 * Aurora read replica clusters of RDS for MySQL instances over the real SDK, unbound (the state
 * machine and the errors; {@link RdsBoundReadReplicaTest} has the real replication).
 */
class RdsReadReplicaTest {

  private static final Duration CREATE = Duration.ofMinutes(15);
  private static final Duration PROMOTE = Duration.ofMinutes(5);
  private static final String SOURCE_ARN = "arn:aws:rds:us-east-1:123456789012:db:shop";

  private AwsSandbox sandbox;
  private RdsClient rds;

  @BeforeEach
  void start() {
    sandbox =
        AwsSandbox.start(
            SandboxConfig.defaults()
                .withRdsTimings(
                    RdsTimings.defaults().withClusterRestore(CREATE).withReplicaPromote(PROMOTE)));
    rds = SandboxClients.rds(sandbox);
    sandbox.rds().createInstance(InstanceSeed.mysql57("shop"));
  }

  @AfterEach
  void stop() {
    rds.close();
    sandbox.close();
  }

  @Test
  void givenMySql57Instance_whenReplicaCreatedAndPromoted_thenStatesSourceLinksAndEventsAsRds() {
    assertEquals(SOURCE_ARN, sourceInstance().dbInstanceArn());
    assertEquals("mysql", sourceInstance().engine());
    assertNull(sourceInstance().dbClusterIdentifier());

    DBCluster created = createReplica("shop-aurora");
    DBInstance writer =
        rds.createDBInstance(
                r ->
                    r.dbInstanceIdentifier("shop-aurora-1")
                        .dbClusterIdentifier("shop-aurora")
                        .engine("aurora-mysql")
                        .dbInstanceClass("db.r5.large"))
            .dbInstance();

    assertEquals("creating", created.status());
    assertEquals("aurora-mysql", created.engine());
    assertEquals("5.7.mysql_aurora.2.11.2", created.engineVersion());
    assertEquals(SOURCE_ARN, created.replicationSourceIdentifier());
    assertEquals("creating", writer.dbInstanceStatus(), "allowed while the cluster is creating");
    assertEquals(List.of("shop-aurora"), sourceInstance().readReplicaDBClusterIdentifiers());

    sandbox.clock().advance(CREATE);
    assertEquals("available", cluster().status());
    assertEquals(SOURCE_ARN, cluster().replicationSourceIdentifier());

    DBCluster promoting =
        rds.promoteReadReplicaDBCluster(r -> r.dbClusterIdentifier("shop-aurora")).dbCluster();
    assertEquals("promoting", promoting.status());
    sandbox.clock().advance(PROMOTE.minusSeconds(1));
    assertEquals("promoting", cluster().status());
    sandbox.clock().advance(Duration.ofSeconds(1));

    assertEquals("available", cluster().status());
    assertNull(cluster().replicationSourceIdentifier());
    assertEquals(List.of(), sourceInstance().readReplicaDBClusterIdentifiers());
    List<String> events =
        rds
            .describeEvents(
                r ->
                    r.sourceType(SourceType.DB_CLUSTER)
                        .sourceIdentifier("shop-aurora")
                        .duration(60 * 24))
            .events()
            .stream()
            .map(Event::message)
            .toList();
    assertEquals(
        List.of(
            "DB cluster created",
            RdsReadReplicas.REPLICATION_STARTED + " " + SOURCE_ARN,
            RdsReadReplicas.PROMOTING,
            RdsReadReplicas.PROMOTED),
        events);
  }

  @Test
  void givenStandAloneOrBusyCluster_whenPromoted_thenInvalidDbClusterState() {
    sandbox.rds().createCluster(ClusterSeed.auroraMysql57("plain"));
    createReplica("shop-aurora");

    InvalidDbClusterStateException notReplica =
        assertThrows(
            InvalidDbClusterStateException.class,
            () -> rds.promoteReadReplicaDBCluster(r -> r.dbClusterIdentifier("plain")));
    InvalidDbClusterStateException creating =
        assertThrows(
            InvalidDbClusterStateException.class,
            () -> rds.promoteReadReplicaDBCluster(r -> r.dbClusterIdentifier("shop-aurora")));

    assertEquals(
        "DB cluster plain is not a read replica.", notReplica.awsErrorDetails().errorMessage());
    assertTrue(creating.awsErrorDetails().errorMessage().contains("creating"));
  }

  @Test
  void givenBadSources_whenReplicaCreated_thenRdsErrorsAndNoCluster() {
    sandbox.rds().createInstance(InstanceSeed.mysql57("no-backups").withBackupRetentionDays(0));
    sandbox.rds().createInstance(InstanceSeed.mysql56("old"));

    assertCode(
        "InvalidParameterCombination",
        () -> createReplica("a", "arn:aws:rds:us-east-1:123456789012:db:no-backups"));
    assertCode(
        "InvalidParameterCombination",
        () -> createReplica("b", "arn:aws:rds:us-east-1:123456789012:db:old"));
    assertThrows(
        DbInstanceNotFoundException.class,
        () -> createReplica("c", "arn:aws:rds:us-east-1:123456789012:db:missing"));
    assertThrows(
        DbInstanceNotFoundException.class,
        () -> createReplica("d", "arn:aws:rds:us-east-1:111111111111:db:shop"),
        "another account's instance is not found");
    assertCode(
        "InvalidParameterCombination",
        () ->
            rds.createDBCluster(
                r ->
                    r.dbClusterIdentifier("e")
                        .engine("aurora")
                        .replicationSourceIdentifier(SOURCE_ARN)));
    assertCode(
        "InvalidParameterCombination",
        () ->
            rds.createDBCluster(
                r ->
                    r.dbClusterIdentifier("f")
                        .engine("aurora-mysql")
                        .engineVersion("8.0.mysql_aurora.3.04.0")
                        .replicationSourceIdentifier(SOURCE_ARN)));

    assertEquals(List.of(), rds.describeDBClusters().dbClusters());
    createReplica("shop-aurora");
    assertThrows(DbClusterAlreadyExistsException.class, () -> createReplica("shop-aurora"));
  }

  private DBCluster createReplica(String id) {
    return createReplica(id, SOURCE_ARN);
  }

  private DBCluster createReplica(String id, String sourceArn) {
    return rds.createDBCluster(
            r ->
                r.dbClusterIdentifier(id)
                    .engine("aurora-mysql")
                    .replicationSourceIdentifier(sourceArn))
        .dbCluster();
  }

  private void assertCode(String code, Executable call) {
    RdsException e = assertThrows(RdsException.class, call);
    assertEquals(code, e.awsErrorDetails().errorCode(), e.getMessage());
  }

  private DBInstance sourceInstance() {
    return rds.describeDBInstances(r -> r.dbInstanceIdentifier("shop")).dbInstances().get(0);
  }

  private DBCluster cluster() {
    return rds.describeDBClusters(r -> r.dbClusterIdentifier("shop-aurora")).dbClusters().get(0);
  }
}
