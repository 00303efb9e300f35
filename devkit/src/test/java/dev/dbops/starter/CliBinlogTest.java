package dev.dbops.starter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dbops.sandbox.mysql.BinlogPosition;
import dev.dbops.sandbox.mysql.ReplicationPair;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code start binlog-catch-up}, {@code watch}, {@code journal}, {@code approve} against a real
 * source and RDS-style replica (one {@link ReplicationPair} for the class): bad input exits 2 and
 * leaves the replica unconfigured; duplicate keys from replica drift are skipped by policy,
 * journaled once each, and the cut-over stops replication.
 */
@DevStackTest
@Tag("mariadb")
class CliBinlogTest {
  /** Rows the replica has and the source does not: each source insert of these ids conflicts. */
  static final List<Integer> DRIFT_IDS = List.of(2, 4, 6);

  static ReplicationPair pair;
  static BinlogPosition start;
  @TempDir static Path secrets;
  static Path adminPassword;
  static Path replPassword;

  @BeforeAll
  static void startPair() throws Exception {
    pair = ReplicationPair.start();
    for (Connection c : List.of(pair.connectSource(), pair.connectReplica())) {
      try (c;
          Statement s = c.createStatement()) {
        s.execute("CREATE DATABASE app");
        s.execute("CREATE TABLE app.orders (id INT PRIMARY KEY, note VARCHAR(60)) ENGINE=InnoDB");
      }
    }
    try (Connection c = pair.connectReplica();
        Statement s = c.createStatement()) {
      for (int id : DRIFT_IDS)
        s.execute("INSERT INTO app.orders VALUES (" + id + ", 'replica only')");
    }
    start = pair.sourceStatus();
    adminPassword = Files.writeString(secrets.resolve("admin"), pair.adminPassword());
    replPassword = Files.writeString(secrets.resolve("repl"), pair.replicationPassword());
  }

  @AfterAll
  static void stopPair() {
    if (pair != null) pair.close();
  }

  /** A valid start of a catch-up from {@link #start}, with {@code more} flags appended. */
  private static List<String> startArgs(String id, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "start",
                "binlog-catch-up",
                "--id",
                id,
                "--source",
                "127.0.0.1:" + pair.source().port(),
                "--source-user",
                pair.adminUser(),
                "--source-password-ref",
                "file:" + adminPassword,
                "--replica",
                "127.0.0.1:" + pair.replica().port(),
                "--replica-user",
                pair.adminUser(),
                "--replica-password-ref",
                "file:" + adminPassword,
                "--repl-user",
                pair.replicationUser(),
                "--repl-password-ref",
                "file:" + replPassword,
                "--approver",
                "alice",
                "--requested-by",
                "bob",
                "--poll-interval",
                "1s",
                "--caught-up-window",
                "3s"));
    args.addAll(List.of(more));
    return args;
  }

  private static Cli.Result cli(List<String> args) {
    return DevStack.cli(args.toArray(String[]::new));
  }

  private static void assertInvalidAndReplicaUntouched(Cli.Result r, String... mentions)
      throws SQLException {
    assertEquals(ExitCodes.INVALID_INPUT, r.exit(), r.toString());
    for (String m : mentions) {
      assertTrue(r.err().contains(m), "stderr should mention '" + m + "':\n" + r);
    }
    assertTrue(
        pair.replicaStatus().isEmpty(),
        "SHOW SLAVE STATUS should be empty: " + pair.replicaStatus());
  }

  private static List<String> withStart(List<String> args) {
    args.addAll(
        List.of("--start-file", start.file(), "--start-pos", Long.toString(start.position())));
    return args;
  }

  @Test
  void givenUnknownErrnoName_whenStart_thenExit2NamingSkipErrno() throws Exception {
    Cli.Result r = cli(withStart(startArgs("binlog/bad-errno", "--skip-errno", "deadlock")));
    assertInvalidAndReplicaUntouched(r, "--skip-errno", "deadlock");
  }

  @Test
  void givenNegativeBudget_whenStart_thenExit2NamingTheBudget() throws Exception {
    Cli.Result r =
        cli(
            withStart(
                startArgs("binlog/bad-budget", "--skip-errno", "1062", "--skip-budget", "-1")));
    assertInvalidAndReplicaUntouched(r, "--skip-budget: must not be negative", "-1");
  }

  @Test
  void givenNoStartPositionAndNoReplicaCluster_whenStart_thenExit2NamingStartPosition()
      throws Exception {
    Cli.Result r = cli(startArgs("binlog/no-start"));
    assertInvalidAndReplicaUntouched(
        r, "--start-file/--start-pos: required unless --replica-cluster");
  }

  @Test
  void givenReplicaEqualToSource_whenStart_thenExit2NamingTheReplica() throws Exception {
    List<String> args = withStart(startArgs("binlog/same"));
    args.set(args.indexOf("--replica") + 1, "127.0.0.1:" + pair.source().port());
    Cli.Result r = cli(args);
    assertInvalidAndReplicaUntouched(r, "--replica: must not be the source");
  }

  @Test
  void givenLiteralPasswordAsRef_whenStart_thenExit2NamingThePasswordRef() throws Exception {
    List<String> args = withStart(startArgs("binlog/literal"));
    args.set(args.indexOf("--repl-password-ref") + 1, pair.replicationPassword());
    Cli.Result r = cli(args);
    assertInvalidAndReplicaUntouched(r, "--repl-password-ref: must be env:NAME");
  }

  @Test
  void givenFkChildWithoutFkModeDisableChecks_whenStart_thenExit2NamingBothFlags()
      throws Exception {
    Cli.Result r =
        cli(
            withStart(
                startArgs(
                    "binlog/fk-child",
                    "--skip-errno",
                    "duplicate-key",
                    "--skip-errno",
                    "fk-child")));
    assertInvalidAndReplicaUntouched(
        r,
        "--skip-errno: 1452 is never skipped while --fk-mode is STOP_AND_ASK",
        "nothing was started");
    assertFalse(
        r.err().contains("skipPolicy"), "the JSON field names are not the user's: " + r.err());
  }

  @Test
  void givenRetentionAboveEveryEngine_whenStart_thenExit2NamingTheFlag() throws Exception {
    Cli.Result r = cli(withStart(startArgs("binlog/retention-2161", "--retention-hours", "2161")));
    assertInvalidAndReplicaUntouched(
        r, "--retention-hours: must be 1..2160", "was 2161", "nothing was started");
  }

  @Test
  void
      givenRetentionAboveWhatTheSourceEngineTakes_whenStart_thenExit2FromTheSourceCheckAndNothingChanged()
          throws Exception {
    String before = retentionOnSource();
    Cli.Result r = cli(withStart(startArgs("binlog/retention-169", "--retention-hours", "169")));
    // MariaDB answers like RDS for MySQL (no aurora_version): 168 at most
    assertInvalidAndReplicaUntouched(
        r,
        "--retention-hours: 169 is more than",
        "at most 168 hours",
        "the run checked it and changed nothing");
    assertEquals(before, retentionOnSource());
  }

  @Test
  void givenAMissingReplicationUser_whenStartedByFlags_thenTheRefusalNamesTheCreateFlag()
      throws Exception {
    List<String> args = withStart(startArgs("binlog/no-user"));
    args.set(args.indexOf("--repl-user") + 1, "nobody_here");
    Cli.Result r = cli(args);
    assertTrue(
        (r.out() + r.err()).contains("'nobody_here' does not exist")
            && (r.out() + r.err()).contains("set --create-repl-user to create it"),
        r.toString());
    assertFalse((r.out() + r.err()).contains("replicationUser.create"), r.toString());
    assertTrue(
        pair.replicaStatus().isEmpty(),
        "SHOW SLAVE STATUS should be empty: " + pair.replicaStatus());
  }

  @Test
  void givenAPlan_whenRun_thenItListsEachStepsSqlFromTheReadOnlyChecksAndChangesNothing()
      throws Exception {
    String retention = retentionOnSource();
    List<String> args = withStart(startArgs("unused"));
    args.set(0, "plan");
    int id = args.indexOf("--id");
    args.remove(id + 1);
    args.remove(id);
    args.set(args.indexOf("--repl-user") + 1, "planned_repl");
    args.addAll(List.of("--create-repl-user", "--retention-hours", "100"));

    Cli.Result plan = cli(args);

    assertEquals(ExitCodes.OK, plan.exit(), plan.toString());
    for (String expected :
        List.of(
            "plan for binlog-catch-up (dry run; nothing was changed)",
            "log_bin ON, binlog_format ",
            "replication user 'planned_repl' not ready",
            "CALL mysql.rds_set_configuration('binlog retention hours', 100)",
            "CREATE USER 'planned_repl'@'%' IDENTIFIED BY <password from file:" + replPassword,
            "CALL mysql.rds_set_external_master('127.0.0.1', " + pair.source().port(),
            "'" + start.file() + "', " + start.position(),
            "CALL mysql.rds_stop_replication; CALL mysql.rds_reset_external_master")) {
      assertTrue(plan.out().contains(expected), "plan should show " + expected + ":\n" + plan);
    }
    assertFalse(plan.out().contains(pair.replicationPassword()), "no password: " + plan);
    assertEquals(retention, retentionOnSource(), "retention left as it was");
    try (Connection c = pair.connectSource();
        Statement s = c.createStatement();
        var rs = s.executeQuery("SELECT COUNT(*) FROM mysql.user WHERE User = 'planned_repl'")) {
      rs.next();
      assertEquals(0, rs.getInt(1), "the replication user was not created");
    }
    assertTrue(
        pair.replicaStatus().isEmpty(),
        "SHOW SLAVE STATUS should be empty: " + pair.replicaStatus());
  }

  private static String retentionOnSource() throws SQLException {
    try (Connection c = pair.connectSource();
        Statement s = c.createStatement();
        var rs =
            s.executeQuery(
                "SELECT value FROM mysql.rds_configuration WHERE name = 'binlog retention hours'")) {
      return rs.next() ? String.valueOf(rs.getString(1)) : "none";
    }
  }

  @Test
  void
      givenDriftAndBudgetOfTwo_whenCatchUpWatchDecideJournalApprove_thenEachConflictJournaledOnceAndReplicationStops()
          throws Exception {
    // Every transaction inserts one drifted id among others: each one conflicts once (1062).
    try (Connection c = pair.connectSource();
        Statement s = c.createStatement()) {
      for (int t = 0; t < DRIFT_IDS.size(); t++) {
        int drifted = DRIFT_IDS.get(t);
        s.execute("BEGIN");
        s.execute("INSERT INTO app.orders VALUES (" + (100 + t) + ", 'before conflict')");
        s.execute("INSERT INTO app.orders VALUES (" + drifted + ", 'conflicts on the replica')");
        s.execute("COMMIT");
      }
      s.execute("INSERT INTO app.orders VALUES (200, 'after')");
    }
    String id = "binlog/cli-happy";
    assertTimeoutPreemptively(
        Duration.ofSeconds(90),
        () -> {
          // A budget of 2: the third conflict is a person's to decide.
          Cli.Result started =
              cli(
                  withStart(
                      startArgs(
                          id,
                          "--skip-errno",
                          "duplicate-key",
                          "--skip-budget",
                          "2",
                          "--retention-hours",
                          "168")));
          assertEquals(ExitCodes.OK, started.exit(), started.toString());

          Cli.Result asked = DevStack.cli("watch", id, "--interval", "500ms");
          assertEquals(ExitCodes.WAITING_FOR_PERSON, asked.exit(), asked.toString());
          assertTrue(asked.out().contains("[AWAITING_DECISION]"), asked.toString());
          assertTrue(
              asked.out().contains("./dbops decide " + id + " --action skip|retry|abort"),
              asked.toString());
          assertTrue(asked.out().contains("ERROR 1062"), asked.toString());
          Cli.Result byRequester =
              DevStack.cli("decide", id, "--action", "skip", "--by", "bob", "--reason", "mine");
          assertEquals(ExitCodes.INVALID_INPUT, byRequester.exit(), byRequester.toString());
          Cli.Result decided =
              DevStack.cli(
                  "decide",
                  id,
                  "--action",
                  "skip",
                  "--by",
                  "alice",
                  "--reason",
                  "drift, reconciled");
          assertEquals(ExitCodes.OK, decided.exit(), decided.toString());

          Cli.Result watched = DevStack.cli("watch", id, "--interval", "500ms");
          assertEquals(ExitCodes.WAITING_FOR_PERSON, watched.exit(), watched.toString());
          assertTrue(watched.out().contains("[AWAITING_CUTOVER]"), watched.toString());
          assertTrue(watched.out().contains("./dbops approve"), watched.toString());
          Cli.Result late =
              DevStack.cli(
                  "decide", id, "--action", "skip", "--by", "alice", "--reason", "nothing waits");
          assertEquals(ExitCodes.INVALID_INPUT, late.exit(), late.toString());

          Cli.Result journal = DevStack.cli("journal", id, "--format", "jsonl");
          assertEquals(ExitCodes.OK, journal.exit(), journal.toString());
          List<String> lines = journal.out().lines().filter(l -> !l.isBlank()).toList();
          assertEquals(DRIFT_IDS.size(), lines.size(), journal.toString());
          for (int i = 0; i < lines.size(); i++) {
            JsonNode e = RequestInput.STRICT.readTree(lines.get(i));
            assertEquals(1062, e.path("errno").asInt(), lines.get(i));
            assertEquals(i < 2 ? "policy" : "alice", e.path("decidedBy").asText(), lines.get(i));
            assertTrue(
                e.path("events").toString().contains("VALUES (" + DRIFT_IDS.get(i) + ","),
                lines.get(i));
          }

          Cli.Result approved =
              DevStack.cli("approve", id, "--by", "alice", "--comment", "reconciled");
          assertEquals(ExitCodes.OK, approved.exit(), approved.toString());
          // The cut-over reads the source's final position once its writes stopped (read_only, the
          // default).
          try (Connection c = pair.connectSource();
              Statement s = c.createStatement()) {
            s.execute("SET GLOBAL read_only = 1");
          }
          try {
            Cli.Result result = DevStack.cli("result", id);
            assertEquals(ExitCodes.OK, result.exit(), result.toString());
          } finally {
            try (Connection c = pair.connectSource();
                Statement s = c.createStatement()) {
              s.execute("SET GLOBAL read_only = 0");
            }
          }
        });
    assertTrue(
        pair.replicaStatus().isEmpty(), "replica still replicating: " + pair.replicaStatus());
    try (Connection c = pair.connectReplica();
        Statement s = c.createStatement();
        var rs = s.executeQuery("SELECT COUNT(*) FROM app.orders WHERE id = 200")) {
      rs.next();
      assertEquals(1, rs.getInt(1), "the row after the conflicts replicated");
    }
  }
}
