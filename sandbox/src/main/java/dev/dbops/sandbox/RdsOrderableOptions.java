package dev.dbops.sandbox;

import java.util.ArrayList;
import java.util.List;

/**
 * The DB instance classes the sandbox offers per engine and engine version, as
 * DescribeOrderableDBInstanceOptions lists them: Aurora MySQL 5.6 (1.x) still offers the old db.t2
 * / db.r3 classes, 5.7 (2.x) dropped them and offers db.t3 / db.r4 / db.r5 / db.r6g, 8.0 (3.x) adds
 * db.t4g and db.r6i and drops db.t3.small and db.r4. RDS for MySQL 5.7 and 8.0 have their own lists
 * so a call for them answers like AWS (MySQL 5.6, retired, is given the 5.7 list). Each option is
 * one row of (engine, version, class), in the order AWS returns them (by class).
 */
final class RdsOrderableOptions {

  /** One orderable option. */
  record Option(String engine, String engineVersion, String instanceClass) {
    boolean aurora() {
      return engine.startsWith("aurora");
    }
  }

  private static final List<String> AURORA_56 =
      List.of(
          "db.r3.2xlarge",
          "db.r3.4xlarge",
          "db.r3.8xlarge",
          "db.r3.large",
          "db.r3.xlarge",
          "db.r4.16xlarge",
          "db.r4.2xlarge",
          "db.r4.4xlarge",
          "db.r4.8xlarge",
          "db.r4.large",
          "db.r4.xlarge",
          "db.r5.12xlarge",
          "db.r5.24xlarge",
          "db.r5.2xlarge",
          "db.r5.4xlarge",
          "db.r5.large",
          "db.r5.xlarge",
          "db.t2.medium",
          "db.t2.small",
          "db.t3.medium",
          "db.t3.small");
  private static final List<String> AURORA_MYSQL_57 =
      List.of(
          "db.r4.16xlarge",
          "db.r4.2xlarge",
          "db.r4.4xlarge",
          "db.r4.8xlarge",
          "db.r4.large",
          "db.r4.xlarge",
          "db.r5.12xlarge",
          "db.r5.24xlarge",
          "db.r5.2xlarge",
          "db.r5.4xlarge",
          "db.r5.large",
          "db.r5.xlarge",
          "db.r6g.12xlarge",
          "db.r6g.16xlarge",
          "db.r6g.2xlarge",
          "db.r6g.4xlarge",
          "db.r6g.large",
          "db.r6g.xlarge",
          "db.t3.medium",
          "db.t3.small");
  private static final List<String> AURORA_MYSQL_80 =
      List.of(
          "db.r5.12xlarge",
          "db.r5.24xlarge",
          "db.r5.2xlarge",
          "db.r5.4xlarge",
          "db.r5.large",
          "db.r5.xlarge",
          "db.r6g.12xlarge",
          "db.r6g.16xlarge",
          "db.r6g.2xlarge",
          "db.r6g.4xlarge",
          "db.r6g.large",
          "db.r6g.xlarge",
          "db.r6i.2xlarge",
          "db.r6i.large",
          "db.r6i.xlarge",
          "db.t3.large",
          "db.t3.medium",
          "db.t4g.large",
          "db.t4g.medium");
  private static final List<String> MYSQL_57 =
      List.of(
          "db.m5.2xlarge",
          "db.m5.large",
          "db.m5.xlarge",
          "db.r5.2xlarge",
          "db.r5.large",
          "db.r5.xlarge",
          "db.t2.micro",
          "db.t2.small",
          "db.t3.medium",
          "db.t3.micro",
          "db.t3.small");
  private static final List<String> MYSQL_80 =
      List.of(
          "db.m5.2xlarge",
          "db.m5.large",
          "db.m5.xlarge",
          "db.m6g.large",
          "db.m6g.xlarge",
          "db.r5.large",
          "db.r5.xlarge",
          "db.r6g.large",
          "db.r6g.xlarge",
          "db.t3.medium",
          "db.t3.micro",
          "db.t3.small",
          "db.t4g.medium",
          "db.t4g.micro",
          "db.t4g.small");

  /** Every option, by engine, version, class. */
  static final List<Option> ALL = catalog();

  private RdsOrderableOptions() {}

  private static List<Option> catalog() {
    List<Option> out = new ArrayList<>();
    for (RdsEngineVersions.Version v : RdsEngineVersions.ALL) {
      List<String> classes =
          switch (v.family()) {
            case "aurora5.6" -> AURORA_56;
            case "aurora-mysql5.7" -> AURORA_MYSQL_57;
            case "aurora-mysql8.0" -> AURORA_MYSQL_80;
            case "mysql5.6" -> MYSQL_57;
            default -> List.of();
          };
      classes.forEach(c -> out.add(new Option(v.engine(), v.version(), c)));
    }
    for (String version : List.of("5.7.43", "5.7.44")) {
      MYSQL_57.forEach(c -> out.add(new Option("mysql", version, c)));
    }
    for (String version : List.of("8.0.35", "8.0.36")) {
      MYSQL_80.forEach(c -> out.add(new Option("mysql", version, c)));
    }
    return List.copyOf(out);
  }

  /** The options of {@code engine}, narrowed by version and class when given (null: any). */
  static List<Option> find(String engine, String engineVersion, String instanceClass) {
    return ALL.stream()
        .filter(o -> o.engine().equals(engine))
        .filter(o -> engineVersion == null || o.engineVersion().equals(engineVersion))
        .filter(o -> instanceClass == null || o.instanceClass().equals(instanceClass))
        .toList();
  }

  /** True when {@code instanceClass} is offered for that engine version. */
  static boolean offered(String engine, String engineVersion, String instanceClass) {
    return !find(engine, engineVersion, instanceClass).isEmpty();
  }
}
