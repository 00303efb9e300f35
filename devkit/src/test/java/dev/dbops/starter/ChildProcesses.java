package dev.dbops.starter;

import static org.junit.jupiter.api.Assertions.fail;

import dev.dbops.client.DbopsConfig;
import dev.dbops.sandbox.AwsSandbox;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The dbops CLI as separate JVMs, each logging to {@code <name>.out} / {@code <name>.err} in one
 * directory (also their working directory), with the environment's dbops settings removed. {@link
 * #close()} stops them with SIGTERM first (dev mode then stops the MariaDB it started), SIGKILL
 * after a grace period.
 */
final class ChildProcesses implements AutoCloseable {
  static final Duration STOP_GRACE = Duration.ofSeconds(20);

  /**
   * How long a child may take to say it is ready ({@code dbops dev} starts MariaDB servers and
   * seeds the demos): a hang guard, not a target — the tagged test classes run in two JVMs at once
   * on two cores, and a loaded machine is slower still.
   */
  static final Duration STARTUP = Duration.ofSeconds(120);

  /** SIGKILL's exit status: a process the test killed on purpose. */
  static final int KILLED = 137;

  private final Path dir;
  private final List<Process> processes = new ArrayList<>();

  ChildProcesses(Path dir) {
    this.dir = dir;
  }

  Process spawn(String name, Map<String, String> env, String... args) throws IOException {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // as the launcher runs the CLI and the campaign its workers: a child lives for
                // seconds to a minute and waits on I/O, so C2's compile threads and the parallel
                // GC's would only take the two cores from the test (a CLI child: half the CPU)
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "-cp",
                System.getProperty("java.class.path"),
                DevkitCli.class.getName()));
    command.addAll(List.of(args));
    ProcessBuilder pb =
        new ProcessBuilder(command)
            .redirectOutput(dir.resolve(name + ".out").toFile())
            .redirectError(dir.resolve(name + ".err").toFile())
            .directory(dir.toFile());
    for (String v : DbopsConfig.DEFAULTS.keySet()) {
      pb.environment().remove(v);
    }
    pb.environment().remove(DbopsConfig.DBOPS_CONFIG);
    pb.environment().putAll(env);
    Process p = pb.start();
    processes.add(p);
    return p;
  }

  void awaitLine(String file, String text, Duration timeout) throws InterruptedException {
    awaitTrue("'" + text + "' in " + file, timeout, () -> log(file).contains(text));
  }

  /** Polls {@code condition}; fails early when a child died on its own. */
  void awaitTrue(String what, Duration timeout, BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) return;
      for (Process p : processes) {
        if (!p.isAlive() && p.exitValue() != 0 && p.exitValue() != KILLED) {
          fail(
              "a process died ("
                  + p.exitValue()
                  + ") while waiting for "
                  + what
                  + "\n"
                  + allLogs());
        }
      }
      Thread.sleep(100);
    }
    fail("timed out waiting for " + what + "\n" + allLogs());
  }

  /** The sandbox admin token `dbops dev` printed in its banner in {@code file}. */
  String sandboxAdminToken(String file) {
    Matcher m =
        Pattern.compile(Pattern.quote(AwsSandbox.ADMIN_TOKEN_HEADER) + ": ([0-9a-f]+)")
            .matcher(log(file));
    if (!m.find()) fail("no sandbox admin token in " + file + ":\n" + log(file));
    return m.group(1);
  }

  /** A request to the sandbox admin API at {@code url} carrying {@code token}. */
  static HttpRequest.Builder sandboxAdmin(String url, String token) {
    return HttpRequest.newBuilder(URI.create(url)).header(AwsSandbox.ADMIN_TOKEN_HEADER, token);
  }

  String log(String file) {
    try {
      Path p = dir.resolve(file);
      return Files.exists(p) ? Files.readString(p, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      return "";
    }
  }

  String allLogs() {
    StringBuilder sb = new StringBuilder();
    File[] files = dir.toFile().listFiles((d, n) -> n.endsWith(".out") || n.endsWith(".err"));
    if (files != null) {
      for (File f : files)
        sb.append("--- ").append(f.getName()).append('\n').append(log(f.getName()));
    }
    return sb.toString();
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Override
  public void close() throws InterruptedException {
    for (Process p : processes) {
      p.destroy();
    }
    for (Process p : processes) {
      if (!p.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }
}
