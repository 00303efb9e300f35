package dev.dbops.starter;

import dev.dbops.workflows.binlog.WritesStopped;
import dev.dbops.workflows.catalog.Procedure;
import dev.dbops.workflows.catalog.Procedures;
import dev.dbops.workflows.common.DbLogin;
import dev.dbops.workflows.migration.MigrationRequest;
import dev.dbops.workflows.staging.AccountRef;
import dev.dbops.workflows.staging.DnsTarget;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code aurora-migration} as flags; every one maps to a {@link MigrationRequest} field. */
final class AuroraMigrationFlags implements ProcedureFlags<MigrationRequest> {
  @Mixin ApprovalFlags approval;

  @RequestField("sourceInstanceId")
  @Option(
      names = "--source-instance",
      paramLabel = "ID",
      description = "the RDS MySQL instance to migrate (kept: never deleted)")
  String sourceInstance;

  @RequestField("login.user")
  @Option(
      names = "--db-user",
      paramLabel = "USER",
      description = "the source's master user (SQL checks, replica lag, the write check)")
  String dbUser;

  @RequestField("login.passwordRef")
  @Option(
      names = "--db-password-ref",
      paramLabel = "REF",
      description =
          "where the worker reads that user's password: env:NAME, file:/path or"
              + " secretsmanager:ID — never the password itself")
  String dbPasswordRef;

  @RequestField("dns.hostedZoneId")
  @Option(
      names = "--zone-id",
      paramLabel = "ZONE",
      description = "the private Route53 hosted zone of the CNAME")
  String zoneId;

  @RequestField("dns.recordName")
  @Option(
      names = "--record-name",
      paramLabel = "NAME",
      description = "the CNAME the applications connect through, e.g. db.prod.internal.")
  String recordName;

  @RequestField("dns.ttl")
  @Option(
      names = "--ttl",
      paramLabel = "SECONDS",
      description = "TTL of the switched CNAME (default 0)")
  Long ttl;

  @RequestField("engineVersion")
  @Option(
      names = "--engine-version",
      paramLabel = "VERSION",
      description =
          "Aurora MySQL version of the replica (default: the one RDS matches to the source)")
  String engineVersion;

  @RequestField("instanceClass")
  @Option(
      names = "--instance-class",
      paramLabel = "CLASS",
      description = "class of the replica cluster's instances (default db.r5.large)")
  String instanceClass;

  @RequestField("instances")
  @Option(
      names = "--instances",
      paramLabel = "N",
      description = "instances in the replica cluster (default 1)")
  Integer instances;

  @RequestField("clusterParameterGroup")
  @Option(
      names = "--cluster-parameter-group",
      paramLabel = "GROUP",
      description =
          "aurora-mysql5.7 cluster parameter group (required when the source uses a custom group;"
              + " default groups become default.aurora-mysql5.7)")
  String clusterParameterGroup;

  @RequestField("instanceParameterGroup")
  @Option(
      names = "--instance-parameter-group",
      paramLabel = "GROUP",
      description = "aurora-mysql5.7 DB parameter group of the instances (same rule)")
  String instanceParameterGroup;

  @RequestField("dbSubnetGroup")
  @Option(
      names = "--db-subnet-group",
      paramLabel = "NAME",
      description = "subnet group of the cluster (default: the source's)")
  String dbSubnetGroup;

  @RequestField("vpcSecurityGroupIds")
  @Option(
      names = "--vpc-security-group",
      paramLabel = "SG",
      description = "security group of the cluster (repeatable; default: the source's)")
  List<String> vpcSecurityGroups;

  @RequestField("upgradeSource")
  @Option(
      names = "--upgrade-source",
      description = "upgrade a MySQL 5.6 source to 5.7 first, behind its own approval")
  boolean upgradeSource;

  @RequestField("sourceUpgradeVersion")
  @Option(
      names = "--source-upgrade-version",
      paramLabel = "VERSION",
      description = "with --upgrade-source: the 5.7 version, e.g. 5.7.44")
  String sourceUpgradeVersion;

  @RequestField("sourceUpgradeParameterGroup")
  @Option(
      names = "--source-upgrade-parameter-group",
      paramLabel = "GROUP",
      description = "with --upgrade-source: the mysql5.7 group (required for a custom 5.6 one)")
  String sourceUpgradeParameterGroup;

  @RequestField("minBinlogRetentionHours")
  @Option(
      names = "--min-binlog-retention",
      paramLabel = "HOURS",
      description = "the source must keep its binary log at least this long (default 24)")
  Integer minBinlogRetention;

  @RequestField("writesStopped")
  @Option(
      names = "--writes-stopped",
      paramLabel = "read-only|hook",
      description =
          "cut-over: read-only (default) waits for read_only ON on the source; hook trusts the"
              + " before-cutover hook to stop the writers")
  String writesStopped;

  @RequestField("cutoverWindow")
  @Option(
      names = "--cutover-window",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "the replica must stay at the source's final position this long (default 30s)")
  Duration cutoverWindow;

  @RequestField("revertWindow")
  @Option(
      names = "--revert-window",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description =
          "after completion, abort within this puts the CNAME back on the source (default 1h)")
  Duration revertWindow;

  @RequestField("confirmProduction")
  @Option(
      names = "--confirm-production",
      paramLabel = "ID",
      description = "the instance id again, to migrate an instance tagged as production")
  String confirmProduction;

  @RequestField("account.accountId")
  @Option(
      names = "--account",
      paramLabel = "ACCOUNT",
      description = "the account of instance, zone and cluster (default: the worker's own)")
  String account;

  @RequestField("account.roleArn")
  @Option(names = "--role-arn", paramLabel = "ARN", description = "role to assume in that account")
  String roleArn;

  @RequestField("pollInterval")
  @Option(
      names = "--poll-interval",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "pause between checks while waiting (default 5m)")
  Duration pollInterval;

  @RequestField("stallThreshold")
  @Option(
      names = "--stall-threshold",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "not caught up after this long: notify and keep waiting (default 2h)")
  Duration stallThreshold;

  @RequestField("progressEvery")
  @Option(
      names = "--progress-every",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "report a changed lag band at most this often (default 1h)")
  Duration progressEvery;

  @RequestField("maxWait")
  @Option(
      names = "--max-wait",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "give up waiting for lag 0 after this (default 7d)")
  Duration maxWait;

  @RequestField("createMaxWait")
  @Option(
      names = "--create-max-wait",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "give up waiting for the replica cluster after this (default 24h)")
  Duration createMaxWait;

  @RequestField("upgradeMaxWait")
  @Option(
      names = "--upgrade-max-wait",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "give up waiting for the source upgrade after this (default 12h)")
  Duration upgradeMaxWait;

  @RequestField("dnsMaxWait")
  @Option(
      names = "--dns-max-wait",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "give up on Route53 INSYNC after this (default 30m)")
  Duration dnsMaxWait;

  @RequestField("requestedBy")
  @Option(
      names = "--requested-by",
      paramLabel = "NAME",
      defaultValue = "${env:USER:-${sys:user.name}}",
      description = "who asks for this run; may not approve it (default: $USER)")
  String requestedBy;

  @Override
  public Procedure<MigrationRequest> procedure() {
    return Procedures.AURORA_MIGRATION;
  }

  @Override
  public MigrationRequest toRequest() {
    if (roleArn != null && account == null)
      throw CliException.invalid("--role-arn: needs --account (the account the role is in)");
    return new MigrationRequest(
        sourceInstance,
        dbUser == null && dbPasswordRef == null ? null : new DbLogin(dbUser, dbPasswordRef),
        zoneId == null && recordName == null && ttl == null
            ? null
            : new DnsTarget(zoneId, recordName, ttl),
        approval.policy(),
        requestedBy,
        engineVersion,
        instanceClass,
        instances,
        clusterParameterGroup,
        instanceParameterGroup,
        dbSubnetGroup,
        vpcSecurityGroups == null ? null : List.copyOf(vpcSecurityGroups),
        upgradeSource ? Boolean.TRUE : null,
        sourceUpgradeVersion,
        sourceUpgradeParameterGroup,
        minBinlogRetention,
        writesStoppedValue(),
        cutoverWindow,
        revertWindow,
        confirmProduction,
        account == null ? null : new AccountRef(account, roleArn),
        pollInterval,
        stallThreshold,
        progressEvery,
        maxWait,
        createMaxWait,
        upgradeMaxWait,
        dnsMaxWait,
        null);
  }

  private WritesStopped writesStoppedValue() {
    if (writesStopped == null) return null;
    return switch (writesStopped.trim().toLowerCase(Locale.ROOT)) {
      case "read-only" -> WritesStopped.READ_ONLY;
      case "hook" -> WritesStopped.HOOK;
      default ->
          throw CliException.invalid(
              "--writes-stopped: '" + writesStopped + "' is not read-only or hook");
    };
  }
}
