package dev.dbops.starter.campaign;

import dev.dbops.client.DbopsConfig;
import dev.dbops.worker.WorkerMain;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code dbops worker} as a child JVM, one at a time, each logging to {@code worker-N.out/.err} in
 * {@code logDir}: started, killed with SIGKILL, started again. The environment's dbops settings are
 * replaced by the campaign's.
 */
public final class WorkerProcesses implements AutoCloseable {
  /** SIGKILL's exit status. */
  public static final int KILLED = 137;

  static final String READY = "worker polling task queue";
  static final Duration STARTUP = Duration.ofSeconds(120);
  static final Duration STOP_GRACE = Duration.ofSeconds(20);

  private final Path logDir;
  private final Map<String, String> env;
  private Process current;
  private int started;

  /**
   * @param env the worker's configuration (TEMPORAL_ADDRESS, DBOPS_TASK_QUEUE, DBOPS_AWS_ENDPOINT,
   *     …)
   */
  public WorkerProcesses(Path logDir, Map<String, String> env) {
    this.logDir = logDir;
    this.env = Map.copyOf(env);
  }

  /** Starts a worker and waits until it polls its task queue. */
  public Process start() throws InterruptedException {
    if (current != null && current.isAlive())
      throw new IllegalStateException("a worker is running");
    started++;
    String name = "worker-" + started;
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // start fast on a small machine: the worker's work is I/O, not compute
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "-Xmx384m",
                "-cp",
                absoluteClassPath(),
                WorkerMain.class.getName()));
    ProcessBuilder pb =
        new ProcessBuilder(command)
            .redirectOutput(logDir.resolve(name + ".out").toFile())
            .redirectError(logDir.resolve(name + ".err").toFile())
            .directory(logDir.toFile());
    for (String v : DbopsConfig.DEFAULTS.keySet()) pb.environment().remove(v);
    pb.environment().remove(DbopsConfig.DBOPS_CONFIG);
    pb.environment().putAll(env);
    try {
      Files.createDirectories(logDir);
      current = pb.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + name, e);
    }
    long deadline = System.nanoTime() + STARTUP.toNanos();
    while (!log(name + ".err").contains(READY)) {
      if (!current.isAlive()) {
        throw new IllegalStateException(
            name + " exited " + current.exitValue() + " before polling:\n" + log(name + ".err"));
      }
      if (System.nanoTime() > deadline)
        throw new IllegalStateException(name + " did not start within " + STARTUP);
      Thread.sleep(100);
    }
    return current;
  }

  /** This JVM's class path with absolute entries: the worker runs in the log directory. */
  static String absoluteClassPath() {
    return java.util.Arrays.stream(
            System.getProperty("java.class.path").split(java.io.File.pathSeparator))
        .map(e -> Path.of(e).toAbsolutePath().toString())
        .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
  }

  /** SIGKILL to the running worker; returns its exit status ({@link #KILLED}). */
  public int kill() throws InterruptedException {
    if (current == null) throw new IllegalStateException("no worker to kill");
    current.destroyForcibly();
    if (!current.waitFor(30, TimeUnit.SECONDS))
      throw new IllegalStateException("worker-" + started + " survived SIGKILL");
    return current.exitValue();
  }

  /** Workers started so far. */
  public int started() {
    return started;
  }

  /** The current worker's name ({@code worker-N}). */
  public String currentName() {
    return "worker-" + started;
  }

  public Path logDir() {
    return logDir;
  }

  String log(String file) {
    try {
      Path p = logDir.resolve(file);
      return Files.exists(p) ? Files.readString(p, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      return "";
    }
  }

  /** SIGTERM (graceful shutdown), SIGKILL after {@link #STOP_GRACE}. */
  @Override
  public void close() throws InterruptedException {
    if (current == null || !current.isAlive()) return;
    current.destroy();
    if (!current.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
      current.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }
}
