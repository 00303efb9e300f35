package dev.dbops.sandbox.mysql;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Two real local MariaDB servers set up like an external binlog source and an RDS replica, for
 * activity tests and dev mode (a test double, never AWS): the {@linkplain #source() source} has the
 * binary log on ({@code MIXED}, server id 1) and a replication user with REPLICATION SLAVE /
 * CLIENT; the {@linkplain #replica() replica} (server id 2) has the {@link RdsProcedures}. Both
 * have the procedures and an RDS-like master user without SUPER ({@link #adminUser()}). Nothing
 * replicates until someone calls {@code mysql.rds_set_external_master} and {@code
 * mysql.rds_start_replication} on the replica (or {@link #replicateFrom}).
 *
 * <pre>{@code
 * try (ReplicationPair pair = ReplicationPair.start()) {
 *     BinlogPosition from = pair.sourceStatus();
 *     try (Connection admin = pair.connectReplicaAsAdmin()) {        // no SUPER, as on RDS
 *         admin.createStatement().execute("CALL mysql.rds_set_external_master('127.0.0.1', " + pair.source().port()
 *                 + ", 'repl', 'repl-secret', '" + from.file() + "', " + from.position() + ", 0)");
 *         admin.createStatement().execute("CALL mysql.rds_start_replication");
 *     }
 *     ReplicaStatus s = pair.replicaStatus().orElseThrow();
 * }
 * }</pre>
 *
 * <p>Methods that run SQL throw {@link SQLException}; {@link #start} and {@link #close} throw
 * unchecked exceptions. Needs a {@code jdbc:mysql:} driver (Connector/J) on the classpath; the
 * sandbox does not bring one.
 */
public final class ReplicationPair implements AutoCloseable {

  /**
   * How a pair starts.
   *
   * @param source the source server: must have {@code logBin} on
   * @param replica the replica server
   * @param replicationUser account on the source for the replica's IO thread
   * @param replicationPassword its password
   * @param adminUser RDS-like master user created on both servers
   * @param adminPassword its password
   */
  public record Options(
      LocalMariaDb.Options source,
      LocalMariaDb.Options replica,
      String replicationUser,
      String replicationPassword,
      String adminUser,
      String adminPassword) {

    public Options {
      Objects.requireNonNull(source, "source");
      Objects.requireNonNull(replica, "replica");
      Objects.requireNonNull(replicationUser, "replicationUser");
      Objects.requireNonNull(replicationPassword, "replicationPassword");
      Objects.requireNonNull(adminUser, "adminUser");
      Objects.requireNonNull(adminPassword, "adminPassword");
      if (!source.logBin()) {
        throw new IllegalArgumentException("the source needs logBin(true)");
      }
    }

    /**
     * Source: server id 1, binary log {@code MIXED}. Replica: server id 2, binary log on (as an
     * Aurora writer has), no log-slave-updates. Users {@code repl}/{@code repl-secret} and {@code
     * admin}/{@code admin-secret}.
     */
    public static Options defaults() {
      return new Options(
          LocalMariaDb.Options.defaults().serverId(1).logBin(true).binlogFormat("MIXED"),
          LocalMariaDb.Options.defaults().serverId(2).logBin(true).binlogFormat("MIXED"),
          "repl",
          "repl-secret",
          "admin",
          "admin-secret");
    }

    public Options source(LocalMariaDb.Options options) {
      return new Options(
          options, replica, replicationUser, replicationPassword, adminUser, adminPassword);
    }

    public Options replica(LocalMariaDb.Options options) {
      return new Options(
          source, options, replicationUser, replicationPassword, adminUser, adminPassword);
    }

    public Options replicationUser(String user, String password) {
      return new Options(source, replica, user, password, adminUser, adminPassword);
    }

    public Options adminUser(String user, String password) {
      return new Options(source, replica, replicationUser, replicationPassword, user, password);
    }
  }

  private static final Logger log = LoggerFactory.getLogger(ReplicationPair.class);
  private static final Duration POLL = Duration.ofMillis(20);

  private final Options options;
  private final LocalMariaDb source;
  private final LocalMariaDb replica;

  private ReplicationPair(Options options, LocalMariaDb source, LocalMariaDb replica) {
    this.options = options;
    this.source = source;
    this.replica = replica;
  }

  /** {@link #start(Options)} with {@link Options#defaults()}. */
  public static ReplicationPair start() {
    return start(Options.defaults());
  }

  /** Starts both servers (in parallel, ~2–3 s), installs the procedures and creates the users. */
  public static ReplicationPair start(Options options) {
    Objects.requireNonNull(options, "options");
    CompletableFuture<LocalMariaDb> source =
        CompletableFuture.supplyAsync(() -> LocalMariaDb.start(options.source()));
    CompletableFuture<LocalMariaDb> replica =
        CompletableFuture.supplyAsync(() -> LocalMariaDb.start(options.replica()));
    ReplicationPair pair;
    try {
      pair = new ReplicationPair(options, source.join(), replica.join());
    } catch (CompletionException e) {
      source.thenAccept(LocalMariaDb::close);
      replica.thenAccept(LocalMariaDb::close);
      throw e.getCause() instanceof RuntimeException r ? r : e;
    }
    try {
      pair.setUp();
    } catch (SQLException | RuntimeException e) {
      pair.close();
      throw new IllegalStateException("could not set up the replication pair " + pair, e);
    }
    log.info(
        "[sandbox, test double] replication pair ready: source {}:{}, replica {}:{}",
        pair.source.host(),
        pair.source.port(),
        pair.replica.host(),
        pair.replica.port());
    return pair;
  }

  private void setUp() throws SQLException {
    try (Connection c = connect(source, source.rootUser(), source.rootPassword())) {
      RdsProcedures.install(c);
      RdsProcedures.createRdsAdmin(c, options.adminUser(), options.adminPassword());
      RdsProcedures.createReplicationUser(
          c, options.replicationUser(), options.replicationPassword());
    }
    try (Connection c = connect(replica, replica.rootUser(), replica.rootPassword())) {
      RdsProcedures.install(c);
      RdsProcedures.createRdsAdmin(c, options.adminUser(), options.adminPassword());
    }
  }

  public LocalMariaDb source() {
    return source;
  }

  public LocalMariaDb replica() {
    return replica;
  }

  public String replicationUser() {
    return options.replicationUser();
  }

  public String replicationPassword() {
    return options.replicationPassword();
  }

  public String adminUser() {
    return options.adminUser();
  }

  public String adminPassword() {
    return options.adminPassword();
  }

  /** root on the source, no default schema. */
  public Connection connectSource() throws SQLException {
    return connect(source, source.rootUser(), source.rootPassword());
  }

  /** root on the replica, no default schema. */
  public Connection connectReplica() throws SQLException {
    return connect(replica, replica.rootUser(), replica.rootPassword());
  }

  /** The RDS-like master user on the source (no SUPER). */
  public Connection connectSourceAsAdmin() throws SQLException {
    return connect(source, options.adminUser(), options.adminPassword());
  }

  /** The RDS-like master user on the replica (no SUPER). */
  public Connection connectReplicaAsAdmin() throws SQLException {
    return connect(replica, options.adminUser(), options.adminPassword());
  }

  /** The source's {@code SHOW MASTER STATUS}. */
  public BinlogPosition sourceStatus() throws SQLException {
    try (Connection c = connectSource()) {
      return BinlogPosition.current(c);
    }
  }

  /** The replica's {@code SHOW SLAVE STATUS}; empty when it is not configured as a replica. */
  public Optional<ReplicaStatus> replicaStatus() throws SQLException {
    try (Connection c = connectReplica()) {
      return ReplicaStatus.query(c);
    }
  }

  /**
   * As the admin user, the RDS way: {@code CALL mysql.rds_set_external_master(<source>, repl user,
   * from, 0)} then {@code CALL mysql.rds_start_replication}. The replica must not be replicating.
   */
  public void replicateFrom(BinlogPosition from) throws SQLException {
    Objects.requireNonNull(from, "from");
    try (Connection c = connectReplicaAsAdmin();
        PreparedStatement set =
            c.prepareStatement("CALL mysql.rds_set_external_master(?, ?, ?, ?, ?, ?, ?)");
        Statement start = c.createStatement()) {
      set.setString(1, source.host());
      set.setInt(2, source.port());
      set.setString(3, options.replicationUser());
      set.setString(4, options.replicationPassword());
      set.setString(5, from.file());
      set.setLong(6, from.position());
      set.setInt(7, 0);
      set.execute();
      start.execute("CALL mysql.rds_start_replication");
    }
  }

  /**
   * As the admin user: {@code CALL mysql.rds_reset_external_master} (stop and forget the source).
   */
  public void resetReplica() throws SQLException {
    try (Connection c = connectReplicaAsAdmin();
        Statement s = c.createStatement()) {
      s.execute("CALL mysql.rds_reset_external_master");
    }
  }

  /**
   * Polls {@code SHOW SLAVE STATUS} every 20 ms until {@code condition} holds and returns that
   * status; after {@code timeout} throws {@link IllegalStateException} naming the last status.
   */
  public ReplicaStatus awaitReplica(Predicate<ReplicaStatus> condition, Duration timeout)
      throws SQLException {
    long deadline = System.nanoTime() + timeout.toNanos();
    Optional<ReplicaStatus> last;
    try (Connection c = connectReplica()) {
      while (true) {
        last = ReplicaStatus.query(c);
        if (last.isPresent() && condition.test(last.get())) {
          return last.get();
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "replica status did not match within "
                  + timeout
                  + "; last: "
                  + last.map(String::valueOf).orElse("not a replica"));
        }
        sleep(POLL);
      }
    }
  }

  /** Waits until the replica runs and has executed everything the source has logged so far. */
  public ReplicaStatus awaitCaughtUp(Duration timeout) throws SQLException {
    BinlogPosition target = sourceStatus();
    return awaitReplica(s -> s.caughtUpWith(target), timeout);
  }

  /** Waits until the SQL thread stopped on an error (any errno). */
  public ReplicaStatus awaitSqlError(Duration timeout) throws SQLException {
    return awaitReplica(ReplicaStatus::sqlStoppedOnError, timeout);
  }

  /** Stops and deletes both servers. Idempotent. */
  @Override
  public void close() {
    try {
      replica.close();
    } finally {
      source.close();
    }
  }

  @Override
  public String toString() {
    return "ReplicationPair[source " + source + ", replica " + replica + "]";
  }

  private static Connection connect(LocalMariaDb db, String user, String password)
      throws SQLException {
    return DriverManager.getConnection(db.jdbcUrl(""), user, password);
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the replica", e);
    }
  }
}
