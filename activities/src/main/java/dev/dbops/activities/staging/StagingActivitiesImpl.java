package dev.dbops.activities.staging;

import dev.dbops.activities.aws.AccountClients;
import dev.dbops.activities.aws.AwsFailures;
import dev.dbops.activities.aws.ClusterSnapshots;
import dev.dbops.activities.aws.OrderableInstanceClasses;
import dev.dbops.activities.aws.Route53Records;
import dev.dbops.activities.common.SecretResolver;
import dev.dbops.activities.mysql.MySqlConnector;
import dev.dbops.activities.mysql.MySqlSettings;
import dev.dbops.activities.mysql.ReadOnlyChecks;
import dev.dbops.activities.mysql.SqlFailures;
import dev.dbops.workflows.common.CnameFacts;
import dev.dbops.workflows.common.DbLogin;
import dev.dbops.workflows.common.DnsChange;
import dev.dbops.workflows.common.ErrorTypes;
import dev.dbops.workflows.staging.AccountRef;
import dev.dbops.workflows.staging.ChangeRef;
import dev.dbops.workflows.staging.ClusterDeletion;
import dev.dbops.workflows.staging.ClusterRef;
import dev.dbops.workflows.staging.CnameChange;
import dev.dbops.workflows.staging.DriftCheck;
import dev.dbops.workflows.staging.DriftReport;
import dev.dbops.workflows.staging.MaskReport;
import dev.dbops.workflows.staging.MaskRun;
import dev.dbops.workflows.staging.MaskingScript;
import dev.dbops.workflows.staging.MaskingSpec;
import dev.dbops.workflows.staging.RestoreRequest;
import dev.dbops.workflows.staging.SnapshotCopyRequest;
import dev.dbops.workflows.staging.SnapshotDeletion;
import dev.dbops.workflows.staging.SnapshotRef;
import dev.dbops.workflows.staging.SnapshotRequest;
import dev.dbops.workflows.staging.SnapshotShare;
import dev.dbops.workflows.staging.SourceFacts;
import dev.dbops.workflows.staging.StagingActivities;
import dev.dbops.workflows.staging.StagingValidator;
import dev.dbops.workflows.staging.TargetFacts;
import dev.dbops.workflows.staging.TargetQuery;
import dev.dbops.workflows.staging.VerifyResult;
import io.micrometer.core.instrument.MeterRegistry;
import io.temporal.activity.Activity;
import io.temporal.failure.ApplicationFailure;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.kms.model.KeyManagerType;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBCluster;
import software.amazon.awssdk.services.rds.model.DBClusterSnapshot;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.rds.model.Filter;
import software.amazon.awssdk.services.rds.model.Tag;

/**
 * {@link StagingActivities} on the AWS SDK (RDS, Route53, KMS, S3, STS through {@link
 * AccountClients}) and JDBC. Every AWS error goes through {@link AwsFailures}; every SQL error
 * through {@link SqlFailures}. Nothing is adopted or deleted unless its {@code dbops:owner} tag
 * says it is ours.
 */
public final class StagingActivitiesImpl implements StagingActivities {
  private static final Logger log = LoggerFactory.getLogger(StagingActivitiesImpl.class);
  private static final String OWNER = StagingValidator.OWNER_TAG;

  /** Cluster and instance states RDS does not leave on its own: waiting longer cannot help. */
  private static final Set<String> DEAD_END =
      Set.of(
          "failed",
          "deleting",
          "inaccessible-encryption-credentials",
          "incompatible-parameters",
          "incompatible-network",
          "incompatible-restore",
          "storage-full");

  private final AccountClients aws;
  private final SecretResolver secrets;
  private final MySqlConnector mysql;
  private final StagingMetrics metrics;

  public StagingActivitiesImpl(
      AccountClients aws, SecretResolver secrets, MySqlSettings mysql, MeterRegistry registry) {
    this.aws = aws;
    this.secrets = secrets;
    this.mysql = new MySqlConnector(mysql);
    this.metrics = new StagingMetrics(registry);
  }

  // ------------------------------------------------------------------------------ inspect

  @Override
  public SourceFacts inspectSource(AccountRef account, String clusterId) {
    RdsClient rds = aws.rds(account);
    DBCluster c =
        describeCluster(rds, clusterId)
            .orElseThrow(
                () ->
                    ApplicationFailure.newNonRetryableFailure(
                        "cluster '" + clusterId + "' not found in account " + account.accountId(),
                        ErrorTypes.NOT_FOUND));
    boolean encrypted = Boolean.TRUE.equals(c.storageEncrypted());
    boolean defaultKey = false;
    if (encrypted && c.kmsKeyId() != null) {
      // Only KMS knows whether a key ARN is the AWS managed aws/rds key (KeyManager AWS).
      defaultKey =
          AwsFailures.call(
                  "DescribeKey",
                  c.kmsKeyId(),
                  () ->
                      aws.kms(account)
                          .describeKey(b -> b.keyId(c.kmsKeyId()))
                          .keyMetadata()
                          .keyManager())
              == KeyManagerType.AWS;
    }
    return new SourceFacts(
        c.dbClusterIdentifier(),
        c.dbClusterArn(),
        c.status(),
        c.engine(),
        c.engineVersion(),
        c.endpoint(),
        c.port() == null ? 3306 : c.port(),
        c.masterUsername(),
        encrypted,
        c.kmsKeyId(),
        defaultKey,
        c.vpcSecurityGroups().stream().map(g -> g.vpcSecurityGroupId()).toList(),
        c.dbSubnetGroup(),
        tags(c.tagList()));
  }

  @Override
  public TargetFacts inspectTarget(TargetQuery q) {
    CnameFacts dns =
        new Route53Records(aws.route53(q.account()))
            .read(q.dns().hostedZoneId(), q.dns().normalizedName());
    String zoneName = dns.zoneName();
    boolean zonePrivate = dns.zonePrivate();
    String type = dns.recordType();
    String value = dns.value();
    Long ttl = dns.ttl();
    RdsClient rds = aws.rds(q.account());
    DBCluster old = null;
    if (q.oldClusterId() != null) {
      old = describeCluster(rds, q.oldClusterId()).orElse(null);
    } else if (value != null) {
      String host = host(value);
      old =
          AwsFailures.call(
              "DescribeDBClusters",
              "account " + q.account().accountId(),
              () ->
                  rds.describeDBClustersPaginator(b -> b.maxRecords(100)).dbClusters().stream()
                      .filter(
                          c ->
                              host.equals(host(c.endpoint()))
                                  || host.equals(host(c.readerEndpoint())))
                      .findFirst()
                      .orElse(null));
    }
    Optional<DBCluster> mine = describeCluster(rds, q.newClusterId());
    return new TargetFacts(
        zoneName,
        zonePrivate,
        type,
        value,
        ttl,
        old == null ? null : old.dbClusterIdentifier(),
        old == null ? null : old.status(),
        old == null ? null : tags(old.tagList()),
        mine.isPresent(),
        mine.map(c -> tags(c.tagList()).get(OWNER)).orElse(null),
        q.instanceClasses() == null
            ? null
            : OrderableInstanceClasses.offers(rds, q.instanceClasses()));
  }

  @Override
  public MaskingScript readMaskingScript(MaskingSpec masking) {
    MaskingScripts.Script s = script(masking);
    return new MaskingScript(
        s.sha256(), s.statements().size(), masking.verifyQueriesOrEmpty().size(), s.source());
  }

  private MaskingScripts.Script script(MaskingSpec masking) {
    return MaskingScripts.read(
        masking,
        (bucket, key) -> {
          try {
            return AwsFailures.call(
                "GetObject",
                "s3://" + bucket + "/" + key,
                () ->
                    aws.s3(null)
                        .getObjectAsBytes(b -> b.bucket(bucket).key(key))
                        .asString(StandardCharsets.UTF_8));
          } catch (ApplicationFailure f) {
            throw MaskingScripts.s3Missing("s3://" + bucket + "/" + key, f);
          }
        });
  }

  // ----------------------------------------------------------------------------- snapshots

  @Override
  public SnapshotRef ensureSnapshot(SnapshotRequest r) {
    RdsClient rds = aws.rds(r.account());
    return new ClusterSnapshots(rds)
        .createOrAdopt(
            r.snapshotId(),
            "CreateDBClusterSnapshot",
            () ->
                rds.createDBClusterSnapshot(
                        b ->
                            b.dbClusterIdentifier(r.clusterId())
                                .dbClusterSnapshotIdentifier(r.snapshotId())
                                .tags(tagList(r.tags())))
                    .dbClusterSnapshot(),
            s -> {
              metrics.created("snapshot");
              log.info(
                  "snapshot {} of {} requested in {} ({})",
                  r.snapshotId(),
                  r.clusterId(),
                  r.account().accountId(),
                  s.status());
              return ref(s, false);
            },
            s -> adopt(s, r.tags().get(OWNER)));
  }

  @Override
  public SnapshotRef ensureSnapshotCopy(SnapshotCopyRequest r) {
    RdsClient rds = aws.rds(r.account());
    return new ClusterSnapshots(rds)
        .createOrAdopt(
            r.targetSnapshotId(),
            "CopyDBClusterSnapshot",
            () ->
                rds.copyDBClusterSnapshot(
                        b ->
                            b.sourceDBClusterSnapshotIdentifier(r.sourceSnapshotId())
                                .targetDBClusterSnapshotIdentifier(r.targetSnapshotId())
                                .kmsKeyId(r.kmsKeyId())
                                .tags(tagList(r.tags())))
                    .dbClusterSnapshot(),
            s -> {
              metrics.created("snapshot_copy");
              log.info(
                  "copy {} of {} with {} requested ({})",
                  r.targetSnapshotId(),
                  r.sourceSnapshotId(),
                  r.kmsKeyId(),
                  s.status());
              return ref(s, false);
            },
            s -> adopt(s, r.tags().get(OWNER)));
  }

  private static SnapshotRef adopt(DBClusterSnapshot s, String owner) {
    String theirs = tags(s.tagList()).get(OWNER);
    if (owner == null || !owner.equals(theirs)) {
      throw ApplicationFailure.newNonRetryableFailure(
          "snapshot "
              + s.dbClusterSnapshotIdentifier()
              + " already exists and is not this run's ("
              + OWNER
              + "="
              + theirs
              + "); not adopted",
          ErrorTypes.NOT_OWNED);
    }
    return ref(s, true);
  }

  @Override
  public SnapshotRef checkSnapshotAvailable(AccountRef account, String snapshotId) {
    DBClusterSnapshot s =
        describeSnapshot(aws.rds(account), snapshotId)
            .orElseThrow(
                () ->
                    ApplicationFailure.newNonRetryableFailure(
                        "snapshot " + snapshotId + " is gone", ErrorTypes.INVALID_STATE));
    String status = s.status();
    ClusterSnapshots.Availability a = ClusterSnapshots.availability(status);
    if (a == ClusterSnapshots.Availability.AVAILABLE) return ref(s, false);
    if (a == ClusterSnapshots.Availability.NOT_YET) {
      throw ErrorTypes.notReady(
          "snapshot "
              + snapshotId
              + " is "
              + status
              + (s.percentProgress() == null ? "" : " (" + s.percentProgress() + "%)"));
    }
    throw ApplicationFailure.newNonRetryableFailure(
        "snapshot " + snapshotId + " is " + status + " and will not become available",
        ErrorTypes.INVALID_STATE);
  }

  @Override
  public void shareSnapshot(SnapshotShare share) {
    AwsFailures.call(
        "ModifyDBClusterSnapshotAttribute",
        "snapshot " + share.snapshotId(),
        () ->
            aws.rds(share.owner())
                .modifyDBClusterSnapshotAttribute(
                    b ->
                        b.dbClusterSnapshotIdentifier(share.snapshotId())
                            .attributeName("restore")
                            .valuesToAdd(share.withAccountId())));
    metrics.created("share");
  }

  @Override
  public void unshareSnapshot(SnapshotShare share) {
    ifExists(
        () ->
            AwsFailures.call(
                "ModifyDBClusterSnapshotAttribute",
                "snapshot " + share.snapshotId(),
                () ->
                    aws.rds(share.owner())
                        .modifyDBClusterSnapshotAttribute(
                            b ->
                                b.dbClusterSnapshotIdentifier(share.snapshotId())
                                    .attributeName("restore")
                                    .valuesToRemove(share.withAccountId()))));
  }

  @Override
  public void deleteSnapshot(SnapshotDeletion d) {
    RdsClient rds = aws.rds(d.account());
    Optional<DBClusterSnapshot> s = describeSnapshot(rds, d.snapshotId());
    if (s.isEmpty()) return;
    String owner = tags(s.get().tagList()).get(OWNER);
    if (d.requiredOwner() == null || !d.requiredOwner().equals(owner)) {
      throw ApplicationFailure.newNonRetryableFailure(
          "snapshot "
              + d.snapshotId()
              + " is not this run's ("
              + OWNER
              + "="
              + owner
              + "); not deleted",
          ErrorTypes.NOT_OWNED);
    }
    List<String> sharedWith =
        AwsFailures.call(
            "DescribeDBClusterSnapshotAttributes",
            "snapshot " + d.snapshotId(),
            () ->
                rds
                    .describeDBClusterSnapshotAttributes(
                        b -> b.dbClusterSnapshotIdentifier(d.snapshotId()))
                    .dbClusterSnapshotAttributesResult()
                    .dbClusterSnapshotAttributes()
                    .stream()
                    .filter(a -> "restore".equals(a.attributeName()))
                    .flatMap(a -> a.attributeValues().stream())
                    .toList());
    if (!sharedWith.isEmpty()) {
      AwsFailures.call(
          "ModifyDBClusterSnapshotAttribute",
          "snapshot " + d.snapshotId(),
          () ->
              rds.modifyDBClusterSnapshotAttribute(
                  b ->
                      b.dbClusterSnapshotIdentifier(d.snapshotId())
                          .attributeName("restore")
                          .valuesToRemove(sharedWith)));
    }
    try {
      rds.deleteDBClusterSnapshot(b -> b.dbClusterSnapshotIdentifier(d.snapshotId()));
    } catch (SdkException e) {
      // Still creating (a run stopped before its snapshot was done): RDS deletes available ones
      // only.
      if ("InvalidDBClusterSnapshotStateFault".equals(AwsFailures.errorCode(e))) {
        throw ErrorTypes.notReady(
            "snapshot " + d.snapshotId() + " cannot be deleted yet (" + s.get().status() + ")");
      }
      ApplicationFailure f =
          AwsFailures.failure("DeleteDBClusterSnapshot", "snapshot " + d.snapshotId(), e);
      if (!ErrorTypes.NOT_FOUND.equals(f.getType())) throw f;
      return;
    }
    metrics.deleted("snapshot");
    log.info("snapshot {} unshared from {} and deleted", d.snapshotId(), sharedWith);
  }

  // ------------------------------------------------------------------------------ clusters

  @Override
  public ClusterRef ensureRestoredCluster(RestoreRequest r) {
    RdsClient rds = aws.rds(r.account());
    Optional<DBCluster> existing = describeCluster(rds, r.clusterId());
    if (existing.isPresent()) return adoptCluster(r, existing.get());
    try {
      DBCluster c =
          rds.restoreDBClusterFromSnapshot(
                  b -> {
                    b.dbClusterIdentifier(r.clusterId())
                        .snapshotIdentifier(r.snapshotArn())
                        .engine(r.engine())
                        .engineVersion(r.engineVersion())
                        .tags(tagList(r.tags()));
                    if (r.dbSubnetGroup() != null) b.dbSubnetGroupName(r.dbSubnetGroup());
                    if (r.vpcSecurityGroupIds() != null && !r.vpcSecurityGroupIds().isEmpty()) {
                      b.vpcSecurityGroupIds(r.vpcSecurityGroupIds());
                    }
                  })
              .dbCluster();
      metrics.created("cluster");
      log.info(
          "cluster {} restoring from {} in {}",
          r.clusterId(),
          r.snapshotArn(),
          r.account().accountId());
      return clusterRef(r.account(), c, false);
    } catch (SdkException e) {
      if ("DBClusterAlreadyExistsFault".equals(AwsFailures.errorCode(e))) {
        Optional<DBCluster> now = describeCluster(rds, r.clusterId());
        if (now.isPresent()) return adoptCluster(r, now.get());
      }
      throw AwsFailures.failure(
          "RestoreDBClusterFromSnapshot",
          "cluster " + r.clusterId() + " from " + r.snapshotArn(),
          e);
    }
  }

  private ClusterRef adoptCluster(RestoreRequest r, DBCluster c) {
    String theirs = tags(c.tagList()).get(OWNER);
    String ours = r.tags() == null ? null : r.tags().get(OWNER);
    if (ours == null || !ours.equals(theirs)) {
      throw ApplicationFailure.newNonRetryableFailure(
          "cluster "
              + r.clusterId()
              + " already exists and is not this run's ("
              + OWNER
              + "="
              + theirs
              + "); not adopted",
          ErrorTypes.NOT_OWNED);
    }
    return clusterRef(r.account(), c, true);
  }

  @Override
  public ClusterRef checkRestoredClusterReady(RestoreRequest r) {
    RdsClient rds = aws.rds(r.account());
    DBCluster c =
        describeCluster(rds, r.clusterId())
            .orElseThrow(
                () ->
                    ApplicationFailure.newNonRetryableFailure(
                        "cluster " + r.clusterId() + " is gone", ErrorTypes.INVALID_STATE));
    if (!"available".equals(c.status())) {
      if (DEAD_END.contains(c.status())) {
        throw ApplicationFailure.newNonRetryableFailure(
            "cluster " + r.clusterId() + " is " + c.status() + " and will not become available",
            ErrorTypes.INVALID_STATE);
      }
      throw ErrorTypes.notReady("cluster " + r.clusterId() + " is " + c.status());
    }
    if (!tags(c.tagList()).containsKey(RestoreRequest.PASSWORD_TAG)) {
      String password = secrets.resolve(r.masterPasswordRef());
      AwsFailures.call(
          "ModifyDBCluster",
          "cluster " + r.clusterId() + " (MasterUserPassword)",
          () ->
              rds.modifyDBCluster(
                  b ->
                      b.dbClusterIdentifier(r.clusterId())
                          .masterUserPassword(password)
                          .applyImmediately(true)));
      AwsFailures.call(
          "AddTagsToResource",
          c.dbClusterArn(),
          () ->
              rds.addTagsToResource(
                  b ->
                      b.resourceName(c.dbClusterArn())
                          .tags(
                              Tag.builder()
                                  .key(RestoreRequest.PASSWORD_TAG)
                                  .value("reset")
                                  .build())));
      log.info("cluster {}: master password set from {}", r.clusterId(), r.masterPasswordRef());
      throw ErrorTypes.notReady(
          "cluster " + r.clusterId() + ": master password set, waiting for it to apply");
    }
    List<DBInstance> instances = instances(rds, r.clusterId());
    List<String> missing = new ArrayList<>();
    for (int i = 1; i <= r.instanceCount(); i++) {
      String id = r.clusterId() + "-" + i;
      if (instances.stream().noneMatch(x -> id.equals(x.dbInstanceIdentifier()))) missing.add(id);
    }
    for (String id : missing) {
      try {
        rds.createDBInstance(
            b ->
                b.dbInstanceIdentifier(id)
                    .dbClusterIdentifier(r.clusterId())
                    .engine(r.engine())
                    .dbInstanceClass(r.instanceClass())
                    .tags(tagList(r.tags())));
        metrics.created("instance");
        log.info("instance {} ({}) created in {}", id, r.instanceClass(), r.clusterId());
      } catch (SdkException e) {
        if (!"DBInstanceAlreadyExists".equals(AwsFailures.errorCode(e))) {
          throw AwsFailures.failure("CreateDBInstance", "instance " + id, e);
        }
      }
    }
    if (!missing.isEmpty()) throw ErrorTypes.notReady("instances " + missing + " creating");
    for (DBInstance i : instances) {
      if (DEAD_END.contains(i.dbInstanceStatus())) {
        throw ApplicationFailure.newNonRetryableFailure(
            "instance "
                + i.dbInstanceIdentifier()
                + " of "
                + r.clusterId()
                + " is "
                + i.dbInstanceStatus()
                + " and will not become available",
            ErrorTypes.INVALID_STATE);
      }
      if (!"available".equals(i.dbInstanceStatus())) {
        throw ErrorTypes.notReady(
            "instance " + i.dbInstanceIdentifier() + " is " + i.dbInstanceStatus());
      }
    }
    return clusterRef(r.account(), c, false);
  }

  @Override
  public ClusterRef deleteCluster(ClusterDeletion d) {
    RdsClient rds = aws.rds(d.account());
    Optional<DBCluster> found = describeCluster(rds, d.clusterId());
    if (found.isEmpty()) {
      return new ClusterRef(
          d.account().accountId(), d.clusterId(), null, "deleted", null, 0, false);
    }
    DBCluster c = found.get();
    String owner = tags(c.tagList()).get(OWNER);
    boolean ours =
        d.anyDbopsOwner()
            ? owner != null && !owner.isBlank()
            : d.requiredOwner() != null && d.requiredOwner().equals(owner);
    if (!ours) {
      throw ApplicationFailure.newNonRetryableFailure(
          "cluster "
              + d.clusterId()
              + " in "
              + d.account().accountId()
              + " does not carry "
              + (d.anyDbopsOwner() ? "a " + OWNER + " tag" : OWNER + "=" + d.requiredOwner())
              + " (it has "
              + owner
              + "); not deleted",
          ErrorTypes.NOT_OWNED);
    }
    if ("deleting".equals(c.status())) return clusterRef(d.account(), c, false);
    List<String> busy = new ArrayList<>();
    for (DBInstance i : instances(rds, d.clusterId())) {
      if ("deleting".equals(i.dbInstanceStatus())) continue;
      try {
        rds.deleteDBInstance(b -> b.dbInstanceIdentifier(i.dbInstanceIdentifier()));
        log.info("instance {} of {} deleting", i.dbInstanceIdentifier(), d.clusterId());
      } catch (SdkException e) {
        // Still creating or modifying (e.g. compensating a restore that stopped half way): later.
        if ("InvalidDBInstanceState".equals(AwsFailures.errorCode(e))) {
          busy.add(i.dbInstanceIdentifier() + " (" + i.dbInstanceStatus() + ")");
          continue;
        }
        ApplicationFailure f =
            AwsFailures.failure("DeleteDBInstance", "instance " + i.dbInstanceIdentifier(), e);
        if (!ErrorTypes.NOT_FOUND.equals(f.getType())) throw f;
      }
    }
    if (!busy.isEmpty()) {
      throw ErrorTypes.notReady(
          "cluster " + d.clusterId() + ": instances " + busy + " cannot be deleted yet");
    }
    try {
      rds.deleteDBCluster(
          b -> {
            b.dbClusterIdentifier(d.clusterId());
            if (d.finalSnapshotId() == null) b.skipFinalSnapshot(true);
            else b.skipFinalSnapshot(false).finalDBSnapshotIdentifier(d.finalSnapshotId());
          });
    } catch (SdkException e) {
      String code = AwsFailures.errorCode(e);
      if ("DBClusterNotFoundFault".equals(code)) {
        return new ClusterRef(
            d.account().accountId(), d.clusterId(), null, "deleted", null, 0, false);
      }
      // Instances still going away: the retry policy comes back once they are.
      if ("InvalidDBClusterStateFault".equals(code))
        throw ErrorTypes.notReady(
            "cluster " + d.clusterId() + " cannot be deleted yet: " + e.getMessage());
      throw AwsFailures.failure("DeleteDBCluster", "cluster " + d.clusterId(), e);
    }
    metrics.deleted("cluster");
    log.info(
        "cluster {} in {} deleting{}",
        d.clusterId(),
        d.account().accountId(),
        d.finalSnapshotId() == null ? "" : " (final snapshot " + d.finalSnapshotId() + ")");
    return new ClusterRef(
        d.account().accountId(),
        d.clusterId(),
        c.dbClusterArn(),
        "deleting",
        c.endpoint(),
        c.port() == null ? 0 : c.port(),
        false);
  }

  @Override
  public void checkClusterGone(AccountRef account, String clusterId) {
    Optional<DBCluster> c = describeCluster(aws.rds(account), clusterId);
    if (c.isPresent())
      throw ErrorTypes.notReady("cluster " + clusterId + " is " + c.get().status());
  }

  // ----------------------------------------------------------------------------------- SQL

  /**
   * {@inheritDoc}
   *
   * <p>Autocommit, one statement at a time, a heartbeat (the 1-based index of the statement just
   * run) after each. A retried attempt runs the whole script again from the first statement:
   * masking scripts are idempotent by contract (they overwrite with values derived from the row,
   * e.g. {@code CONCAT('user', id, '@example.invalid')}), so a rerun is correct, and the
   * verification queries judge the end state whatever the attempt. Each verification query runs
   * through {@link ReadOnlyChecks} (parsed again, in a read-only transaction) and must answer
   * exactly one row of one whole number; anything else is MASKING_FAILED saying what came back,
   * never a silent 0 (not INVALID_INPUT: the cluster exists by now, and the run removes it).
   */
  @Override
  public MaskReport mask(MaskRun run) {
    MaskingScripts.Script s = script(run.masking());
    if (!s.sha256().equals(run.expectedSha256())) {
      throw ApplicationFailure.newNonRetryableFailure(
          "masking script changed since the run validated it (sha256 "
              + run.expectedSha256()
              + ", now "
              + s.sha256()
              + "); start a new run to use it",
          ErrorTypes.INVALID_INPUT);
    }
    long start = System.nanoTime();
    String where = MySqlConnector.target(run.endpoint(), run.port());
    try (Connection c = open(run.endpoint(), run.port(), run.login())) {
      // The server reads strings as SqlScript split them, whatever the cluster's sql_mode.
      ReadOnlyChecks.readAsLexed(c);
      List<Long> changed = new ArrayList<>();
      for (int i = 0; i < s.statements().size(); i++) {
        String sql = s.statements().get(i);
        try (Statement st = c.createStatement()) {
          st.setEscapeProcessing(false); // sent as the mysql client would: no JDBC {…} rewriting
          changed.add(st.executeLargeUpdate(sql));
        } catch (SQLException e) {
          throw SqlFailures.failure("masking statement " + (i + 1) + " on " + where, e);
        }
        Activity.getExecutionContext().heartbeat(i + 1);
      }
      List<VerifyResult> verification = new ArrayList<>();
      for (String q : run.masking().verifyQueriesOrEmpty()) {
        try {
          verification.add(
              new VerifyResult(q, number(ReadOnlyChecks.run(c, q, ErrorTypes.MASKING_FAILED), q)));
        } catch (SQLException e) {
          throw SqlFailures.failure("verification query on " + where, e);
        }
      }
      long millis = (System.nanoTime() - start) / 1_000_000;
      metrics.masked(millis);
      log.info(
          "masked {} with {} statement(s) (sha256 {}), rows changed {}, verification {}",
          where,
          s.statements().size(),
          s.sha256(),
          changed,
          verification);
      return new MaskReport(s.sha256(), s.statements().size(), changed, verification, millis);
    } catch (SQLException e) {
      throw SqlFailures.failure("connect to " + where, e);
    }
  }

  @Override
  public DriftReport checkDrift(DriftCheck check) {
    SchemaDrift.Picture source;
    SchemaDrift.Picture copy;
    try (Connection c = open(check.sourceEndpoint(), check.sourcePort(), check.sourceLogin())) {
      source = SchemaDrift.read(c, check.schemas());
    } catch (SQLException e) {
      throw SqlFailures.failure(
          "schema of " + MySqlConnector.target(check.sourceEndpoint(), check.sourcePort()), e);
    }
    try (Connection c = open(check.targetEndpoint(), check.targetPort(), check.targetLogin())) {
      copy = SchemaDrift.read(c, check.schemas());
    } catch (SQLException e) {
      throw SqlFailures.failure(
          "schema of " + MySqlConnector.target(check.targetEndpoint(), check.targetPort()), e);
    }
    return new DriftReport(source.columns().size(), SchemaDrift.compare(source, copy));
  }

  /**
   * The single whole number a verification query answers: exactly one row of one integer column. No
   * row, two rows (the first alone would hide the second: {@code SELECT 0 UNION ALL SELECT COUNT(*)
   * …}), two columns, NULL, a fraction or text is a broken query, never a silent 0.
   */
  private static long number(ReadOnlyChecks.Answer answer, String query) {
    return answer
        .wholeNumber()
        .orElseThrow(() -> invalidVerification(query, "returned " + answer.describe()));
  }

  private static ApplicationFailure invalidVerification(String query, String what) {
    return ApplicationFailure.newNonRetryableFailure(
        "verification query "
            + what
            + " (it must return exactly"
            + " one row of one whole number, 0 when masked): "
            + query,
        ErrorTypes.MASKING_FAILED);
  }

  private Connection open(String host, int port, DbLogin login) throws SQLException {
    return mysql.open(host, port, login.user(), secrets.resolve(login.passwordRef()));
  }

  // ----------------------------------------------------------------------------------- DNS

  @Override
  public ChangeRef upsertCname(CnameChange change) {
    Route53Records.Upserted u =
        new Route53Records(aws.route53(change.account()))
            .upsertCname(
                change.dns().hostedZoneId(),
                change.dns().normalizedName(),
                change.value(),
                change.ttl(),
                change.comment());
    if (!u.sent()) return new ChangeRef(u.change().changeId(), u.change().status());
    metrics.created("cname_change");
    log.info(
        "{} -> {} (TTL {}) in {}: change {} {}",
        change.dns().normalizedName(),
        change.value(),
        change.ttl(),
        change.dns().hostedZoneId(),
        u.change().changeId(),
        u.change().status());
    return new ChangeRef(u.change().changeId(), u.change().status());
  }

  @Override
  public ChangeRef checkChangeInsync(AccountRef account, String changeId) {
    DnsChange c = new Route53Records(aws.route53(account)).checkInsync(changeId);
    return new ChangeRef(c.changeId(), c.status());
  }

  // -------------------------------------------------------------------------------- helpers

  private static Optional<DBCluster> describeCluster(RdsClient rds, String id) {
    return ifExists(
        () ->
            AwsFailures.call(
                "DescribeDBClusters",
                "cluster " + id,
                () -> rds.describeDBClusters(b -> b.dbClusterIdentifier(id)).dbClusters().get(0)));
  }

  private static Optional<DBClusterSnapshot> describeSnapshot(RdsClient rds, String id) {
    return new ClusterSnapshots(rds).find(id);
  }

  private static List<DBInstance> instances(RdsClient rds, String clusterId) {
    return AwsFailures.call(
        "DescribeDBInstances",
        "cluster " + clusterId,
        () ->
            rds
                .describeDBInstancesPaginator(
                    b ->
                        b.filters(Filter.builder().name("db-cluster-id").values(clusterId).build()))
                .dbInstances()
                .stream()
                .toList());
  }

  /** Runs {@code call}; a NOT_FOUND failure becomes empty, anything else goes on up. */
  private static <T> Optional<T> ifExists(Supplier<T> call) {
    return AwsFailures.ifExists(call);
  }

  private static void ifExists(Runnable call) {
    ifExists(
        () -> {
          call.run();
          return Boolean.TRUE;
        });
  }

  private static SnapshotRef ref(DBClusterSnapshot s, boolean adopted) {
    return new SnapshotRef(
        s.dbClusterSnapshotIdentifier(),
        s.dbClusterSnapshotArn(),
        s.status(),
        s.kmsKeyId(),
        adopted);
  }

  private static ClusterRef clusterRef(AccountRef account, DBCluster c, boolean adopted) {
    return new ClusterRef(
        account.accountId(),
        c.dbClusterIdentifier(),
        c.dbClusterArn(),
        c.status(),
        c.endpoint(),
        c.port() == null ? 3306 : c.port(),
        adopted);
  }

  private static Map<String, String> tags(List<Tag> tags) {
    Map<String, String> out = new LinkedHashMap<>();
    if (tags != null) tags.forEach(t -> out.put(t.key(), t.value()));
    return out;
  }

  private static List<Tag> tagList(Map<String, String> tags) {
    return tags.entrySet().stream()
        .map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build())
        .toList();
  }

  /** DNS names compare without case and trailing dot. */
  static String host(String name) {
    return Route53Records.host(name);
  }
}
