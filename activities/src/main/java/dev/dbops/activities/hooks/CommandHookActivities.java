package dev.dbops.activities.hooks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dbops.activities.common.SecretResolver;
import dev.dbops.workflows.common.HookActivities;
import dev.dbops.workflows.common.HookCall;
import dev.dbops.workflows.common.HookReport;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs operator hooks the way gh-ost does: executables named after the phase, found in the hooks
 * directory and in its subdirectory named after the procedure, run in name order with the phase
 * data in the environment and as JSON on stdin; then, when configured, a POST of the same JSON to
 * one HTTP endpoint. The first failure (non-zero exit, timeout, non-2xx, unreachable) stops the
 * phase and is reported, not thrown: the workflow asks a person what to do.
 */
public final class CommandHookActivities implements HookActivities {
  private static final Logger log = LoggerFactory.getLogger(CommandHookActivities.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int TAIL = 2000;

  private final Path dir;
  private final String urlRef;
  private final SecretResolver secrets;
  private final Duration timeout;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /**
   * @param dir hooks directory, or null for none
   * @param urlRef reference to the HTTP hook's URL (it may carry a token), or null for none
   * @param timeout per hook; a hook still running then is killed and counts as failed
   */
  public CommandHookActivities(Path dir, String urlRef, SecretResolver secrets, Duration timeout) {
    this.dir = dir;
    this.urlRef = urlRef;
    this.secrets = secrets;
    this.timeout = timeout;
  }

  /** No hooks at all: every phase goes on at once. */
  public static CommandHookActivities none() {
    return new CommandHookActivities(null, null, null, Duration.ofMinutes(5));
  }

  @Override
  public HookReport runHooks(HookCall call) {
    List<HookReport.HookRun> runs = new ArrayList<>();
    byte[] body = json(call);
    for (Path hook : commands(call)) {
      HookReport.HookRun run = runCommand(hook, call, body);
      runs.add(run);
      log.info(
          "{} hook {} at {}: {} (exit {}, {} ms)",
          call.workflowId(),
          run.hook(),
          call.phase(),
          run.ok() ? "ok" : "FAILED",
          run.exitCode(),
          run.millis());
      if (!run.ok()) return new HookReport(runs);
    }
    if (urlRef != null) {
      HookReport.HookRun run = post(body);
      runs.add(run);
      log.info(
          "{} HTTP hook at {}: {} (status {}, {} ms)",
          call.workflowId(),
          call.phase(),
          run.ok() ? "ok" : "FAILED",
          run.exitCode(),
          run.millis());
    }
    return new HookReport(runs);
  }

  /** {@code <dir>/<phase>[.*]} then {@code <dir>/<procedure>/<phase>[.*]}, each in name order. */
  List<Path> commands(HookCall call) {
    List<Path> out = new ArrayList<>();
    if (dir == null) return out;
    for (Path d : List.of(dir, dir.resolve(call.procedure()))) {
      if (!Files.isDirectory(d)) continue;
      try (Stream<Path> files = Files.list(d)) {
        files
            .filter(
                f -> {
                  String n = f.getFileName().toString();
                  return (n.equals(call.phase()) || n.startsWith(call.phase() + "."))
                      && Files.isRegularFile(f)
                      && Files.isExecutable(f);
                })
            .sorted()
            .forEach(out::add);
      } catch (IOException e) {
        throw new UncheckedIOException("hooks directory " + d + ": " + e.getMessage(), e);
      }
    }
    return out;
  }

  private HookReport.HookRun runCommand(Path hook, HookCall call, byte[] body) {
    String name = dir.relativize(hook).toString();
    long start = System.nanoTime();
    ProcessBuilder pb =
        new ProcessBuilder(hook.toAbsolutePath().toString())
            .directory(hook.getParent().toFile())
            .redirectErrorStream(true);
    Map<String, String> env = pb.environment();
    env.put("DBOPS_PROCEDURE", call.procedure());
    env.put("DBOPS_PHASE", call.phase());
    env.put("DBOPS_WORKFLOW_ID", call.workflowId());
    call.data()
        .forEach(
            (k, v) ->
                env.put("DBOPS_" + k.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_"), v));
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      return new HookReport.HookRun(
          name, false, -1, "could not start: " + e.getMessage(), millis(start));
    }
    Tail tail = new Tail(p.getInputStream());
    Thread reader = new Thread(tail, "hook-output-" + name);
    reader.setDaemon(true);
    reader.start();
    try (OutputStream in = p.getOutputStream()) {
      in.write(body);
    } catch (IOException ignored) {
      // A hook that does not read stdin closes it early; that is its right.
    }
    try {
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        reader.join(1000);
        return new HookReport.HookRun(
            name, false, -1, "timed out after " + timeout + "; " + tail.text(), millis(start));
      }
      reader.join(1000);
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while hook " + name + " ran", e);
    }
    int exit = p.exitValue();
    return new HookReport.HookRun(name, exit == 0, exit, tail.text(), millis(start));
  }

  private HookReport.HookRun post(byte[] body) {
    long start = System.nanoTime();
    String name = "http hook";
    try {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create(secrets.resolve(urlRef)))
                  .timeout(timeout)
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      String text = r.body() == null ? "" : r.body();
      boolean ok = r.statusCode() / 100 == 2;
      return new HookReport.HookRun(name, ok, r.statusCode(), tail(text), millis(start));
    } catch (IOException e) {
      // The URL may hold a token: say what failed, never where.
      return new HookReport.HookRun(
          name, false, -1, "unreachable: " + e.getClass().getSimpleName(), millis(start));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while posting the HTTP hook", e);
    }
  }

  private static byte[] json(HookCall call) {
    ObjectNode n = JSON.createObjectNode();
    n.put("procedure", call.procedure());
    n.put("phase", call.phase());
    n.put("workflowId", call.workflowId());
    ObjectNode data = n.putObject("data");
    call.data().forEach(data::put);
    return n.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static long millis(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }

  private static String tail(String s) {
    return s.length() <= TAIL ? s : s.substring(s.length() - TAIL);
  }

  /** Keeps the last characters a hook printed, however much it prints. */
  private static final class Tail implements Runnable {
    private final InputStream in;
    private final StringBuilder buf = new StringBuilder();

    Tail(InputStream in) {
      this.in = in;
    }

    @Override
    public void run() {
      byte[] b = new byte[4096];
      try {
        int n;
        while ((n = in.read(b)) > 0) {
          synchronized (buf) {
            buf.append(new String(b, 0, n, StandardCharsets.UTF_8));
            if (buf.length() > 2 * TAIL) buf.delete(0, buf.length() - TAIL);
          }
        }
      } catch (IOException ignored) {
        // The process ended or was killed; what was read is the tail.
      }
    }

    String text() {
      synchronized (buf) {
        return tail(buf.toString()).strip();
      }
    }
  }
}
