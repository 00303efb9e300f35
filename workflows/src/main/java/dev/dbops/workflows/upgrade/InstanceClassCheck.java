package dev.dbops.workflows.upgrade;

import dev.dbops.workflows.common.InstanceClassOffer;
import dev.dbops.workflows.common.OrderableQuery;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every instance keeps its class through the upgrade, so each class must be offered for the target
 * version (db.t2 / db.r3 are not on Aurora MySQL 5.7): refused before the snapshot rather than by
 * RDS in the middle of the upgrade. The pure part: what to ask, and what the answer means.
 */
final class InstanceClassCheck {
  private final Map<String, List<String>> instancesByClass = new LinkedHashMap<>();
  private final OrderableQuery query;

  InstanceClassCheck(UpgradeRequest request, ClusterFacts facts) {
    String engine =
        facts.validTargets() == null
            ? facts.engine()
            : facts.validTargets().stream()
                .filter(t -> request.targetEngineVersion().equals(t.engineVersion()))
                .map(ClusterFacts.UpgradeTarget::engine)
                .findFirst()
                .orElse(facts.engine());
    for (ClusterFacts.InstanceFacts i : facts.instances()) {
      if (i.instanceClass() != null)
        instancesByClass
            .computeIfAbsent(i.instanceClass(), c -> new ArrayList<>())
            .add(i.instanceId());
    }
    query =
        instancesByClass.isEmpty()
            ? null
            : new OrderableQuery(
                engine, request.targetEngineVersion(), List.copyOf(instancesByClass.keySet()));
  }

  /** What to ask RDS, or null when no instance reports a class. */
  OrderableQuery query() {
    return query;
  }

  /** One problem per class not offered for the target, naming its instances. */
  List<String> problems(List<InstanceClassOffer> offers) {
    List<String> problems = new ArrayList<>();
    for (InstanceClassOffer o : offers) {
      if (!o.offered()) {
        problems.add(
            "clusterId: instance "
                + String.join(", ", instancesByClass.getOrDefault(o.instanceClass(), List.of()))
                + " runs "
                + o.problem()
                + "; modify it to an offered class before the upgrade (nothing was changed)");
      }
    }
    return problems;
  }
}
