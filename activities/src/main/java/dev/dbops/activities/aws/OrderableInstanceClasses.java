package dev.dbops.activities.aws;

import dev.dbops.workflows.common.InstanceClassOffer;
import dev.dbops.workflows.common.OrderableQuery;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.OrderableDBInstanceOption;

/**
 * Reads DescribeOrderableDBInstanceOptions (Engine, EngineVersion, DBInstanceClass; paginated) for
 * each class of an {@link OrderableQuery}: one call per distinct class, and for a class that is not
 * offered one more listing of the engine version's classes, so the refusal can name a few that are.
 * Read-only; failures classified by {@link AwsFailures}.
 */
public final class OrderableInstanceClasses {
  /** How many offered classes a refusal lists. */
  static final int SAMPLE = 6;

  /** A page as large as one listing of an engine version usually is. */
  static final int PAGE = 100;

  private OrderableInstanceClasses() {}

  public static List<InstanceClassOffer> offers(RdsClient rds, OrderableQuery q) {
    List<InstanceClassOffer> out = new ArrayList<>();
    if (q == null || q.instanceClasses() == null) return out;
    List<String> sample = null;
    for (String c : new LinkedHashSet<>(q.instanceClasses())) {
      if (c == null || c.isBlank()) continue;
      boolean offered =
          AwsFailures.call(
              "DescribeOrderableDBInstanceOptions",
              what(q) + " " + c,
              () ->
                  rds
                      .describeOrderableDBInstanceOptionsPaginator(
                          b ->
                              b.engine(q.engine())
                                  .engineVersion(q.engineVersion())
                                  .dbInstanceClass(c)
                                  .maxRecords(PAGE))
                      .orderableDBInstanceOptions()
                      .stream()
                      .findAny()
                      .isPresent());
      if (!offered && sample == null) sample = sample(rds, q);
      out.add(
          new InstanceClassOffer(
              c, q.engine(), q.engineVersion(), offered, offered ? List.of() : sample));
    }
    return out;
  }

  /** A few offered classes, the common sizes (large, medium) first. */
  private static List<String> sample(RdsClient rds, OrderableQuery q) {
    Set<String> classes =
        AwsFailures.call(
            "DescribeOrderableDBInstanceOptions",
            what(q),
            () -> {
              Set<String> all = new LinkedHashSet<>();
              rds
                  .describeOrderableDBInstanceOptionsPaginator(
                      b -> b.engine(q.engine()).engineVersion(q.engineVersion()).maxRecords(PAGE))
                  .orderableDBInstanceOptions()
                  .stream()
                  .map(OrderableDBInstanceOption::dbInstanceClass)
                  .forEach(all::add);
              return all;
            });
    return classes.stream()
        .sorted(
            Comparator.comparingInt(OrderableInstanceClasses::commonness)
                .thenComparing(Comparator.naturalOrder()))
        .limit(SAMPLE)
        .toList();
  }

  private static int commonness(String instanceClass) {
    if (instanceClass.endsWith(".large")) return 0;
    if (instanceClass.endsWith(".medium")) return 1;
    return 2;
  }

  private static String what(OrderableQuery q) {
    return q.engine() + (q.engineVersion() == null ? "" : " " + q.engineVersion());
  }
}
