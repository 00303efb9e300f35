package dev.dbops.sandbox;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * DB cluster and DB (instance) parameter groups: name → family, one catalog for every account, with
 * the default group of every known family. Guarded by {@link RdsSandbox}'s lock.
 */
final class RdsParameterGroups {

  private final Map<String, String> clusterGroups = new LinkedHashMap<>();
  private final Map<String, String> dbGroups = new LinkedHashMap<>();

  RdsParameterGroups() {
    for (String family : RdsEngineVersions.FAMILIES) {
      clusterGroups.put(RdsEngineVersions.defaultParameterGroup(family), family);
      dbGroups.put(RdsEngineVersions.defaultParameterGroup(family), family);
    }
  }

  /** Creates a DB cluster parameter group. Idempotent for the same family. */
  void createClusterGroup(String name, String family) {
    create(clusterGroups, name, family);
  }

  /** Creates a DB (instance) parameter group. Idempotent for the same family. */
  void createDbGroup(String name, String family) {
    create(dbGroups, name, family);
  }

  /** A seed's group: created with the family when missing. */
  void ensureClusterGroup(String name, String family) {
    clusterGroups.putIfAbsent(name, family);
  }

  void ensureDbGroup(String name, String family) {
    dbGroups.putIfAbsent(name, family);
  }

  Map<String, String> clusterGroups() {
    return Map.copyOf(clusterGroups);
  }

  Map<String, String> dbGroups() {
    return Map.copyOf(dbGroups);
  }

  String clusterFamily(String name) {
    return clusterGroups.get(name);
  }

  String dbFamily(String name) {
    return dbGroups.get(name);
  }

  static String clusterGroupArn(String account, String name) {
    return RdsResources.arn(account, "cluster-pg", name);
  }

  static String dbGroupArn(String account, String name) {
    return RdsResources.arn(account, "pg", name);
  }

  /** {@code name} if it is a cluster group of {@code family}, else the RDS fault. */
  String clusterGroupOfFamily(String name, String family) {
    String actual = clusterGroups.get(name);
    if (actual == null) {
      throw RdsErrors.clusterParameterGroupNotFound(name).exception();
    }
    if (!actual.equals(family)) {
      throw RdsErrors.invalidParameterCombination(
              "The parameter group "
                  + name
                  + " with DBParameterGroupFamily "
                  + actual
                  + " cannot be used for this cluster. Please use a parameter group with "
                  + "DBParameterGroupFamily "
                  + family)
          .exception();
    }
    return name;
  }

  /** {@code name} if it is a DB group of {@code family}, else the RDS fault. */
  String dbGroupOfFamily(String name, String family) {
    String actual = dbGroups.get(name);
    if (actual == null) {
      throw RdsErrors.parameterGroupNotFound(name).exception();
    }
    if (!actual.equals(family)) {
      throw RdsErrors.invalidParameterCombination(
              "The parameter group "
                  + name
                  + " with DBParameterGroupFamily "
                  + actual
                  + " cannot be used for this instance. Please use a parameter group with "
                  + "DBParameterGroupFamily "
                  + family)
          .exception();
    }
    return name;
  }

  private static void create(Map<String, String> groups, String name, String family) {
    if (!RdsEngineVersions.FAMILIES.contains(family)) {
      throw new IllegalArgumentException(
          "unknown family " + family + "; known: " + RdsEngineVersions.FAMILIES);
    }
    String existing = groups.putIfAbsent(name, family);
    if (existing != null && !existing.equals(family)) {
      throw new IllegalArgumentException(
          "parameter group " + name + " exists with family " + existing);
    }
  }
}
