package dev.dbops.activities.binlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dbops.workflows.binlog.BinlogPosition;
import dev.dbops.workflows.binlog.ForeignKeyMode;
import dev.dbops.workflows.binlog.JournalEntry;
import dev.dbops.workflows.binlog.MonitorOutcome;
import dev.dbops.workflows.binlog.MonitorRequest;
import dev.dbops.workflows.binlog.ReplicaSetup;
import dev.dbops.workflows.binlog.ReplicationActivities;
import dev.dbops.workflows.binlog.SkipMode;
import dev.dbops.workflows.binlog.SkipPolicy;
import dev.dbops.workflows.common.ActivityStubs;
import io.temporal.failure.ActivityFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * STATEMENT mode across crashes, on real source + replica MariaDB: an attempt that ends after
 * reading and applying the transaction but before its commit, or right after the commit and before
 * the skip, is followed by a fresh attempt (as the workflow's retry would make, knowing nothing of
 * the first); every row of the transaction ends up applied exactly once. The transaction holds an
 * {@code n = n + 1}, so applying it twice would show.
 */
@Tag("mariadb")
class StatementModeCrashTest {
  private static final Duration POLL = Duration.ofMillis(50);
  private static final Duration WINDOW = Duration.ofMillis(300);
  private static final Duration SLICE = Duration.ofSeconds(10);
  private static final SkipPolicy STATEMENTS =
      new SkipPolicy(
          List.of(1062), null, 10, ForeignKeyMode.STOP_AND_ASK, SkipMode.STATEMENT, null, null);
  private static final String SCHEMA =
      "CREATE DATABASE app;\n"
          + "CREATE TABLE app.orders (id INT PRIMARY KEY, note VARCHAR(60)) ENGINE=InnoDB;\n"
          + "CREATE TABLE app.counter (id INT PRIMARY KEY, n INT NOT NULL) ENGINE=InnoDB;\n"
          + "INSERT INTO app.counter VALUES (1, 0);\n";
  private static final String DRIFT = "INSERT INTO app.orders VALUES (2, 'replica only');";
  private static final String WORKLOAD =
      "BEGIN;\n"
          + "INSERT INTO app.orders VALUES (1, 'first');\n"
          + "INSERT INTO app.orders VALUES (2, 'conflicts');\n"
          + "UPDATE app.counter SET n = n + 1 WHERE id = 1;\n"
          + "COMMIT;\n"
          + "INSERT INTO app.orders VALUES (3, 'after');\n";

  private static final AtomicBoolean crashBeforeCommit = new AtomicBoolean();
  private static final AtomicBoolean crashAfterCommit = new AtomicBoolean();
  private static ReplicationFixture fx;
  private static TestActivityEnvironment env;
  private static ReplicationActivities sql;
  private static ReplicationActivities monitor;

  @BeforeAll
  static void start() {
    fx = ReplicationFixture.start();
    env =
        fx.environment(
            new SkipHooks() {
              @Override
              public void journaled(long journalId) {
                if (crashAfterCommit.getAndSet(false))
                  throw new IllegalStateException("simulated crash after commit " + journalId);
              }

              @Override
              public void beforeReapplyCommit(BinlogPosition at) {
                if (crashBeforeCommit.getAndSet(false))
                  throw new IllegalStateException("simulated crash before commit " + at);
              }
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
    crashBeforeCommit.set(false);
    crashAfterCommit.set(false);
    env.setHeartbeatDetails(null);
    fx.reset();
  }

  @Test
  void givenACrashBetweenReadingAndCommitting_whenMonitoredAgain_thenTheTransactionIsAppliedOnce()
      throws Exception {
    replicating();
    fx.pair.awaitSqlError(Duration.ofSeconds(10));
    crashBeforeCommit.set(true);

    ActivityFailure crashed = assertThrows(ActivityFailure.class, () -> monitor.monitor(request()));

    assertTrue(
        crashed.getCause().getMessage().contains("simulated crash before commit"),
        crashed.toString());
    assertEquals(
        List.of("0"),
        fx.onReplica("SELECT COUNT(*) FROM dbops_journal.skipped_events"),
        "no marker");
    assertEquals(List.of("0"), fx.onReplica("SELECT COUNT(*) FROM dbops_journal.conflicts"));
    assertEquals(
        List.of("2\treplica only"),
        fx.onReplica("SELECT id, note FROM app.orders ORDER BY id"),
        "nothing of the re-apply stayed");
    assertEquals(List.of("0"), fx.onReplica("SELECT n FROM app.counter"));
    assertEquals(0, fx.skipsMade());

    MonitorOutcome o = monitor.monitor(request());

    assertCaughtUpOnce(o);
  }

  @Test
  void givenACrashRightAfterTheCommit_whenMonitoredAgain_thenItIsOnlySkipped() throws Exception {
    replicating();
    fx.pair.awaitSqlError(Duration.ofSeconds(10));
    crashAfterCommit.set(true);

    ActivityFailure crashed = assertThrows(ActivityFailure.class, () -> monitor.monitor(request()));

    assertTrue(
        crashed.getCause().getMessage().contains("simulated crash after commit"),
        crashed.toString());
    assertEquals(
        List.of("1\t0"),
        fx.onReplica("SELECT COUNT(*), MAX(skips) FROM dbops_journal.skipped_events"),
        "the marker committed with the re-apply, not yet skipped");
    assertEquals(
        List.of("1\tfirst", "2\treplica only"),
        fx.onReplica("SELECT id, note FROM app.orders ORDER BY id"));
    assertEquals(List.of("1"), fx.onReplica("SELECT n FROM app.counter"));
    assertEquals(0, fx.skipsMade());
    assertTrue(
        fx.pair.replicaStatus().orElseThrow().sqlStoppedOnError(), "still stopped at the error");

    MonitorOutcome o = monitor.monitor(request());

    assertCaughtUpOnce(o);
  }

  private static void assertCaughtUpOnce(MonitorOutcome o) throws Exception {
    assertEquals(MonitorOutcome.CAUGHT_UP, o.kind(), o.toString());
    assertEquals(1, o.newEntries().size(), o.toString());
    JournalEntry e = o.newEntries().get(0);
    assertEquals(SkipJournal.APPLIED_EXCEPT_CONFLICTS, e.action());
    assertEquals(1, e.conflictsOrEmpty().size(), e.toString());
    assertEquals(TransactionReapplier.KEPT_REPLICA_ROW, e.conflictsOrEmpty().get(0).resolution());
    assertEquals(1, fx.skipsMade(), "the original transaction skipped once");
    assertEquals(
        List.of("1\t1"),
        fx.onReplica("SELECT COUNT(*), MAX(skips) FROM dbops_journal.skipped_events"));
    assertEquals(List.of("1"), fx.onReplica("SELECT COUNT(*) FROM dbops_journal.conflicts"));
    assertEquals(
        List.of("1\tfirst", "2\treplica only", "3\tafter"),
        fx.onReplica("SELECT id, note FROM app.orders ORDER BY id"),
        "no row lost; the conflicting one kept");
    assertEquals(List.of("1"), fx.onReplica("SELECT n FROM app.counter"), "applied exactly once");
  }

  private static void replicating() throws Exception {
    try (Connection src = fx.pair.connectSource();
        Connection rep = fx.pair.connectReplica()) {
      SqlScript.run(src, SCHEMA);
      SqlScript.run(rep, SCHEMA);
      SqlScript.run(rep, DRIFT);
    }
    String[] row = fx.onSource("SHOW MASTER STATUS").get(0).split("\t");
    sql.setUpReplica(
        new ReplicaSetup(
            fx.replica(),
            fx.source(),
            fx.replicationUser(),
            new BinlogPosition(row[0], Long.parseLong(row[1])),
            false));
    try (Connection src = fx.pair.connectSource()) {
      SqlScript.run(src, WORKLOAD);
    }
  }

  private static MonitorRequest request() {
    return new MonitorRequest(
        fx.replica(), fx.source(), STATEMENTS, 0, 10, null, WINDOW, POLL, SLICE);
  }
}
