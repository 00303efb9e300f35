package dev.dbops.workflows.staging;

import dev.dbops.workflows.common.ErrorTypes;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Two AWS accounts as the staging workflow sees them, on the test server's clock: snapshots,
 * copies, restores and deletions take set times; Route53 changes go INSYNC after a delay (or
 * never). Counts every mutating call and every describe call (with its time) so tests can say
 * "exactly one" and "so many calls per waiting hour".
 */
class FakeStaging implements StagingActivities {
  static final String PROD = "111111111111";
  static final String STAGING = "222222222222";
  static final String ZONE = "Z0STAGING";
  static final String RECORD = "db.staging.internal.";
  static final String OLD = "staging-old";
  static final String OLD_ENDPOINT = "staging-old.cluster-abc.us-east-1.rds.amazonaws.com";

  record Cluster(
      String account,
      String id,
      long createdAt,
      Map<String, String> tags,
      List<String> instances,
      boolean[] passwordSet,
      long[] deletingAt) {}

  record Snapshot(
      String account,
      String id,
      long createdAt,
      Duration takes,
      String kms,
      Map<String, String> tags,
      Set<String> sharedWith) {}

  final TestWorkflowEnvironment env;
  final Map<String, Cluster> clusters = new HashMap<>();
  final Map<String, Snapshot> snapshots = new HashMap<>();
  final Map<String, Long> changes = new HashMap<>();
  final List<String> mutations = new ArrayList<>();

  /** Times (test clock millis) of every describe-type AWS call a check made. */
  final List<Long> describeCalls = new ArrayList<>();

  String recordValue = OLD_ENDPOINT;
  long recordTtl = 0;
  Duration snapshotTime = Duration.ofHours(1);
  Duration copyTime = Duration.ofMinutes(20);
  Duration restoreTime = Duration.ofMinutes(30);
  Duration instanceTime = Duration.ofMinutes(10);
  Duration insyncAfter = Duration.ofSeconds(30);
  Duration deleteTime = Duration.ofMinutes(5);
  boolean defaultKey = true;

  /** A change id that never goes INSYNC (a stuck propagation). */
  String stuckChange;

  long maskUnmaskedRows;
  Map<String, String> oldTags =
      new HashMap<>(Map.of(StagingValidator.OWNER_TAG, "staging-rebuild/previous"));
  int maskCalls;

  /** Classes the target account's RDS does not offer for the source's engine version. */
  final Set<String> notOffered = new HashSet<>();

  /** The instance-class part of every target lookup. */
  final List<dev.dbops.workflows.common.OrderableQuery> offerQueries = new ArrayList<>();

  FakeStaging(TestWorkflowEnvironment env) {
    this.env = env;
    clusters.put(
        OLD,
        new Cluster(
            STAGING,
            OLD,
            0,
            oldTags,
            new ArrayList<>(List.of(OLD + "-1")),
            new boolean[] {true},
            new long[] {-1}));
  }

  private long now() {
    return env.currentTimeMillis();
  }

  private void mutate(String what) {
    mutations.add(what);
  }

  synchronized long count(String prefix) {
    return mutations.stream().filter(m -> m.startsWith(prefix)).count();
  }

  @Override
  public synchronized SourceFacts inspectSource(AccountRef account, String clusterId) {
    if (!PROD.equals(account.accountId()) || !"prod-main".equals(clusterId)) {
      throw ApplicationFailure.newNonRetryableFailure(
          "DBClusterNotFoundFault: " + clusterId, ErrorTypes.NOT_FOUND);
    }
    String kms =
        defaultKey
            ? "arn:aws:kms:us-east-1:" + PROD + ":alias/aws/rds"
            : "arn:aws:kms:us-east-1:" + PROD + ":key/cmk";
    return new SourceFacts(
        "prod-main",
        "arn:aws:rds:us-east-1:" + PROD + ":cluster:prod-main",
        "available",
        "aurora-mysql",
        "5.7.mysql_aurora.2.11.2",
        "prod-main.cluster-xyz.us-east-1.rds.amazonaws.com",
        3306,
        "admin",
        true,
        kms,
        defaultKey,
        List.of(),
        null,
        Map.of("environment", "production"));
  }

  @Override
  public synchronized TargetFacts inspectTarget(TargetQuery q) {
    if (!ZONE.equals(q.dns().hostedZoneId())) {
      return new TargetFacts(null, false, null, null, null, null, null, null, false, null);
    }
    String type = RECORD.equals(q.dns().normalizedName()) ? "CNAME" : null;
    String old =
        q.oldClusterId() != null
            ? (clusters.containsKey(q.oldClusterId()) ? q.oldClusterId() : null)
            : clusters.values().stream()
                .filter(
                    c -> (c.id() + ".cluster-abc.us-east-1.rds.amazonaws.com").equals(recordValue))
                .map(Cluster::id)
                .findFirst()
                .orElse(null);
    Cluster mine = clusters.get(q.newClusterId());
    return new TargetFacts(
        "staging.internal.",
        true,
        type,
        type == null ? null : recordValue,
        type == null ? null : recordTtl,
        old,
        old == null ? null : "available",
        old == null ? null : Map.copyOf(clusters.get(old).tags()),
        mine != null,
        mine == null ? null : mine.tags().get(StagingValidator.OWNER_TAG),
        offers(q));
  }

  private List<dev.dbops.workflows.common.InstanceClassOffer> offers(TargetQuery q) {
    if (q.instanceClasses() == null) return null;
    offerQueries.add(q.instanceClasses());
    var o = q.instanceClasses();
    return o.instanceClasses().stream()
        .map(
            c ->
                new dev.dbops.workflows.common.InstanceClassOffer(
                    c,
                    o.engine(),
                    o.engineVersion(),
                    !notOffered.contains(c),
                    notOffered.contains(c) ? List.of("db.r6g.large") : List.of()))
        .toList();
  }

  @Override
  public MaskingScript readMaskingScript(MaskingSpec masking) {
    if (masking.scriptRef() != null && masking.scriptRef().contains("missing")) {
      throw ApplicationFailure.newNonRetryableFailure(
          "masking.scriptRef: " + masking.scriptRef() + " does not exist",
          ErrorTypes.INVALID_INPUT);
    }
    return new MaskingScript(
        "abc123",
        masking.statementsOrEmpty().size(),
        masking.verifyQueriesOrEmpty().size(),
        "inline");
  }

  private SnapshotRef ensure(
      String account, String id, Duration takes, String kms, Map<String, String> tags, String op) {
    Snapshot s = snapshots.get(id);
    if (s != null) {
      if (!tags.get(StagingValidator.OWNER_TAG).equals(s.tags().get(StagingValidator.OWNER_TAG))) {
        throw ApplicationFailure.newNonRetryableFailure(id + " is not ours", ErrorTypes.NOT_OWNED);
      }
      return new SnapshotRef(id, arn(account, id), "creating", kms, true);
    }
    mutate(op + " " + id);
    snapshots.put(
        id, new Snapshot(account, id, now(), takes, kms, Map.copyOf(tags), new LinkedHashSet<>()));
    return new SnapshotRef(id, arn(account, id), "creating", kms, false);
  }

  static String arn(String account, String snapshotId) {
    return "arn:aws:rds:us-east-1:" + account + ":cluster-snapshot:" + snapshotId;
  }

  @Override
  public synchronized SnapshotRef ensureSnapshot(SnapshotRequest r) {
    return ensure(
        r.account().accountId(),
        r.snapshotId(),
        snapshotTime,
        inspectSource(r.account(), r.clusterId()).kmsKeyId(),
        r.tags(),
        "CreateDBClusterSnapshot");
  }

  @Override
  public synchronized SnapshotRef ensureSnapshotCopy(SnapshotCopyRequest r) {
    return ensure(
        r.account().accountId(),
        r.targetSnapshotId(),
        copyTime,
        r.kmsKeyId(),
        r.tags(),
        "CopyDBClusterSnapshot");
  }

  @Override
  public synchronized SnapshotRef checkSnapshotAvailable(AccountRef account, String snapshotId) {
    describeCalls.add(now());
    Snapshot s = snapshots.get(snapshotId);
    if (now() - s.createdAt() < s.takes().toMillis())
      throw ErrorTypes.notReady(snapshotId + " creating");
    return new SnapshotRef(snapshotId, arn(s.account(), snapshotId), "available", s.kms(), false);
  }

  @Override
  public synchronized void shareSnapshot(SnapshotShare share) {
    Snapshot s = snapshots.get(share.snapshotId());
    if (s.kms().endsWith("alias/aws/rds")) {
      throw ApplicationFailure.newNonRetryableFailure(
          "InvalidParameterValue: default key", ErrorTypes.INVALID_PARAMETER);
    }
    if (s.sharedWith().add(share.withAccountId()))
      mutate("ModifyDBClusterSnapshotAttribute add " + share.withAccountId());
  }

  @Override
  public synchronized void unshareSnapshot(SnapshotShare share) {
    Snapshot s = snapshots.get(share.snapshotId());
    if (s != null && s.sharedWith().remove(share.withAccountId()))
      mutate("ModifyDBClusterSnapshotAttribute remove");
  }

  @Override
  public synchronized ClusterRef ensureRestoredCluster(RestoreRequest r) {
    Cluster c = clusters.get(r.clusterId());
    if (c != null) return ref(c, "creating", true);
    String snapId = r.snapshotArn().substring(r.snapshotArn().lastIndexOf(':') + 1);
    Snapshot s = snapshots.get(snapId);
    if (!s.account().equals(r.account().accountId())
        && !s.sharedWith().contains(r.account().accountId())) {
      throw ApplicationFailure.newNonRetryableFailure(
          "DBClusterSnapshotNotFoundFault: not shared", ErrorTypes.NOT_FOUND);
    }
    mutate("RestoreDBClusterFromSnapshot " + r.clusterId());
    c =
        new Cluster(
            r.account().accountId(),
            r.clusterId(),
            now(),
            new HashMap<>(r.tags()),
            new ArrayList<>(),
            new boolean[] {false},
            new long[] {-1});
    clusters.put(r.clusterId(), c);
    return ref(c, "creating", false);
  }

  private static ClusterRef ref(Cluster c, String status, boolean adopted) {
    return new ClusterRef(
        c.account(),
        c.id(),
        "arn:aws:rds:us-east-1:" + c.account() + ":cluster:" + c.id(),
        status,
        c.id() + ".cluster-abc.us-east-1.rds.amazonaws.com",
        3306,
        adopted);
  }

  @Override
  public synchronized ClusterRef checkRestoredClusterReady(RestoreRequest r) {
    describeCalls.add(now());
    describeCalls.add(now());
    Cluster c = clusters.get(r.clusterId());
    if (now() - c.createdAt() < restoreTime.toMillis())
      throw ErrorTypes.notReady(r.clusterId() + " creating");
    if (!c.passwordSet()[0]) {
      mutate("ModifyDBCluster MasterUserPassword " + r.clusterId());
      c.passwordSet()[0] = true;
      throw ErrorTypes.notReady(r.clusterId() + " resetting-master-credentials");
    }
    if (c.instances().size() < r.instanceCount()) {
      for (int i = c.instances().size(); i < r.instanceCount(); i++) {
        mutate("CreateDBInstance " + r.clusterId() + "-" + (i + 1));
        c.instances().add(r.clusterId() + "-" + (i + 1) + "@" + now());
      }
      throw ErrorTypes.notReady(r.clusterId() + " instances creating");
    }
    for (String i : c.instances()) {
      long at = Long.parseLong(i.substring(i.indexOf('@') + 1));
      if (now() - at < instanceTime.toMillis()) throw ErrorTypes.notReady(i + " creating");
    }
    return ref(c, "available", false);
  }

  @Override
  public synchronized MaskReport mask(MaskRun run) {
    maskCalls++;
    if (!"abc123".equals(run.expectedSha256())) {
      throw ApplicationFailure.newNonRetryableFailure("hash changed", ErrorTypes.INVALID_INPUT);
    }
    List<VerifyResult> v = new ArrayList<>();
    for (String q : run.masking().verifyQueriesOrEmpty())
      v.add(new VerifyResult(q, maskUnmaskedRows));
    return new MaskReport(
        "abc123", run.masking().statementsOrEmpty().size(), List.of(120L), v, 1500);
  }

  @Override
  public DriftReport checkDrift(DriftCheck check) {
    return new DriftReport(2, List.of());
  }

  @Override
  public synchronized ChangeRef upsertCname(CnameChange change) {
    if (change.value().equals(recordValue) && change.ttl() == recordTtl)
      return new ChangeRef("none", "INSYNC");
    String id = "C" + (changes.size() + 1);
    mutate("ChangeResourceRecordSets UPSERT " + change.value());
    recordValue = change.value();
    recordTtl = change.ttl();
    changes.put(id, now());
    return new ChangeRef(id, "PENDING");
  }

  @Override
  public synchronized ChangeRef checkChangeInsync(AccountRef account, String changeId) {
    describeCalls.add(now());
    if (changeId.equals(stuckChange) || now() - changes.get(changeId) < insyncAfter.toMillis())
      throw ErrorTypes.notReady(changeId + " PENDING");
    return new ChangeRef(changeId, "INSYNC");
  }

  @Override
  public synchronized ClusterRef deleteCluster(ClusterDeletion d) {
    Cluster c = clusters.get(d.clusterId());
    if (c == null)
      return new ClusterRef(
          d.account().accountId(), d.clusterId(), null, "deleted", null, 0, false);
    String owner = c.tags().get(StagingValidator.OWNER_TAG);
    boolean ours = d.anyDbopsOwner() ? owner != null : d.requiredOwner().equals(owner);
    if (!ours)
      throw ApplicationFailure.newNonRetryableFailure(
          d.clusterId() + " not ours", ErrorTypes.NOT_OWNED);
    if (c.deletingAt()[0] < 0) {
      mutate("DeleteDBCluster " + d.clusterId());
      c.deletingAt()[0] = now();
    }
    return ref(c, "deleting", false);
  }

  @Override
  public synchronized void checkClusterGone(AccountRef account, String clusterId) {
    describeCalls.add(now());
    Cluster c = clusters.get(clusterId);
    if (c == null) return;
    if (now() - c.deletingAt()[0] < deleteTime.toMillis())
      throw ErrorTypes.notReady(clusterId + " deleting");
    clusters.remove(clusterId);
  }

  @Override
  public synchronized void deleteSnapshot(SnapshotDeletion d) {
    Snapshot s = snapshots.get(d.snapshotId());
    if (s == null) return;
    if (!d.requiredOwner().equals(s.tags().get(StagingValidator.OWNER_TAG))) {
      throw ApplicationFailure.newNonRetryableFailure(
          d.snapshotId() + " not ours", ErrorTypes.NOT_OWNED);
    }
    mutate("DeleteDBClusterSnapshot " + d.snapshotId());
    snapshots.remove(d.snapshotId());
  }
}
