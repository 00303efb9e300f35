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

  /** The replication account Aurora's replica uses on its RDS for MySQL source (sandbox-made). */
  static final String REPLICATION_USER = "rdsrepladmin";

  /**
   * Starts a new server that replicates from {@code source} the way an Aurora read replica cluster
   * does from an RDS for MySQL instance, in the background: a replication user on the source, a
   * consistent dump of its application schemas at a binary log position, a new server (its own
   * server id, binary log on, reporting {@code mysqlVersion}) loaded with the dump and the master
   * user, {@code CHANGE MASTER TO} the source at that position, {@code START SLAVE}, and {@code
   * read_only} on (the master user has no SUPER, so it cannot write until promotion). The caller
   * owns the server the future yields.
   */
  CompletableFuture<LocalMariaDb> startReplica(
      String label,
      LocalMariaDb source,
      String mysqlVersion,
      int serverId,
      String masterUsername,
      String masterPassword) {
    return CompletableFuture.supplyAsync(
        () -> {
          long t0 = System.nanoTime();
          String replPassword = "repl-" + Long.toHexString(System.nanoTime());
          String u = MariaDbCli.literal(REPLICATION_USER);
          MariaDbCli.execute(
              source,
              String.join(
                  "; ",
                  "CREATE USER IF NOT EXISTS "
                      + u
                      + "@'%' IDENTIFIED BY "
                      + MariaDbCli.literal(replPassword),
                  "ALTER USER " + u + "@'%' IDENTIFIED BY " + MariaDbCli.literal(replPassword),
                  "GRANT REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO " + u + "@'%'"));
          Path dump =
              dumpDir()
                  .resolve("replica-" + label.replace('/', '-') + "-" + System.nanoTime() + ".sql");
          List<String> schemas = MariaDbCli.dumpForReplica(source, dump);
          LocalMariaDb db =
              LocalMariaDb.start(
                  LocalMariaDb.Options.defaults()
                      .reportedVersion(mysqlVersion)
                      .serverId(serverId)
                      .logBin(true)
                      .binlogFormat("MIXED"));
          try {
            setMasterPassword(db, masterUsername, masterPassword);
            MariaDbCli.execute(
                db,
                "CHANGE MASTER TO MASTER_HOST="
                    + MariaDbCli.literal(source.host())
                    + ", MASTER_PORT="
                    + source.port()
                    + ", MASTER_USER="
                    + u
                    + ", MASTER_PASSWORD="
                    + MariaDbCli.literal(replPassword)
                    + ", MASTER_SSL = 0, MASTER_SSL_VERIFY_SERVER_CERT = 0, MASTER_USE_GTID = no");
            MariaDbCli.load(db, dump); // ends with CHANGE MASTER TO MASTER_LOG_FILE / POS
            MariaDbCli.execute(db, "START SLAVE; SET GLOBAL read_only = 1");
          } catch (RuntimeException e) {
            db.close();
            throw e;
          } finally {
            try {
              Files.deleteIfExists(dump);
            } catch (IOException e) {
              log.warn("[sandbox, test double] could not delete {}: {}", dump, e.toString());
            }
          }
          log.info(
              "[sandbox, test double] read replica {}: new local MariaDB {} loaded with {} and"
                  + " replicating from {} ({} ms)",
              label,
              db,
              schemas,
              source,
              (System.nanoTime() - t0) / 1_000_000);
          return db;
        },
        starter);
  }

  /** Promotion, first step: replication stops and the source is forgotten (still read only). */
  static void stopReplication(LocalMariaDb replica) {
    MariaDbCli.execute(replica, "STOP SLAVE; RESET SLAVE ALL");
  }

  /** Promotion, last step: the master user may write. */
  static void makeWritable(LocalMariaDb replica) {
    MariaDbCli.execute(replica, "SET GLOBAL read_only = 0");
  }

  /**
   * {@code CHANGE MASTER TO MASTER_DELAY}: the replica applies each event {@code seconds} after the
   * source wrote it, so {@code Seconds_Behind_Master} shows real lag.
   */
  static void delayReplication(LocalMariaDb replica, long seconds) {
    MariaDbCli.execute(
        replica, "STOP SLAVE; CHANGE MASTER TO MASTER_DELAY = " + seconds + "; START SLAVE");
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

  private synchronized Path dumpDir() {
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
