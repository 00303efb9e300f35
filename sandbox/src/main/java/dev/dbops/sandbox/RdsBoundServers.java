package dev.dbops.sandbox;

import dev.dbops.sandbox.mysql.LocalMariaDb;
import dev.dbops.sandbox.mysql.MariaDbCli;
import dev.dbops.sandbox.mysql.RdsProcedures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MariaDB side of bound RDS clusters: a snapshot dumps its cluster's server ({@link
 * SnapshotData}), a restore starts a new {@link LocalMariaDb} on its own port and data directory
 * and loads the dump into it (on a background thread, so the server boots while the restored
 * cluster is {@code creating}), and the cluster's master user is created or given a new password.
 * Dumps live in one temporary directory per sandbox, deleted by {@link #close()}.
 */
final class RdsBoundServers implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(RdsBoundServers.class);

  private final ExecutorService starter;
  private Path dumpDir;

  RdsBoundServers() {
    AtomicInteger n = new AtomicInteger();
    this.starter =
        Executors.newFixedThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "aws-sandbox-restore-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  /** Dumps {@code db}'s application schemas now; the snapshot's data. */
  synchronized SnapshotData dump(String account, String snapshotId, LocalMariaDb db) {
    long t0 = System.nanoTime();
    Path file = dumpDir().resolve(account + "-" + snapshotId + "-" + System.nanoTime() + ".sql");
    List<String> schemas = MariaDbCli.dumpUserSchemas(db, file);
    long bytes = size(file);
    log.info(
        "[sandbox, test double] snapshot {}/{}: dumped {} ({} bytes) from {} in {} ms",
        account,
        snapshotId,
        schemas,
        bytes,
        db,
        (System.nanoTime() - t0) / 1_000_000);
    return new SnapshotData(file, schemas, bytes);
  }

  /**
   * Starts a new server reporting {@code mysqlVersion}, loads {@code data} and creates the master
   * user, in the background. The caller owns the server the future yields (and must close it, also
   * after failures of its own).
   */
  CompletableFuture<LocalMariaDb> startRestored(
      String label,
      SnapshotData data,
      String mysqlVersion,
      String masterUsername,
      String masterPassword) {
    return CompletableFuture.supplyAsync(
        () -> {
          long t0 = System.nanoTime();
          LocalMariaDb db =
              LocalMariaDb.start(LocalMariaDb.Options.defaults().reportedVersion(mysqlVersion));
          try {
            MariaDbCli.load(db, data.dump());
            setMasterPassword(db, masterUsername, masterPassword);
          } catch (RuntimeException e) {
            db.close();
            throw e;
          }
          log.info(
              "[sandbox, test double] restored cluster {}: new local MariaDB {} loaded with {} in {} ms",
              label,
              db,
              data.schemas(),
              (System.nanoTime() - t0) / 1_000_000);
          return db;
        },
        starter);
  }

  /**
   * Gives {@code 'user'@'%'} (created with RDS's master-user privileges if missing) and any {@code
   * 'user'@'127.0.0.1'} / {@code 'user'@'localhost'} the password, outside the binary log.
   */
  static void setMasterPassword(LocalMariaDb db, String user, String password) {
    String pw = MariaDbCli.literal(password);
    String u = MariaDbCli.literal(user);
    MariaDbCli.execute(
        db,
        String.join(
            "; ",
            "CREATE USER IF NOT EXISTS " + u + "@'%' IDENTIFIED BY " + pw,
            "ALTER USER " + u + "@'%' IDENTIFIED BY " + pw,
            "ALTER USER IF EXISTS " + u + "@'127.0.0.1' IDENTIFIED BY " + pw,
            "ALTER USER IF EXISTS " + u + "@'localhost' IDENTIFIED BY " + pw,
            "GRANT "
                + RdsProcedures.RDS_ADMIN_PRIVILEGES
                + " ON *.* TO "
                + u
                + "@'%' WITH GRANT OPTION"));
  }

  /** Deletes a dump no snapshot refers to any more. */
  static void delete(SnapshotData data) {
    try {
      Files.deleteIfExists(data.dump());
    } catch (IOException e) {
      log.warn("[sandbox, test double] could not delete {}: {}", data.dump(), e.toString());
    }
  }

  @Override
  public synchronized void close() {
    starter.shutdownNow();
    try {
      starter.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (dumpDir != null) {
      try (Stream<Path> paths = Files.walk(dumpDir)) {
        paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException e) {
        log.warn("[sandbox, test double] could not delete {}: {}", dumpDir, e.toString());
      }
    }
  }

  private Path dumpDir() {
    if (dumpDir == null) {
      try {
        dumpDir = Files.createTempDirectory("dbops-sandbox-snapshots-");
      } catch (IOException e) {
        throw new UncheckedIOException("could not create a directory for snapshot dumps", e);
      }
    }
    return dumpDir;
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
