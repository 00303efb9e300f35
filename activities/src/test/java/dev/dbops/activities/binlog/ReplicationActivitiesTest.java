package dev.dbops.activities.binlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dbops.activities.mysql.MySqlConnector;
import dev.dbops.workflows.binlog.BinlogPosition;
import dev.dbops.workflows.binlog.CutoverCheck;
import dev.dbops.workflows.binlog.CutoverReport;
import dev.dbops.workflows.binlog.CutoverRequest;
import dev.dbops.workflows.binlog.DbTarget;
import dev.dbops.workflows.binlog.DecisionRequest;
import dev.dbops.workflows.binlog.ErrorDecision;
import dev.dbops.workflows.binlog.ForeignKeyMode;
import dev.dbops.workflows.binlog.JournalEntry;
import dev.dbops.workflows.binlog.MonitorOutcome;
import dev.dbops.workflows.binlog.MonitorRequest;
import dev.dbops.workflows.binlog.ReplicaSetup;
import dev.dbops.workflows.binlog.ReplicaState;
import dev.dbops.workflows.binlog.ReplicationActivities;
import dev.dbops.workflows.binlog.ReplicationUser;
import dev.dbops.workflows.binlog.SkipPolicy;
import dev.dbops.workflows.binlog.SourceCheck;
import dev.dbops.workflows.binlog.SourceReport;
import dev.dbops.workflows.binlog.WritesStopped;
import dev.dbops.workflows.common.ActivityStubs;
import dev.dbops.workflows.common.DbLogin;
import dev.dbops.workflows.common.ErrorTypes;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The replication activities one at a time against a real source and RDS-style replica: what a
 * retried or resumed attempt does (the crash between journal and skip, the loop guard, heartbeat
 * details), people's decisions, set-up adoption, cut-over and the source checks.
 */
@Tag("mariadb")
class ReplicationActivitiesTest {
  private static final Duration POLL = Duration.ofMillis(50);
  private static final Duration WINDOW = Duration.ofMillis(300);
  private static final Duration SLICE = Duration.ofSeconds(10);
  private static final SkipPolicy DUPLICATES =
      new SkipPolicy(List.of(1062), null, 10, ForeignKeyMode.STOP_AND_ASK);
  private static final String SCHEMA =
      "CREATE DATABASE app;\n"
          + "CREATE TABLE app.orders (id INT PRIMARY KEY, note VARCHAR(60)) ENGINE=InnoDB;\n"
          + "CREATE TABLE app.audit (id INT PRIMARY KEY, what VARCHAR(60)) ENGINE=InnoDB;\n";

  private static ReplicationFixture fx;

  /** Ends the next attempt right after its journal write, as a worker crash there would. */
  private static final AtomicBoolean crashAfterJournal = new AtomicBoolean();

  private static TestActivityEnvironment env;
  private static ReplicationActivities sql;
  private static ReplicationActivities monitor;

  @BeforeAll
  static void start() {
    fx = ReplicationFixture.start();
    env =
        fx.environment(
            id -> {
              if (crashAfterJournal.getAndSet(false))
                throw new IllegalStateException("simulated crash after journal id " + id);
            });
    sql = fx.activities(env, ReplicationFixture.ONE_ATTEMPT);
    monitor = fx.activities(env, ReplicationFixture.oneAttempt(ActivityStubs.monitor(SLICE)));
  }

  @AfterAll
  static void stop() {
    if (fx != null) fx.close();
  }

  @BeforeEach
  void reset() throws Exception {
    crashAfterJournal.set(false);
    env.setHeartbeatDetails(null);
    fx.reset();
  }

  // ------------------------------------------------------------------------------ monitor

  @Test
  void
      givenACrashBetweenJournalAndSkip_whenMonitoredAgain_thenTheEntryIsReportedOnceAndSkippedOnce()
          throws Exception {
    replicating(
        "INSERT INTO app.orders VALUES (1, 'drift');",
        "INSERT INTO app.orders VALUES (1, 'source');\nINSERT INTO app.orders VALUES (100, 'after');");
    fx.pair.awaitSqlError(Duration.ofSeconds(10));

    double skippedBefore = skippedMetric(1062);
    crashAfterJournal.set(true);
    ActivityFailure crashed =
        assertThrows(ActivityFailure.class, () -> monitor.monitor(request(DUPLICATES, 0, 1)));
    assertTrue(crashed.getCause().getMessage().contains("simulated crash"), crashed.toString());
    assertEquals(
        List.of("1\t0"),
        fx.onReplica("SELECT COUNT(*), MAX(skips) FROM dbops_journal.skipped_events"));
    assertEquals(0, fx.skipsMade());
    assertTrue(
        fx.pair.replicaStatus().orElseThrow().sqlStoppedOnError(), "still stopped at the error");

    // The workflow never saw the crashed attempt's outcome: lastJournalId 0, budget still 1.
    MonitorOutcome o = monitor.monitor(request(DUPLICATES, 0, 1));

    assertEquals(MonitorOutcome.CAUGHT_UP, o.kind());
    assertEquals(1, o.newEntries().size());
    JournalEntry e = o.newEntries().get(0);
    assertEquals(1062, e.errno());
    assertEquals("policy", e.decidedBy());
    assertTrue(
        String.join("\n", e.events()).contains("INSERT INTO app.orders VALUES (1, 'source')"),
        e.toString());
    assertEquals(1, fx.skipsMade());
    assertEquals(
        List.of("1\t1"),
        fx.onReplica("SELECT COUNT(*), MAX(skips) FROM dbops_journal.skipped_events"));
    assertEquals(
        List.of("1\tdrift", "100\tafter"),
        fx.onReplica("SELECT id, note FROM app.orders ORDER BY id"),
        "skipped once: the next transaction was applied");
    assertEquals(
        skippedBefore + 1,
        skippedMetric(1062),
        "the metric counts the skip once, not the crashed attempt");
    assertTrue(
        fx.metrics.find(ReplicationMetrics.LAG).gauges().stream().anyMatch(g -> g.value() == 0),
        "caught up: lag 0 exported");
  }

  @Test
  void
      givenACrashBetweenSkipAndItsCount_whenMonitoredAgain_thenTheSkipIsCountedOnceAndNotMadeAgain()
          throws Exception {
    replicating(
        "INSERT INTO app.orders VALUES (1, 'drift');",
        "INSERT INTO app.orders VALUES (1, 'source');\nINSERT INTO app.orders VALUES (100, 'after');");
    fx.pair.awaitSqlError(Duration.ofSeconds(10));
    crashAfterJournal.set(true);
    assertThrows(ActivityFailure.class, () -> monitor.monitor(request(DUPLICATES, 0, 1)));
    // The crashed attempt's rds_skip_repl_error went through; its count on the journal row did not.
    try (Connection c = fx.pair.connectReplica();
        Statement s = c.createStatement()) {
      s.execute("CALL mysql.rds_skip_repl_error");
    }
    fx.pair.awaitCaughtUp(Duration.ofSeconds(10));
    double skippedBefore = skippedMetric(1062);

    MonitorOutcome o = monitor.monitor(request(DUPLICATES, 0, 1));

    assertEquals(MonitorOutcome.CAUGHT_UP, o.kind());
    assertEquals(1, o.newEntries().size());
    assertEquals(1, fx.skipsMade(), "not skipped again");
    assertEquals(
        List.of("1\t1"),
        fx.onReplica("SELECT COUNT(*), MAX(skips) FROM dbops_journal.skipped_events"),
        "the skip counted on its journal row");
    assertEquals(
        List.of("1\tdrift", "100\tafter"),
        fx.onReplica("SELECT id, note FROM app.orders ORDER BY id"));
    assertEquals(skippedBefore + 1, skippedMetric(1062), "the metric counts it once");
  }

  @Test
  void
      givenASkipNotCountedYet_whenAskedHowOftenItsGroupWasSkipped_thenTheLoopGuardSeesItAndTheBatchWritesItOnce()
          throws Exception {
    replicating(
        "INSERT INTO app.orders VALUES (1, 'drift');",
        "INSERT INTO app.orders VALUES (1, 'source');");
    fx.pair.awaitSqlError(Duration.ofSeconds(10));
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    MySqlConnector connector = new MySqlConnector(ReplicationFixture.SETTINGS);
    try (SqlSession replica = SqlSession.open(connector, fx.replica(), fx.pair.adminPassword());
        SqlSession source = SqlSession.open(connector, fx.source(), fx.pair.adminPassword())) {
      SkipJournal journal = new SkipJournal(replica, fx.source().address(), "wf-batched-count");
      journal.ensure();
      Skipper skipper =
          new Skipper(
              replica, () -> source, journal, SkipHooks.NONE, new ReplicationMetrics(registry));
      SlaveStatus s = ReplicaReads.status(replica, fx.source());
      Skipper.Journaled j = skipper.journal(s, SkipJournal.POLICY, false);

      skipper.skip(j.id(), s.lastSqlErrno(), s, j.gtid());

      fx.pair.awaitCaughtUp(Duration.ofSeconds(10));
      assertEquals(
          List.of("0"),
          fx.onReplica("SELECT skips FROM dbops_journal.skipped_events"),
          "not written yet");
      assertEquals(1, skipper.skips(j.id(), 0), "the loop guard counts it all the same");
      assertEquals(
          0.0,
          registry.find(ReplicationMetrics.SKIPPED).counters().stream()
              .mapToDouble(c -> c.count())
              .sum());

      skipper.countSkips();
      skipper.countSkips();

      assertEquals(
          List.of("1"),
          fx.onReplica("SELECT skips FROM dbops_journal.skipped_events"),
          "written once");
      assertEquals(1, skipper.skips(j.id(), 1), "not added again to what the row says");
      assertEquals(
          1.0,
          registry.find(ReplicationMetrics.SKIPPED).counters().stream()
              .mapToDouble(c -> c.count())
              .sum());
      assertEquals(1, fx.skipsMade());
    }
  }

  @Test
  void givenRowEventsSkippedWhole_whenMonitored_thenTheJournalListsEveryLostRowWithItsImages()
      throws Exception {
    replicating(
        "INSERT INTO app.orders VALUES (2, 'drift');",
        "SET SESSION binlog_format = 'ROW';\n"
            + "BEGIN;\nINSERT INTO app.audit VALUES (1, 'with the conflict');\nINSERT INTO app.orders VALUES (2, 'source');\n"
            + "COMMIT;\nINSERT INTO app.orders VALUES (3, 'after');");

    MonitorOutcome o = monitor.monitor(request(DUPLICATES, 0, 1));

    assertEquals(MonitorOutcome.CAUGHT_UP, o.kind(), o.toString());
    JournalEntry e = o.newEntries().get(0);
    assertEquals(2, e.rowsLost(), e.toString());
    assertEquals(
        List.of(
            "app.audit INSERT {\"id\":1,\"what\":\"with the conflict\"} LOST_WITH_TRANSACTION",
            "app.orders INSERT {\"id\":2,\"note\":\"source\"} LOST_WITH_TRANSACTION"),
        e.conflictsOrEmpty().stream()
            .map(c -> c.table() + " " + c.change() + " " + c.sourceRow() + " " + c.resolution())
            .toList());
  }

  @Test
  void
      givenASourceLoginWithoutReplicationSlave_whenRowEventsAreSkipped_thenJournaledWithoutRowsNotRetriedForever()
          throws Exception {
    replicating(
        "INSERT INTO app.orders VALUES (2, 'drift');",
        "SET SESSION binlog_format = 'ROW';\n"
            + "INSERT INTO app.orders VALUES (2, 'source');\nINSERT INTO app.orders VALUES (3, 'after');");
    try (Connection c = fx.pair.connectSource();
        Statement s = c.createStatement()) {
      s.execute(
          "CREATE OR REPLACE USER 'watcher'@'127.0.0.1' IDENTIFIED BY '"
              + fx.pair.adminPassword()
              + "'");
      s.execute("GRANT BINLOG MONITOR, SELECT ON *.* TO 'watcher'@'127.0.0.1'");
    }
    DbTarget watcher =
        new DbTarget(
            fx.source().host(),
            fx.source().port(),
            new DbLogin("watcher", fx.source().login().passwordRef()));

    MonitorOutcome o =
        monitor.monitor(
            new MonitorRequest(fx.replica(), watcher, DUPLICATES, 0, 1, null, WINDOW, POLL, SLICE));

    assertEquals(MonitorOutcome.CAUGHT_UP, o.kind(), o.toString());
    assertEquals(1, o.newEntries().size());
    assertNull(
        o.newEntries().get(0).rowsLost(),
        "the binlog dump was refused: which rows were lost is unknown");
    assertEquals(List.of(), o.newEntries().get(0).conflictsOrEmpty());
    assertEquals(1, fx.skipsMade());
  }

  /** {@value ReplicationMetrics#SKIPPED} for {@code errno}, over every run the fixture made. */
  private static double skippedMetric(int errno) {
    return fx
        .metrics
        .find(ReplicationMetrics.SKIPPED)
        .tag("errno", Integer.toString(errno))
        .counters()
        .stream()
        .mapToDouble(c -> c.count())
        .sum();
  }

  @Test
  void givenTheReplicaStopsAgainWhereItWasSkipped_whenMonitored_thenLoopNeedsADecision()
      throws Exception {
    replicating(
        "INSERT INTO app.orders VALUES (1, 'drift');",
        "INSERT INTO app.orders VALUES (1, 'source');");
    fx.pair.awaitSqlError(Duration.ofSeconds(10));
    crashAfterJournal.set(true);
    assertThrows(ActivityFailure.class, () -> monitor.monitor(request(DUPLICATES, 0, 10)));
    // As if the skip had been made and the replica stopped at the very same coordinates again.
    try (Connection c = fx.pair.connectReplica();
        Statement s = c.createStatement()) {
      s.execute("UPDATE dbops_journal.skipped_events SET skips = 1");
    }

    MonitorOutcome o = monitor.monitor(request(DUPLICATES, 0, 10));

    assertEquals(MonitorOutcome.NEEDS_DECISION, o.kind());
    assertEquals(ReplicationMonitor.LOOP, o.reason());
    assertEquals(1062, o.replica().lastSqlErrno());
    assertEquals(0, fx.skipsMade());
  }

  @Test
  void
      givenAConflictAheadOfAReplicaRunningBehind_whenPollsAreSlow_thenItIsSkippedWhenItHappensNotAtTheNextPoll()
          throws Exception {
    replicating("INSERT INTO app.orders VALUES (1, 'drift');", "");
    fx.pair.awaitCaughtUp(Duration.ofSeconds(10));
    // 1,000 rows, then the conflict, held back so the replica is still applying them at the first
    // poll.
    try (Connection rep = fx.pair.connectReplica();
        Statement s = rep.createStatement()) {
      s.execute("STOP SLAVE SQL_THREAD");
    }
    StringBuilder workload = new StringBuilder();
    for (int i = 1; i <= 1000; i++)
      workload.append("INSERT INTO app.audit VALUES (").append(i).append(", 'row');\n");
    workload.append("INSERT INTO app.orders VALUES (1, 'source');\n");
    try (Connection src = fx.pair.connectSource()) {
      SqlScript.run(src, workload.toString());
    }
    try (Connection rep = fx.pair.connectReplica();
        Statement s = rep.createStatement()) {
      s.execute("START SLAVE SQL_THREAD");
    }
    Duration pollInterval = Duration.ofSeconds(10);
    long t0 = System.nanoTime();

    MonitorOutcome o =
        monitor.monitor(
            new MonitorRequest(
                fx.replica(),
                fx.source(),
                DUPLICATES,
                0,
                1,
                null,
                WINDOW,
                pollInterval,
                Duration.ofSeconds(60)));

    Duration took = Duration.ofNanos(System.nanoTime() - t0);
    assertEquals(MonitorOutcome.CAUGHT_UP, o.kind(), o.toString());
    assertEquals(1, o.newEntries().size());
    assertEquals(1, fx.skipsMade());
    assertTrue(
        took.compareTo(pollInterval.dividedBy(2)) < 0,
        "the SQL thread's stop ended the wait (MASTER_POS_WAIT), not the poll interval: took "
            + took);
  }

  @Test
  void givenHeartbeatDetailsOfASliceAlreadyOver_whenResumed_thenTheSliceEndsAfterOnePoll()
      throws Exception {
    replicating("", "INSERT INTO app.orders VALUES (1, 'one');");
    env.setHeartbeatDetails(
        new MonitorCheckpoint(System.currentTimeMillis() - SLICE.toMillis() - 1000, 0, 0, "x", 0));

    long t0 = System.nanoTime();
    MonitorOutcome o =
        monitor.monitor(
            new MonitorRequest(
                fx.replica(),
                fx.source(),
                DUPLICATES,
                0,
                10,
                null,
                Duration.ofMinutes(1),
                POLL,
                SLICE));

    assertEquals(MonitorOutcome.SLICE_ENDED, o.kind());
    assertTrue(
        System.nanoTime() - t0 < Duration.ofSeconds(5).toNanos(),
        "the resumed slice keeps its end");
  }

  @Test
  void
      givenTheLastAttemptSawMostOfTheWindow_whenRetriedAtOnce_thenTheWindowGoesOnAndAStaleOneStartsOver()
          throws Exception {
    replicating("", "INSERT INTO app.orders VALUES (1, 'one');");
    fx.pair.awaitCaughtUp(Duration.ofSeconds(10));
    Duration window = Duration.ofSeconds(6);
    MonitorRequest r =
        new MonitorRequest(
            fx.replica(),
            fx.source(),
            DUPLICATES,
            0,
            10,
            null,
            window,
            POLL,
            Duration.ofSeconds(60));
    long now = System.currentTimeMillis();
    // As a connection dropped a moment ago leaves it: caught up for all but 0.3 s of the window.
    env.setHeartbeatDetails(new MonitorCheckpoint(now, 0, 0, "x", 0, window.toMillis() - 300, now));

    long t0 = System.nanoTime();
    MonitorOutcome going = monitor.monitor(r);
    Duration goingOn = Duration.ofNanos(System.nanoTime() - t0);

    env.setHeartbeatDetails(
        new MonitorCheckpoint(
            now,
            0,
            0,
            "x",
            0,
            window.toMillis() - 300,
            now - ReplicationMonitor.CONTINUE_WINDOW_WITHIN_MILLIS - 1000));
    t0 = System.nanoTime();
    MonitorOutcome stale = monitor.monitor(r);
    Duration over = Duration.ofNanos(System.nanoTime() - t0);

    assertEquals(MonitorOutcome.CAUGHT_UP, going.kind());
    assertTrue(goingOn.compareTo(window.dividedBy(2)) < 0, "went on with the window: " + goingOn);
    assertEquals(MonitorOutcome.CAUGHT_UP, stale.kind());
    assertTrue(over.compareTo(window) >= 0, "a window seen over a minute ago starts over: " + over);
  }

  @Test
  void givenReplicationStoppedByHand_whenMonitored_thenStoppedNeedsADecision() throws Exception {
    replicating("", "INSERT INTO app.orders VALUES (1, 'one');");
    fx.pair.awaitCaughtUp(Duration.ofSeconds(10));
    try (Connection c = fx.pair.connectReplicaAsAdmin();
        Statement s = c.createStatement()) {
      s.execute("CALL mysql.rds_stop_replication");
    }

    MonitorOutcome o = monitor.monitor(request(DUPLICATES, 0, 10));

    assertEquals(MonitorOutcome.NEEDS_DECISION, o.kind());
    assertEquals(ReplicationMonitor.STOPPED, o.reason());
    assertFalse(o.replica().sqlRunning());
  }

  @Test
  void givenNoReplicationConfigured_whenMonitored_thenInvalidState() throws Exception {
    try (Connection c = fx.pair.connectSource()) {
      SqlScript.run(c, SCHEMA);
    }

    ActivityFailure f =
        assertThrows(ActivityFailure.class, () -> monitor.monitor(request(DUPLICATES, 0, 10)));

    ApplicationFailure af = (ApplicationFailure) f.getCause();
    assertEquals(ErrorTypes.INVALID_STATE, af.getType());
    assertTrue(af.isNonRetryable());
  }

  // ---------------------------------------------------------------------------- carryOut

  @Test
  void givenAPersonsSkip_whenCarriedOutTwice_thenJournaledByThemAndSkippedOnce() throws Exception {
    replicating(
        "DROP TABLE app.audit;",
        "INSERT INTO app.audit VALUES (1, 'x');\nINSERT INTO app.orders VALUES (2, 'after');");
    BinlogPosition at =
        new BinlogPosition(
            fx.pair.awaitSqlError(Duration.ofSeconds(10)).relayMasterLogFile(),
            fx.pair.replicaStatus().orElseThrow().execMasterLogPos());
    DecisionRequest skip =
        new DecisionRequest(
            fx.replica(),
            fx.source(),
            new ErrorDecision(ErrorDecision.SKIP, "bob", "table dropped on purpose"),
            at);

    JournalEntry first = sql.carryOut(skip);
    JournalEntry again = sql.carryOut(skip);

    assertNotNull(first);
    assertEquals(1146, first.errno());
    assertEquals("bob", first.decidedBy());
    assertEquals(at, first.source());
    assertEquals(first.id(), again.id());
    assertEquals(1, fx.skipsMade());
    assertEquals(
        MonitorOutcome.CAUGHT_UP, monitor.monitor(request(DUPLICATES, first.id(), 10)).kind());
    assertEquals(List.of("2\tafter"), fx.onReplica("SELECT id, note FROM app.orders"));
  }

  @Test
  void
      givenAPersonsSkipOfRowEventsPartlyOnTheReplica_whenCarriedOut_thenOnlyTheRowsNotThereAreLost()
          throws Exception {
    replicating(
        "INSERT INTO app.orders VALUES (2, 'source');",
        "SET SESSION binlog_format = 'ROW';\n"
            + "BEGIN;\nINSERT INTO app.audit VALUES (1, 'with the conflict');\nINSERT INTO app.orders VALUES (2, 'source');\n"
            + "COMMIT;\nINSERT INTO app.orders VALUES (3, 'after');");
    var stopped = fx.pair.awaitSqlError(Duration.ofSeconds(10));
    BinlogPosition at =
        new BinlogPosition(stopped.relayMasterLogFile(), stopped.execMasterLogPos());

    JournalEntry e =
        sql.carryOut(
            new DecisionRequest(
                fx.replica(),
                fx.source(),
                new ErrorDecision(ErrorDecision.SKIP, "bob", "order 2 is there already"),
                at));

    assertEquals(
        1, e.rowsLost(), "audit 1 only: order 2 is on the replica as the source has it; " + e);
    assertEquals(
        List.of(
            "app.audit INSERT LOST_WITH_TRANSACTION bob null",
            "app.orders INSERT ALREADY_ON_REPLICA bob {\"id\":2,\"note\":\"source\"}"),
        e.conflictsOrEmpty().stream()
            .map(
                c ->
                    c.table()
                        + " "
                        + c.change()
                        + " "
                        + c.resolution()
                        + " "
                        + c.decidedBy()
                        + " "
                        + c.replicaRow())
            .toList());
    fx.pair.awaitCaughtUp(Duration.ofSeconds(10));
    assertEquals(
        List.of(), fx.onReplica("SELECT id FROM app.audit"), "skipped whole, as journaled");
  }

  @Test
  void givenDataFixedByHand_whenRetryIsCarriedOut_thenReplicationGoesOnAndARepeatDoesNothing()
      throws Exception {
    replicating(
        "INSERT INTO app.orders VALUES (1, 'drift');",
        "INSERT INTO app.orders VALUES (1, 'source');");
    var stopped = fx.pair.awaitSqlError(Duration.ofSeconds(10));
    BinlogPosition at =
        new BinlogPosition(stopped.relayMasterLogFile(), stopped.execMasterLogPos());
    try (Connection c = fx.pair.connectReplica();
        Statement s = c.createStatement()) {
      s.execute("DELETE FROM app.orders WHERE id = 1");
    }
    DecisionRequest retry =
        new DecisionRequest(
            fx.replica(),
            fx.source(),
            new ErrorDecision(ErrorDecision.RETRY, "bob", "removed the stray row"),
            at);

    assertNull(sql.carryOut(retry));
    fx.pair.awaitCaughtUp(Duration.ofSeconds(10));
    assertNull(sql.carryOut(retry));

    assertEquals(List.of("1\tsource"), fx.onReplica("SELECT id, note FROM app.orders"));
    assertEquals(
        List.of("2"),
        fx.onReplica("SELECT COUNT(*) FROM mysql.rds_history WHERE action = 'start slave'"),
        "one start by setUpReplica, one by the first RETRY");
    assertEquals(0, fx.skipsMade());
  }

  // ------------------------------------------------------------------ setUpReplica / cutOver

  @Test
  void givenAReplicaSetUp_whenSetUpAgainOrAfterAStop_thenAdoptedAndStarted() throws Exception {
    BinlogPosition start = replicating("", "");
    try (Connection c = fx.pair.connectReplicaAsAdmin();
        Statement s = c.createStatement()) {
      s.execute("CALL mysql.rds_stop_replication");
    }

    ReplicaState again = sql.setUpReplica(setup(start));

    assertTrue(again.sqlRunning(), again.toString());
    assertEquals(
        List.of("1"),
        fx.onReplica("SELECT COUNT(*) FROM mysql.rds_history WHERE action = 'set master'"));
  }

  @Test
  void givenAReplicaOfAnotherSource_whenSetUp_thenRefusedNonRetryably() throws Exception {
    BinlogPosition start = replicating("", "");
    DbTarget other = new DbTarget(fx.pair.source().host(), fx.pair.replica().port(), fx.admin());

    ActivityFailure f =
        assertThrows(
            ActivityFailure.class,
            () ->
                sql.setUpReplica(
                    new ReplicaSetup(fx.replica(), other, fx.replicationUser(), start, false)));

    assertEquals(ErrorTypes.INVALID_STATE, ((ApplicationFailure) f.getCause()).getType());
  }

  @Test
  void givenACaughtUpReplica_whenCutOverTwice_thenTheSecondReportsWhatTheFirstCaptured()
      throws Exception {
    replicating("", "INSERT INTO app.orders VALUES (1, 'one');");
    fx.pair.awaitCaughtUp(Duration.ofSeconds(10));
    BinlogPosition source = current();

    CutoverReport first = sql.cutOver(fx.replica(), fx.source());
    CutoverReport second = sql.cutOver(fx.replica(), fx.source());

    assertEquals(source, first.replicaExecuted());
    assertEquals(source, first.sourceAtStop());
    assertEquals(first, second);
    assertTrue(fx.pair.replicaStatus().isEmpty());
  }

  // ----------------------------------------------------------- cut-over to the final position

  @Test
  void
      givenAReplicaStoppedShortOnAConflict_whenCutOver_thenRefusedNamingBothPositionsAndNothingReset()
          throws Exception {
    replicating("INSERT INTO app.orders VALUES (1, 'drift');", "");
    fx.pair.awaitCaughtUp(Duration.ofSeconds(10));
    try (Connection src = fx.pair.connectSource()) {
      SqlScript.run(
          src,
          "INSERT INTO app.orders VALUES (1, 'source');\nINSERT INTO app.orders VALUES (2, 'after');");
    }
    fx.pair.awaitSqlError(Duration.ofSeconds(10));
    BinlogPosition source = current();
    String stoppedAt =
        fx.pair.replicaStatus().orElseThrow().relayMasterLogFile()
            + ":"
            + fx.pair.replicaStatus().orElseThrow().execMasterLogPos();

    ActivityFailure old =
        assertThrows(ActivityFailure.class, () -> sql.cutOver(fx.replica(), fx.source()));
    ActivityFailure at =
        assertThrows(
            ActivityFailure.class,
            () -> sql.cutOverAt(new CutoverRequest(fx.replica(), fx.source(), source)));

    for (ActivityFailure f : List.of(old, at)) {
      ApplicationFailure af = (ApplicationFailure) f.getCause();
      assertEquals(ErrorTypes.CUTOVER_REFUSED, af.getType());
      assertTrue(af.isNonRetryable());
      assertTrue(
          af.getOriginalMessage()
              .contains(stoppedAt + ", short of the source's final position " + source),
          af.getOriginalMessage());
    }
    assertTrue(fx.pair.replicaStatus().isPresent(), "replication still configured: nothing reset");
    assertEquals(List.of(), fx.onReplica("SELECT * FROM dbops_journal.cutovers"));
  }

  @Test
  void givenTheSourceWritingOn_whenCutOverAtAnEarlierFinalPosition_thenRefusedAndReplicationGoesOn()
      throws Exception {
    replicating("", "INSERT INTO app.orders VALUES (1, 'one');");
    fx.pair.awaitCaughtUp(Duration.ofSeconds(10));
    BinlogPosition finalPosition = current();
    try (Connection src = fx.pair.connectSource()) {
      SqlScript.run(
          src, "INSERT INTO app.orders VALUES (2, 'written after the final position was read');");
    }
    fx.pair.awaitCaughtUp(Duration.ofSeconds(10));

    ActivityFailure f =
        assertThrows(
            ActivityFailure.class,
            () -> sql.cutOverAt(new CutoverRequest(fx.replica(), fx.source(), finalPosition)));

    ApplicationFailure af = (ApplicationFailure) f.getCause();
    assertEquals(ErrorTypes.CUTOVER_REFUSED, af.getType());
    assertTrue(
        af.getOriginalMessage().contains("past the source's final position " + finalPosition),
        af.getOriginalMessage());
    assertTrue(fx.pair.replicaStatus().orElseThrow().sqlRunning(), "replication started again");
  }

  @Test
  void givenAWritableSource_whenItsFinalPositionIsAsked_thenNotReadyUntilReadOnly()
      throws Exception {
    replicating("", "INSERT INTO app.orders VALUES (1, 'one');");
    CutoverCheck check = new CutoverCheck(fx.source(), null);

    ActivityFailure f = assertThrows(ActivityFailure.class, () -> sql.sourceFinalPosition(check));
    assertEquals(ErrorTypes.NOT_READY, ((ApplicationFailure) f.getCause()).getType());
    assertTrue(f.getCause().getMessage().contains("read_only is OFF"), f.getCause().getMessage());
    assertEquals(
        current(), sql.sourceFinalPosition(new CutoverCheck(fx.source(), WritesStopped.HOOK)));

    try (Connection src = fx.pair.connectSource();
        Statement s = src.createStatement()) {
      s.execute("SET GLOBAL read_only = 1");
    }
    assertEquals(current(), sql.sourceFinalPosition(check));
  }

  @Test
  void
      givenAConflictOnTheWayToTheFinalPosition_whenDrained_thenSkippedAndCaughtUpAtExactlyThatPosition()
          throws Exception {
    replicating(
        "INSERT INTO app.orders VALUES (1, 'drift');",
        "INSERT INTO app.orders VALUES (1, 'source');\nINSERT INTO app.orders VALUES (2, 'after');");
    BinlogPosition finalPosition = current();
    MonitorRequest drain =
        new MonitorRequest(
            fx.replica(),
            fx.source(),
            DUPLICATES,
            0,
            10,
            null,
            Duration.ZERO,
            POLL,
            SLICE,
            null,
            finalPosition);

    MonitorOutcome o = monitor.monitor(drain);

    assertEquals(MonitorOutcome.CAUGHT_UP, o.kind(), o.toString());
    assertEquals(finalPosition, o.replica().executed());
    assertEquals(1, o.newEntries().size());
    CutoverReport cut = sql.cutOverAt(new CutoverRequest(fx.replica(), fx.source(), finalPosition));
    assertEquals(finalPosition, cut.replicaExecuted());
    assertEquals(finalPosition, cut.sourceAtStop());
  }

  @Test
  void
      givenAWatchingSlice_whenTheReplicaIsCaughtUpAndAConflictArrives_thenItIsSkippedAndTheSliceRunsToItsEnd()
          throws Exception {
    replicating("INSERT INTO app.orders VALUES (1, 'drift');", "");
    fx.pair.awaitCaughtUp(Duration.ofSeconds(10));
    Duration slice = Duration.ofSeconds(3);
    Thread writer =
        new Thread(
            () -> {
              try (Connection src = fx.pair.connectSource()) {
                Thread.sleep(1000);
                SqlScript.run(
                    src,
                    "INSERT INTO app.orders VALUES (1, 'source');\nINSERT INTO app.orders VALUES (2, 'after');");
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    writer.start();
    long t0 = System.nanoTime();

    MonitorOutcome o =
        monitor.monitor(
            new MonitorRequest(
                fx.replica(),
                fx.source(),
                DUPLICATES,
                0,
                10,
                null,
                Duration.ZERO,
                POLL,
                slice,
                true,
                null));

    writer.join();
    assertEquals(MonitorOutcome.SLICE_ENDED, o.kind(), "never caught up while watching: " + o);
    assertTrue(System.nanoTime() - t0 >= slice.toNanos());
    assertEquals(1, o.newEntries().size());
    assertEquals(current(), o.replica().executed());
  }

  @Test
  void givenNoWindow_whenTheReplicaReachesTheSourcePosition_thenCaughtUpIsReportedWithinASecond()
      throws Exception {
    replicating("", "");
    fx.pair.awaitCaughtUp(Duration.ofSeconds(10));
    Duration noWindow = caughtUpDelay(Duration.ZERO);
    Duration window = caughtUpDelay(Duration.ofSeconds(3));
    System.out.println(
        "caught up reported after the SQL thread reached the source position: "
            + noWindow.toMillis()
            + " ms without a window, "
            + window.toMillis()
            + " ms with a 3 s window");
    assertTrue(noWindow.compareTo(Duration.ofSeconds(1)) < 0, "reported " + noWindow + " after");
    assertTrue(
        window.compareTo(Duration.ofMillis(2900)) >= 0,
        "the window is still waited when asked: " + window);
  }

  /**
   * From the SQL thread reaching the source's position (watched every 5 ms) to the monitor's
   * CAUGHT_UP.
   */
  private static Duration caughtUpDelay(Duration window) throws Exception {
    try (Connection rep = fx.pair.connectReplica();
        Statement s = rep.createStatement()) {
      s.execute("STOP SLAVE SQL_THREAD");
    }
    StringBuilder workload = new StringBuilder();
    int base = Integer.parseInt(fx.onSource("SELECT COALESCE(MAX(id), 0) FROM app.audit").get(0));
    for (int i = 1; i <= 2000; i++) {
      workload.append("INSERT INTO app.audit VALUES (").append(base + i).append(", 'row');\n");
    }
    try (Connection src = fx.pair.connectSource()) {
      SqlScript.run(src, workload.toString());
    }
    BinlogPosition target = current();
    long[] reachedAt = new long[1];
    Thread watcher =
        new Thread(
            () -> {
              try {
                fx.pair.awaitReplica(
                    st ->
                        st.relayMasterLogFile().equals(target.file())
                            && st.execMasterLogPos() >= target.position(),
                    Duration.ofSeconds(60));
                reachedAt[0] = System.nanoTime();
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    watcher.start();
    try (Connection rep = fx.pair.connectReplica();
        Statement s = rep.createStatement()) {
      s.execute("START SLAVE SQL_THREAD");
    }
    MonitorOutcome o =
        monitor.monitor(
            new MonitorRequest(
                fx.replica(),
                fx.source(),
                DUPLICATES,
                0,
                10,
                null,
                window,
                Duration.ofSeconds(1),
                Duration.ofSeconds(60)));
    long reportedAt = System.nanoTime();
    watcher.join();
    assertEquals(MonitorOutcome.CAUGHT_UP, o.kind(), o.toString());
    return Duration.ofNanos(reportedAt - reachedAt[0]);
  }

  // ----------------------------------------------------------------------------- checkSource

  @Test
  void givenARetentionToSet_whenChecked_thenSetAndReadBack() {
    SourceReport r = sql.checkSource(new SourceCheck(fx.source(), fx.replicationUser(), 168));

    assertEquals(List.of(), r.problems());
    assertTrue(r.logBin());
    assertEquals("MIXED", r.binlogFormat());
    assertEquals(168, r.retentionHours());
    assertTrue(r.replicationUserReady());
    assertNotNull(r.current());
  }

  @Test
  void givenNoRetentionAndAMissingUser_whenChecked_thenBothAreProblems() throws Exception {
    try (Connection c = fx.pair.connectSource();
        Statement s = c.createStatement()) {
      s.execute("CALL mysql.rds_set_configuration('binlog retention hours', NULL)");
    }

    SourceReport r =
        sql.checkSource(
            new SourceCheck(
                fx.source(),
                new ReplicationUser("nobody", "env:" + ReplicationFixture.REPL_VAR, false),
                null));

    assertNull(r.retentionHours());
    assertFalse(r.replicationUserReady());
    assertEquals(2, r.problems().size(), r.problems().toString());
    assertTrue(
        r.problems().get(0).contains("binlog retention hours is NULL"), r.problems().toString());
    assertTrue(r.problems().get(1).contains("'nobody' does not exist"), r.problems().toString());
  }

  @Test
  void givenCreateAsked_whenChecked_thenTheUserIsCreatedWithReplicationGrantsAndLogsIn()
      throws Exception {
    try (Connection c = fx.pair.connectSource();
        Statement s = c.createStatement()) {
      s.execute("DROP USER IF EXISTS 'repl2'@'%'");
    }
    ReplicationUser u = new ReplicationUser("repl2", "env:" + ReplicationFixture.REPL_VAR, true);

    SourceReport r = sql.checkSource(new SourceCheck(fx.source(), u, 168));
    SourceReport again = sql.checkSource(new SourceCheck(fx.source(), u, 168));

    assertEquals(List.of(), r.problems());
    assertTrue(r.replicationUserReady());
    assertTrue(
        r.warnings().stream().anyMatch(w -> w.contains("created replication user 'repl2'")),
        r.warnings().toString());
    assertTrue(again.replicationUserReady());
    assertTrue(again.warnings().isEmpty(), again.warnings().toString());
    String grants = String.join("\n", fx.onSource("SHOW GRANTS FOR 'repl2'@'%'"));
    assertTrue(grants.contains("REPLICATION SLAVE"), "grants present: " + grants);
    assertFalse(
        grants.contains("BINLOG MONITOR") || grants.contains("REPLICATION CLIENT"),
        "only what replication needs: " + grants);
  }

  @Test
  void givenADryRunsReadOnlyCheck_whenRetentionAndUserAreAsked_thenNothingIsSetOrCreated()
      throws Exception {
    try (Connection c = fx.pair.connectSource();
        Statement s = c.createStatement()) {
      s.execute("CALL mysql.rds_set_configuration('binlog retention hours', NULL)");
      s.execute("DROP USER IF EXISTS 'planned'@'%'");
    }
    ReplicationUser u = new ReplicationUser("planned", "env:" + ReplicationFixture.REPL_VAR, true);

    SourceReport r = sql.checkSource(new SourceCheck(fx.source(), u, 120, true));

    // What the run would set and create is no problem of the plan; the report says how it is now.
    assertEquals(List.of(), r.problems());
    assertNull(r.retentionHours());
    assertFalse(r.replicationUserReady());
    assertTrue(fx.onSource("SELECT User FROM mysql.user WHERE User = 'planned'").isEmpty());
    assertEquals(
        List.of("null"),
        fx.onSource(
            "SELECT IFNULL(value, 'null') FROM mysql.rds_configuration"
                + " WHERE name = 'binlog retention hours'"));
  }

  @Test
  void givenAUserWithoutReplicationGrants_whenChecked_thenAProblem() throws Exception {
    try (Connection c = fx.pair.connectSource();
        Statement s = c.createStatement()) {
      s.execute("CREATE OR REPLACE USER 'plain'@'%' IDENTIFIED BY 'x'");
    }

    SourceReport r =
        sql.checkSource(
            new SourceCheck(
                fx.source(),
                new ReplicationUser("plain", "env:" + ReplicationFixture.REPL_VAR, false),
                168));

    assertFalse(r.replicationUserReady());
    assertTrue(
        r.problems().get(0).contains("lacks REPLICATION SLAVE on *.*"), r.problems().toString());
  }

  @Test
  void givenAUserWithReplicationSlaveButNotClient_whenChecked_thenReadyAndItReplicates()
      throws Exception {
    try (Connection c = fx.pair.connectSource();
        Statement s = c.createStatement()) {
      s.execute(
          "CREATE OR REPLACE USER 'slaveonly'@'%' IDENTIFIED BY '"
              + fx.pair.replicationPassword()
              + "'");
      s.execute("GRANT REPLICATION SLAVE ON *.* TO 'slaveonly'@'%'");
    }
    ReplicationUser u =
        new ReplicationUser("slaveonly", "env:" + ReplicationFixture.REPL_VAR, false);

    SourceReport r = sql.checkSource(new SourceCheck(fx.source(), u, 168));

    assertEquals(List.of(), r.problems());
    assertTrue(r.replicationUserReady());
    try (Connection src = fx.pair.connectSource();
        Connection rep = fx.pair.connectReplica()) {
      SqlScript.run(src, SCHEMA);
      SqlScript.run(rep, SCHEMA);
    }
    BinlogPosition start = current();
    sql.setUpReplica(new ReplicaSetup(fx.replica(), fx.source(), u, start, false));
    try (Connection src = fx.pair.connectSource()) {
      SqlScript.run(src, "INSERT INTO app.orders VALUES (1, 'through slaveonly');\n");
    }
    assertEquals(MonitorOutcome.CAUGHT_UP, monitor.monitor(request(DUPLICATES, 0, 0)).kind());
    assertEquals(
        List.of("through slaveonly"), fx.onReplica("SELECT note FROM app.orders WHERE id = 1"));
  }

  @Test
  void
      givenAUserWithReplicationSlaveOnlyThroughARole_whenChecked_thenReadyWithAWarningNamingTheRole()
          throws Exception {
    try (Connection c = fx.pair.connectSource();
        Statement s = c.createStatement()) {
      s.execute(
          "CREATE OR REPLACE USER 'viarole'@'%' IDENTIFIED BY '"
              + fx.pair.replicationPassword()
              + "'");
      s.execute("CREATE OR REPLACE ROLE repl_inner");
      s.execute("GRANT REPLICATION SLAVE ON *.* TO repl_inner");
      s.execute("CREATE OR REPLACE ROLE repl_outer");
      s.execute("GRANT repl_inner TO repl_outer");
      s.execute("GRANT repl_outer TO 'viarole'@'%'");
      s.execute("SET DEFAULT ROLE repl_outer FOR 'viarole'@'%'");
    }

    SourceReport r =
        sql.checkSource(
            new SourceCheck(
                fx.source(),
                new ReplicationUser("viarole", "env:" + ReplicationFixture.REPL_VAR, false),
                168));

    assertEquals(List.of(), r.problems());
    assertTrue(r.replicationUserReady());
    // the role granted to the account (the one to make its default role), which holds it through
    // repl_inner
    assertTrue(
        r.warnings().stream().anyMatch(w -> w.contains("only through role 'repl_outer'")),
        r.warnings().toString());
  }

  @Test
  void givenRetentionAboveWhatRdsMySqlTakes_whenChecked_thenInvalidInputAndNothingChanged()
      throws Exception {
    try (Connection c = fx.pair.connectSource();
        Statement s = c.createStatement()) {
      s.execute("CALL mysql.rds_set_configuration('binlog retention hours', 24)");
      s.execute("DROP USER IF EXISTS 'repl3'@'%'");
    }

    ActivityFailure f =
        assertThrows(
            ActivityFailure.class,
            () ->
                sql.checkSource(
                    new SourceCheck(
                        fx.source(),
                        new ReplicationUser("repl3", "env:" + ReplicationFixture.REPL_VAR, true),
                        169)));

    ApplicationFailure cause = (ApplicationFailure) f.getCause();
    assertEquals(ErrorTypes.INVALID_INPUT, cause.getType());
    assertTrue(
        cause.getOriginalMessage().startsWith("setRetentionHours: 169 is more than")
            && cause.getOriginalMessage().contains("at most 168 hours"),
        cause.getOriginalMessage());
    assertEquals(
        List.of("24"),
        fx.onSource(
            "SELECT value FROM mysql.rds_configuration" + " WHERE name = 'binlog retention hours'"),
        "the retention was not changed");
    assertEquals(
        List.of(),
        fx.onSource("SELECT User FROM mysql.user WHERE User = 'repl3'"),
        "no user created");
  }

  @Test
  void givenAWrongPasswordReference_whenChecked_thenAWarning() throws Exception {
    SourceReport r =
        sql.checkSource(
            new SourceCheck(
                fx.source(),
                new ReplicationUser(
                    fx.pair.replicationUser(), "env:" + ReplicationFixture.ADMIN_VAR, false),
                168));

    assertEquals(List.of(), r.problems());
    assertTrue(
        r.warnings().stream()
            .anyMatch(w -> w.contains("could not log in") && w.contains("errno 1045")),
        r.warnings().toString());
  }

  // ------------------------------------------------------------------------------- helpers

  /**
   * Schema on both, drift on the replica, replication set up from the source's position, then the
   * workload.
   */
  private static BinlogPosition replicating(String drift, String workload) throws Exception {
    try (Connection src = fx.pair.connectSource();
        Connection rep = fx.pair.connectReplica()) {
      SqlScript.run(src, SCHEMA);
      SqlScript.run(rep, SCHEMA);
      SqlScript.run(rep, drift);
    }
    BinlogPosition start = current();
    sql.setUpReplica(setup(start));
    try (Connection src = fx.pair.connectSource()) {
      SqlScript.run(src, workload);
    }
    return start;
  }

  private static ReplicaSetup setup(BinlogPosition start) {
    return new ReplicaSetup(fx.replica(), fx.source(), fx.replicationUser(), start, false);
  }

  private static BinlogPosition current() throws Exception {
    String[] row = fx.onSource("SHOW MASTER STATUS").get(0).split("\t");
    return new BinlogPosition(row[0], Long.parseLong(row[1]));
  }

  private static MonitorRequest request(SkipPolicy policy, long lastJournalId, int budget) {
    return new MonitorRequest(
        fx.replica(), fx.source(), policy, lastJournalId, budget, null, WINDOW, POLL, SLICE);
  }
}
