package dev.dbops.starter.campaign;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Dropped MySQL connections for the fault matrix: every pause to twice the pause (seeded; 5–10 s by
 * default), KILL every connection of the worker's login on the given servers except our own and the
 * replication threads, until {@link #close()}. A killed statement fails with 1927 / 2013
 * (retryable): the activity must retry without journaling or skipping twice.
 */
final class ConnectionKiller implements AutoCloseable {
  /** The shortest pause between two rounds. */
  private final int pauseMs;

  private final List<Fixture.Database> servers;
  private final Random random;
  private final AtomicInteger killed = new AtomicInteger();
  private final Thread thread;
  private volatile boolean stop;

  ConnectionKiller(List<Fixture.Database> servers, long seed, java.time.Duration pause) {
    this.pauseMs = (int) Math.max(1, pause.toMillis());
    this.servers = List.copyOf(servers);
    this.random = new Random(seed);
    this.thread = new Thread(this::loop, "campaign-connection-killer");
    this.thread.setDaemon(true);
  }

  ConnectionKiller start() {
    thread.start();
    return this;
  }

  int killed() {
    return killed.get();
  }

  private void loop() {
    while (!stop) {
      try {
        Thread.sleep(pauseMs + random.nextInt(pauseMs));
      } catch (InterruptedException e) {
        return;
      }
      for (Fixture.Database db : servers) {
        try (Connection c = db.connect();
            Statement s = c.createStatement()) {
          List<Long> ids = new ArrayList<>();
          try (ResultSet rs =
              s.executeQuery(
                  "SELECT ID FROM information_schema.PROCESSLIST WHERE USER = '"
                      + db.user().replace("'", "''")
                      + "' AND ID <> CONNECTION_ID() AND COMMAND NOT IN ('Binlog Dump', 'Slave_IO', 'Slave_SQL')")) {
            while (rs.next()) ids.add(rs.getLong(1));
          }
          for (long id : ids) {
            try {
              s.execute("KILL CONNECTION " + id);
              killed.incrementAndGet();
            } catch (SQLException gone) {
              // ended on its own meanwhile
            }
          }
        } catch (SQLException e) {
          // the server is restarting or busy: try again next round
        }
      }
    }
  }

  @Override
  public void close() throws InterruptedException {
    stop = true;
    thread.interrupt();
    thread.join(5000);
  }
}
