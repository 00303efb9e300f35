package dev.dbops.workflows.upgrade;

import java.util.ArrayList;
import java.util.List;

/**
 * Judges a cluster against an upgrade request (docs/procedures.md, upgrade step 1). Pure: the facts
 * come from one activity, so this runs in workflow code, in the dry run and in plain unit tests.
 */
public final class UpgradeValidator {
  public static final String DEFAULT_56_CLUSTER_GROUP = "default.aurora5.6";
  public static final String DEFAULT_57_CLUSTER_GROUP = "default.aurora-mysql5.7";
  public static final String DEFAULT_56_INSTANCE_GROUP = "default.aurora5.6";
  public static final String DEFAULT_57_INSTANCE_GROUP = "default.aurora-mysql5.7";
  public static final String FAMILY_57 = "aurora-mysql5.7";

  /**
   * @param problems reasons the upgrade must not start (the run fails as invalid input)
   * @param clusterParameterGroup the 5.7 cluster group ModifyDBCluster will set
   * @param instanceParameterGroup the 5.7 instance group, or null to keep RDS's mapping
   */
  public record Judgement(
      List<String> problems,
      List<String> warnings,
      String clusterParameterGroup,
      String instanceParameterGroup) {}

  private UpgradeValidator() {}

  public static Judgement judge(UpgradeRequest r, ClusterFacts f) {
    List<String> problems = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    String id = f.clusterId();
    if (!"available".equals(f.status())) {
      problems.add("clusterId: '" + id + "' is " + f.status() + "; an upgrade needs it available");
    }
    boolean on56 =
        "aurora".equals(f.engine())
            && f.engineVersion() != null
            && f.engineVersion().startsWith("5.6");
    if (!on56) {
      if (r.targetEngineVersion().equals(f.engineVersion())) {
        problems.add("targetEngineVersion: '" + id + "' already runs " + f.engineVersion());
      } else {
        problems.add(
            "clusterId: '"
                + id
                + "' runs "
                + f.engine()
                + " "
                + f.engineVersion()
                + "; this procedure upgrades Aurora MySQL 5.6 (engine aurora)");
      }
    }
    List<ClusterFacts.UpgradeTarget> majors =
        f.validTargets() == null
            ? List.of()
            : f.validTargets().stream()
                .filter(ClusterFacts.UpgradeTarget::majorVersionUpgrade)
                .toList();
    boolean valid =
        majors.stream().anyMatch(t -> t.engineVersion().equals(r.targetEngineVersion()));
    if (on56 && !valid) {
      problems.add(
          "targetEngineVersion: '"
              + r.targetEngineVersion()
              + "' is not a major-version upgrade target of "
              + f.engineVersion()
              + "; valid: "
              + majors.stream().map(ClusterFacts.UpgradeTarget::engineVersion).toList());
    }
    if (f.instances() == null || f.instances().isEmpty()) {
      problems.add("clusterId: '" + id + "' has no instances; nothing would run the upgrade");
    }

    String clusterGroup =
        mapGroup(
            "clusterParameterGroup",
            f.clusterParameterGroup(),
            r.clusterParameterGroup(),
            DEFAULT_56_CLUSTER_GROUP,
            DEFAULT_57_CLUSTER_GROUP,
            FAMILY_57,
            f.parameterGroupFamilies(),
            problems,
            warnings);
    String instanceGroup = null;
    if (f.instances() != null) {
      for (String current :
          f.instances().stream()
              .map(ClusterFacts.InstanceFacts::parameterGroup)
              .distinct()
              .toList()) {
        String mapped =
            mapGroup(
                "instanceParameterGroup",
                current,
                r.instanceParameterGroup(),
                DEFAULT_56_INSTANCE_GROUP,
                DEFAULT_57_INSTANCE_GROUP,
                FAMILY_57,
                f.parameterGroupFamilies(),
                problems,
                warnings);
        if (r.instanceParameterGroup() != null || !DEFAULT_57_INSTANCE_GROUP.equals(mapped))
          instanceGroup = mapped;
      }
    }

    if (f.pendingMaintenance() != null && !f.pendingMaintenance().isEmpty()) {
      warnings.add(
          "pending maintenance on '"
              + id
              + "': "
              + f.pendingMaintenance()
              + " — it may be applied with the upgrade's reboot");
    }
    if (f.backtrackWindowSeconds() > 0) {
      warnings.add(
          "backtrack is enabled ("
              + f.backtrackWindowSeconds()
              + " s): it cannot go back past"
              + " the upgrade; the pre-upgrade snapshot is the way back");
    }
    if (f.production()) {
      if (!id.equals(r.confirmProduction())) {
        problems.add(
            "confirmProduction: '"
                + id
                + "' is tagged production; name it in confirmProduction to upgrade it");
      }
      if (r.approvalWaived()) {
        problems.add(
            "waiveApproval: '"
                + id
                + "' is tagged production; its upgrade always needs an approval");
      }
    }
    return new Judgement(problems, warnings, clusterGroup, instanceGroup);
  }

  /**
   * The one parameter-group mapping rule of every procedure that moves a database to another engine
   * family (the upgrade's aurora5.6 → aurora-mysql5.7, the migration's mysql → aurora-mysql5.7, a
   * source's mysql5.6 → mysql5.7): a default group maps to the new family's default one, with a
   * warning that a default group cannot be tuned (the seed's {@code max_connections}); a custom one
   * needs a named counterpart, which must exist and be of {@code family}.
   *
   * @param families family of each group looked up; a missing name means it does not exist
   * @return the group to use (null when a problem was added instead)
   */
  public static String mapGroup(
      String field,
      String current,
      String requested,
      String default56,
      String default57,
      String family57,
      java.util.Map<String, String> families,
      List<String> problems,
      List<String> warnings) {
    String target = requested;
    if (target == null) {
      if (current == null || current.equals(default56) || current.startsWith("default.")) {
        warnings.add(
            field
                + ": '"
                + current
                + "' is a default group; it becomes '"
                + default57
                + "', which cannot be tuned (e.g. max_connections) — name a custom 5.7 group to keep settings");
        return default57;
      }
      problems.add(
          field
              + ": the cluster uses the custom group '"
              + current
              + "'; name its counterpart (family "
              + family57
              + ")");
      return null;
    }
    String family = families == null ? null : families.get(target);
    if (family == null) {
      problems.add(field + ": '" + target + "' does not exist");
    } else if (!family57.equals(family)) {
      problems.add(field + ": '" + target + "' is family " + family + ", not " + family57);
    }
    return target;
  }
}
