package dev.dbops.sandbox;

import java.util.List;
import java.util.Optional;

/**
 * The Aurora MySQL and RDS for MySQL engine versions the sandbox knows, their parameter group
 * families, the MySQL version each reports from {@code SELECT VERSION()}, and their valid upgrade
 * targets (as DescribeDBEngineVersions' {@code ValidUpgradeTarget} lists them).
 */
final class RdsEngineVersions {

  /** One engine version. */
  record Version(
      String engine, String version, String family, String mysqlVersion, String description) {}

  /** One entry of a version's ValidUpgradeTarget. */
  record Target(Version to, boolean majorVersionUpgrade, boolean autoUpgrade) {}

  static final Version AURORA_5_6_10A =
      new Version("aurora", "5.6.10a", "aurora5.6", "5.6.10", "Aurora (MySQL 5.6) 5.6.10a");
  static final Version AURORA_1_22_2 =
      new Version(
          "aurora", "5.6.mysql_aurora.1.22.2", "aurora5.6", "5.6.10", "Aurora (MySQL 5.6) 1.22.2");
  static final Version AURORA_MYSQL_2_11_2 =
      new Version(
          "aurora-mysql",
          "5.7.mysql_aurora.2.11.2",
          "aurora-mysql5.7",
          "5.7.12",
          "Aurora (MySQL 5.7) 2.11.2");
  static final Version AURORA_MYSQL_2_12_0 =
      new Version(
          "aurora-mysql",
          "5.7.mysql_aurora.2.12.0",
          "aurora-mysql5.7",
          "5.7.12",
          "Aurora (MySQL 5.7) 2.12.0");
  static final Version AURORA_MYSQL_3_04_0 =
      new Version(
          "aurora-mysql",
          "8.0.mysql_aurora.3.04.0",
          "aurora-mysql8.0",
          "8.0.28",
          "Aurora MySQL 3.04.0 (compatible with MySQL 8.0.28)");

  /** RDS for MySQL (standalone instances, e.g. the source of an Aurora read replica). */
  static final Version MYSQL_5_6_51 =
      new Version("mysql", "5.6.51", "mysql5.6", "5.6.51", "MySQL Community Edition");

  static final Version MYSQL_5_7_43 =
      new Version("mysql", "5.7.43", "mysql5.7", "5.7.43", "MySQL Community Edition");
  static final Version MYSQL_5_7_44 =
      new Version("mysql", "5.7.44", "mysql5.7", "5.7.44", "MySQL Community Edition");

  static final List<Version> ALL =
      List.of(
          AURORA_5_6_10A,
          AURORA_1_22_2,
          AURORA_MYSQL_2_11_2,
          AURORA_MYSQL_2_12_0,
          AURORA_MYSQL_3_04_0,
          MYSQL_5_6_51,
          MYSQL_5_7_43,
          MYSQL_5_7_44);

  /** Parameter group families, in catalog order. */
  static final List<String> FAMILIES =
      List.of("aurora5.6", "aurora-mysql5.7", "aurora-mysql8.0", "mysql5.6", "mysql5.7");

  private RdsEngineVersions() {}

  static Optional<Version> find(String engine, String version) {
    return ALL.stream()
        .filter(v -> v.engine().equals(engine) && v.version().equals(version))
        .findFirst();
  }

  /** By version string alone (versions are unique across aurora and aurora-mysql). */
  static Optional<Version> find(String version) {
    return ALL.stream().filter(v -> v.version().equals(version)).findFirst();
  }

  static List<Target> upgradeTargets(Version from) {
    if (from.equals(AURORA_5_6_10A)) {
      return List.of(
          new Target(AURORA_1_22_2, false, false),
          new Target(AURORA_MYSQL_2_11_2, true, false),
          new Target(AURORA_MYSQL_2_12_0, true, false));
    }
    if (from.equals(AURORA_1_22_2)) {
      return List.of(
          new Target(AURORA_MYSQL_2_11_2, true, false),
          new Target(AURORA_MYSQL_2_12_0, true, false));
    }
    if (from.equals(AURORA_MYSQL_2_11_2)) {
      return List.of(
          new Target(AURORA_MYSQL_2_12_0, false, true),
          new Target(AURORA_MYSQL_3_04_0, true, false));
    }
    if (from.equals(AURORA_MYSQL_2_12_0)) {
      return List.of(new Target(AURORA_MYSQL_3_04_0, true, false));
    }
    if (from.equals(MYSQL_5_6_51)) {
      return List.of(new Target(MYSQL_5_7_43, true, false), new Target(MYSQL_5_7_44, true, false));
    }
    if (from.equals(MYSQL_5_7_43)) {
      return List.of(new Target(MYSQL_5_7_44, false, true));
    }
    return List.of();
  }

  static Optional<Target> target(Version from, String toVersion) {
    return upgradeTargets(from).stream()
        .filter(t -> t.to().version().equals(toVersion))
        .findFirst();
  }

  /**
   * The Aurora MySQL version a read replica cluster of an RDS for MySQL {@code source} gets when
   * CreateDBCluster names none (a 5.7 source: Aurora MySQL 2), or empty when Aurora cannot
   * replicate from that major version (a 5.6 source: its Aurora counterpart, 1.x, is not {@code
   * aurora-mysql}).
   */
  static Optional<Version> auroraReplicaOf(Version source) {
    return "mysql5.7".equals(source.family()) ? Optional.of(AURORA_MYSQL_2_11_2) : Optional.empty();
  }

  static String defaultParameterGroup(String family) {
    return "default." + family;
  }
}
