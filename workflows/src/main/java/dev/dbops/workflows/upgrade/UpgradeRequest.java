package dev.dbops.workflows.upgrade;

import dev.dbops.workflows.common.ApprovalPolicy;
import dev.dbops.workflows.common.Bounds;
import dev.dbops.workflows.common.DbLogin;
import dev.dbops.workflows.common.RdsIds;
import dev.dbops.workflows.common.TargetLocks;
import dev.dbops.workflows.sql.CheckSql;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * In-place Aurora MySQL 5.6 → 5.7 upgrade (docs/procedures.md, upgrade). JSON-friendly for the
 * Temporal UI.
 *
 * @param clusterId the Aurora cluster identifier
 * @param targetEngineVersion e.g. {@code 5.7.mysql_aurora.2.11.2}; must be a major-version
 *     ValidUpgradeTarget of the cluster's current version
 * @param clusterParameterGroup the 5.7 cluster parameter group to switch to; required when the
 *     cluster uses a custom 5.6 group (default groups map to {@code default.aurora-mysql5.7})
 * @param instanceParameterGroup the 5.7 instance parameter group; required for custom 5.6 ones
 * @param login user and password reference for the SQL pre-checks and the verification
 * @param smokeSql read-only checks run after the upgrade, each in a read-only transaction; each
 *     must succeed ({@link CheckSql}: one SELECT, SHOW, TABLE, VALUES or WITH … SELECT, no locks or
 *     writes)
 * @param confirmProduction must equal {@code clusterId} to upgrade a production-tagged cluster
 * @param waiveApproval skip the approval (refused for production-tagged clusters)
 * @param approval who approves, M-of-N, timeout
 * @param requestedBy the person starting the run (may not approve it)
 * @param pollInterval pause between RDS checks while waiting (default 12 min: a check is two
 *     describe calls, so about 10 an hour, plus one per progress report, where `aws rds wait` makes
 *     120)
 * @param stallThreshold after this long upgrading, notify and keep waiting (default 2 h)
 * @param progressEvery how often at most a new upgrade phase is written to the run's state (default
 *     1 h; live detail between reports is in the poll activity's last NOT_READY message)
 * @param maxWait give up waiting for the upgrade after this long (default 48 h)
 * @param snapshotMaxWait give up waiting for the pre-upgrade snapshot (default 12 h)
 * @param limits pre-check thresholds
 * @param dryRun validate, pre-check and plan; change nothing
 */
public record UpgradeRequest(
    String clusterId,
    String targetEngineVersion,
    String clusterParameterGroup,
    String instanceParameterGroup,
    DbLogin login,
    List<String> smokeSql,
    String confirmProduction,
    Boolean waiveApproval,
    ApprovalPolicy approval,
    String requestedBy,
    Duration pollInterval,
    Duration stallThreshold,
    Duration progressEvery,
    Duration maxWait,
    Duration snapshotMaxWait,
    PrecheckLimits limits,
    Boolean dryRun) {

  static final Pattern ENGINE_VERSION = Pattern.compile("^[0-9][0-9A-Za-z._-]{2,60}$");
  static final String PARAMETER_GROUP = "^[A-Za-z][A-Za-z0-9.-]{0,254}$";

  public Duration pollIntervalOrDefault() {
    return pollInterval == null ? Duration.ofMinutes(12) : pollInterval;
  }

  public Duration stallThresholdOrDefault() {
    return stallThreshold == null ? Duration.ofHours(2) : stallThreshold;
  }

  public Duration progressEveryOrDefault() {
    return progressEvery == null ? Duration.ofHours(1) : progressEvery;
  }

  public Duration maxWaitOrDefault() {
    return maxWait == null ? Duration.ofHours(48) : maxWait;
  }

  public Duration snapshotMaxWaitOrDefault() {
    return snapshotMaxWait == null ? Duration.ofHours(12) : snapshotMaxWait;
  }

  public PrecheckLimits limitsOrDefault() {
    return limits == null ? PrecheckLimits.defaults() : limits;
  }

  public boolean approvalWaived() {
    return Boolean.TRUE.equals(waiveApproval);
  }

  public boolean isDryRun() {
    return Boolean.TRUE.equals(dryRun);
  }

  public List<String> smokeSqlOrEmpty() {
    return smokeSql == null ? List.of() : smokeSql;
  }

  /** What one open run at a time may act on: the cluster (nothing for a dry run). */
  public List<String> targets() {
    return isDryRun() || clusterId == null ? List.of() : List.of(TargetLocks.cluster(clusterId));
  }

  public String defaultWorkflowId() {
    return "upgrade/" + clusterId;
  }

  /** Pre-upgrade snapshot id derived from the workflow id, so a resumed run finds its own. */
  public static String snapshotIdFor(String workflowId) {
    String s =
        ("dbops-pre-upgrade-" + workflowId)
            .replaceAll("[^A-Za-z0-9-]", "-")
            .replaceAll("-{2,}", "-")
            .replaceAll("-$", "");
    return s.length() > 63 ? s.substring(0, 63).replaceAll("-$", "") : s;
  }

  /** What can be known wrong without calling AWS; one message per problem naming the field. */
  public List<String> problems() {
    List<String> out = new ArrayList<>();
    if (clusterId == null || clusterId.isBlank()) {
      out.add("clusterId: required");
    } else if (!RdsIds.valid(clusterId)) {
      out.add("clusterId: '" + clusterId + "' is not a valid RDS cluster identifier");
    }
    if (targetEngineVersion == null || targetEngineVersion.isBlank()) {
      out.add("targetEngineVersion: required (e.g. 5.7.mysql_aurora.2.11.2)");
    } else if (!ENGINE_VERSION.matcher(targetEngineVersion).matches()) {
      out.add("targetEngineVersion: '" + targetEngineVersion + "' is not an engine version");
    }
    for (String[] pg :
        new String[][] {
          {"clusterParameterGroup", clusterParameterGroup},
          {"instanceParameterGroup", instanceParameterGroup}
        }) {
      if (pg[1] != null && !pg[1].matches(PARAMETER_GROUP)) {
        out.add(pg[0] + ": '" + pg[1] + "' is not a parameter group name");
      }
    }
    if (login == null) {
      out.add("login: required (user and passwordRef) for the SQL pre-checks and verification");
    } else if (login.problem("login") != null) {
      out.add(login.problem("login"));
    }
    if (requestedBy == null || requestedBy.isBlank()) {
      out.add("requestedBy: required (the requester may not approve their own run)");
    }
    if (!approvalWaived()) {
      ApprovalPolicy p = approval == null ? new ApprovalPolicy(List.of(), null, null) : approval;
      out.addAll(p.problems("approval", requestedBy));
    }
    positive(out, "pollInterval", pollInterval, Duration.ofSeconds(1));
    positive(out, "stallThreshold", stallThreshold, Duration.ofSeconds(1));
    positive(out, "progressEvery", progressEvery, Duration.ofSeconds(1));
    positive(out, "maxWait", maxWait, Duration.ofSeconds(1));
    positive(out, "snapshotMaxWait", snapshotMaxWait, Duration.ofSeconds(1));
    if (maxWait != null && pollInterval != null && maxWait.compareTo(pollInterval) < 0) {
      out.add("maxWait: shorter than pollInterval");
    }
    PrecheckLimits l = limitsOrDefault();
    if (l.maxTrxRowsModifiedOrDefault() < 0
        || l.maxHistoryListLengthOrDefault() < 0
        || l.warnHistoryListLengthOrDefault() < 0) {
      out.add("limits: must not be negative");
    }
    List<String> smoke = smokeSqlOrEmpty();
    for (int i = 0; i < smoke.size(); i++) {
      String s = smoke.get(i);
      if (s == null || s.isBlank()) {
        out.add("smokeSql: empty statement");
      } else if (CheckSql.problem(s) != null) {
        out.add("smokeSql: statement " + (i + 1) + ": " + CheckSql.problem(s));
      }
    }
    out.addAll(Bounds.problems(this, out)); // every duration, number and text within its bounds
    return out;
  }

  private static void positive(List<String> out, String field, Duration d, Duration min) {
    if (d != null && d.compareTo(min) < 0)
      out.add(field + ": must be at least " + min + ", was " + d);
  }
}
