package dev.dbops.workflows.migration;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import dev.dbops.workflows.binlog.BinlogPosition;
import dev.dbops.workflows.binlog.ReplicationActivities;
import dev.dbops.workflows.common.ApprovalPolicy;
import dev.dbops.workflows.common.DbLogin;
import dev.dbops.workflows.common.ErrorTypes;
import dev.dbops.workflows.common.InstanceClassOffer;
import dev.dbops.workflows.common.NotifyActivities;
import dev.dbops.workflows.common.RunNotice;
import dev.dbops.workflows.common.ScriptedHooks;
import dev.dbops.workflows.common.WaitNotice;
import dev.dbops.workflows.staging.ChangeRef;
import dev.dbops.workflows.staging.CnameChange;
import dev.dbops.workflows.staging.DnsTarget;
import dev.dbops.workflows.staging.StagingActivities;
import dev.dbops.workflows.staging.TargetFacts;
import dev.dbops.workflows.upgrade.ClusterEndpoints;
import dev.dbops.workflows.upgrade.ClusterFacts;
import dev.dbops.workflows.upgrade.InstanceSpec;
import dev.dbops.workflows.upgrade.ModifyOutcome;
import dev.dbops.workflows.upgrade.RdsUpgradeActivities;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test environment with mocked activities answering as a small RDS MySQL instance, its Aurora
 * replica (lag falling to 0 at {@link #caughtUpAt}, or never) and Route53 would.
 */
final class MigrationFixture implements AutoCloseable {
  static final String QUEUE = "dbops-test";
  static final String ID = "aurora-migration/orders-mysql";
  static final String SOURCE = "orders-mysql";
  static final String SOURCE_ENDPOINT = "orders-mysql.abc123.eu-west-1.rds.amazonaws.com";
  static final String ARN = "arn:aws:rds:eu-west-1:123456789012:db:orders-mysql";
  static final BinlogPosition FINAL = new BinlogPosition("mysql-bin-changelog.000042", 1234);
  static final String CLUSTER = MigrationNames.forWorkflow(ID).clusterId();
  static final String CLUSTER_ENDPOINT = CLUSTER + ".cluster-abc123.eu-west-1.rds.amazonaws.com";
  static final ClusterEndpoints ENDPOINTS =
      new ClusterEndpoints(CLUSTER, CLUSTER_ENDPOINT, "ro-" + CLUSTER_ENDPOINT, 3306);

  final TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance();
  final MigrationActivities aws =
      mock(MigrationActivities.class, withSettings().withoutAnnotations());
  final RdsUpgradeActivities rds =
      mock(RdsUpgradeActivities.class, withSettings().withoutAnnotations());
  final StagingActivities route53 =
      mock(StagingActivities.class, withSettings().withoutAnnotations());
  final ReplicationActivities replication =
      mock(ReplicationActivities.class, withSettings().withoutAnnotations());
  final ScriptedHooks hooks = new ScriptedHooks();
  final List<WaitNotice> notices = new CopyOnWriteArrayList<>();
  final AtomicInteger lagChecks = new AtomicInteger();
  final WorkflowClient client;

  /** Workflow time at which the replica's lag reaches 0; null: never. */
  volatile Long caughtUpAt;

  volatile String sourceVersion = "5.7.44";

  /** The replica's SQL thread stopped on this error (0: replicating). */
  volatile int replicaErrno;

  MigrationFixture() {
    Worker worker = env.newWorker(QUEUE);
    worker.registerWorkflowImplementationTypes(AuroraMigrationWorkflowImpl.class);
    worker.registerActivitiesImplementations(
        aws,
        rds,
        route53,
        replication,
        hooks,
        new NotifyActivities() {
          @Override
          public void waitingForPerson(WaitNotice n) {
            notices.add(n);
          }

          @Override
          public void personResponded(WaitNotice n) {}

          @Override
          public void runEnded(RunNotice n) {}
        });
    answer();
    env.start();
    client = env.getWorkflowClient();
  }

  private void answer() {
    when(aws.inspectSource(any())).thenAnswer(i -> source(sourceVersion));
    when(aws.inspectSourceSql(any()))
        .thenReturn(new SourceSqlFacts("5.7.44-log", true, "ROW", 168, false, List.of()));
    when(route53.inspectTarget(any()))
        .thenReturn(
            new TargetFacts(
                "prod.internal.",
                true,
                "CNAME",
                SOURCE_ENDPOINT,
                0L,
                null,
                null,
                null,
                false,
                null));
    when(rds.instanceClassOffers(any()))
        .thenReturn(
            List.of(new InstanceClassOffer("db.r5.large", "aurora-mysql", null, true, List.of())));
    when(aws.ensureReplicaCluster(any()))
        .thenAnswer(
            i ->
                new CreateOutcome(
                    i.<ReplicaClusterSpec>getArgument(0).clusterId(),
                    CreateOutcome.CREATED,
                    "creating"));
    when(rds.checkClusterStatusAvailable(anyString())).thenReturn(ENDPOINTS);
    when(rds.createInstance(any())).thenAnswer(i -> i.<InstanceSpec>getArgument(0).instanceId());
    when(rds.checkClusterAvailable(anyString())).thenReturn(ENDPOINTS);
    when(aws.checkReplicaLag(any())).thenAnswer(i -> sortedLag(i.getArgument(0)));
    when(aws.readReplicaLag(any())).thenAnswer(i -> lagNow());
    when(replication.sourceFinalPosition(any())).thenReturn(FINAL);
    when(aws.promote(anyString()))
        .thenAnswer(i -> new PromoteOutcome(i.getArgument(0), PromoteOutcome.PROMOTED));
    when(aws.checkPromoted(anyString())).thenReturn(ENDPOINTS);
    when(aws.verifyWrite(any()))
        .thenAnswer(
            i ->
                new WriteCheck(
                    WriteProbe.TABLE, i.<WriteProbe>getArgument(0).token(), "2026-12-07", 2));
    AtomicInteger changes = new AtomicInteger();
    when(route53.upsertCname(any()))
        .thenAnswer(i -> new ChangeRef("C" + changes.incrementAndGet(), "PENDING"));
    when(route53.checkChangeInsync(any(), anyString()))
        .thenAnswer(i -> new ChangeRef(i.getArgument(1), "INSYNC"));
    when(aws.startInstanceUpgrade(any()))
        .thenReturn(new ModifyOutcome(ModifyOutcome.STARTED, "upgrading", "5.6.51"));
    when(aws.checkInstanceUpgraded(any()))
        .thenAnswer(
            i -> {
              sourceVersion = "5.7.44";
              return "5.7.44";
            });
  }

  static SourceInstanceFacts source(String version) {
    return new SourceInstanceFacts(
        SOURCE,
        ARN,
        "available",
        "mysql",
        version,
        SOURCE_ENDPOINT,
        3306,
        "db.r5.large",
        7,
        version.startsWith("5.6") ? "default.mysql5.6" : "default.mysql5.7",
        "default",
        List.of(),
        Map.of(),
        version.startsWith("5.6")
            ? List.of(new ClusterFacts.UpgradeTarget("mysql", "5.7.44", true))
            : List.of(),
        Map.of(),
        List.of());
  }

  /** The replica now: lag falling to 0 at {@link #caughtUpAt}, then at the source's position. */
  ReplicaLag lagNow() {
    Long at = caughtUpAt;
    long now = env.currentTimeMillis();
    long lag = at == null ? 7_200 : Math.max(0, (at - now) / 1000);
    if (replicaErrno != 0)
      return new ReplicaLag(null, true, false, replicaErrno, "Duplicate entry '7'", null, true);
    return new ReplicaLag(lag, true, true, 0, null, lag == 0 ? FINAL : null, true);
  }

  /** What the activity does with a look: the rule is {@link LagWatch#sort}'s. */
  private ReplicaLag sortedLag(LagWatch watch) {
    lagChecks.incrementAndGet();
    ReplicaLag lag = lagNow();
    return switch (watch.sort(lag, env.currentTimeMillis())) {
      case CAUGHT_UP, REPORT -> lag;
      case WAIT -> throw ErrorTypes.notReady("replica " + lag.describe());
      case BROKEN ->
          throw ApplicationFailure.newNonRetryableFailure(
              lag.describe(), ErrorTypes.REPLICATION_BROKEN);
    };
  }

  static MigrationRequest request(ApprovalPolicy approval, Boolean upgradeSource) {
    return new MigrationRequest(
        SOURCE,
        new DbLogin("admin", "env:DB_PASSWORD"),
        new DnsTarget("Z0123456789ABC", "db.prod.internal.", null),
        approval,
        "bob",
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        upgradeSource,
        Boolean.TRUE.equals(upgradeSource) ? "5.7.44" : null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null);
  }

  static ApprovalPolicy alice(Duration timeout) {
    return new ApprovalPolicy(List.of("alice"), 1, timeout);
  }

  AuroraMigrationWorkflow stub() {
    return client.newWorkflowStub(
        AuroraMigrationWorkflow.class,
        WorkflowOptions.newBuilder().setTaskQueue(QUEUE).setWorkflowId(ID).build());
  }

  MigrationResult result() {
    return client.newUntypedWorkflowStub(ID).getResult(MigrationResult.class);
  }

  int historyEvents() {
    var h = client.fetchHistory(ID).getHistory();
    if (Boolean.getBoolean("dbops.dumpHistory"))
      h.getEventsList().forEach(e -> System.err.println(e.getEventId() + " " + e.getEventType()));
    return h.getEventsCount();
  }

  /** The values the CNAME was set to, in order. */
  List<String> cnameValues() {
    return org.mockito.Mockito.mockingDetails(route53).getInvocations().stream()
        .filter(i -> i.getMethod().getName().equals("upsertCname"))
        .map(i -> ((CnameChange) i.getArgument(0)).value())
        .toList();
  }

  @Override
  public void close() {
    env.close();
  }
}
