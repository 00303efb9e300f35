package dev.dbops.bench;

import dev.dbops.activities.binlog.ReplicationActivitiesImpl;
import dev.dbops.activities.common.SecretResolver;
import dev.dbops.activities.mysql.MySqlSettings;
import dev.dbops.sandbox.mysql.ReplicationPair;
import dev.dbops.workflows.binlog.BinlogPosition;
import dev.dbops.workflows.binlog.DbTarget;
import dev.dbops.workflows.binlog.ForeignKeyMode;
import dev.dbops.workflows.binlog.MonitorOutcome;
import dev.dbops.workflows.binlog.MonitorRequest;
import dev.dbops.workflows.binlog.ReplicaSetup;
import dev.dbops.workflows.binlog.ReplicationActivities;
import dev.dbops.workflows.binlog.ReplicationUser;
import dev.dbops.workflows.binlog.SkipPolicy;
import dev.dbops.workflows.upgrade.DbLogin;
import io.temporal.testing.TestActivityEnvironment;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Catch-up time of a 10,000-event stream with 1,000 duplicate-key conflicts under our skip loop
 * (journal, skip, poll again at once) against the same stream without conflicts (the floor), on
 * real MariaDB replication driven only through the RDS-style procedures.
 */
public final class BinlogBenchmark {
  static final int EVENTS = 10_000;
  static final int CONFLICTS = 1_000;

  public static void main(String[] args) throws Exception {
    int events = args.length > 0 ? Integer.parseInt(args[0]) : EVENTS;
    int conflicts = args.length > 1 ? Integer.parseInt(args[1]) : CONFLICTS;
    System.out.println("== Binlog catch-up benchmark (real MariaDB source + replica on loopback) ==");
    Result floor = run(events, 0);
    Result skipping = run(events, conflicts);
    System.out.printf("floor (no conflicts):          %6d events  %7.2f s  outcome %s%n", events, floor.seconds, floor.outcome);
    System.out.printf("with %4d duplicate-key skips: %6d events  %7.2f s  outcome %s, journaled %d%n", conflicts,
        events, skipping.seconds, skipping.outcome, skipping.journaled);
    double ratio = skipping.seconds / floor.seconds;
    System.out.printf("ratio: %.2fx (%.2f ms per skip over the floor)%n", ratio,
        (skipping.seconds - floor.seconds) * 1000 / Math.max(1, conflicts));
    check("caught up in both runs", MonitorOutcome.CAUGHT_UP.equals(floor.outcome)
        && MonitorOutcome.CAUGHT_UP.equals(skipping.outcome));
    check("every conflict journaled once (" + skipping.journaled + "/" + conflicts + ")", skipping.journaled == conflicts);
    check("skip loop <= 1.5x the floor", ratio <= 1.5);
  }

  record Result(double seconds, String outcome, int journaled) {}

  static Result run(int events, int conflicts) throws Exception {
    TestActivityEnvironment env = TestActivityEnvironment.newInstance();
    try (ReplicationPair pair = ReplicationPair.start()) {
      SecretResolver secrets = new SecretResolver(Map.of("ADMIN_PW", "admin-secret", "REPL_PW", "repl-secret"), null);
      env.registerActivitiesImplementations(new ReplicationActivitiesImpl(secrets, MySqlSettings.loopback(), null));
      ReplicationActivities repl = env.newActivityStub(ReplicationActivities.class);
      DbTarget source = new DbTarget(pair.source().host(), pair.source().port(), new DbLogin("admin", "env:ADMIN_PW"));
      DbTarget replica = new DbTarget(pair.replica().host(), pair.replica().port(), new DbLogin("admin", "env:ADMIN_PW"));

      try (Connection s = pair.connectSource(); Statement st = s.createStatement()) {
        st.execute("CREATE DATABASE IF NOT EXISTS bench");
        st.execute("CREATE TABLE bench.t (id INT PRIMARY KEY, v VARCHAR(64))");
      }
      var start = pair.sourceStatus();
      try (Connection r = pair.connectReplica(); Statement st = r.createStatement()) {
        st.execute("CREATE DATABASE IF NOT EXISTS bench");
        st.execute("CREATE TABLE bench.t (id INT PRIMARY KEY, v VARCHAR(64))");
        // Replica drift: every (events / conflicts)-th row already exists, so its insert hits 1062.
        for (int i = 0; i < conflicts; i++) {
          st.addBatch("INSERT INTO bench.t VALUES (" + (i * (events / conflicts)) + ", 'drift')");
        }
        st.executeBatch();
      }
      try (Connection s = pair.connectSource(); Statement st = s.createStatement()) {
        for (int i = 0; i < events; i++) {
          st.addBatch("INSERT INTO bench.t VALUES (" + i + ", 'v" + i + "')");
          if (i % 500 == 499) st.executeBatch();
        }
        st.executeBatch();
      }
      SkipPolicy policy = new SkipPolicy(List.of(1062), null, conflicts + 10, ForeignKeyMode.STOP_AND_ASK);
      long t0 = System.nanoTime();
      repl.setUpReplica(new ReplicaSetup(replica, source, new ReplicationUser("repl", "env:REPL_PW", false),
          new BinlogPosition(start.file(), start.position()), false));
      MonitorOutcome o = repl.monitor(new MonitorRequest(replica, source, policy, 0, conflicts + 10, null,
          Duration.ofMillis(200), Duration.ofMillis(50), Duration.ofMinutes(10)));
      double seconds = (System.nanoTime() - t0) / 1e9;
      return new Result(seconds, o.kind(), o.newEntries().size());
    } finally {
      env.close();
    }
  }

  private static void check(String what, boolean ok) {
    System.out.println((ok ? "PASS " : "FAIL ") + what);
  }
}
