package dev.dbops.starter;

import dev.dbops.sandbox.mysql.BinlogPosition;
import dev.dbops.sandbox.mysql.ReplicationPair;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Dev mode's binlog catch-up demo: a local source and RDS-style replica ({@link ReplicationPair}, a
 * test double of Aurora replication), a demo table on both, a few rows only the replica has
 * (replica drift), and source transactions after the start position that insert those ids again, so
 * the catch-up meets duplicate keys (1062) to skip and journal. The admin and replication passwords
 * live only in owner-only files the request refers to.
 */
final class BinlogDemo {
  private BinlogDemo() {}

  static final String TABLE = "demo_binlog.orders";

  /** Ids the replica has and the source inserts again after the start position: each one a 1062. */
  static final List<Integer> DRIFT_IDS = List.of(3, 6, 9);

  static final int SOURCE_ROWS = 12;

  /**
   * A running pair and what a request needs; {@link #close()} stops both servers and deletes the
   * files.
   */
  record Pair(
      ReplicationPair pair, BinlogPosition start, Path adminPasswordFile, Path replPasswordFile)
      implements AutoCloseable {
    String replicaAddress() {
      return "127.0.0.1:" + pair.replica().port();
    }

    String workflowId() {
      return "binlog/" + replicaAddress();
    }

    /** The CLI arguments of a catch-up from the demo's start position, skipping duplicate keys. */
    List<String> startArgs() {
      return List.of(
          "--source",
          "127.0.0.1:" + pair.source().port(),
          "--source-user",
          pair.adminUser(),
          "--source-password-ref",
          "file:" + adminPasswordFile,
          "--replica",
          replicaAddress(),
          "--replica-user",
          pair.adminUser(),
          "--replica-password-ref",
          "file:" + adminPasswordFile,
          "--start-file",
          start.file(),
          "--start-pos",
          Long.toString(start.position()),
          "--repl-user",
          pair.replicationUser(),
          "--repl-password-ref",
          "file:" + replPasswordFile,
          "--retention-hours",
          "168",
          "--skip-errno",
          "duplicate-key",
          "--skip-budget",
          "100",
          "--poll-interval",
          "1s",
          // Nobody sets read_only on the demo's source: its (absent) before-cutover hook is trusted
          // to stop writers; the cut-over still refuses if the source moved past its final
          // position.
          "--caught-up-window",
          "3s",
          "--writes-stopped",
          "hook",
          "--approver",
          "alice");
    }

    @Override
    public void close() {
      pair.close();
      for (Path f : List.of(adminPasswordFile, replPasswordFile)) {
        try {
          Files.deleteIfExists(f);
        } catch (IOException e) {
          // best effort: the servers are gone
        }
      }
    }
  }

  /**
   * Starts the pair, seeds schema, drift and conflicting source writes, writes the password files.
   */
  static Pair start(Path stateDir) {
    ReplicationPair.Options options = ReplicationPair.Options.defaults();
    ReplicationPair pair =
        ReplicationPair.start(
            options
                .adminUser(options.adminUser(), UpgradeDemo.newPassword())
                .replicationUser(options.replicationUser(), UpgradeDemo.newPassword()));
    try {
      for (Connection c : List.of(pair.connectSource(), pair.connectReplica())) {
        try (c;
            Statement s = c.createStatement()) {
          s.execute("CREATE DATABASE demo_binlog");
          s.execute(
              "CREATE TABLE " + TABLE + " (id INT PRIMARY KEY, note VARCHAR(60)) ENGINE=InnoDB");
        }
      }
      try (Connection c = pair.connectReplica();
          Statement s = c.createStatement()) {
        for (int id : DRIFT_IDS)
          s.execute("INSERT INTO " + TABLE + " VALUES (" + id + ", 'replica drift')");
      }
      BinlogPosition start = pair.sourceStatus();
      try (Connection c = pair.connectSource();
          Statement s = c.createStatement()) {
        for (int first = 1; first <= SOURCE_ROWS; first += 3) {
          s.execute("BEGIN");
          for (int id = first; id < first + 3; id++) {
            s.execute("INSERT INTO " + TABLE + " VALUES (" + id + ", 'from the source')");
          }
          s.execute("COMMIT");
        }
      }
      Path admin =
          UpgradeDemo.writePasswordFile(
              stateDir.resolve("binlog-demo-admin-password"), pair.adminPassword());
      Path repl =
          UpgradeDemo.writePasswordFile(
              stateDir.resolve("binlog-demo-repl-password"), pair.replicationPassword());
      return new Pair(pair, start, admin, repl);
    } catch (SQLException | RuntimeException e) {
      pair.close();
      throw new IllegalStateException("cannot seed the binlog demo: " + e.getMessage(), e);
    }
  }
}
