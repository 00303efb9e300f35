package dev.dbops.sandbox;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An Aurora MySQL cluster to seed with {@link RdsSandbox#createCluster(ClusterSeed)}; it starts
 * {@code available} with its instances {@code available} (the first instance is the writer).
 * Custom parameter groups named here are created with the engine version's family if missing.
 *
 * <pre>{@code
 * sandbox.rds().createCluster(ClusterSeed.aurora56("prod-db")
 *         .withInstances("prod-db-1", "prod-db-2")
 *         .withParameterGroups("prod-aurora56-cluster", "prod-aurora56-instance")
 *         .withTag("environment", "production")
 *         .withBacktrackWindow(86_400));
 * }</pre>
 *
 * @param id                     DBClusterIdentifier
 * @param engine                 {@code aurora} (MySQL 5.6) or {@code aurora-mysql} (5.7, 8.0)
 * @param engineVersion          e.g. {@code 5.6.10a}, {@code 5.7.mysql_aurora.2.11.2}; must be in the engine catalog
 * @param clusterParameterGroup  DBClusterParameterGroup; null = {@code default.<family>}
 * @param instanceParameterGroup every instance's DB parameter group; null = {@code default.<family>}
 * @param instances              DBInstanceIdentifiers; the first is the writer
 * @param instanceClass          e.g. {@code db.r5.large}
 * @param tags                   resource tags, e.g. {@code environment=production}
 * @param backtrackWindow        seconds; 0 = backtracking off
 * @param storageEncrypted       StorageEncrypted (KmsKeyId is set when true)
 * @param port                   Port reported when the cluster is not bound to a local MariaDB
 */
public record ClusterSeed(String id, String engine, String engineVersion, String clusterParameterGroup,
                          String instanceParameterGroup, List<String> instances, String instanceClass,
                          Map<String, String> tags, long backtrackWindow, boolean storageEncrypted, int port) {

    public ClusterSeed {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(engineVersion, "engineVersion");
        instances = List.copyOf(instances);
        Objects.requireNonNull(instanceClass, "instanceClass");
        tags = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(tags));
        if (backtrackWindow < 0) {
            throw new IllegalArgumentException("backtrackWindow must not be negative: " + backtrackWindow);
        }
    }

    /** Engine {@code aurora} 5.6.10a, default parameter groups, one instance {@code <id>-instance-1}, encrypted. */
    public static ClusterSeed aurora56(String id) {
        return new ClusterSeed(id, "aurora", "5.6.10a", null, null, List.of(id + "-instance-1"), "db.r5.large",
                Map.of(), 0, true, 3306);
    }

    public ClusterSeed withEngine(String engine, String engineVersion) {
        return new ClusterSeed(id, engine, engineVersion, clusterParameterGroup, instanceParameterGroup, instances,
                instanceClass, tags, backtrackWindow, storageEncrypted, port);
    }

    public ClusterSeed withParameterGroups(String clusterGroup, String instanceGroup) {
        return new ClusterSeed(id, engine, engineVersion, clusterGroup, instanceGroup, instances, instanceClass, tags,
                backtrackWindow, storageEncrypted, port);
    }

    /** Replaces the instances; none is allowed (a cluster without instances). */
    public ClusterSeed withInstances(String... instanceIds) {
        return new ClusterSeed(id, engine, engineVersion, clusterParameterGroup, instanceParameterGroup,
                List.of(instanceIds), instanceClass, tags, backtrackWindow, storageEncrypted, port);
    }

    public ClusterSeed withInstanceClass(String instanceClass) {
        return new ClusterSeed(id, engine, engineVersion, clusterParameterGroup, instanceParameterGroup, instances,
                instanceClass, tags, backtrackWindow, storageEncrypted, port);
    }

    public ClusterSeed withTag(String key, String value) {
        Map<String, String> more = new LinkedHashMap<>(tags);
        more.put(key, value);
        return new ClusterSeed(id, engine, engineVersion, clusterParameterGroup, instanceParameterGroup, instances,
                instanceClass, more, backtrackWindow, storageEncrypted, port);
    }

    public ClusterSeed withBacktrackWindow(long seconds) {
        return new ClusterSeed(id, engine, engineVersion, clusterParameterGroup, instanceParameterGroup, instances,
                instanceClass, tags, seconds, storageEncrypted, port);
    }

    public ClusterSeed withStorageEncrypted(boolean encrypted) {
        return new ClusterSeed(id, engine, engineVersion, clusterParameterGroup, instanceParameterGroup, instances,
                instanceClass, tags, backtrackWindow, encrypted, port);
    }
}
