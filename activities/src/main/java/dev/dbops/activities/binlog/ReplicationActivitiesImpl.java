package dev.dbops.activities.binlog;

import dev.dbops.activities.aws.AwsFailures;
import dev.dbops.activities.common.SecretResolver;
import dev.dbops.activities.mysql.MySqlConnector;
import dev.dbops.activities.mysql.MySqlSettings;
import dev.dbops.activities.mysql.SqlFailures;
import dev.dbops.activities.sql.ReplicationSql;
import dev.dbops.workflows.binlog.BinlogPosition;
import dev.dbops.workflows.binlog.CutoverCheck;
import dev.dbops.workflows.binlog.CutoverReport;
import dev.dbops.workflows.binlog.CutoverRequest;
import dev.dbops.workflows.binlog.DbTarget;
import dev.dbops.workflows.binlog.DecisionRequest;
import dev.dbops.workflows.binlog.ErrorDecision;
import dev.dbops.workflows.binlog.JournalEntry;
import dev.dbops.workflows.binlog.JournalPage;
import dev.dbops.workflows.binlog.JournalPageRequest;
import dev.dbops.workflows.binlog.MonitorOutcome;
import dev.dbops.workflows.binlog.MonitorRequest;
import dev.dbops.workflows.binlog.ReplicaSetup;
import dev.dbops.workflows.binlog.ReplicaState;
import dev.dbops.workflows.binlog.ReplicationActivities;
import dev.dbops.workflows.binlog.ReplicationUser;
import dev.dbops.workflows.binlog.SkipRules;
import dev.dbops.workflows.binlog.SourceCheck;
import dev.dbops.workflows.binlog.SourceReport;
import dev.dbops.workflows.binlog.WritesStopped;
import dev.dbops.workflows.common.DbLogin;
import dev.dbops.workflows.common.ErrorTypes;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.failure.ApplicationFailure;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.SourceType;

/**
 * The SQL side of a binlog catch-up (docs/procedures.md, binlog) through RDS's {@code mysql.rds_*}
 * procedures only: the replica login is an RDS master user without SUPER. Every method is safe to
 * retry: set-up adopts a replica already replicating from the source, skips are journaled on the
 * replica before they are made (and found there by a resumed attempt), and a cut-over keeps the
 * positions it captured. Every {@link SQLException} is sorted by {@link SqlFailures}; passwords
 * come from {@link SecretResolver} and appear in no log line or message.
 */
public final class ReplicationActivitiesImpl implements ReplicationActivities {
  private static final Logger log = LoggerFactory.getLogger(ReplicationActivitiesImpl.class);

  /** DescribeEvents' longest look back: RDS keeps events for 14 days. */
  static final int EVENT_MINUTES = 14 * 24 * 60;

  static final int EVENTS_PAGE = 100;

  /**
   * STATEMENT mode: the longest wait for a transaction's events from the source's binlog dump — a
   * read does not heartbeat, so it stays inside the monitor's 30 s heartbeat timeout (past it the
   * read fails retryably; nothing of it was applied).
   */
  static final Duration BINLOG_READ_TIMEOUT = Duration.ofSeconds(20);

  /**
   * How long a cut-over lets the SQL thread finish the events up to the final position before it
   * stops it.
   */
  static final int CUTOVER_POSITION_WAIT_SECONDS = 5;

  private final SecretResolver secrets;
  private final MySqlConnector connector;
  private final RdsClient rds;
  private final SkipHooks hooks;
  private final ReplicationMetrics metrics;
  private final CaughtUpMemo caughtUpMemo = new CaughtUpMemo();

  /** Without metrics (an empty composite registry records nothing). */
  public ReplicationActivitiesImpl(SecretResolver secrets, MySqlSettings settings, RdsClient rds) {
    this(secrets, settings, rds, new CompositeMeterRegistry());
  }

  /**
   * @param rds for {@link #startFromRdsEvents}; null when the worker has no RDS client, in which
   *     case that call fails non-retryably
   * @param registry for {@link ReplicationMetrics}: skipped events and lag per run
   */
  public ReplicationActivitiesImpl(
      SecretResolver secrets, MySqlSettings settings, RdsClient rds, MeterRegistry registry) {
    this(secrets, settings, rds, registry, SkipHooks.NONE);
  }

  ReplicationActivitiesImpl(
      SecretResolver secrets,
      MySqlSettings settings,
      RdsClient rds,
      MeterRegistry registry,
      SkipHooks hooks) {
    this.secrets = Objects.requireNonNull(secrets, "secrets");
    this.connector = new MySqlConnector(Objects.requireNonNull(settings, "settings"));
    this.rds = rds;
    this.metrics = new ReplicationMetrics(Objects.requireNonNull(registry, "registry"));
    this.hooks = Objects.requireNonNull(hooks, "hooks");
  }

  // --------------------------------------------------------------------------- checkSource

  @Override
  public SourceReport checkSource(SourceCheck check) {
    if (check == null) throw invalid("check: required");
    requireTarget(check.source(), "source");
    requireUser(check.replicationUser());
    try (SqlSession src = open(check.source())) {
      return new SourceChecker(src, secrets, connector, check).check();
    }
  }

  // -------------------------------------------------------------------- startFromRdsEvents

  @Override
  public BinlogPosition startFromRdsEvents(String replicaClusterId) {
    if (replicaClusterId == null || replicaClusterId.isBlank())
      throw invalid("replicaClusterId: required");
    if (rds == null) {
      throw ApplicationFailure.newNonRetryableFailure(
          "this worker has no RDS client configured, so the start"
              + " position of "
              + replicaClusterId
              + " cannot be read from its RDS events; give startPosition",
          ErrorTypes.INVALID_STATE);
    }
    List<RecoveryEvents.Entry> events =
        AwsFailures.call(
            "DescribeEvents",
            "cluster " + replicaClusterId,
            () ->
                rds
                    .describeEventsPaginator(
                        b ->
                            b.sourceType(SourceType.DB_CLUSTER)
                                .sourceIdentifier(replicaClusterId)
                                .duration(EVENT_MINUTES)
                                .maxRecords(EVENTS_PAGE))
                    .events()
                    .stream()
                    .map(e -> new RecoveryEvents.Entry(e.date(), e.message()))
                    .toList());
    BinlogPosition p =
        RecoveryEvents.latest(events)
            .orElseThrow(
                () ->
                    ApplicationFailure.newNonRetryableFailure(
                        "no \"Binlog position from crash recovery is <file> <position>\" event for cluster "
                            + replicaClusterId
                            + " in the last 14 days ("
                            + events.size()
                            + " events); give startPosition",
                        ErrorTypes.NOT_FOUND));
    log.info("start position of {} from its RDS events: {}", replicaClusterId, p);
    return p;
  }

  // -------------------------------------------------------------------------- setUpReplica

  @Override
  public ReplicaState setUpReplica(ReplicaSetup setup) {
    if (setup == null) throw invalid("setup: required");
    requireTarget(setup.replica(), "replica");
    requireTarget(setup.source(), "source");
    requireUser(setup.replicationUser());
    if (setup.start() == null || setup.start().file() == null || setup.start().position() < 4) {
      throw invalid("start: a binlog file and position >= 4 are required, was " + setup.start());
    }
    DbTarget src = setup.source();
    try (SqlSession replica = open(setup.replica())) {
      Optional<SlaveStatus> now = ReplicaReads.slaveStatus(replica);
      if (now.isPresent()) {
        SlaveStatus s = now.get();
        if (!s.replicatesFrom(src.host(), src.port())) {
          throw ApplicationFailure.newNonRetryableFailure(
              "replica "
                  + replica.where()
                  + " already replicates from "
                  + s.masterHost()
                  + ":"
                  + s.masterPort()
                  + "; refusing to repoint it to "
                  + src.address()
                  + " (CALL mysql.rds_reset_external_master first if that is intended)",
              ErrorTypes.INVALID_STATE);
        }
        if (s.stoppedWithoutError()) {
          replica.execute(ReplicationSql.START_REPLICATION);
          log.info(
              "replica {} already set up from {} (at {}), was stopped: started it",
              replica.where(),
              src.address(),
              s.executed());
        } else {
          log.info(
              "replica {} already replicates from {}: adopted as is ({})",
              replica.where(),
              src.address(),
              s);
        }
        return ReplicaReads.status(replica, src).state();
      }
      boolean gtid;
      try (SqlSession source = open(src)) {
        gtid = ReplicaReads.gtidSource(source);
      }
      String password = secrets.resolve(setup.replicationUser().passwordRef());
      if (gtid) {
        setUpByGtid(replica, setup, password);
      } else {
        replica.update(
            ReplicationSql.SET_EXTERNAL_MASTER_SHOWN,
            ReplicationSql.SET_EXTERNAL_MASTER,
            src.host(),
            src.port(),
            setup.replicationUser().user(),
            password,
            setup.start().file(),
            setup.start().position(),
            setup.ssl() ? 1 : 0);
      }
      replica.execute(ReplicationSql.START_REPLICATION);
      log.info(
          "replica {} set up from {} as {} {} (ssl {}) and started",
          replica.where(),
          src.address(),
          setup.replicationUser().user(),
          gtid ? "by GTID auto-position" : "at " + setup.start(),
          setup.ssl());
      return ReplicaReads.status(replica, src).state();
    }
  }

  /**
   * A GTID source (docs/procedures.md, binlog step 8): {@code
   * mysql.rds_set_external_master_with_auto_position} — RDS for MySQL's six parameters, Aurora
   * MySQL 2's five when the procedure says it takes those. The replica then asks for every
   * transaction its executed GTIDs lack, so the start position is not used; a replica without
   * executed GTIDs (not restored from a snapshot of the source) would be sent the source's whole
   * binlog: refused before anything changes.
   */
  private void setUpByGtid(SqlSession replica, ReplicaSetup setup, String password) {
    DbTarget src = setup.source();
    String executed = ReplicaReads.executedGtids(replica);
    if (executed == null) {
      throw ApplicationFailure.newNonRetryableFailure(
          "source "
              + src.address()
              + " uses GTIDs, but replica "
              + replica.where()
              + " has executed none (gtid_executed / gtid_slave_pos is empty): auto-position would"
              + " replay the source's binlog from its first transaction, not from "
              + setup.start()
              + "; restore the"
              + " replica from a snapshot of the source (it carries the GTIDs) and start again",
          ErrorTypes.INVALID_STATE);
    }
    String user = setup.replicationUser().user();
    int ssl = setup.ssl() ? 1 : 0;
    try {
      replica.updateRaw(
          ReplicationSql.SET_EXTERNAL_MASTER_AUTO_POSITION,
          src.host(),
          src.port(),
          user,
          password,
          ssl,
          0);
    } catch (SQLException e) {
      if (e.getErrorCode() != ReplicationSql.WRONG_NUMBER_OF_ARGUMENTS) {
        throw SqlFailures.failure(
            ReplicationSql.SET_EXTERNAL_MASTER_AUTO_POSITION_SHOWN + " on " + replica.where(), e);
      }
      replica.update(
          ReplicationSql.SET_EXTERNAL_MASTER_AUTO_POSITION_SHOWN,
          ReplicationSql.SET_EXTERNAL_MASTER_AUTO_POSITION_AURORA,
          src.host(),
          src.port(),
          user,
          password,
          ssl);
    }
    log.info(
        "replica {}: replication from {} positioned by GTID, from executed {} (start position {} not used)",
        replica.where(),
        src.address(),
        executed,
        setup.start());
  }

  // ------------------------------------------------------------------------------- monitor

  @Override
  public MonitorOutcome monitor(MonitorRequest request) {
    if (request == null) throw invalid("request: required");
    requireTarget(request.replica(), "replica");
    requireTarget(request.source(), "source");
    if (request.caughtUpWindow() == null || request.caughtUpWindow().isNegative()) {
      throw invalid("caughtUpWindow: must not be negative, was " + request.caughtUpWindow());
    }
    positive(request.pollInterval(), "pollInterval");
    positive(request.slice(), "slice");
    if (request.heartbeatTable() != null
        && !request.heartbeatTable().matches("^[A-Za-z0-9_$]{1,64}\\.[A-Za-z0-9_$]{1,64}$")) {
      throw invalid("heartbeatTable: '" + request.heartbeatTable() + "' is not schema.table");
    }
    ActivityExecutionContext ctx = Activity.getExecutionContext();
    try (SqlSession replica = open(request.replica());
        SqlSession source = open(request.source())) {
      SkipJournal journal = new SkipJournal(replica, request.source().address(), workflowId(ctx));
      journal.ensure();
      // Both modes read the source's binlog: STATEMENT mode to apply transactions again,
      // TRANSACTION
      // mode for the rows a skip loses (the dump connects at the first conflict that needs it).
      journal.ensureConflicts();
      SourceBinlogReader binlog = binlogReader(request.source());
      Skipper skipper =
          new Skipper(
              replica,
              () -> source,
              journal,
              hooks,
              metrics,
              binlog,
              SkipRules.of(request.policy()).reappliesStatements()
                  ? () -> open(request.replica())
                  : null);
      try (skipper) {
        return new ReplicationMonitor(
                request, replica, source, journal, skipper, metrics, ctx, caughtUpMemo)
            .run();
      }
    }
  }

  /** A reader of {@code source}'s binlog; it connects at its first read. */
  private SourceBinlogReader binlogReader(DbTarget source) {
    return new SourceBinlogReader(
        source.host(),
        source.port(),
        source.login().user(),
        secrets.resolve(source.login().passwordRef()),
        connector.settings().sslMode(),
        min(connector.settings().socketTimeout(), BINLOG_READ_TIMEOUT));
  }

  // ------------------------------------------------------------------------------ carryOut

  @Override
  public JournalEntry carryOut(DecisionRequest request) {
    if (request == null) throw invalid("request: required");
    requireTarget(request.replica(), "replica");
    requireTarget(request.source(), "source");
    ErrorDecision d = request.decision();
    if (d == null || d.by() == null || d.by().isBlank())
      throw invalid("decision: action and by are required");
    if (request.at() == null) throw invalid("at: the position the replica stopped at is required");
    ActivityExecutionContext ctx = Activity.getExecutionContext();
    try (SqlSession replica = open(request.replica());
        LazySession source = new LazySession(request.source())) {
      SkipJournal journal = new SkipJournal(replica, request.source().address(), workflowId(ctx));
      journal.ensure();
      SlaveStatus s = ReplicaReads.status(replica, request.source());
      boolean stillThere = s.executed().equals(request.at()) && !s.sqlThreadRunning();
      switch (d.action() == null ? "" : d.action()) {
        case ErrorDecision.SKIP -> {
          Optional<SkipJournal.Row> existing = journal.at(request.at());
          if (!stillThere || !s.sqlStoppedOnError()) {
            log.info(
                "{}: SKIP by {} at {}: the replica is no longer stopped there ({}); nothing to do",
                replica.where(),
                d.by(),
                request.at(),
                s);
            return existing.map(SkipJournal.Row::entry).orElse(null);
          }
          journal.ensureConflicts();
          long id;
          try (Skipper skipper =
              new Skipper(
                  replica, source, journal, hooks, metrics, binlogReader(request.source()), null)) {
            Skipper.Journaled j =
                existing.isPresent()
                    ? Skipper.Journaled.found(existing.get())
                    : skipper.journal(s, d.by(), false);
            id = j.id();
            skipper.skip(id, s.lastSqlErrno(), s, j.gtid());
            skipper.countSkips();
          }
          log.info(
              "{}: skipped {} at {} as decided by {} (journal id {})",
              replica.where(),
              s.lastSqlErrno(),
              request.at(),
              d.by(),
              id);
          return journal.after(id - 1).stream()
              .filter(e -> e.id() == id)
              .findFirst()
              .orElseGet(() -> journal.at(request.at()).map(SkipJournal.Row::entry).orElse(null));
        }
        case ErrorDecision.RETRY -> {
          if (stillThere) {
            replica.execute(ReplicationSql.START_REPLICATION);
            log.info(
                "{}: RETRY by {}: replication started again at {}",
                replica.where(),
                d.by(),
                request.at());
          } else {
            log.info(
                "{}: RETRY by {} at {}: the replica is no longer stopped there ({}); nothing to do",
                replica.where(),
                d.by(),
                request.at(),
                s);
          }
          return null;
        }
        default ->
            throw invalid(
                "decision.action: "
                    + d.action()
                    + " is not carried out by an activity (SKIP, RETRY)");
      }
    }
  }

  // -------------------------------------------------------------------------------- cutOver

  @Override
  public CutoverReport cutOver(DbTarget replicaTarget, DbTarget sourceTarget) {
    requireTarget(replicaTarget, "replica");
    requireTarget(sourceTarget, "source");
    CutoverReport report = cutOverOnce(replicaTarget, sourceTarget, null);
    metrics.ended(workflowId(Activity.getExecutionContext()));
    return report;
  }

  @Override
  public CutoverReport cutOverAt(CutoverRequest request) {
    if (request == null) throw invalid("request: required");
    requireTarget(request.replica(), "replica");
    requireTarget(request.source(), "source");
    BinlogPosition at = request.finalPosition();
    if (at == null || at.file() == null || at.position() < 4) {
      throw invalid("finalPosition: a binlog file and position >= 4 are required, was " + at);
    }
    CutoverReport report = cutOverOnce(request.replica(), request.source(), at);
    metrics.ended(workflowId(Activity.getExecutionContext()));
    return report;
  }

  @Override
  public BinlogPosition sourceFinalPosition(CutoverCheck check) {
    if (check == null) throw invalid("check: required");
    requireTarget(check.source(), "source");
    try (SqlSession src = open(check.source())) {
      if (check.writesStoppedOrDefault() == WritesStopped.READ_ONLY) {
        List<String> on =
            src.query(
                ReplicationSql.SHOW_READ_ONLY,
                rs -> {
                  List<String> out = new java.util.ArrayList<>();
                  while (rs.next()) {
                    String v = rs.getString("Value");
                    if ("ON".equalsIgnoreCase(v) || "1".equals(v))
                      out.add(rs.getString("Variable_name"));
                  }
                  return out;
                });
        if (on.isEmpty()) {
          throw ErrorTypes.notReady(
              "source "
                  + src.where()
                  + " still takes writes: read_only is OFF (set it in the"
                  + " before-cutover hook or by hand — on RDS / Aurora, read_only in the parameter group — or start"
                  + " with writesStopped HOOK when the hook stops the writers)");
        }
      }
      BinlogPosition at =
          ReplicaReads.masterStatus(src)
              .orElseThrow(
                  () ->
                      ApplicationFailure.newNonRetryableFailure(
                          "source "
                              + src.where()
                              + " has no binary log (SHOW MASTER STATUS is empty)",
                          ErrorTypes.INVALID_STATE));
      log.info(
          "source {}: writes stopped ({}), final position {}",
          src.where(),
          check.writesStoppedOrDefault(),
          at);
      return at;
    }
  }

  /**
   * The one rule of every cut-over: replication is stopped and reset only with the replica at
   * exactly the source's final position and the source still there — {@code finalPosition}, or for
   * runs that read none, the source's position now. The SQL thread is given {@link
   * #CUTOVER_POSITION_WAIT_SECONDS} to reach it; short of it, past it, or with the source moved on,
   * replication is started again, nothing is reset, and the failure names the positions.
   */
  private CutoverReport cutOverOnce(
      DbTarget replicaTarget, DbTarget sourceTarget, BinlogPosition finalPosition) {
    String source = sourceTarget.address();
    try (SqlSession replica = open(replicaTarget);
        SqlSession src = open(sourceTarget)) {
      replica.execute(ReplicationSql.CREATE_JOURNAL_SCHEMA);
      replica.execute(ReplicationSql.CREATE_CUTOVER_TABLE);
      Optional<SlaveStatus> before = ReplicaReads.slaveStatus(replica);
      if (before.isEmpty()) {
        // A retried cut-over whose reset went through: report what the first attempt captured.
        return replica.query(
            ReplicationSql.CUTOVER_LATEST,
            rs -> {
              if (!rs.next()) {
                throw ApplicationFailure.newNonRetryableFailure(
                    "replica "
                        + replica.where()
                        + " has no replication"
                        + " configured and no cut-over from "
                        + source
                        + " recorded",
                    ErrorTypes.INVALID_STATE);
              }
              String sourceFile = rs.getString("source_file");
              BinlogPosition at =
                  sourceFile == null
                      ? null
                      : new BinlogPosition(sourceFile, rs.getLong("source_pos"));
              return new CutoverReport(
                  new BinlogPosition(rs.getString("replica_file"), rs.getLong("replica_pos")), at);
            },
            source);
      }
      ReplicaReads.status(replica, sourceTarget);
      BinlogPosition target =
          finalPosition != null
              ? finalPosition
              : ReplicaReads.masterStatus(src)
                  .orElseThrow(
                      () ->
                          ApplicationFailure.newNonRetryableFailure(
                              "source "
                                  + src.where()
                                  + " has no binary log (SHOW MASTER STATUS is empty)",
                              ErrorTypes.INVALID_STATE));
      awaitExecuted(replica, target);
      replica.execute(ReplicationSql.STOP_REPLICATION);
      SlaveStatus stopped = ReplicaReads.status(replica, sourceTarget);
      BinlogPosition executed = stopped.executed();
      BinlogPosition sourceAt = ReplicaReads.masterStatus(src).orElse(null);
      if (!executed.equals(target) || sourceAt == null || !sourceAt.equals(target)) {
        replica.execute(ReplicationSql.START_REPLICATION);
        String where =
            Coordinates.compare(executed, target) < 0
                ? "short of"
                : Coordinates.compare(executed, target) > 0 ? "past" : "at";
        throw ApplicationFailure.newNonRetryableFailure(
            "cut-over of "
                + replica.where()
                + " refused: the replica"
                + " executed up to "
                + executed
                + ", "
                + where
                + " the source's final position "
                + target
                + (sourceAt != null && !sourceAt.equals(target)
                    ? " (the source is now at " + sourceAt + ": it still takes writes)"
                    : "")
                + (stopped.lastSqlErrno() != 0
                    ? "; SQL thread error " + stopped.lastSqlErrno() + ": " + stopped.lastSqlError()
                    : "")
                + ". Stopping here would lose what lies between: replication started again, nothing reset",
            ErrorTypes.CUTOVER_REFUSED);
      }
      replica.update(
          "cut-over record",
          ReplicationSql.CUTOVER_INSERT,
          source,
          executed.file(),
          executed.position(),
          sourceAt.file(),
          sourceAt.position());
      replica.execute(ReplicationSql.RESET_EXTERNAL_MASTER);
      log.info(
          "cut over {}: replication from {} stopped at {} (source at {}), external master reset",
          replica.where(),
          source,
          executed,
          sourceAt);
      return new CutoverReport(executed, sourceAt);
    }
  }

  /**
   * The SQL thread's last events before the stop: a wait only, the status read after the stop
   * decides.
   */
  private static void awaitExecuted(SqlSession replica, BinlogPosition target) {
    try {
      replica.queryRaw(
          ReplicationSql.MASTER_POS_WAIT,
          rs -> rs.next() ? rs.getObject(1) : null,
          target.file(),
          target.position(),
          CUTOVER_POSITION_WAIT_SECONDS);
    } catch (SQLException e) {
      if (SqlFailures.retryable(e))
        throw SqlFailures.failure("MASTER_POS_WAIT on " + replica.where(), e);
      log.info(
          "{}: MASTER_POS_WAIT refused ({}); the cut-over checks the position without waiting",
          replica.where(),
          SqlFailures.describe(e));
    }
  }

  // ---------------------------------------------------------------------------- journalPage

  @Override
  public JournalPage journalPage(JournalPageRequest request) {
    if (request == null) throw invalid("request: required");
    List<String> problems = request.problems();
    if (!problems.isEmpty()) throw invalid(String.join("; ", problems));
    try (SqlSession replica = open(request.replica())) {
      return new SkipJournal(replica, request.source().address(), request.workflowId())
          .page(request.afterId(), request.limit());
    }
  }

  // ------------------------------------------------------------------------------- helpers

  private SqlSession open(DbTarget t) {
    return SqlSession.open(connector, t, secrets.resolve(t.login().passwordRef()));
  }

  /** The source session, opened only when a skip has to read the source's binlog. */
  private final class LazySession implements Supplier<SqlSession>, AutoCloseable {
    private final DbTarget target;
    private SqlSession session;

    LazySession(DbTarget target) {
      this.target = target;
    }

    @Override
    public SqlSession get() {
      if (session == null) session = open(target);
      return session;
    }

    @Override
    public void close() {
      if (session != null) session.close();
    }
  }

  private static String workflowId(ActivityExecutionContext ctx) {
    return ctx.getInfo().getWorkflowId();
  }

  static void requireTarget(DbTarget t, String field) {
    if (t == null) throw invalid(field + ": required");
    if (t.host() == null || !t.host().matches("^[A-Za-z0-9.:-]{1,253}$")) {
      throw invalid(field + ".host: '" + t.host() + "' is not a host name");
    }
    if (t.port() < 1 || t.port() > 65535)
      throw invalid(field + ".port: must be 1..65535, was " + t.port());
    if (t.login() == null) throw invalid(field + ".login: required");
    String p = t.login().problem(field + ".login");
    if (p != null) throw invalid(p);
  }

  static void requireUser(ReplicationUser u) {
    if (u == null || u.user() == null || u.user().isBlank())
      throw invalid("replicationUser.user: required");
    String p = new DbLogin(u.user(), u.passwordRef()).problem("replicationUser");
    if (p != null) throw invalid(p);
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private static void positive(Duration d, String field) {
    if (d == null || d.isNegative() || d.isZero())
      throw invalid(field + ": must be positive, was " + d);
  }

  static ApplicationFailure invalid(String message) {
    return ApplicationFailure.newNonRetryableFailure(message, ErrorTypes.INVALID_INPUT);
  }
}
