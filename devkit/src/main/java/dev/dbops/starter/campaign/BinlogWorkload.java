package dev.dbops.starter.campaign;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The binlog catch-up's workload, written on top of the demo's drift before the run starts, so the
 * whole backlog waits in the source's binlog: {@link #CONFLICTS} duplicate keys (a row on the
 * replica, then a source transaction inserting it again with a row of its own), each followed by a
 * clean transaction. A duplicated skip would skip a clean transaction too, so {@link
 * #missingCleanRows} finds it; the journal must hold each conflict exactly once.
 */
final class BinlogWorkload {
  private BinlogWorkload() {}

  static final int CONFLICTS = 40;
  static final int FIRST_ID = 1000;

  /** The other row of a conflicting transaction: skipped with it, or applied in STATEMENT mode. */
  static final int SKIPPED_WITH_CONFLICT = 10_000;

  /** A transaction of its own after each conflict: must reach the replica. */
  static final int CLEAN = 20_000;

  static final String JOURNAL = "dbops_journal.skipped_events";

  /** Skips the run must make: the demo's conflicts and ours. */
  static int expectedSkips(Fixture.Binlog f) {
    return f.demoConflicts() + CONFLICTS;
  }

  static void writeBacklog(Fixture.Binlog f) throws SQLException {
    try (Connection source = f.source().connect();
        Connection replica = f.replica().connect();
        Statement src = source.createStatement();
        Statement rep = replica.createStatement()) {
      for (int k = FIRST_ID; k < FIRST_ID + CONFLICTS; k++) {
        rep.execute("INSERT INTO " + f.table() + " VALUES (" + k + ", 'replica drift (campaign)')");
        src.execute("BEGIN");
        src.execute(
            "INSERT INTO "
                + f.table()
                + " VALUES ("
                + (k + SKIPPED_WITH_CONFLICT)
                + ", 'skipped with "
                + k
                + "')");
        src.execute("INSERT INTO " + f.table() + " VALUES (" + k + ", 'conflict')");
        src.execute("COMMIT");
        src.execute("INSERT INTO " + f.table() + " VALUES (" + (k + CLEAN) + ", 'clean')");
      }
    }
  }

  /**
   * Counts the run's journal rows over one connection, fast enough to catch the monitor mid-way.
   */
  static final class JournalCounter implements AutoCloseable {
    private final Fixture.Binlog f;
    private Connection c;

    JournalCounter(Fixture.Binlog f) {
      this.f = f;
    }

    synchronized int count() {
      try {
        if (c == null || c.isClosed()) c = f.replica().connect();
        try (PreparedStatement ps =
            c.prepareStatement("SELECT COUNT(*) FROM " + JOURNAL + " WHERE workflow_id = ?")) {
          ps.setString(1, f.workflowId());
          try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getInt(1) : 0;
          }
        }
      } catch (SQLException e) {
        return 0; // no journal yet
      }
    }

    @Override
    public synchronized void close() {
      try {
        if (c != null) c.close();
      } catch (SQLException e) {
        // gone already
      }
    }
  }

  /**
   * The journal as the replica holds it: rows, distinct coordinates, rows by number of skips made.
   */
  record Journal(int rows, int distinctCoordinates, int skippedOnce, int skipsTotal) {}

  static Journal journal(Fixture.Binlog f) throws SQLException {
    try (Connection c = f.replica().connect();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT COUNT(*), COUNT(DISTINCT source, source_file, source_pos), COALESCE(SUM(skips = 1), 0),"
                    + " COALESCE(SUM(skips), 0) FROM "
                    + JOURNAL
                    + " WHERE workflow_id = ?")) {
      ps.setString(1, f.workflowId());
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return new Journal(rs.getInt(1), rs.getInt(2), rs.getInt(3), rs.getInt(4));
      }
    }
  }

  /** Clean transactions the replica does not have (a skip too many), by id. */
  static List<Integer> missingCleanRows(Fixture.Binlog f) throws SQLException {
    List<Integer> missing = new ArrayList<>();
    try (Connection c = f.replica().connect();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery("SELECT id FROM " + f.table() + " WHERE id >= " + (FIRST_ID + CLEAN))) {
      java.util.Set<Integer> present = new java.util.HashSet<>();
      while (rs.next()) present.add(rs.getInt(1));
      for (int k = FIRST_ID; k < FIRST_ID + CONFLICTS; k++) {
        if (!present.contains(k + CLEAN)) missing.add(k + CLEAN);
      }
    }
    return missing;
  }

  /**
   * Rows of conflicting transactions that reached the replica (a conflict applied, not skipped).
   */
  static int appliedConflictRows(Fixture.Binlog f) throws SQLException {
    try (Connection c = f.replica().connect();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT COUNT(*) FROM "
                    + f.table()
                    + " WHERE id >= "
                    + (FIRST_ID + SKIPPED_WITH_CONFLICT)
                    + " AND id < "
                    + (FIRST_ID + CLEAN))) {
      rs.next();
      return rs.getInt(1);
    }
  }
}
