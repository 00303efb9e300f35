package dev.dbops.activities.aws;

import static dev.dbops.activities.aws.AwsFailures.ifExists;

import dev.dbops.workflows.upgrade.ClusterFacts.UpgradeTarget;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBCluster;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.rds.model.Filter;
import software.amazon.awssdk.services.rds.model.Tag;

/**
 * The read-only RDS look-ups that upgrade, rollback and aurora-migration share: clusters and their
 * instances, instances, parameter group families and an engine version's upgrade targets. Each call
 * goes through {@link AwsFailures}, so a not-found, a refusal or a throttle is classified in the
 * one place; the {@code find…} forms answer empty for a resource that does not exist.
 */
public final class RdsReads {
  private final RdsClient rds;

  public RdsReads(RdsClient rds) {
    this.rds = rds;
  }

  public DBCluster cluster(String clusterId) {
    return AwsFailures.call(
        "DescribeDBClusters",
        "cluster " + clusterId,
        () -> rds.describeDBClusters(b -> b.dbClusterIdentifier(clusterId)).dbClusters().get(0));
  }

  public Optional<DBCluster> findCluster(String clusterId) {
    return ifExists(
        () ->
            AwsFailures.call(
                "DescribeDBClusters",
                "cluster " + clusterId,
                () ->
                    rds
                        .describeDBClusters(b -> b.dbClusterIdentifier(clusterId))
                        .dbClusters()
                        .stream()
                        .findFirst()
                        .orElse(null)));
  }

  public DBInstance instance(String instanceId) {
    return AwsFailures.call(
        "DescribeDBInstances",
        "instance " + instanceId,
        () ->
            rds.describeDBInstances(b -> b.dbInstanceIdentifier(instanceId)).dbInstances().get(0));
  }

  public Optional<DBInstance> findInstance(String instanceId) {
    return ifExists(
        () ->
            AwsFailures.call(
                "DescribeDBInstances",
                "instance " + instanceId,
                () ->
                    rds
                        .describeDBInstances(b -> b.dbInstanceIdentifier(instanceId))
                        .dbInstances()
                        .stream()
                        .findFirst()
                        .orElse(null)));
  }

  /** The cluster's instances, by the {@code db-cluster-id} filter (one call per 100). */
  public List<DBInstance> members(String clusterId) {
    return AwsFailures.call(
        "DescribeDBInstances",
        "instances of cluster " + clusterId,
        () ->
            rds
                .describeDBInstancesPaginator(
                    b ->
                        b.filters(Filter.builder().name("db-cluster-id").values(clusterId).build()))
                .dbInstances()
                .stream()
                .toList());
  }

  /** The family of a DB (instance) parameter group, empty when there is no such group. */
  public Optional<String> instanceGroupFamily(String name) {
    return ifExists(
        () ->
            AwsFailures.call(
                "DescribeDBParameterGroups",
                "parameter group " + name,
                () ->
                    rds.describeDBParameterGroups(b -> b.dbParameterGroupName(name))
                        .dbParameterGroups()
                        .get(0)
                        .dbParameterGroupFamily()));
  }

  /** The family of a DB cluster parameter group, empty when there is no such group. */
  public Optional<String> clusterGroupFamily(String name) {
    return ifExists(
        () ->
            AwsFailures.call(
                "DescribeDBClusterParameterGroups",
                "cluster parameter group " + name,
                () ->
                    rds.describeDBClusterParameterGroups(b -> b.dbClusterParameterGroupName(name))
                        .dbClusterParameterGroups()
                        .get(0)
                        .dbParameterGroupFamily()));
  }

  /** The versions {@code engine} {@code version} can be upgraded to, each once. */
  public List<UpgradeTarget> upgradeTargets(String engine, String version) {
    return AwsFailures.call(
        "DescribeDBEngineVersions",
        engine + " " + version,
        () ->
            rds
                .describeDBEngineVersionsPaginator(b -> b.engine(engine).engineVersion(version))
                .dbEngineVersions()
                .stream()
                .flatMap(v -> v.validUpgradeTarget().stream())
                .map(
                    t ->
                        new UpgradeTarget(
                            t.engine(),
                            t.engineVersion(),
                            Boolean.TRUE.equals(t.isMajorVersionUpgrade())))
                .distinct()
                .toList());
  }

  /** RDS tags from a map, in its order. */
  public static List<Tag> tags(Map<String, String> tags) {
    if (tags == null) return List.of();
    return tags.entrySet().stream()
        .map(t -> Tag.builder().key(t.getKey()).value(t.getValue()).build())
        .toList();
  }
}
