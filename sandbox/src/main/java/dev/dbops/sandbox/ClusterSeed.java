package dev.dbops.sandbox;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An Aurora MySQL cluster to seed with {@link RdsSandbox#createCluster(ClusterSeed)}; it starts
 * {@code available} with its instances {@code available} (the first instance is the writer). Custom
 * parameter groups named here are created with the engine version's family if missing.
 *
 * <pre>{@code
 * sandbox.rds().createCluster(ClusterSeed.aurora56("prod-db")
 *         .withInstances("prod-db-1", "prod-db-2")
 *         .withParameterGroups("prod-aurora56-cluster", "prod-aurora56-instance")
 *         .withTag("environment", "production")
 *         .withBacktrackWindow(86_400));
 * }</pre>
 *
 * @param id DBClusterIdentifier
 * @param engine {@code aurora} (MySQL 5.6) or {@code aurora-mysql} (5.7, 8.0)
 * @param engineVersion e.g. {@code 5.6.10a}, {@code 5.7.mysql_aurora.2.11.2}; must be in the engine
 *     catalog
 * @param clusterParameterGroup DBClusterParameterGroup; null = {@code default.<family>}
 * @param instanceParameterGroup every instance's DB parameter group; null = {@code
 *     default.<family>}
 * @param instances DBInstanceIdentifiers; the first is the writer
 * @param instanceClass e.g. {@code db.r5.large}
 * @param tags resource tags, e.g. {@code environment=production}
 * @param backtrackWindow seconds; 0 = backtracking off
 * @param storageEncrypted StorageEncrypted
 * @param port Port reported when the cluster is not bound to a local MariaDB
 * @param account owning account (12 digits); {@link SandboxAccounts#DEFAULT_ACCOUNT} by default
 * @param kmsKeyId key ARN when encrypted; null = the account's AWS managed {@code aws/rds} key
 * @param masterUsername MasterUsername ({@code admin} by default)
 * @param masterPassword its password ({@value RdsSandbox#DEFAULT_MASTER_PASSWORD} by default); a
 *     sandbox-started or restored server has this user with this password
 */
public record ClusterSeed(
    String id,
    String engine,
    String engineVersion,
    String clusterParameterGroup,
    String instanceParameterGroup,
    List<String> instances,
    String instanceClass,
    Map<String, String> tags,
    long backtrackWindow,
    boolean storageEncrypted,
    int port,
    String account,
    String kmsKeyId,
    String masterUsername,
    String masterPassword) {

  public ClusterSeed {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(engine, "engine");
    Objects.requireNonNull(engineVersion, "engineVersion");
    instances = List.copyOf(instances);
    Objects.requireNonNull(instanceClass, "instanceClass");
    tags = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(tags));
    if (backtrackWindow < 0) {
      throw new IllegalArgumentException(
          "backtrackWindow must not be negative: " + backtrackWindow);
    }
    SandboxAccounts.checkAccount(account);
    if (kmsKeyId != null && !storageEncrypted) {
      throw new IllegalArgumentException("a KMS key needs storageEncrypted");
    }
    if (masterUsername == null || !masterUsername.matches("[A-Za-z][A-Za-z0-9_]{0,15}")) {
      throw new IllegalArgumentException(
          "masterUsername: 1-16 letters, digits or _, a letter first: " + masterUsername);
    }
    RdsClusters.checkMasterPassword(masterPassword)
        .ifPresent(
            e -> {
              throw new IllegalArgumentException(e.message());
            });
  }

  /**
   * Engine {@code aurora} 5.6.10a, default parameter groups, one instance {@code <id>-instance-1},
   * encrypted.
   */
  public static ClusterSeed aurora56(String id) {
    return new ClusterSeed(
        id,
        "aurora",
        "5.6.10a",
        null,
        null,
        List.of(id + "-instance-1"),
        "db.r5.large",
        Map.of(),
        0,
        true,
        3306,
        SandboxAccounts.DEFAULT_ACCOUNT,
        null,
        RdsSandbox.DEFAULT_MASTER_USERNAME,
        RdsSandbox.DEFAULT_MASTER_PASSWORD);
  }

  /**
   * Engine {@code aurora-mysql} 5.7.mysql_aurora.2.11.2 (MySQL 5.7.12), otherwise as {@link
   * #aurora56}.
   */
  public static ClusterSeed auroraMysql57(String id) {
    return aurora56(id).withEngine("aurora-mysql", "5.7.mysql_aurora.2.11.2");
  }

  public ClusterSeed withEngine(String engine, String engineVersion) {
    return new ClusterSeed(
        id,
        engine,
        engineVersion,
        clusterParameterGroup,
        instanceParameterGroup,
        instances,
        instanceClass,
        tags,
        backtrackWindow,
        storageEncrypted,
        port,
        account,
        kmsKeyId,
        masterUsername,
        masterPassword);
  }

  public ClusterSeed withParameterGroups(String clusterGroup, String instanceGroup) {
    return new ClusterSeed(
        id,
        engine,
        engineVersion,
        clusterGroup,
        instanceGroup,
        instances,
        instanceClass,
        tags,
        backtrackWindow,
        storageEncrypted,
        port,
        account,
        kmsKeyId,
        masterUsername,
        masterPassword);
  }

  /** Replaces the instances; none is allowed (a cluster without instances). */
  public ClusterSeed withInstances(String... instanceIds) {
    return new ClusterSeed(
        id,
        engine,
        engineVersion,
        clusterParameterGroup,
        instanceParameterGroup,
        List.of(instanceIds),
        instanceClass,
        tags,
        backtrackWindow,
        storageEncrypted,
        port,
        account,
        kmsKeyId,
        masterUsername,
        masterPassword);
  }

  public ClusterSeed withInstanceClass(String instanceClass) {
    return new ClusterSeed(
        id,
        engine,
        engineVersion,
        clusterParameterGroup,
        instanceParameterGroup,
        instances,
        instanceClass,
        tags,
        backtrackWindow,
        storageEncrypted,
        port,
        account,
        kmsKeyId,
        masterUsername,
        masterPassword);
  }

  public ClusterSeed withTag(String key, String value) {
    Map<String, String> more = new LinkedHashMap<>(tags);
    more.put(key, value);
    return new ClusterSeed(
        id,
        engine,
        engineVersion,
        clusterParameterGroup,
        instanceParameterGroup,
        instances,
        instanceClass,
        more,
        backtrackWindow,
        storageEncrypted,
        port,
        account,
        kmsKeyId,
        masterUsername,
        masterPassword);
  }

  public ClusterSeed withBacktrackWindow(long seconds) {
    return new ClusterSeed(
        id,
        engine,
        engineVersion,
        clusterParameterGroup,
        instanceParameterGroup,
        instances,
        instanceClass,
        tags,
        seconds,
        storageEncrypted,
        port,
        account,
        kmsKeyId,
        masterUsername,
        masterPassword);
  }

  /** Unencrypted drops the KMS key. */
  public ClusterSeed withStorageEncrypted(boolean encrypted) {
    return new ClusterSeed(
        id,
        engine,
        engineVersion,
        clusterParameterGroup,
        instanceParameterGroup,
        instances,
        instanceClass,
        tags,
        backtrackWindow,
        encrypted,
        port,
        account,
        encrypted ? kmsKeyId : null,
        masterUsername,
        masterPassword);
  }

  /** The owning account (hosted by the sandbox once the cluster is created). */
  public ClusterSeed inAccount(String accountId) {
    return new ClusterSeed(
        id,
        engine,
        engineVersion,
        clusterParameterGroup,
        instanceParameterGroup,
        instances,
        instanceClass,
        tags,
        backtrackWindow,
        storageEncrypted,
        port,
        accountId,
        kmsKeyId,
        masterUsername,
        masterPassword);
  }

  /**
   * Encrypted with this key (a key ARN, e.g. {@link KmsKeys#createCustomerKey}) instead of {@code
   * aws/rds}.
   */
  public ClusterSeed withKmsKey(String keyArn) {
    return new ClusterSeed(
        id,
        engine,
        engineVersion,
        clusterParameterGroup,
        instanceParameterGroup,
        instances,
        instanceClass,
        tags,
        backtrackWindow,
        true,
        port,
        account,
        keyArn,
        masterUsername,
        masterPassword);
  }

  public ClusterSeed withMasterUser(String username, String password) {
    return new ClusterSeed(
        id,
        engine,
        engineVersion,
        clusterParameterGroup,
        instanceParameterGroup,
        instances,
        instanceClass,
        tags,
        backtrackWindow,
        storageEncrypted,
        port,
        account,
        kmsKeyId,
        username,
        password);
  }
}
