package dev.dbops.workflows.staging;

import dev.dbops.workflows.common.ApprovalPolicy;
import dev.dbops.workflows.common.Bounds;
import dev.dbops.workflows.common.DbLogin;
import dev.dbops.workflows.common.DnsRules;
import dev.dbops.workflows.common.RdsIds;
import dev.dbops.workflows.common.TargetLocks;
import dev.dbops.workflows.sql.CheckSql;
import dev.dbops.workflows.sql.SqlScript;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Snapshot-share staging rebuild (docs/procedures.md, staging). JSON-friendly for the Temporal UI.
 *
 * @param source the production account (worker credentials or a role there)
 * @param sourceClusterId the production Aurora cluster
 * @param target the staging account; a role is required when it differs from the source
 * @param crossAccount share the snapshot with another account (default true); false restores in the
 *     source account itself
 * @param kmsKeyId customer-managed KMS key (in the source account) to re-encrypt a snapshot that
 *     uses the default {@code aws/rds} key, which cannot be shared; required in that case
 * @param instanceClass e.g. {@code db.r5.large}
 * @param instanceCount instances in the new cluster (default 1)
 * @param dbSubnetGroup subnet group in the target account (default: the account's default VPC)
 * @param vpcSecurityGroupIds security groups in the target account
 * @param masterPasswordRef the new cluster's master password: {@code env:NAME}, {@code file:/path}
 *     or {@code secretsmanager:ID}, never the value
 * @param masking masking SQL and the verification queries that must return 0
 * @param schemaDriftCheck {@code OFF} (default), {@code WARN} or {@code FAIL}
 * @param sourceLogin login on the source cluster for the drift check
 * @param driftSchemas schemas to compare (required with a drift check)
 * @param dns the private CNAME to repoint
 * @param retire what happens to the previous staging cluster
 * @param keepSnapshots keep the run's snapshots instead of unsharing and deleting them
 * @param confirmProduction must equal the old cluster's id to retire a production-tagged one
 * @param approval who may approve (or reject) the retirement
 * @param requestedBy the person (or schedule) starting the run; may not approve it
 * @param pollInterval the longest pause between AWS checks while waiting (default 10 min; the first
 *     check comes after 1 min and the pause doubles up to this)
 * @param snapshotMaxWait give up on a snapshot or copy after this long (default 12 h)
 * @param restoreMaxWait give up on the restored cluster after this long (default 12 h)
 * @param dnsMaxWait give up on Route53 INSYNC after this long (default 30 min)
 * @param dryRun validate and plan; change nothing
 */
public record StagingRebuildRequest(
    AccountRef source,
    String sourceClusterId,
    AccountRef target,
    Boolean crossAccount,
    String kmsKeyId,
    String instanceClass,
    Integer instanceCount,
    String dbSubnetGroup,
    List<String> vpcSecurityGroupIds,
    String masterPasswordRef,
    MaskingSpec masking,
    String schemaDriftCheck,
    DbLogin sourceLogin,
    List<String> driftSchemas,
    DnsTarget dns,
    RetirePolicy retire,
    Boolean keepSnapshots,
    String confirmProduction,
    ApprovalPolicy approval,
    String requestedBy,
    Duration pollInterval,
    Duration snapshotMaxWait,
    Duration restoreMaxWait,
    Duration dnsMaxWait,
    Boolean dryRun) {

  public static final String DRIFT_OFF = "OFF";
  public static final String DRIFT_WARN = "WARN";
  public static final String DRIFT_FAIL = "FAIL";

  static final Pattern INSTANCE_CLASS = Pattern.compile("^db\\.[a-z0-9]+\\.[a-z0-9]+$");
  static final Pattern KMS_KEY =
      Pattern.compile(
          "^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:(key/[A-Za-z0-9-]+|alias/[A-Za-z0-9/_-]+)$");
  static final Pattern SG_ID = Pattern.compile("^sg-[0-9a-f]{8,17}$");
  static final Pattern SCRIPT_REF = Pattern.compile("^(file:.+|s3://[a-z0-9.-]{3,63}/.+)$");

  public boolean isCrossAccount() {
    return crossAccount == null || crossAccount;
  }

  public int instanceCountOrDefault() {
    return instanceCount == null ? 1 : instanceCount;
  }

  public String driftCheckOrDefault() {
    return schemaDriftCheck == null ? DRIFT_OFF : schemaDriftCheck;
  }

  public RetirePolicy retireOrDefault() {
    return retire == null ? new RetirePolicy(null, null, null, null) : retire;
  }

  public ApprovalPolicy approvalOrDefault() {
    return approval == null ? new ApprovalPolicy(List.of(), null, null) : approval;
  }

  public Duration pollIntervalOrDefault() {
    return pollInterval == null ? Duration.ofMinutes(10) : pollInterval;
  }

  public Duration snapshotMaxWaitOrDefault() {
    return snapshotMaxWait == null ? Duration.ofHours(12) : snapshotMaxWait;
  }

  public Duration restoreMaxWaitOrDefault() {
    return restoreMaxWait == null ? Duration.ofHours(12) : restoreMaxWait;
  }

  public Duration dnsMaxWaitOrDefault() {
    return dnsMaxWait == null ? Duration.ofMinutes(30) : dnsMaxWait;
  }

  public boolean keepsSnapshots() {
    return Boolean.TRUE.equals(keepSnapshots);
  }

  public boolean isDryRun() {
    return Boolean.TRUE.equals(dryRun);
  }

  /** Where the restore happens: the target account, or the source when not cross-account. */
  public AccountRef restoreAccount() {
    return isCrossAccount() ? target : source;
  }

  /**
   * What one open run at a time may act on: the staging record (every run of it repoints it and
   * retires what it pointed at) and the old cluster when named (nothing for a dry run).
   */
  public List<String> targets() {
    if (isDryRun()) return List.of();
    List<String> t = new ArrayList<>();
    if (dns != null && dns.recordName() != null)
      t.add(TargetLocks.dnsRecord(dns.hostedZoneId(), dns.recordName()));
    if (retire != null && retire.oldClusterId() != null)
      t.add(TargetLocks.cluster(retire.oldClusterId()));
    return t;
  }

  public String defaultWorkflowId() {
    return "staging-rebuild/" + (dns == null ? "?" : dns.normalizedName());
  }

  /** What can be known wrong without calling AWS; one message per problem naming the field. */
  public List<String> problems() {
    List<String> out = new ArrayList<>();
    if (source == null) {
      out.add("source: required (accountId, optional roleArn)");
    } else if (source.problem("source") != null) {
      out.add(source.problem("source"));
    }
    if (sourceClusterId == null || sourceClusterId.isBlank()) {
      out.add("sourceClusterId: required");
    } else if (!RdsIds.valid(sourceClusterId)) {
      out.add("sourceClusterId: '" + sourceClusterId + "' is not a valid RDS cluster identifier");
    }
    if (isCrossAccount()) {
      if (target == null) {
        out.add("target: required in cross-account mode (accountId and roleArn)");
      } else {
        if (target.problem("target") != null) out.add(target.problem("target"));
        if (source != null
            && target.accountId() != null
            && target.accountId().equals(source.accountId())) {
          out.add(
              "target.accountId: same as source.accountId ("
                  + target.accountId()
                  + ") in cross-account mode; set crossAccount=false to restore in the same account");
        }
        if (target.roleArn() == null && source != null && source.roleArn() == null) {
          out.add(
              "target.roleArn: required: the worker's own credentials cannot act in both accounts");
        }
      }
    } else if (target != null && source != null && !source.equals(target)) {
      out.add("target: must be omitted or equal source when crossAccount=false");
    }
    if (kmsKeyId != null && !KMS_KEY.matcher(kmsKeyId).matches()) {
      out.add("kmsKeyId: '" + kmsKeyId + "' is not a KMS key or alias ARN");
    } else if (kmsKeyId != null
        && source != null
        && source.accountId() != null
        && !kmsKeyId.contains(":" + source.accountId() + ":")) {
      out.add("kmsKeyId: must be a key in the source account " + source.accountId());
    } else if (kmsKeyId != null && kmsKeyId.endsWith("alias/aws/rds")) {
      out.add("kmsKeyId: the default aws/rds key cannot be shared; name a customer-managed key");
    }
    if (instanceClass == null || !INSTANCE_CLASS.matcher(instanceClass).matches()) {
      out.add("instanceClass: required, like db.r5.large, was '" + instanceClass + "'");
    }
    if (instanceCount != null && (instanceCount < 1 || instanceCount > 16)) {
      out.add("instanceCount: must be 1..16, was " + instanceCount);
    }
    if (dbSubnetGroup != null && !dbSubnetGroup.matches("^[A-Za-z0-9 ._-]{1,255}$")) {
      out.add("dbSubnetGroup: '" + dbSubnetGroup + "' is not a DB subnet group name");
    }
    if (vpcSecurityGroupIds != null) {
      for (String sg : vpcSecurityGroupIds) {
        if (sg == null || !SG_ID.matcher(sg).matches())
          out.add("vpcSecurityGroupIds: '" + sg + "' is not sg-…");
      }
    }
    if (!DbLogin.validPasswordRef(masterPasswordRef)) {
      out.add(
          "masterPasswordRef: required, env:NAME, file:/path or secretsmanager:ID (never the password itself)");
    }
    maskingProblems(out);
    String drift = driftCheckOrDefault();
    if (!List.of(DRIFT_OFF, DRIFT_WARN, DRIFT_FAIL).contains(drift)) {
      out.add("schemaDriftCheck: must be OFF, WARN or FAIL, was '" + drift + "'");
    } else if (!DRIFT_OFF.equals(drift)) {
      if (sourceLogin == null) {
        out.add("sourceLogin: required for the schema drift check");
      } else if (sourceLogin.problem("sourceLogin") != null) {
        out.add(sourceLogin.problem("sourceLogin"));
      }
      if (driftSchemas == null || driftSchemas.isEmpty()) {
        out.add("driftSchemas: name the schemas to compare");
      } else {
        for (String s : driftSchemas) {
          if (s == null || !s.matches("^[A-Za-z0-9_$]{1,64}$"))
            out.add("driftSchemas: '" + s + "' is not a schema name");
        }
      }
    }
    if (dns == null) {
      out.add("dns: required (hostedZoneId, recordName)");
    } else {
      out.addAll(
          DnsRules.requestProblems(
              "dns.hostedZoneId", dns.hostedZoneId(), "dns.recordName", dns.recordName()));
      if (dns.ttl() != null && (dns.ttl() < 0 || dns.ttl() > 86400)) {
        out.add("dns.ttl: must be 0..86400 seconds, was " + dns.ttl());
      }
    }
    RetirePolicy r = retireOrDefault();
    if (!List.of(RetirePolicy.GRACE, RetirePolicy.APPROVAL, RetirePolicy.KEEP)
        .contains(r.modeOrDefault())) {
      out.add("retire.mode: must be GRACE, APPROVAL or KEEP, was '" + r.modeOrDefault() + "'");
    }
    if (r.oldClusterId() != null && !RdsIds.valid(r.oldClusterId())) {
      out.add(
          "retire.oldClusterId: '" + r.oldClusterId() + "' is not a valid RDS cluster identifier");
    }
    if (!isCrossAccount()
        && r.oldClusterId() != null
        && r.oldClusterId().equalsIgnoreCase(sourceClusterId)) {
      // Same account: the "old staging cluster" would be production itself.
      out.add(
          "retire.oldClusterId: '"
              + r.oldClusterId()
              + "' is sourceClusterId; a rebuild never retires its source");
    }
    if (r.grace() != null
        && (r.grace().isNegative() || r.grace().compareTo(Duration.ofDays(30)) > 0)) {
      out.add("retire.grace: must be 0..30 days, was " + r.grace());
    }
    if (requestedBy == null || requestedBy.isBlank()) {
      out.add("requestedBy: required (the requester may not approve their own run)");
    }
    if (RetirePolicy.APPROVAL.equals(r.modeOrDefault())
        || !approvalOrDefault().approversOrEmpty().isEmpty()) {
      out.addAll(approvalOrDefault().problems("approval", requestedBy));
    }
    atLeast(out, "pollInterval", pollInterval, Duration.ofSeconds(1));
    atLeast(out, "snapshotMaxWait", snapshotMaxWait, Duration.ofSeconds(1));
    atLeast(out, "restoreMaxWait", restoreMaxWait, Duration.ofSeconds(1));
    atLeast(out, "dnsMaxWait", dnsMaxWait, Duration.ofSeconds(1));
    out.addAll(Bounds.problems(this, out)); // every duration, number and text within its bounds
    return out;
  }

  private void maskingProblems(List<String> out) {
    if (masking == null) {
      out.add("masking: required: a staging copy of production is never left unmasked");
      return;
    }
    boolean inline = !masking.statementsOrEmpty().isEmpty();
    boolean script = masking.scriptRef() != null;
    if (inline == script) {
      out.add("masking: give exactly one of statements or scriptRef");
    }
    if (script && !SCRIPT_REF.matcher(masking.scriptRef()).matches()) {
      out.add(
          "masking.scriptRef: must be file:/path or s3://bucket/key, was '"
              + masking.scriptRef()
              + "'");
    }
    List<String> statements = masking.statementsOrEmpty();
    for (int i = 0; i < statements.size(); i++) {
      String problem = scriptProblem(statements.get(i));
      if (problem != null) out.add("masking.statements: statement " + (i + 1) + ": " + problem);
    }
    if (masking.verifyQueriesOrEmpty().isEmpty()) {
      out.add("masking.verifyQueries: at least one query that returns 0 when masking worked");
    }
    List<String> queries = masking.verifyQueriesOrEmpty();
    for (int i = 0; i < queries.size(); i++) {
      String problem = CheckSql.problem(queries.get(i));
      if (problem != null) out.add("masking.verifyQueries: query " + (i + 1) + ": " + problem);
    }
  }

  /**
   * Why one masking text (inline, or a script's content) cannot run: unreadable as the mysql client
   * reads it ({@link SqlScript}), or no statement in it; null when it can.
   */
  public static String scriptProblem(String text) {
    if (text == null || text.isBlank()) return "empty statement";
    try {
      return SqlScript.split(text).isEmpty() ? "no SQL statement, only comments" : null;
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
  }

  private static void atLeast(List<String> out, String field, Duration d, Duration min) {
    if (d != null && d.compareTo(min) < 0)
      out.add(field + ": must be at least " + min + ", was " + d);
  }
}
