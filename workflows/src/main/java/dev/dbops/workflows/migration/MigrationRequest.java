package dev.dbops.workflows.migration;

import dev.dbops.workflows.binlog.WritesStopped;
import dev.dbops.workflows.common.ApprovalPolicy;
import dev.dbops.workflows.common.Bounds;
import dev.dbops.workflows.common.DbLogin;
import dev.dbops.workflows.common.RdsIds;
import dev.dbops.workflows.common.TargetLocks;
import dev.dbops.workflows.staging.AccountRef;
import dev.dbops.workflows.staging.DnsTarget;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * RDS MySQL instance → Aurora MySQL through an Aurora read replica cluster (docs/procedures.md,
 * migration). JSON-friendly for the Temporal UI; every field but the first five has a default.
 *
 * @param sourceInstanceId the RDS MySQL instance (kept: this procedure never deletes it)
 * @param login the source's master user (password by reference): SQL checks on the source, the
 *     replica's lag, the write check on the new writer (the replica cluster inherits the user)
 * @param dns the private CNAME the applications connect through; it must exist and point at the
 *     source (TTL default 0)
 * @param approval who approves the cut-over (and a source upgrade), M-of-N, timeout
 * @param requestedBy the person starting the run (may not approve it)
 * @param engineVersion the Aurora MySQL version of the replica (null: RDS picks the one matching
 *     the source)
 * @param instanceClass the replica cluster's instances (default db.r5.large); must be offered for
 *     aurora-mysql
 * @param instances how many instances (default 1; the first is the writer after promotion)
 * @param clusterParameterGroup an aurora-mysql5.7 cluster group; required when the source uses a
 *     custom group (a default one maps to {@code default.aurora-mysql5.7}, with a warning)
 * @param instanceParameterGroup an aurora-mysql5.7 DB parameter group, same rule
 * @param dbSubnetGroup, vpcSecurityGroupIds of the cluster (null: the source's)
 * @param upgradeSource a MySQL 5.6 source is upgraded to {@code sourceUpgradeVersion} first, behind
 *     its own approval; without it a 5.6 source is refused
 * @param sourceUpgradeVersion e.g. {@code 5.7.44}: a major-version upgrade target of the source
 * @param sourceUpgradeParameterGroup the mysql5.7 DB parameter group of the upgraded source
 *     (required when it uses a custom 5.6 group)
 * @param minBinlogRetentionHours the source must keep its binary log at least this long (default
 *     24): a replica that falls further behind cannot catch up
 * @param writesStopped what proves the source takes no more writes at cut-over (default READ_ONLY)
 * @param cutoverWindow the replica must stay at the source's final position for this long (default
 *     30 s)
 * @param revertWindow after completion the run stays open this long, so {@code abort} puts the
 *     CNAME back (default 1 h; 0: none)
 * @param confirmProduction must equal {@code sourceInstanceId} to migrate a production-tagged one
 * @param account where the instance, the zone and the cluster are (null: the worker's own
 *     credentials)
 * @param pollInterval pause between RDS / replica checks while waiting (default 5 min: 12 an hour)
 * @param stallThreshold notify when the replica is not caught up after this long (default 2 h), and
 *     keep waiting
 * @param progressEvery a changed lag band is written to the run's state at most this often (default
 *     1 h)
 * @param maxWait give up waiting for the lag after this long (default 7 d)
 * @param createMaxWait give up waiting for the replica cluster (default 24 h: it starts from a
 *     snapshot of the source)
 * @param upgradeMaxWait give up waiting for the source upgrade (default 12 h)
 * @param dnsMaxWait give up waiting for the CNAME change to be INSYNC (default 30 min)
 * @param dryRun validate and plan; change nothing
 */
public record MigrationRequest(
    String sourceInstanceId,
    DbLogin login,
    DnsTarget dns,
    ApprovalPolicy approval,
    String requestedBy,
    String engineVersion,
    String instanceClass,
    Integer instances,
    String clusterParameterGroup,
    String instanceParameterGroup,
    String dbSubnetGroup,
    List<String> vpcSecurityGroupIds,
    Boolean upgradeSource,
    String sourceUpgradeVersion,
    String sourceUpgradeParameterGroup,
    Integer minBinlogRetentionHours,
    WritesStopped writesStopped,
    Duration cutoverWindow,
    Duration revertWindow,
    String confirmProduction,
    AccountRef account,
    Duration pollInterval,
    Duration stallThreshold,
    Duration progressEvery,
    Duration maxWait,
    Duration createMaxWait,
    Duration upgradeMaxWait,
    Duration dnsMaxWait,
    Boolean dryRun) {

  static final Pattern ENGINE_VERSION = Pattern.compile("^[0-9][0-9A-Za-z._-]{2,60}$");
  static final Pattern PARAMETER_GROUP = Pattern.compile("^[A-Za-z][A-Za-z0-9.-]{0,254}$");
  static final Pattern INSTANCE_CLASS = Pattern.compile("^db\\.[a-z0-9]+\\.[a-z0-9]+$");
  static final Pattern SECURITY_GROUP = Pattern.compile("^sg-[0-9a-f]{8,17}$");
  static final Pattern ZONE_ID = Pattern.compile("^(/hostedzone/)?[A-Z0-9]{1,32}$");
  static final Pattern RECORD_NAME =
      Pattern.compile(
          "^(?=.{1,254}$)([A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?\\.)*"
              + "[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?\\.?$");

  /** Worker credentials when the request names no account. */
  public static final AccountRef WORKER_ACCOUNT = new AccountRef(null, null);

  public String instanceClassOrDefault() {
    return instanceClass == null ? "db.r5.large" : instanceClass;
  }

  public int instancesOrDefault() {
    return instances == null ? 1 : instances;
  }

  public boolean upgradeSourceOrDefault() {
    return Boolean.TRUE.equals(upgradeSource);
  }

  public int minBinlogRetentionHoursOrDefault() {
    return minBinlogRetentionHours == null ? 24 : minBinlogRetentionHours;
  }

  public WritesStopped writesStoppedOrDefault() {
    return writesStopped == null ? WritesStopped.READ_ONLY : writesStopped;
  }

  public Duration cutoverWindowOrDefault() {
    return cutoverWindow == null ? Duration.ofSeconds(30) : cutoverWindow;
  }

  public Duration revertWindowOrDefault() {
    return revertWindow == null ? Duration.ofHours(1) : revertWindow;
  }

  public AccountRef accountOrWorker() {
    return account == null ? WORKER_ACCOUNT : account;
  }

  public Duration pollIntervalOrDefault() {
    return pollInterval == null ? Duration.ofMinutes(5) : pollInterval;
  }

  public Duration stallThresholdOrDefault() {
    return stallThreshold == null ? Duration.ofHours(2) : stallThreshold;
  }

  public Duration progressEveryOrDefault() {
    return progressEvery == null ? Duration.ofHours(1) : progressEvery;
  }

  public Duration maxWaitOrDefault() {
    return maxWait == null ? Duration.ofDays(7) : maxWait;
  }

  public Duration createMaxWaitOrDefault() {
    return createMaxWait == null ? Duration.ofHours(24) : createMaxWait;
  }

  public Duration upgradeMaxWaitOrDefault() {
    return upgradeMaxWait == null ? Duration.ofHours(12) : upgradeMaxWait;
  }

  public Duration dnsMaxWaitOrDefault() {
    return dnsMaxWait == null ? Duration.ofMinutes(30) : dnsMaxWait;
  }

  public boolean isDryRun() {
    return Boolean.TRUE.equals(dryRun);
  }

  /** The same request, to plan only. */
  public MigrationRequest asDryRun() {
    return new MigrationRequest(
        sourceInstanceId,
        login,
        dns,
        approval,
        requestedBy,
        engineVersion,
        instanceClass,
        instances,
        clusterParameterGroup,
        instanceParameterGroup,
        dbSubnetGroup,
        vpcSecurityGroupIds,
        upgradeSource,
        sourceUpgradeVersion,
        sourceUpgradeParameterGroup,
        minBinlogRetentionHours,
        writesStopped,
        cutoverWindow,
        revertWindow,
        confirmProduction,
        account,
        pollInterval,
        stallThreshold,
        progressEvery,
        maxWait,
        createMaxWait,
        upgradeMaxWait,
        dnsMaxWait,
        Boolean.TRUE);
  }

  /** One open run per source instance and per CNAME (nothing for a dry run). */
  public List<String> targets() {
    if (isDryRun()) return List.of();
    List<String> out = new ArrayList<>();
    if (sourceInstanceId != null) out.add(TargetLocks.instance(sourceInstanceId));
    if (dns != null && dns.hostedZoneId() != null && dns.recordName() != null)
      out.add(TargetLocks.dnsRecord(dns.hostedZoneId(), dns.recordName()));
    return out;
  }

  public String defaultWorkflowId() {
    return MigrationPhase.PROCEDURE + "/" + sourceInstanceId;
  }

  /** What can be known wrong without calling AWS; one message per problem naming the field. */
  public List<String> problems() {
    List<String> out = new ArrayList<>();
    if (sourceInstanceId == null || sourceInstanceId.isBlank()) {
      out.add("sourceInstanceId: required");
    } else if (!RdsIds.valid(sourceInstanceId)) {
      out.add(
          "sourceInstanceId: '" + sourceInstanceId + "' is not a valid RDS instance identifier");
    }
    if (login == null) {
      out.add("login: required (the source's master user and passwordRef)");
    } else if (login.problem("login") != null) {
      out.add(login.problem("login"));
    }
    if (dns == null) {
      out.add("dns: required (hostedZoneId and recordName of the CNAME to switch)");
    } else {
      if (dns.hostedZoneId() == null || !ZONE_ID.matcher(dns.hostedZoneId()).matches())
        out.add("dns.hostedZoneId: '" + dns.hostedZoneId() + "' is not a hosted zone id");
      if (dns.recordName() == null || !RECORD_NAME.matcher(dns.recordName()).matches())
        out.add("dns.recordName: '" + dns.recordName() + "' is not a DNS name");
      if (dns.ttl() != null && (dns.ttl() < 0 || dns.ttl() > 86_400))
        out.add("dns.ttl: must be 0..86400, was " + dns.ttl());
    }
    if (requestedBy == null || requestedBy.isBlank()) {
      out.add("requestedBy: required (the requester may not approve their own run)");
    }
    ApprovalPolicy p = approval == null ? new ApprovalPolicy(List.of(), null, null) : approval;
    out.addAll(p.problems("approval", requestedBy));
    if (engineVersion != null && !ENGINE_VERSION.matcher(engineVersion).matches())
      out.add("engineVersion: '" + engineVersion + "' is not an engine version");
    if (!INSTANCE_CLASS.matcher(instanceClassOrDefault()).matches())
      out.add("instanceClass: '" + instanceClass + "' is not an instance class (db.r5.large)");
    if (instancesOrDefault() < 1 || instancesOrDefault() > 15)
      out.add("instances: must be 1..15, was " + instancesOrDefault());
    for (String[] g :
        new String[][] {
          {"clusterParameterGroup", clusterParameterGroup},
          {"instanceParameterGroup", instanceParameterGroup},
          {"sourceUpgradeParameterGroup", sourceUpgradeParameterGroup}
        }) {
      if (g[1] != null && !PARAMETER_GROUP.matcher(g[1]).matches())
        out.add(g[0] + ": '" + g[1] + "' is not a parameter group name");
    }
    if (dbSubnetGroup != null && !PARAMETER_GROUP.matcher(dbSubnetGroup).matches())
      out.add("dbSubnetGroup: '" + dbSubnetGroup + "' is not a subnet group name");
    if (vpcSecurityGroupIds != null) {
      for (String sg : vpcSecurityGroupIds) {
        if (sg == null || !SECURITY_GROUP.matcher(sg).matches())
          out.add("vpcSecurityGroupIds: '" + sg + "' is not a security group id (sg-…)");
      }
    }
    if (sourceUpgradeVersion != null && !ENGINE_VERSION.matcher(sourceUpgradeVersion).matches())
      out.add("sourceUpgradeVersion: '" + sourceUpgradeVersion + "' is not an engine version");
    if (upgradeSourceOrDefault() && sourceUpgradeVersion == null)
      out.add("sourceUpgradeVersion: required with upgradeSource (e.g. 5.7.44)");
    if (!upgradeSourceOrDefault()
        && (sourceUpgradeVersion != null || sourceUpgradeParameterGroup != null))
      out.add(
          "upgradeSource: sourceUpgradeVersion / sourceUpgradeParameterGroup need upgradeSource");
    if (minBinlogRetentionHoursOrDefault() < 1 || minBinlogRetentionHoursOrDefault() > 168)
      out.add(
          "minBinlogRetentionHours: must be 1..168 (RDS keeps at most 168), was "
              + minBinlogRetentionHoursOrDefault());
    if (account != null && account.problem("account") != null) out.add(account.problem("account"));
    positive(out, "pollInterval", pollInterval);
    positive(out, "stallThreshold", stallThreshold);
    positive(out, "progressEvery", progressEvery);
    positive(out, "maxWait", maxWait);
    positive(out, "createMaxWait", createMaxWait);
    positive(out, "upgradeMaxWait", upgradeMaxWait);
    positive(out, "dnsMaxWait", dnsMaxWait);
    positive(out, "cutoverWindow", cutoverWindow);
    if (revertWindow != null && revertWindow.isNegative())
      out.add("revertWindow: must not be negative, was " + revertWindow);
    if (maxWaitOrDefault().compareTo(pollIntervalOrDefault()) < 0)
      out.add("maxWait: shorter than pollInterval");
    out.addAll(Bounds.problems(this, out)); // every duration, number and text within its bounds
    return out;
  }

  private static void positive(List<String> out, String field, Duration d) {
    if (d != null && d.compareTo(Duration.ofSeconds(1)) < 0)
      out.add(field + ": must be at least 1s, was " + d);
  }
}
