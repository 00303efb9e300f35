package dev.dbops.bench;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.withSettings;

import dev.dbops.workflows.binlog.BinlogPosition;
import dev.dbops.workflows.binlog.ReplicationActivities;
import dev.dbops.workflows.common.Approval;
import dev.dbops.workflows.common.ApprovalPolicy;
import dev.dbops.workflows.common.DbLogin;
import dev.dbops.workflows.common.ErrorTypes;
import dev.dbops.workflows.common.HookActivities;
import dev.dbops.workflows.common.HookReport;
import dev.dbops.workflows.common.InstanceClassOffer;
import dev.dbops.workflows.common.NotifyActivities;
import dev.dbops.workflows.common.RunNotice;
import dev.dbops.workflows.common.WaitNotice;
import dev.dbops.workflows.migration.AuroraMigrationWorkflow;
import dev.dbops.workflows.migration.AuroraMigrationWorkflowImpl;
import dev.dbops.workflows.migration.CreateOutcome;
import dev.dbops.workflows.migration.LagWatch;
import dev.dbops.workflows.migration.MigrationActivities;
import dev.dbops.workflows.migration.MigrationNames;
import dev.dbops.workflows.migration.MigrationRequest;
import dev.dbops.workflows.migration.MigrationResult;
import dev.dbops.workflows.migration.PromoteOutcome;
import dev.dbops.workflows.migration.ReplicaClusterSpec;
import dev.dbops.workflows.migration.ReplicaLag;
import dev.dbops.workflows.migration.SourceInstanceFacts;
import dev.dbops.workflows.migration.SourceSqlFacts;
import dev.dbops.workflows.migration.WriteCheck;
import dev.dbops.workflows.migration.WriteProbe;
import dev.dbops.workflows.staging.ChangeRef;
import dev.dbops.workflows.staging.DnsTarget;
import dev.dbops.workflows.staging.StagingActivities;
import dev.dbops.workflows.staging.TargetFacts;
import dev.dbops.workflows.upgrade.ClusterEndpoints;
import dev.dbops.workflows.upgrade.InstanceSpec;
import dev.dbops.workflows.upgrade.RdsUpgradeActivities;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.mockito.stubbing.Answer;

/**
 * Prints the Aurora migration's numbers for a replica catch-up of 6 h and of 60 h: history events
 * of the whole run (flat: the wait writes no history while the lag band stays the same), lag checks
 * per waiting hour and RDS calls per waiting hour (target ≤ 12). The workflow runs on the
 * time-skipping test server; its activities are mocks answering as RDS, the replica (lag > 0 until
 * the end of the wait, then 0) and Route53 would, and count every call with the workflow clock's
 * time.
 */
public final class AuroraMigrationBenchmark {
  private static final String QUEUE = "bench-migration";
  private static final String ID = "aurora-migration/orders-mysql";
  private static final String SOURCE = "orders-mysql";
  private static final String SOURCE_ENDPOINT = "orders-mysql.abc123.eu-west-1.rds.amazonaws.com";
  private static final String CLUSTER = MigrationNames.forWorkflow(ID).clusterId();
  private static final ClusterEndpoints ENDPOINTS =
      new ClusterEndpoints(
          CLUSTER,
          CLUSTER + ".cluster-abc123.eu-west-1.rds.amazonaws.com",
          CLUSTER + ".cluster-ro-abc123.eu-west-1.rds.amazonaws.com",
          3306);
  private static final BinlogPosition FINAL =
      new BinlogPosition("mysql-bin-changelog.000042", 1234);

  /** MigrationActivities methods that talk SQL to a server, not to the RDS API. */
  private static final Set<String> SQL_METHODS =
      Set.of("inspectSourceSql", "checkReplicaLag", "readReplicaLag", "verifyWrite");

  /** Target: RDS calls per waiting hour. */
  private static final double RDS_PER_HOUR = 12;

  /** Flatness: events at 60 h may exceed those at 6 h by this much at most. */
  private static final int FLAT_SLACK = 12;

  public static void main(String[] args) {
    System.out.println("== Aurora migration benchmark (mocked activities, time-skipping) ==");
    System.out.printf(
        "%-22s %8s %8s %14s %16s %16s%n",
        "scenario", "events", "waitH", "lag checks/h", "RDS calls (wait)", "RDS calls/wait h");
    Run six = run(Duration.ofHours(6));
    Run sixty = run(Duration.ofHours(60));
    check(
        "history flat: 60 h events <= 6 h events + "
            + FLAT_SLACK
            + " (6 h: "
            + six.events
            + ", 60 h: "
            + sixty.events
            + ")",
        sixty.events <= six.events + FLAT_SLACK);
    check(
        "RDS calls per waiting hour <= "
            + (int) RDS_PER_HOUR
            + " (6 h: "
            + fmt(six.rdsPerHour())
            + ", 60 h: "
            + fmt(sixty.rdsPerHour())
            + ")",
        six.rdsPerHour() <= RDS_PER_HOUR && sixty.rdsPerHour() <= RDS_PER_HOUR);
    check(
        "lag checks per waiting hour <= 13 (6 h: "
            + fmt(six.lagChecksPerHour())
            + ", 60 h: "
            + fmt(sixty.lagChecksPerHour())
            + ")",
        six.lagChecksPerHour() <= 13 && sixty.lagChecksPerHour() <= 13);
  }

  record Run(int events, double waitHours, int lagChecks, int rdsCallsInWait) {
    double lagChecksPerHour() {
      return lagChecks / waitHours;
    }

    double rdsPerHour() {
      return rdsCallsInWait / waitHours;
    }
  }

  static Run run(Duration behind) {
    TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance();
    try {
      AtomicLong waitFrom = new AtomicLong(Long.MAX_VALUE);
      long caughtUpAt = env.currentTimeMillis() + behind.toMillis();
      AtomicInteger lagChecks = new AtomicInteger();
      AtomicInteger rdsInWait = new AtomicInteger();
      // Counts an RDS API call made between the replica's creation and its catch-up.
      Answer<Object> countRds =
          i -> {
            long now = env.currentTimeMillis();
            if (now >= waitFrom.get() && now < caughtUpAt) rdsInWait.incrementAndGet();
            return org.mockito.Answers.RETURNS_DEFAULTS.answer(i);
          };
      MigrationActivities aws =
          mock(
              MigrationActivities.class,
              withSettings()
                  .withoutAnnotations()
                  .defaultAnswer(
                      i ->
                          SQL_METHODS.contains(i.getMethod().getName())
                              ? null
                              : countRds.answer(i)));
      RdsUpgradeActivities rds =
          mock(RdsUpgradeActivities.class, withSettings().withoutAnnotations());
      StagingActivities route53 =
          mock(StagingActivities.class, withSettings().withoutAnnotations());
      ReplicationActivities replication =
          mock(ReplicationActivities.class, withSettings().withoutAnnotations());

      org.mockito.Mockito.doAnswer(rdsCall(countRds, i -> source())).when(aws).inspectSource(any());
      org.mockito.Mockito.doReturn(
              new SourceSqlFacts("5.7.44-log", true, "ROW", 168, false, List.of()))
          .when(aws)
          .inspectSourceSql(any());
      org.mockito.Mockito.doAnswer(
              rdsCall(
                  countRds,
                  i -> {
                    waitFrom.compareAndSet(Long.MAX_VALUE, env.currentTimeMillis());
                    return new CreateOutcome(
                        i.<ReplicaClusterSpec>getArgument(0).clusterId(),
                        CreateOutcome.CREATED,
                        "creating");
                  }))
          .when(aws)
          .ensureReplicaCluster(any());
      java.util.function.LongSupplier lagNow =
          () -> Math.max(0, (caughtUpAt - env.currentTimeMillis()) / 1000);
      org.mockito.Mockito.doAnswer(
              i -> {
                lagChecks.incrementAndGet();
                ReplicaLag lag = lag(lagNow.getAsLong());
                return switch (i.<LagWatch>getArgument(0).sort(lag, env.currentTimeMillis())) {
                  case CAUGHT_UP, REPORT -> lag;
                  case WAIT -> throw ErrorTypes.notReady("replica " + lag.describe());
                  case BROKEN ->
                      throw ApplicationFailure.newNonRetryableFailure(
                          lag.describe(), ErrorTypes.REPLICATION_BROKEN);
                };
              })
          .when(aws)
          .checkReplicaLag(any());
      org.mockito.Mockito.doAnswer(i -> lag(lagNow.getAsLong())).when(aws).readReplicaLag(any());
      org.mockito.Mockito.doAnswer(
              rdsCall(countRds, i -> new PromoteOutcome(i.getArgument(0), PromoteOutcome.PROMOTED)))
          .when(aws)
          .promote(anyString());
      org.mockito.Mockito.doAnswer(rdsCall(countRds, i -> ENDPOINTS))
          .when(aws)
          .checkPromoted(anyString());
      org.mockito.Mockito.doAnswer(
              i -> new WriteCheck(WriteProbe.TABLE, i.<WriteProbe>getArgument(0).token(), "-", 2))
          .when(aws)
          .verifyWrite(any());

      org.mockito.Mockito.doAnswer(
              rdsCall(
                  countRds,
                  i ->
                      List.of(
                          new InstanceClassOffer(
                              "db.r5.large", "aurora-mysql", null, true, List.of()))))
          .when(rds)
          .instanceClassOffers(any());
      org.mockito.Mockito.doAnswer(rdsCall(countRds, i -> ENDPOINTS))
          .when(rds)
          .checkClusterStatusAvailable(anyString());
      org.mockito.Mockito.doAnswer(rdsCall(countRds, i -> ENDPOINTS))
          .when(rds)
          .checkClusterAvailable(anyString());
      org.mockito.Mockito.doAnswer(
              rdsCall(countRds, i -> i.<InstanceSpec>getArgument(0).instanceId()))
          .when(rds)
          .createInstance(any());

      org.mockito.Mockito.doReturn(
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
                  null))
          .when(route53)
          .inspectTarget(any());
      org.mockito.Mockito.doReturn(new ChangeRef("C1", "PENDING")).when(route53).upsertCname(any());
      org.mockito.Mockito.doAnswer(i -> new ChangeRef(i.getArgument(1), "INSYNC"))
          .when(route53)
          .checkChangeInsync(any(), anyString());
      org.mockito.Mockito.doReturn(FINAL).when(replication).sourceFinalPosition(any());

      Worker worker = env.newWorker(QUEUE);
      worker.registerWorkflowImplementationTypes(AuroraMigrationWorkflowImpl.class);
      worker.registerActivitiesImplementations(
          aws,
          rds,
          route53,
          replication,
          (HookActivities) call -> new HookReport(List.of()),
          new NotifyActivities() {
            @Override
            public void waitingForPerson(WaitNotice n) {}

            @Override
            public void personResponded(WaitNotice n) {}

            @Override
            public void runEnded(RunNotice n) {}
          });
      env.start();
      WorkflowClient client = env.getWorkflowClient();
      AuroraMigrationWorkflow wf =
          client.newWorkflowStub(
              AuroraMigrationWorkflow.class,
              WorkflowOptions.newBuilder().setTaskQueue(QUEUE).setWorkflowId(ID).build());
      WorkflowClient.start(wf::run, request());
      env.sleep(behind.plusMinutes(10));
      wf.approve(new Approval("alice", "go"));
      MigrationResult result = client.newUntypedWorkflowStub(ID).getResult(MigrationResult.class);
      if (!MigrationResult.COMPLETED.equals(result.outcome()))
        throw new IllegalStateException("run ended " + result.outcome());
      int events = client.fetchHistory(ID).getHistory().getEventsCount();
      double waitHours = (caughtUpAt - waitFrom.get()) / 3_600_000.0;
      Run r = new Run(events, waitHours, lagChecks.get(), rdsInWait.get());
      System.out.printf(
          "%-22s %8d %8.1f %14s %16d %16s%n",
          behind.toHours() + " h catch-up",
          r.events,
          r.waitHours,
          fmt(r.lagChecksPerHour()),
          r.rdsCallsInWait,
          fmt(r.rdsPerHour()));
      return r;
    } finally {
      env.close();
    }
  }

  private static Answer<Object> rdsCall(Answer<Object> count, Answer<Object> answer) {
    return i -> {
      count.answer(i);
      return answer.answer(i);
    };
  }

  private static ReplicaLag lag(long seconds) {
    return new ReplicaLag(seconds, true, true, 0, null, seconds == 0 ? FINAL : null, true);
  }

  private static SourceInstanceFacts source() {
    return new SourceInstanceFacts(
        SOURCE,
        "arn:aws:rds:eu-west-1:123456789012:db:" + SOURCE,
        "available",
        "mysql",
        "5.7.44",
        SOURCE_ENDPOINT,
        3306,
        "db.r5.large",
        7,
        "default.mysql5.7",
        "default",
        List.of(),
        Map.of(),
        List.of(),
        Map.of(),
        List.of());
  }

  private static MigrationRequest request() {
    return new MigrationRequest(
        SOURCE,
        new DbLogin("admin", "env:DB_PASSWORD"),
        new DnsTarget("Z0123456789ABC", "db.prod.internal.", null),
        new ApprovalPolicy(List.of("alice"), 1, Duration.ofDays(30)),
        "bob",
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

  private static String fmt(double v) {
    return String.format("%.2f", v);
  }

  private static void check(String what, boolean ok) {
    System.out.println((ok ? "PASS " : "FAIL ") + what);
  }
}
