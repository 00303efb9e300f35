package dev.dbops.sandbox;

import java.util.Map;
import java.util.Objects;

/**
 * A standalone RDS for MySQL instance to seed through the admin API ({@link
 * RdsSandbox#createInstance}), e.g. the source of an Aurora read replica. Seeded {@code available}.
 *
 * @param engineVersion an RDS for MySQL version the sandbox knows ({@code 5.6.51}, {@code 5.7.43},
 *     {@code 5.7.44})
 * @param backupRetentionDays 0: automated backups (and the binary log) off
 * @param parameterGroup its DB parameter group; null: {@code default.mysql<major>}; created with
 *     the version's family when missing
 */
public record InstanceSeed(
    String account,
    String id,
    String engineVersion,
    String instanceClass,
    int backupRetentionDays,
    String parameterGroup,
    Map<String, String> tags,
    String masterUsername,
    String masterPassword) {

  public InstanceSeed {
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(engineVersion, "engineVersion");
    Objects.requireNonNull(instanceClass, "instanceClass");
    if (backupRetentionDays < 0 || backupRetentionDays > 35) {
      throw new IllegalArgumentException(
          "backupRetentionDays must be 0 to 35: " + backupRetentionDays);
    }
    tags = Map.copyOf(tags == null ? Map.of() : tags);
    RdsClusters.checkMasterPassword(masterPassword)
        .ifPresent(
            e -> {
              throw new IllegalArgumentException(e.message());
            });
  }

  /** MySQL 5.7.44, db.r5.large, 7 days of backups, the default account and master user. */
  public static InstanceSeed mysql57(String id) {
    return new InstanceSeed(
        SandboxAccounts.DEFAULT_ACCOUNT,
        id,
        "5.7.44",
        "db.r5.large",
        7,
        null,
        Map.of(),
        RdsSandbox.DEFAULT_MASTER_USERNAME,
        RdsSandbox.DEFAULT_MASTER_PASSWORD);
  }

  /** As {@link #mysql57} on MySQL 5.6.51. */
  public static InstanceSeed mysql56(String id) {
    return mysql57(id).withEngineVersion("5.6.51");
  }

  public InstanceSeed withEngineVersion(String version) {
    return new InstanceSeed(
        account,
        id,
        version,
        instanceClass,
        backupRetentionDays,
        parameterGroup,
        tags,
        masterUsername,
        masterPassword);
  }

  public InstanceSeed withBackupRetentionDays(int days) {
    return new InstanceSeed(
        account,
        id,
        engineVersion,
        instanceClass,
        days,
        parameterGroup,
        tags,
        masterUsername,
        masterPassword);
  }

  public InstanceSeed withTags(Map<String, String> more) {
    return new InstanceSeed(
        account,
        id,
        engineVersion,
        instanceClass,
        backupRetentionDays,
        parameterGroup,
        more,
        masterUsername,
        masterPassword);
  }

  public InstanceSeed withMasterUser(String username, String password) {
    return new InstanceSeed(
        account,
        id,
        engineVersion,
        instanceClass,
        backupRetentionDays,
        parameterGroup,
        tags,
        username,
        password);
  }
}
