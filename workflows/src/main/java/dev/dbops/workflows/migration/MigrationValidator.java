package dev.dbops.workflows.migration;

import dev.dbops.workflows.common.DnsRules;
import dev.dbops.workflows.common.InstanceClassOffer;
import dev.dbops.workflows.staging.StagingValidator;
import dev.dbops.workflows.staging.TargetFacts;
import dev.dbops.workflows.upgrade.ClusterFacts;
import dev.dbops.workflows.upgrade.UpgradeValidator;
import java.util.ArrayList;
import java.util.List;

/**
 * Judges the source, its SQL side, the zone and record and the instance class offers against a
 * request (issue 19 item 1), before anything is changed. Pure: the facts come from read-only
 * activities, so this runs in workflow code, in the dry run and in plain unit tests.
 */
public final class MigrationValidator {
  private MigrationValidator() {}

  public static final String FAMILY_AURORA_57 = UpgradeValidator.FAMILY_57;
  public static final String DEFAULT_AURORA_57 = UpgradeValidator.DEFAULT_57_CLUSTER_GROUP;
  public static final String DEFAULT_MYSQL_56 = "default.mysql5.6";
  public static final String DEFAULT_MYSQL_57 = "default.mysql5.7";
  public static final String FAMILY_MYSQL_57 = "mysql5.7";

  /**
   * @param upgradeSource the source runs 5.6 and the request asks to upgrade it first
   * @param sourceGroup the source's DB parameter group once on 5.7 (what the Aurora groups map
   *     from)
   */
  public record Judgement(
      List<String> problems,
      List<String> warnings,
      boolean upgradeSource,
      String sourceUpgradeGroup,
      String clusterParameterGroup,
      String instanceParameterGroup) {}

  public static Judgement judge(
      MigrationRequest r,
      SourceInstanceFacts f,
      SourceSqlFacts sql,
      TargetFacts target,
      List<InstanceClassOffer> offers,
      MigrationNames names,
      String workflowId) {
    List<String> problems = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    String id = f.instanceId();
    if (!"available".equals(f.status()))
      problems.add("sourceInstanceId: '" + id + "' is " + f.status() + ", not available");
    if (!"mysql".equals(f.engine()))
      problems.add("sourceInstanceId: '" + id + "' runs " + f.engine() + ", not RDS MySQL");

    boolean upgrade = false;
    String upgradeGroup = null;
    String sourceGroup = f.parameterGroup();
    if ("5.6".equals(f.majorVersion())) {
      if (!r.upgradeSourceOrDefault()) {
        problems.add(
            "sourceInstanceId: '"
                + id
                + "' runs MySQL "
                + f.engineVersion()
                + "; an RDS MySQL 5.6 instance cannot have an Aurora read replica: set upgradeSource"
                + " and sourceUpgradeVersion to upgrade it to 5.7 first (behind its own approval)");
      } else {
        upgrade = true;
        List<String> valid =
            f.validUpgradeTargets() == null
                ? List.of()
                : f.validUpgradeTargets().stream()
                    .filter(ClusterFacts.UpgradeTarget::majorVersionUpgrade)
                    .map(ClusterFacts.UpgradeTarget::engineVersion)
                    .toList();
        if (!valid.contains(r.sourceUpgradeVersion()))
          problems.add(
              "sourceUpgradeVersion: '"
                  + r.sourceUpgradeVersion()
                  + "' is not a major-version upgrade target of "
                  + f.engineVersion()
                  + "; valid: "
                  + valid);
        upgradeGroup =
            UpgradeValidator.mapGroup(
                "sourceUpgradeParameterGroup",
                f.parameterGroup(),
                r.sourceUpgradeParameterGroup(),
                DEFAULT_MYSQL_56,
                DEFAULT_MYSQL_57,
                FAMILY_MYSQL_57,
                f.parameterGroupFamilies(),
                problems,
                warnings);
        sourceGroup = upgradeGroup;
      }
    } else if (!"5.7".equals(f.majorVersion())) {
      problems.add(
          "sourceInstanceId: '"
              + id
              + "' runs MySQL "
              + f.engineVersion()
              + "; this procedure makes an Aurora MySQL 5.7 replica of a MySQL 5.7 (or 5.6) source");
    } else if (r.upgradeSourceOrDefault()) {
      warnings.add("upgradeSource: '" + id + "' already runs " + f.engineVersion() + "; ignored");
    }

    if (f.backupRetentionDays() <= 0)
      problems.add(
          "sourceInstanceId: '"
              + id
              + "' has backup retention 0: automated backups (and with them the binary log)"
              + " are off; an Aurora read replica needs them");
    if (!sql.logBin())
      problems.add(
          "sourceInstanceId: log_bin is OFF on '" + id + "': there is nothing to replicate");
    Integer hours = sql.binlogRetentionHours();
    int min = r.minBinlogRetentionHoursOrDefault();
    if (hours == null || hours < min)
      problems.add(
          "minBinlogRetentionHours: '"
              + id
              + "' keeps its binary log "
              + (hours == null ? "for no set time (NULL)" : hours + " h")
              + ", fewer than "
              + min
              + " h; a replica that falls further behind cannot catch up: CALL"
              + " mysql.rds_set_configuration('binlog retention hours', "
              + min
              + ") first");
    if (sql.warnings() != null) warnings.addAll(sql.warnings());
    if (sql.readOnly())
      warnings.add("'" + id + "' is read_only already: the application cannot write to it now");

    // The replica cluster is aurora-mysql5.7: its groups map from the source's (5.7) group.
    String clusterGroup =
        UpgradeValidator.mapGroup(
            "clusterParameterGroup",
            sourceGroup,
            r.clusterParameterGroup(),
            DEFAULT_MYSQL_57,
            DEFAULT_AURORA_57,
            FAMILY_AURORA_57,
            f.parameterGroupFamilies(),
            problems,
            warnings);
    String instanceGroup =
        UpgradeValidator.mapGroup(
            "instanceParameterGroup",
            sourceGroup,
            r.instanceParameterGroup(),
            DEFAULT_MYSQL_57,
            UpgradeValidator.DEFAULT_57_INSTANCE_GROUP,
            FAMILY_AURORA_57,
            f.parameterGroupFamilies(),
            problems,
            warnings);
    problems.addAll(InstanceClassOffer.problems("instanceClass", offers));

    problems.addAll(
        DnsRules.recordProblems(
            "dns.hostedZoneId",
            r.dns().hostedZoneId(),
            "dns.recordName",
            r.dns().recordName(),
            target.zoneName(),
            target.zonePrivate(),
            target.recordType(),
            ""));
    if (target.currentValue() != null
        && f.endpoint() != null
        && !host(target.currentValue()).equals(host(f.endpoint())))
      warnings.add(
          "dns.recordName: the CNAME points at "
              + target.currentValue()
              + ", not at the source's endpoint "
              + f.endpoint()
              + "; a revert puts that value back");
    if (target.newClusterExists() && !workflowId.equals(target.newClusterOwner()))
      problems.add(
          "a cluster named '"
              + names.clusterId()
              + "' already exists and is not this run's ("
              + StagingValidator.OWNER_TAG
              + "="
              + target.newClusterOwner()
              + ")");
    if (f.replicaClusters() != null) {
      for (String c : f.replicaClusters()) {
        if (!c.equals(names.clusterId()))
          problems.add(
              "sourceInstanceId: '"
                  + id
                  + "' already has the Aurora read replica cluster '"
                  + c
                  + "'; an instance has at most one");
      }
    }
    if (f.production() && !id.equals(r.confirmProduction()))
      problems.add(
          "confirmProduction: '"
              + id
              + "' is tagged production; name it in confirmProduction to migrate it");
    return new Judgement(problems, warnings, upgrade, upgradeGroup, clusterGroup, instanceGroup);
  }

  /** A DNS name as compared: lower case, no trailing dot. */
  static String host(String name) {
    String h = name.strip().toLowerCase();
    return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
  }
}
