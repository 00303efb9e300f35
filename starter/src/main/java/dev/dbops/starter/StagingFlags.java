package dev.dbops.starter;

import dev.dbops.workflows.catalog.Procedure;
import dev.dbops.workflows.catalog.Procedures;
import dev.dbops.workflows.common.DbLogin;
import dev.dbops.workflows.staging.AccountRef;
import dev.dbops.workflows.staging.DnsTarget;
import dev.dbops.workflows.staging.MaskingSpec;
import dev.dbops.workflows.staging.RetirePolicy;
import dev.dbops.workflows.staging.StagingRebuildRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code staging-rebuild} as flags; every one maps to a {@link StagingRebuildRequest} field. */
final class StagingFlags implements ProcedureFlags<StagingRebuildRequest> {
  @Mixin ApprovalFlags approval;

  @RequestField("source.accountId")
  @Option(
      names = "--source-account",
      paramLabel = "ACCOUNT",
      description = "the production account (12 digits)")
  String sourceAccount;

  @RequestField("source.roleArn")
  @Option(
      names = "--source-role-arn",
      paramLabel = "ARN",
      description =
          "role to assume in the production account (default: the worker's own credentials)")
  String sourceRoleArn;

  @RequestField("sourceClusterId")
  @Option(
      names = "--source-cluster",
      paramLabel = "ID",
      description = "the production Aurora MySQL cluster")
  String sourceCluster;

  @RequestField("target.accountId")
  @Option(
      names = "--target-account",
      paramLabel = "ACCOUNT",
      description = "the staging account (12 digits)")
  String targetAccount;

  @RequestField("target.roleArn")
  @Option(
      names = "--target-role-arn",
      paramLabel = "ARN",
      description = "role to assume in the staging account")
  String targetRoleArn;

  @RequestField("crossAccount")
  @Option(
      names = "--same-account",
      description =
          "restore in the production account itself (no share); omit the --target-* flags")
  boolean sameAccount;

  @RequestField("kmsKeyId")
  @Option(
      names = "--kms-key-id",
      paramLabel = "ARN",
      description =
          "customer-managed key in the production account to copy an aws/rds-encrypted snapshot with"
              + " (that key's snapshots cannot be shared)")
  String kmsKeyId;

  @RequestField("instanceClass")
  @Option(
      names = "--instance-class",
      paramLabel = "CLASS",
      description = "of the new cluster's instances, e.g. db.r5.large")
  String instanceClass;

  @RequestField("instanceCount")
  @Option(
      names = "--instance-count",
      paramLabel = "N",
      description = "instances in the new cluster (default 1)")
  Integer instanceCount;

  @RequestField("dbSubnetGroup")
  @Option(
      names = "--db-subnet-group",
      paramLabel = "NAME",
      description = "subnet group in the staging account (default: its default VPC)")
  String dbSubnetGroup;

  @RequestField("vpcSecurityGroupIds")
  @Option(
      names = "--vpc-security-group",
      paramLabel = "SG",
      description = "security group id in the staging account (repeatable)")
  List<String> vpcSecurityGroups;

  @RequestField("masterPasswordRef")
  @Option(
      names = "--master-password-ref",
      paramLabel = "REF",
      description =
          "the new cluster's master password: env:NAME, file:/path or secretsmanager:ID — never the password itself")
  String masterPasswordRef;

  @RequestField("masking.scriptRef")
  @Option(
      names = "--masking-sql",
      paramLabel = "FILE",
      description =
          "file with the masking SQL, read as the mysql client reads it (;, strings, comments,"
              + " DELIMITER); it must exist here and,"
              + " at the same path, where the worker runs")
  Path maskingSql;

  @RequestField("masking.statements")
  @Option(
      names = "--masking-statement",
      paramLabel = "SQL",
      description = "masking SQL inline instead (repeatable, run in order)")
  List<String> maskingStatements;

  @RequestField("masking.verifyQueries")
  @Option(
      names = "--verify-sql",
      paramLabel = "SQL",
      description =
          "one read-only SELECT returning exactly one row of one whole number, 0 when masking worked;"
              + " run in a read-only transaction (repeatable; at least one)")
  List<String> verifySql;

  @RequestField("schemaDriftCheck")
  @Option(
      names = "--drift-check",
      paramLabel = "OFF|WARN|FAIL",
      description = "compare tables, columns and indexes with the source (default OFF)")
  String driftCheck;

  @RequestField("sourceLogin.user")
  @Option(
      names = "--source-db-user",
      paramLabel = "USER",
      description = "MySQL user on the source for the drift check")
  String sourceDbUser;

  @RequestField("sourceLogin.passwordRef")
  @Option(
      names = "--source-db-password-ref",
      paramLabel = "REF",
      description = "env:NAME, file:/path or secretsmanager:ID — never the password itself")
  String sourceDbPasswordRef;

  @RequestField("driftSchemas")
  @Option(
      names = "--drift-schema",
      paramLabel = "SCHEMA",
      description = "schema the drift check compares (repeatable)")
  List<String> driftSchemas;

  @RequestField("dns.hostedZoneId")
  @Option(
      names = "--zone-id",
      paramLabel = "ZONE",
      description = "the private Route53 hosted zone in the staging account")
  String zoneId;

  @RequestField("dns.recordName")
  @Option(
      names = "--record-name",
      paramLabel = "NAME",
      description = "the CNAME to repoint, e.g. db.staging.internal.")
  String recordName;

  @RequestField("dns.ttl")
  @Option(
      names = "--ttl",
      paramLabel = "SECONDS",
      description = "TTL of the repointed CNAME (default 0)")
  Long ttl;

  @RequestField("retire.mode")
  @Option(
      names = "--retire",
      paramLabel = "GRACE|APPROVAL|KEEP",
      description =
          "the previous staging cluster: delete after --grace (default; approve retires at once, reject keeps"
              + " it), only after approval, or keep it")
  String retire;

  @RequestField("retire.oldClusterId")
  @Option(
      names = "--old-cluster",
      paramLabel = "ID",
      description = "the cluster to retire (default: the one the CNAME points at now)")
  String oldCluster;

  @RequestField("retire.grace")
  @Option(
      names = "--grace",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description =
          "how long the old cluster stays after the cutover with --retire GRACE (default 24h)")
  Duration grace;

  @RequestField("retire.finalSnapshot")
  @Option(
      names = "--final-snapshot",
      description = "take a final snapshot of the old cluster when deleting it")
  boolean finalSnapshot;

  @RequestField("keepSnapshots")
  @Option(
      names = "--keep-snapshots",
      description = "keep this run's snapshots (default: unshare and delete them)")
  boolean keepSnapshots;

  @RequestField("confirmProduction")
  @Option(
      names = "--confirm-production",
      paramLabel = "ID",
      description = "the old cluster's id again, to retire a cluster tagged as production")
  String confirmProduction;

  @RequestField("pollInterval")
  @Option(
      names = "--poll-interval",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description =
          "longest pause between AWS checks while waiting (default 10m; starts at 1m or less and doubles)")
  Duration pollInterval;

  @RequestField("snapshotMaxWait")
  @Option(
      names = "--snapshot-max-wait",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "give up on a snapshot or its copy after this (default 12h)")
  Duration snapshotMaxWait;

  @RequestField("restoreMaxWait")
  @Option(
      names = "--restore-max-wait",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "give up on the restored cluster after this (default 12h)")
  Duration restoreMaxWait;

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
  public Procedure<StagingRebuildRequest> procedure() {
    return Procedures.STAGING_REBUILD;
  }

  @Override
  public StagingRebuildRequest toRequest() {
    return new StagingRebuildRequest(
        account(sourceAccount, sourceRoleArn),
        sourceCluster,
        account(targetAccount, targetRoleArn),
        sameAccount ? Boolean.FALSE : null,
        kmsKeyId,
        instanceClass,
        instanceCount,
        dbSubnetGroup,
        vpcSecurityGroups == null ? null : List.copyOf(vpcSecurityGroups),
        masterPasswordRef,
        masking(),
        upper(driftCheck),
        sourceDbUser == null && sourceDbPasswordRef == null
            ? null
            : new DbLogin(sourceDbUser, sourceDbPasswordRef),
        driftSchemas == null ? null : List.copyOf(driftSchemas),
        zoneId == null && recordName == null && ttl == null
            ? null
            : new DnsTarget(zoneId, recordName, ttl),
        retire == null && oldCluster == null && grace == null && !finalSnapshot
            ? null
            : new RetirePolicy(
                upper(retire), oldCluster, grace, finalSnapshot ? Boolean.TRUE : null),
        keepSnapshots ? Boolean.TRUE : null,
        confirmProduction,
        approval.policy(),
        requestedBy,
        pollInterval,
        snapshotMaxWait,
        restoreMaxWait,
        dnsMaxWait,
        null);
  }

  /**
   * The masking spec; a script file becomes {@code file:<absolute path>} and must exist here (the
   * worker reads it again, at the same path, and records its hash).
   */
  private MaskingSpec masking() {
    if (maskingSql != null && maskingStatements != null) {
      throw CliException.invalid(
          "--masking-sql / --masking-statement: give a script file or inline statements,"
              + " not both");
    }
    String scriptRef = null;
    if (maskingSql != null) {
      Path file = maskingSql.toAbsolutePath().normalize();
      if (!Files.isRegularFile(file)) {
        throw CliException.invalid("--masking-sql: no such file: " + file);
      }
      if (!Files.isReadable(file)) {
        throw CliException.invalid("--masking-sql: cannot read " + file);
      }
      SqlFlags.scriptFile("--masking-sql", file);
      scriptRef = "file:" + file;
    }
    SqlFlags.scripts("--masking-statement", maskingStatements);
    SqlFlags.checks("--verify-sql", verifySql);
    if (scriptRef == null && maskingStatements == null && verifySql == null) return null;
    return new MaskingSpec(
        maskingStatements == null ? null : List.copyOf(maskingStatements),
        scriptRef,
        verifySql == null ? null : List.copyOf(verifySql));
  }

  private static AccountRef account(String accountId, String roleArn) {
    return accountId == null && roleArn == null ? null : new AccountRef(accountId, roleArn);
  }

  private static String upper(String s) {
    return s == null ? null : s.trim().toUpperCase(Locale.ROOT);
  }
}
