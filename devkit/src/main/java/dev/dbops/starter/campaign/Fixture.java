package dev.dbops.starter.campaign;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/**
 * What one run works on, freshly seeded for it (see {@link Fixtures}): its workflow id, the {@code
 * dbops start <procedure>} arguments an operator would type, and what the campaign checks
 * afterwards. {@link #close()} releases what the run no longer needs (local MySQL servers).
 */
public sealed interface Fixture extends AutoCloseable {

  String workflowId();

  /**
   * Arguments after {@code dbops start <procedure>}, without {@code --id} and {@code
   * --requested-by}.
   */
  List<String> startArgs();

  @Override
  void close();

  /** A local MySQL server the campaign reads (and for the binlog backlog, writes). */
  record Database(String jdbcUrl, String user, String password) {
    public Connection connect() throws SQLException {
      return DriverManager.getConnection(
          jdbcUrl + (jdbcUrl.contains("?") ? "&" : "?") + "sslMode=DISABLED", user, password);
    }
  }

  /**
   * A fresh bucket with the dev demo's objects.
   *
   * @param storageClasses key → storage class, as seeded
   * @param contents key → the bytes seeded, to check the downloads against
   */
  record Restore(
      String workflowId,
      List<String> startArgs,
      String bucket,
      Map<String, String> storageClasses,
      Map<String, byte[]> contents,
      Path downloadDir)
      implements Fixture {
    public Restore {
      startArgs = List.copyOf(startArgs);
      storageClasses = Map.copyOf(storageClasses);
      contents = Map.copyOf(contents);
    }

    @Override
    public void close() {
      // nothing held: the bucket stays in the sandbox for the record
    }
  }

  /**
   * A fresh Aurora MySQL 5.6 cluster bound to its own local MariaDB.
   *
   * @param db the bound server as root, to check what the upgrade left
   * @param rowsQuery a query and the count it must return after the upgrade (data survived)
   */
  record Upgrade(
      String workflowId,
      List<String> startArgs,
      String clusterId,
      String targetVersion,
      Database db,
      String rowsQuery,
      long rows,
      Runnable closer)
      implements Fixture {
    public Upgrade {
      startArgs = List.copyOf(startArgs);
    }

    @Override
    public void close() {
      closer.run();
    }
  }

  /**
   * A fresh source + RDS-style replica pair with the demo's drift.
   *
   * @param table the demo table on both
   * @param demoConflicts duplicate keys the demo seeded itself (each one skip)
   */
  record Binlog(
      String workflowId,
      List<String> startArgs,
      Database source,
      Database replica,
      String table,
      int demoConflicts,
      Runnable closer)
      implements Fixture {
    public Binlog {
      startArgs = List.copyOf(startArgs);
    }

    /** The skip mode the run acts in: its {@code --skip-mode}, else the one a new run records. */
    public dev.dbops.workflows.binlog.SkipMode skipMode() {
      int i = startArgs.indexOf("--skip-mode");
      return i < 0 || i + 1 >= startArgs.size()
          ? dev.dbops.workflows.binlog.SkipPolicy.DEFAULT_MODE
          : dev.dbops.workflows.binlog.SkipMode.valueOf(
              startArgs.get(i + 1).toUpperCase(java.util.Locale.ROOT));
    }

    @Override
    public void close() {
      closer.run();
    }
  }

  /**
   * The staging demo (seeded once per campaign): each run rebuilds staging from production and
   * retires the cluster the CNAME pointed at — the previous run's.
   *
   * @param oldClusterId the cluster the run retires (named in the request)
   * @param verifyQueries each must return 0 on the new cluster (masking held)
   */
  record Staging(
      String workflowId,
      List<String> startArgs,
      String targetAccount,
      String sourceClusterId,
      String oldClusterId,
      String zoneId,
      String recordName,
      int users,
      List<String> verifyQueries)
      implements Fixture {
    public Staging {
      startArgs = List.copyOf(startArgs);
      verifyQueries = List.copyOf(verifyQueries);
    }

    @Override
    public void close() {
      // the new cluster is live staging until the next run retires it
    }
  }
}
