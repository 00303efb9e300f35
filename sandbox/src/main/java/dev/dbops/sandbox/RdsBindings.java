package dev.dbops.sandbox;

import dev.dbops.sandbox.mysql.LocalMariaDb;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which cluster is bound to which real local MariaDB, and the servers the sandbox owns: a bound
 * cluster's endpoint is its server, a snapshot dumps it, a restore starts and loads a new one
 * (bound once the restored cluster is {@code available}), a delete stops and deletes an owned one.
 * The processes themselves are {@link RdsBoundServers}'. Guarded by {@link RdsSandbox}'s lock.
 */
final class RdsBindings {

  private static final Logger log = LoggerFactory.getLogger(RdsBindings.class);

  /** Server ids of sandbox-made replicas (a source keeps its own, 1 by default). */
  private static final int FIRST_REPLICA_SERVER_ID = 1000;

  private final RdsBoundServers servers = new RdsBoundServers();
  private final RdsEventLog events;
  private final AtomicInteger replicaServerIds = new AtomicInteger(FIRST_REPLICA_SERVER_ID);

  RdsBindings(RdsEventLog events) {
    this.events = events;
  }

  /**
   * Binds {@code c} to {@code db} (restarted to report the cluster's MySQL version if it does not);
   * the caller keeps owning {@code db} unless {@code owned}.
   */
  void bind(RdsCluster c, LocalMariaDb db, boolean owned) {
    if (c.upgrade != null) {
      throw new IllegalStateException("cluster " + c.id + " is upgrading; bind it before or after");
    }
    release(c);
    if (!c.version.mysqlVersion().equals(db.reportedVersion()) || !db.isRunning()) {
      db.restart(c.version.mysqlVersion());
    }
    c.boundTo = db;
    c.ownsBinding = owned;
    log.info(
        "[sandbox, test double] RDS cluster {} bound to local MariaDB {}:{}",
        c.id,
        db.host(),
        db.port());
  }

  /**
   * Binds a standalone RDS for MySQL instance to {@code db}: its endpoint becomes that server. An
   * instance with automated backups has its binary log on (as on RDS), so {@code db} must too.
   */
  void bindInstance(RdsInstance i, LocalMariaDb db, boolean owned) {
    if (!i.standalone()) {
      throw new IllegalArgumentException(
          "instance " + i.id + " is a member of cluster " + i.clusterId + ": bind the cluster");
    }
    if (i.backupRetention > 0 && !db.options().logBin()) {
      throw new IllegalArgumentException(
          "instance "
              + i.id
              + " has automated backups, so its binary log is on: start "
              + db
              + " with logBin(true)");
    }
    releaseInstance(i);
    if (!i.version.mysqlVersion().equals(db.reportedVersion()) || !db.isRunning()) {
      db.restart(i.version.mysqlVersion());
    }
    i.boundTo = db;
    i.ownsBinding = owned;
    log.info(
        "[sandbox, test double] RDS instance {} bound to local MariaDB {}:{}",
        i.id,
        db.host(),
        db.port());
  }

  /** Unbinds a standalone instance; a sandbox-owned server is stopped and its data deleted. */
  void releaseInstance(RdsInstance i) {
    if (i.boundTo != null && i.ownsBinding) {
      i.boundTo.close();
    }
    i.boundTo = null;
    i.ownsBinding = false;
  }

  /**
   * An Aurora read replica cluster of a bound instance gets a new server replicating from the
   * instance's (see {@link RdsBoundServers#startReplica}): started in the background now, bound to
   * {@code replica} by the first call that sees it {@code available} ({@link #settleRestore}). An
   * unbound source gives an unbound replica.
   */
  void onReplicaCreated(RdsCluster replica, RdsInstance source) {
    if (source.boundTo == null || !source.boundTo.isRunning()) {
      return;
    }
    replica.restoringServer =
        servers.startReplica(
            replica.account + "/" + replica.id,
            source.boundTo,
            replica.version.mysqlVersion(),
            replicaServerIds.incrementAndGet(),
            replica.masterUsername,
            replica.masterPassword);
  }

  /** PromoteReadReplicaDBCluster's start: the bound server stops replicating (still read only). */
  void stopReplication(RdsCluster c) {
    if (c.boundTo != null && c.boundTo.isRunning()) {
      RdsBoundServers.stopReplication(c.boundTo);
    }
  }

  /** Promotion's end: the bound server takes writes. */
  void makeWritable(RdsCluster c) {
    if (c.boundTo != null && c.boundTo.isRunning()) {
      RdsBoundServers.makeWritable(c.boundTo);
    }
  }

  /** See {@link RdsBoundServers#delayReplication}. */
  void delayReplication(RdsCluster c, long seconds) {
    if (c.boundTo == null || !c.boundTo.isRunning()) {
      throw new IllegalStateException("cluster " + c.id + " has no running local MariaDB (yet)");
    }
    RdsBoundServers.delayReplication(c.boundTo, seconds);
  }

  /** The bound server's application schemas now, or null (unbound or stopped cluster). */
  SnapshotData dump(RdsCluster c, String snapshotId) {
    if (c.boundTo != null && c.boundTo.isRunning()) {
      return servers.dump(c.account, snapshotId, c.boundTo);
    }
    if (c.boundTo != null) {
      log.warn(
          "[sandbox, test double] RDS cluster {}: its local MariaDB is not running; snapshot {} has no data",
          c.id,
          snapshotId);
    }
    return null;
  }

  /**
   * A snapshot's dump is deleted with the last snapshot that shares it, unless a restore still
   * loads it (then it goes with the sandbox).
   */
  void dropDumpIfUnused(
      SnapshotData data, Collection<RdsSnapshot> snapshots, Collection<RdsCluster> clusters) {
    if (data != null
        && snapshots.stream().noneMatch(o -> o.data == data)
        && clusters.stream().noneMatch(c -> c.restoringServer != null && c.restoringFrom == data)) {
      RdsBoundServers.delete(data);
    }
  }

  /**
   * A snapshot with data (taken of a bound cluster) gets a new server: started and loaded in the
   * background now, bound to {@code restored} by the first call that sees it {@code available}
   * ({@link #settleRestore}).
   */
  void onRestored(RdsSnapshot snapshot, RdsCluster restored) {
    if (snapshot.data == null) {
      return;
    }
    restored.restoringFrom = snapshot.data;
    restored.restoringServer =
        servers.startRestored(
            restored.account + "/" + restored.id,
            snapshot.data,
            restored.version.mysqlVersion(),
            restored.masterUsername,
            restored.masterPassword);
  }

  /**
   * A restored cluster due {@code available}: waits for its new server (if still booting) and binds
   * it.
   */
  void settleRestore(RdsCluster c, Instant now) {
    if (c.restoringServer == null || now.isBefore(c.availableAt)) {
      return;
    }
    try {
      LocalMariaDb db = c.restoringServer.join();
      c.boundTo = db;
      c.ownsBinding = true;
      log.info("[sandbox, test double] new RDS cluster {}/{} bound to {}", c.account, c.id, db);
    } catch (CompletionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      log.error(
          "[sandbox, test double] new RDS cluster {}/{}: its local MariaDB could not be started and "
              + "loaded; the cluster stays unbound",
          c.account,
          c.id,
          cause);
      events.add(
          now,
          c.id,
          "db-cluster",
          "Sandbox (test double): loading "
              + (c.restoringFrom != null ? "the snapshot's data" : "the source's data")
              + " into a local MariaDB failed: "
              + cause.getMessage(),
          List.of("failure"),
          c.arn);
    } finally {
      c.restoringServer = null;
      c.restoringFrom = null;
    }
  }

  /**
   * Unbinds; a sandbox-owned server (seeded, restored, or still booting) is stopped and its data
   * deleted.
   */
  void release(RdsCluster c) {
    if (c.boundTo != null && c.ownsBinding) {
      c.boundTo.close();
    }
    if (c.restoringServer != null) {
      c.restoringServer.thenAccept(LocalMariaDb::close);
      c.restoringServer = null;
    }
    c.boundTo = null;
    c.ownsBinding = false;
  }

  /**
   * Stops and deletes the MariaDB servers the sandbox started (seeded, restored) and the snapshot
   * dumps.
   */
  void close(Collection<RdsCluster> clusters, Collection<RdsInstance> instances) {
    instances.forEach(this::releaseInstance);
    for (RdsCluster c : clusters) {
      if (c.restoringServer != null) {
        try {
          c.restoringServer.join().close();
        } catch (CompletionException | CancellationException e) {
          // the restore failed; nothing was left running
        }
        c.restoringServer = null;
      }
      release(c);
    }
    servers.close();
  }
}
