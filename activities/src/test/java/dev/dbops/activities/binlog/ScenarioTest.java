package dev.dbops.activities.binlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.dbops.activities.mysql.MySqlConnector;
import dev.dbops.workflows.binlog.BinlogPosition;
import dev.dbops.workflows.binlog.Conflict;
import dev.dbops.workflows.binlog.CutoverReport;
import dev.dbops.workflows.binlog.DecisionRequest;
import dev.dbops.workflows.binlog.ErrorDecision;
import dev.dbops.workflows.binlog.JournalEntry;
import dev.dbops.workflows.binlog.MonitorOutcome;
import dev.dbops.workflows.binlog.MonitorRequest;
import dev.dbops.workflows.binlog.ReplicaSetup;
import dev.dbops.workflows.binlog.ReplicationActivities;
import dev.dbops.workflows.binlog.SkipPolicy;
import dev.dbops.workflows.binlog.SourceCheck;
import dev.dbops.workflows.binlog.SourceReport;
import dev.dbops.workflows.common.ActivityStubs;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs every folder under {@code src/test/resources/scenarios/} (see {@link Scenario}) against a
 * real source and RDS-style replica, the way the workflow drives the activities: checkSource
 * (problems fail the run), setUpReplica from the source's position, the workload on the source,
 * then monitor slices until CAUGHT_UP, NEEDS_DECISION (answered from {@code decisions} while any
 * are left) or a failure; a caught-up replica is then cut over.
 *
 * <p>{@code expect.properties}: {@code outcome}; {@code reason} and {@code errno} of the first
 * NEEDS_DECISION; {@code skipped} (journal entries); {@code failure.type}, {@code
 * failure.message.contains}; {@code lag_source}; {@code journal.<i>.errno|action|decided_by},
 * {@code journal.<i>.events.count}, {@code journal.<i>.events.contains[.<anything>]}, {@code
 * journal.<i>.gtid}; {@code replica.query.<k>} with {@code replica.query.<k>.equals}.
 */
@Tag("mariadb")
class ScenarioTest {
  private static final Logger log = LoggerFactory.getLogger(ScenarioTest.class);
  private static final Duration POLL = Duration.ofMillis(50);
  private static final Duration SLICE = Duration.ofSeconds(10);
  private static final Duration GIVE_UP = Duration.ofSeconds(90);
  private static final String PERSON = "alice";

  private static ReplicationFixture fx;
  private static ReplicationActivities sql;
  private static ReplicationActivities monitor;

  @BeforeAll
  static void start() {
    fx = ReplicationFixture.start();
    TestActivityEnvironment env = fx.environment(SkipHooks.NONE);
    sql = fx.activities(env, ReplicationFixture.ONE_ATTEMPT);
    monitor = fx.activities(env, ReplicationFixture.oneAttempt(ActivityStubs.monitor(SLICE)));
  }

  @AfterAll
  static void stop() {
    if (fx != null) fx.close();
  }

  @BeforeEach
  void reset() throws Exception {
    fx.reset();
  }

  static Stream<String> scenarios() throws URISyntaxException, IOException {
    Path root =
        Path.of(Objects.requireNonNull(ScenarioTest.class.getResource("/scenarios")).toURI());
    try (Stream<Path> dirs = Files.list(root)) {
      return dirs
          .filter(Files::isDirectory)
          .map(p -> p.getFileName().toString())
          .sorted()
          .toList()
          .stream();
    }
  }

  /** What a run ended with, as the workflow would see it. */
  private record Result(
      String outcome,
      String reason,
      MonitorOutcome firstDecision,
      MonitorOutcome last,
      List<JournalEntry> journal,
      String failureType,
      String failureMessage,
      CutoverReport cutover) {}

  @ParameterizedTest(name = "{0}")
  @MethodSource("scenarios")
  void givenAScenarioFolder_whenTheReplicaCatchesUp_thenTheOutcomeIsAsExpected(String name)
      throws Exception {
    Path dir =
        Path.of(
            Objects.requireNonNull(ScenarioTest.class.getResource("/scenarios/" + name)).toURI());
    Scenario sc = Scenario.load(dir);
    long t0 = System.nanoTime();

    Result r = run(sc);

    log.info(
        "scenario {}: {}{}, {} journaled, {} ms",
        name,
        r.outcome(),
        r.reason() == null ? "" : " (" + r.reason() + ")",
        r.journal().size(),
        (System.nanoTime() - t0) / 1_000_000);
    check(sc, r);
  }

  private Result run(Scenario sc) throws Exception {
    try (Connection src = fx.pair.connectSource();
        Connection rep = fx.pair.connectReplica()) {
      if (sc.binlogFormat() != null)
        src.createStatement().execute("SET GLOBAL binlog_format = '" + sc.binlogFormat() + "'");
      if (sc.gtid()) src.createStatement().execute("SET GLOBAL gtid_strict_mode = 1");
      SqlScript.run(src, sc.schema());
      SqlScript.run(rep, sc.schema());
      SqlScript.run(src, sc.initial());
      SqlScript.run(rep, sc.initial());
      SqlScript.run(rep, sc.replicaDrift());
    }
    List<JournalEntry> journal = new ArrayList<>();
    SourceReport report;
    try {
      report =
          sql.checkSource(new SourceCheck(fx.source(), fx.replicationUser(), sc.retentionHours()));
    } catch (ActivityFailure f) {
      return failed(f, journal, null, null);
    }
    if (!report.problems().isEmpty()) {
      // What the workflow does with problems.
      return new Result(
          "failed",
          null,
          null,
          null,
          journal,
          "InvalidState",
          String.join("; ", report.problems()),
          null);
    }
    BinlogPosition start = report.current();
    try (Connection src = fx.pair.connectSource()) {
      SqlScript.run(src, sc.sourceBeforeReplica());
    }
    if (sc.gtid()) {
      // What a replica restored from a snapshot at the start position has executed.
      String at =
          fx.onSource("SELECT BINLOG_GTID_POS('" + start.file() + "', " + start.position() + ")")
              .get(0);
      try (Connection rep = fx.pair.connectReplica()) {
        rep.createStatement().execute("SET GLOBAL gtid_slave_pos = '" + at + "'");
      }
    }
    try {
      sql.setUpReplica(
          new ReplicaSetup(fx.replica(), fx.source(), fx.replicationUser(), start, false));
    } catch (ActivityFailure f) {
      return failed(f, journal, null, null);
    }
    try (Connection src = fx.pair.connectSource()) {
      SqlScript.run(src, sc.workload());
    }

    SkipPolicy policy = sc.policy();
    List<String> decisions = new ArrayList<>(sc.decisions());
    MonitorOutcome firstDecision = null;
    MonitorOutcome last = null;
    long deadline = System.nanoTime() + GIVE_UP.toNanos();
    // As the workflow counts them: outcomes carry only the newest entries of a slice.
    long lastId = 0;
    int byPolicy = 0;
    boolean capped = false;
    while (System.nanoTime() < deadline) {
      try {
        last =
            monitor.monitor(
                new MonitorRequest(
                    fx.replica(),
                    fx.source(),
                    policy,
                    lastId,
                    Math.max(0, policy.budgetOrDefault() - byPolicy),
                    sc.heartbeatTable(),
                    sc.caughtUpWindow(),
                    POLL,
                    SLICE));
      } catch (ActivityFailure f) {
        return failed(f, capped ? fullJournal() : journal, firstDecision, last);
      }
      for (JournalEntry e : last.newEntries()) {
        if (e.id() > lastId) journal.add(e);
      }
      var counts = last.countsOrOfEntries();
      capped |= counts.entries() > last.newEntries().size();
      byPolicy += counts.byPolicy();
      lastId = Math.max(lastId, counts.lastId());
      if (capped) journal = fullJournal();
      switch (last.kind()) {
        case MonitorOutcome.CAUGHT_UP -> {
          CutoverReport cut = sql.cutOver(fx.replica(), fx.source());
          return new Result(
              "caught_up",
              firstDecision == null ? null : firstDecision.reason(),
              firstDecision,
              last,
              journal,
              null,
              null,
              cut);
        }
        case MonitorOutcome.NEEDS_DECISION -> {
          if (firstDecision == null) firstDecision = last;
          if (decisions.isEmpty()) {
            return new Result(
                "needs_decision",
                firstDecision.reason(),
                firstDecision,
                last,
                journal,
                null,
                null,
                null);
          }
          JournalEntry e =
              sql.carryOut(
                  new DecisionRequest(
                      fx.replica(),
                      fx.source(),
                      new ErrorDecision(decisions.remove(0), PERSON, "scenario"),
                      last.replica().executed()));
          if (e != null && e.id() > lastId) {
            journal.add(e);
            lastId = e.id();
          }
        }
        default -> {}
      }
    }
    return fail("no outcome within " + GIVE_UP + "; last " + last);
  }

  /**
   * The whole journal as the replica's table holds it (what {@code dbops journal} exports), for
   * outcomes that carried only the newest.
   */
  private static List<JournalEntry> fullJournal() {
    try (SqlSession replica =
        SqlSession.open(
            new MySqlConnector(ReplicationFixture.SETTINGS),
            fx.replica(),
            fx.pair.adminPassword())) {
      String workflowId =
          replica.query(
              "SELECT MAX(workflow_id) FROM dbops_journal.skipped_events",
              rs -> rs.next() ? rs.getString(1) : null);
      SkipJournal journal = new SkipJournal(replica, fx.source().address(), workflowId);
      journal.ensureConflicts();
      return new ArrayList<>(journal.after(0));
    }
  }

  private static Result failed(
      ActivityFailure f,
      List<JournalEntry> journal,
      MonitorOutcome firstDecision,
      MonitorOutcome last) {
    ApplicationFailure af = (ApplicationFailure) f.getCause();
    return new Result(
        "failed", null, firstDecision, last, journal, af.getType(), af.getOriginalMessage(), null);
  }

  private void check(Scenario sc, Result r) throws Exception {
    Properties x = sc.expect();
    String context = sc.name() + ": " + r;
    assertEquals(x.getProperty("outcome"), r.outcome(), context);
    if (x.containsKey("reason")) assertEquals(x.getProperty("reason"), r.reason(), context);
    if (x.containsKey("errno")) {
      assertNotNull(r.firstDecision(), context);
      assertEquals(
          Integer.parseInt(x.getProperty("errno")),
          r.firstDecision().replica().lastSqlErrno(),
          context);
    }
    if (x.containsKey("skipped"))
      assertEquals(Integer.parseInt(x.getProperty("skipped")), r.journal().size(), context);
    if (x.containsKey("failure.type"))
      assertEquals(x.getProperty("failure.type"), r.failureType(), context);
    if (x.containsKey("failure.message.contains")) {
      assertTrue(
          r.failureMessage() != null
              && r.failureMessage().contains(x.getProperty("failure.message.contains")),
          "failure message: " + r.failureMessage());
    }
    if (x.containsKey("lag_source"))
      assertEquals(x.getProperty("lag_source"), r.last().lagSource(), context);
    checkJournal(x, r.journal());
    if (sc.gtid()) checkGtids(r);
    checkQueries(x);
    if ("caught_up".equals(r.outcome())) {
      // Cut over where the source stood; the replica replicates from nothing afterwards.
      assertEquals(
          fx.onSource("SHOW MASTER STATUS").get(0).split("\t")[0],
          r.cutover().replicaExecuted().file());
      assertEquals(
          Long.parseLong(fx.onSource("SHOW MASTER STATUS").get(0).split("\t")[1]),
          r.cutover().replicaExecuted().position());
      assertEquals(List.of(), fx.onReplica("SHOW SLAVE STATUS"));
    }
    // The journal the workflow got is the table on the replica, once each.
    if (!r.journal().isEmpty()) {
      assertEquals(
          List.of(String.valueOf(r.journal().size())),
          fx.onReplica("SELECT COUNT(*) FROM dbops_journal.skipped_events"));
    }
  }

  private static void checkJournal(Properties x, List<JournalEntry> journal) {
    for (String key : new TreeMap<>(map(x)).keySet()) {
      if (!key.startsWith("journal.")) continue;
      String[] parts = key.split("\\.", 3);
      int i = Integer.parseInt(parts[1]);
      assertTrue(i < journal.size(), key + ": only " + journal.size() + " journal entries");
      JournalEntry e = journal.get(i);
      String want = x.getProperty(key);
      String field = parts[2];
      String events = String.join("\n", e.events());
      if (field.equals("errno")) assertEquals(Integer.parseInt(want), e.errno(), key + " in " + e);
      else if (field.equals("action")) assertEquals(want, e.action(), key + " in " + e);
      else if (field.equals("decided_by")) assertEquals(want, e.decidedBy(), key + " in " + e);
      else if (field.equals("gtid")) assertEquals(want, e.gtid(), key + " in " + e);
      else if (field.equals("events.count"))
        assertEquals(Integer.parseInt(want), e.events().size(), key + ": " + events);
      else if (field.startsWith("events.contains"))
        assertTrue(events.contains(want), key + " '" + want + "' not in:\n" + events);
      else if (field.equals("conflicts.count"))
        assertEquals(Integer.parseInt(want), e.conflictsOrEmpty().size(), key + " in " + e);
      else if (field.equals("rows_lost"))
        assertEquals(want, String.valueOf(e.rowsLost()), key + " in " + e);
      else if (field.startsWith("conflict.")) checkConflict(key, field, want, e);
      else fail("unknown expectation " + key);
    }
  }

  /**
   * A GTID source: replication ran by GTID (the sandbox's history says which procedure set it up
   * and how each skip was made), every entry's GTID is the one the source's binlog gives the
   * transaction at its coordinates, and the status showed the replica's GTID position — the
   * source's own once caught up.
   */
  private static void checkGtids(Result r) throws Exception {
    assertEquals(
        List.of("0"),
        fx.onReplica("SELECT COUNT(*) FROM mysql.rds_history WHERE action = 'skip repl error'"),
        "no skip by sql_slave_skip_counter without a GTID");
    assertEquals(
        List.of(String.valueOf(r.journal().size())),
        fx.onReplica(
            "SELECT COUNT(*) FROM mysql.rds_history WHERE action = 'skip transaction with gtid'"),
        "one skip by GTID per entry");
    for (JournalEntry e : r.journal()) {
      List<String> first =
          fx.onSource(
              "SHOW BINLOG EVENTS IN '"
                  + e.source().file()
                  + "' FROM "
                  + e.source().position()
                  + " LIMIT 1");
      assertTrue(
          first.get(0).endsWith("GTID " + e.gtid()),
          "entry "
              + e.id()
              + " journaled GTID "
              + e.gtid()
              + "; the source's event there: "
              + first.get(0));
    }
    if ("caught_up".equals(r.outcome())) {
      assertEquals(
          fx.onSource("SELECT @@global.gtid_binlog_pos").get(0),
          r.last().replica().gtidExecuted(),
          "the status shows the GTID position");
    }
  }

  /**
   * {@code
   * journal.<i>.conflict.<j>.errno|table|change|resolution|decided_by|source_row.contains|replica_row.contains|replica_row}.
   */
  private static void checkConflict(String key, String field, String want, JournalEntry e) {
    String[] parts = field.split("\\.", 3);
    int j = Integer.parseInt(parts[1]);
    assertTrue(
        j < e.conflictsOrEmpty().size(),
        key + ": only " + e.conflictsOrEmpty().size() + " conflicts in " + e);
    Conflict c = e.conflictsOrEmpty().get(j);
    String context = key + " in " + c;
    switch (parts[2]) {
      case "errno" -> assertEquals(Integer.parseInt(want), c.errno(), context);
      case "table" -> assertEquals(want, c.table(), context);
      case "change" -> assertEquals(want, c.change(), context);
      case "resolution" -> assertEquals(want, c.resolution(), context);
      case "decided_by" -> assertEquals(want, c.decidedBy(), context);
      case "replica_row" -> assertEquals(want, String.valueOf(c.replicaRow()), context);
      default -> {
        if (parts[2].startsWith("source_row.contains")) {
          assertTrue(c.sourceRow() != null && c.sourceRow().contains(want), context);
        } else if (parts[2].startsWith("replica_row.contains")) {
          assertTrue(c.replicaRow() != null && c.replicaRow().contains(want), context);
        } else {
          fail("unknown expectation " + key);
        }
      }
    }
  }

  private static void checkQueries(Properties x) throws Exception {
    for (Map.Entry<String, String> q : new TreeMap<>(map(x)).entrySet()) {
      if (!q.getKey().startsWith("replica.query.") || q.getKey().endsWith(".equals")) continue;
      String want = x.getProperty(q.getKey() + ".equals");
      assertNotNull(want, q.getKey() + " needs " + q.getKey() + ".equals");
      assertEquals(
          want, String.join(",", fx.onReplica(q.getValue())), q.getKey() + ": " + q.getValue());
    }
  }

  private static Map<String, String> map(Properties p) {
    Map<String, String> out = new TreeMap<>();
    for (String k : p.stringPropertyNames()) out.put(k, p.getProperty(k));
    return out;
  }
}
