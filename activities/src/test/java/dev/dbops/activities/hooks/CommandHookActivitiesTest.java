package dev.dbops.activities.hooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.dbops.activities.common.SecretResolver;
import dev.dbops.workflows.common.HookCall;
import dev.dbops.workflows.common.HookReport;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("process")
class CommandHookActivitiesTest {
  @TempDir Path dir;

  static final HookCall CUTOVER =
      new HookCall(
          "staging-rebuild",
          "before-cutover",
          "staging-rebuild/db/1",
          Map.of(
              "new_endpoint",
              "stg-2.cluster-x.rds.amazonaws.com",
              "record_name",
              "db.staging.internal."));

  Path script(String relative, String body) throws Exception {
    Path f = dir.resolve(relative);
    Files.createDirectories(f.getParent());
    Files.writeString(f, "#!/bin/sh\n" + body + "\n");
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwxr-xr-x"));
    return f;
  }

  CommandHookActivities hooks(Duration timeout) {
    return new CommandHookActivities(dir, null, SecretResolver.fromEnvironment(), timeout);
  }

  @Test
  void givenHooksForThePhase_whenRun_thenInNameOrderWithEnvAndJsonOnStdin() throws Exception {
    Path out = dir.resolve("seen.txt");
    script(
        "before-cutover.10-maintenance-on.sh",
        "echo \"$DBOPS_PHASE $DBOPS_NEW_ENDPOINT\" >> "
            + out
            + "; cat >> "
            + out
            + "; echo; echo maintenance on");
    script("staging-rebuild/before-cutover.20-stop-batches.sh", "echo batches >> " + out);
    script("after-cutover.sh", "echo wrong phase >> " + out);
    script("upgrade/before-cutover", "echo wrong procedure >> " + out);
    Files.writeString(dir.resolve("before-cutover.README"), "not executable");

    HookReport r = hooks(Duration.ofSeconds(30)).runHooks(CUTOVER);

    assertFalse(r.failed());
    assertEquals(
        List.of(
            "before-cutover.10-maintenance-on.sh",
            "staging-rebuild/before-cutover.20-stop-batches.sh"),
        r.runs().stream().map(HookReport.HookRun::hook).toList());
    String seen = Files.readString(out);
    assertTrue(seen.startsWith("before-cutover stg-2.cluster-x.rds.amazonaws.com\n"), seen);
    assertTrue(
        seen.contains("\"phase\":\"before-cutover\"")
            && seen.contains("\"record_name\":\"db.staging.internal.\""),
        seen);
    assertTrue(seen.endsWith("batches\n"), seen);
    assertEquals("maintenance on", r.runs().get(0).outputTail());
  }

  @Test
  void givenAFailingHook_whenRun_thenStopsThereWithItsExitCodeAndOutput() throws Exception {
    Path out = dir.resolve("ran.txt");
    script("before-cutover.10-check.sh", "echo 'maintenance API said 503' >&2; exit 3");
    script("before-cutover.20-never.sh", "echo ran > " + out);
    HookReport r = hooks(Duration.ofSeconds(30)).runHooks(CUTOVER);
    assertTrue(r.failed());
    assertEquals(1, r.runs().size());
    assertEquals(3, r.failure().exitCode());
    assertEquals("maintenance API said 503", r.failure().outputTail());
    assertFalse(Files.exists(out), "hooks after the failing one do not run");
  }

  @Test
  void givenAHookThatHangs_whenItsTimeoutPasses_thenKilledAndFailed() throws Exception {
    script("before-cutover.sh", "echo waiting; sleep 30");
    long start = System.nanoTime();
    HookReport r = hooks(Duration.ofMillis(700)).runHooks(CUTOVER);
    assertTrue(r.failed());
    assertEquals(-1, r.failure().exitCode());
    assertTrue(
        r.failure().outputTail().startsWith("timed out after PT0.7S"), r.failure().outputTail());
    assertTrue((System.nanoTime() - start) / 1_000_000 < 10_000, "killed, not waited out");
  }

  @Test
  void givenNoHooksDirectory_whenRun_thenNothingRunsAndTheRunGoesOn() {
    HookReport r = CommandHookActivities.none().runHooks(CUTOVER);
    assertTrue(r.runs().isEmpty());
    assertFalse(r.failed());
  }

  @Test
  void givenAnHttpHook_whenItAnswers200ThenA500_thenOkThenFailedWithTheStatus() throws Exception {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    List<String> bodies = new CopyOnWriteArrayList<>();
    int[] status = {200};
    server.createContext(
        "/hook",
        ex -> {
          bodies.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
          byte[] b = "noted".getBytes(StandardCharsets.UTF_8);
          ex.sendResponseHeaders(status[0], b.length);
          ex.getResponseBody().write(b);
          ex.close();
        });
    server.start();
    try {
      Path url = dir.resolve("hook-url");
      Files.writeString(
          url, "http://127.0.0.1:" + server.getAddress().getPort() + "/hook?token=s3cret");
      CommandHookActivities hooks =
          new CommandHookActivities(
              null, "file:" + url, SecretResolver.fromEnvironment(), Duration.ofSeconds(5));
      assertFalse(hooks.runHooks(CUTOVER).failed());
      status[0] = 500;
      HookReport r = hooks.runHooks(CUTOVER);
      assertTrue(r.failed());
      assertEquals(500, r.failure().exitCode());
      assertFalse(r.failure().toString().contains("s3cret"), "the URL's token is never reported");
      assertTrue(bodies.get(0).contains("\"workflowId\":\"staging-rebuild/db/1\""), bodies.get(0));
    } finally {
      server.stop(0);
    }
  }

  @Test
  void givenTheShippedExampleHooks_whenLookedUpPerPhase_thenFoundWhereMeantAndValidShell()
      throws Exception {
    Path examples = Path.of("..", "deploy", "hooks", "examples");
    CommandHookActivities hooks =
        new CommandHookActivities(examples, null, null, Duration.ofSeconds(5));
    assertEquals(
        List.of("before-cutover.10-maintenance-on.sh", "before-cutover.20-pause-batches.sh"),
        hooks.commands(CUTOVER).stream().map(p -> p.getFileName().toString()).toList());
    HookCall modify = new HookCall("upgrade", "before-modify", "upgrade/orders", Map.of());
    assertEquals(
        List.of("before-modify.10-maintenance-on.sh"),
        hooks.commands(modify).stream().map(p -> p.getFileName().toString()).toList());
    HookCall stagingModify = new HookCall("staging-rebuild", "before-modify", "x", Map.of());
    assertTrue(hooks.commands(stagingModify).isEmpty(), "upgrade/ hooks are the upgrade's only");
    try (var files = Files.walk(examples)) {
      for (Path f : files.filter(f -> f.toString().endsWith(".sh")).toList()) {
        Process p = new ProcessBuilder("sh", "-n", f.toString()).redirectErrorStream(true).start();
        assertEquals(
            0,
            p.waitFor(),
            f + ": " + new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
      }
    }
  }
}
