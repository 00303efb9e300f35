package dev.dbops.workflows.common;

import java.util.List;

/**
 * Whether RDS offers one DB instance class for an engine version
 * (DescribeOrderableDBInstanceOptions), read before the first change. The rule, for every procedure
 * that creates an instance or changes an instance's engine: a class that is not offered refuses the
 * run as {@link ErrorTypes#INVALID_INPUT}, naming the class, the engine and version, and some
 * classes that are offered — RDS itself would refuse it only at CreateDBInstance, or fail the
 * upgrade, after a snapshot or a restore had been made.
 *
 * @param offeredClasses some classes offered for that engine version (empty when it is offered)
 */
public record InstanceClassOffer(
    String instanceClass,
    String engine,
    String engineVersion,
    boolean offered,
    List<String> offeredClasses) {

  /** Why the class cannot be used, or null when it is offered. */
  public String problem() {
    if (offered) return null;
    return "'"
        + instanceClass
        + "' is not offered for "
        + engine
        + (engineVersion == null ? "" : " " + engineVersion)
        + (offeredClasses == null || offeredClasses.isEmpty()
            ? " (no class is offered for it)"
            : " (offered: " + String.join(", ", offeredClasses) + ", …)");
  }

  /** {@code field: problem} for every class not offered, in the order asked. */
  public static List<String> problems(String field, List<InstanceClassOffer> offers) {
    if (offers == null) return List.of();
    return offers.stream().filter(o -> !o.offered()).map(o -> field + ": " + o.problem()).toList();
  }
}
