package dev.dbops.bench;

import dev.dbops.activities.aws.AwsClients;
import dev.dbops.activities.aws.AwsSettings;
import dev.dbops.activities.notify.LogNotifyActivities;
import dev.dbops.activities.restore.S3RestoreActivitiesImpl;
import dev.dbops.sandbox.AwsSandbox;
import dev.dbops.sandbox.CallLog;
import dev.dbops.sandbox.SandboxConfig;
import dev.dbops.workflows.restore.Delivery;
import dev.dbops.workflows.restore.DeliveryMode;
import dev.dbops.workflows.restore.GlacierRestoreRequest;
import dev.dbops.workflows.restore.GlacierRestoreResult;
import dev.dbops.workflows.restore.GlacierRestoreWorkflow;
import dev.dbops.workflows.restore.GlacierRestoreWorkflowImpl;
import dev.dbops.workflows.restore.RestoreTier;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.History;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Prints the Glacier restore numbers the foundation issue asks for. Not a test: it measures.
 *
 * <p>Part 1 runs on the time-skipping test server with the real activities and the real S3 client
 * against the sandbox, whose clock follows the test server's, so a 12 h Deep Archive restore is 12
 * simulated hours of polling with every S3 call counted by the sandbox. Part 2 is a real-time
 * 10,000-object restore on the sandbox (compressed restore times).
 */
public final class RestoreBenchmark {
  private static final String QUEUE = "bench";
  private static final String BUCKET = "bench-archive";

  public static void main(String[] args) throws Exception {
    int large = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    System.out.println("== Glacier restore benchmark (sandbox is a local test double, not AWS) ==");
    System.out.println();
    System.out.println(
        "-- Part 1: simulated waits (time-skipping server, real S3 client -> sandbox) --");
    System.out.printf(
        "%-44s %8s %8s %10s %12s %14s%n",
        "scenario", "waitDays", "events", "waitEvts", "evts/waitDay", "S3/obj/waitHr");
    Simulated a =
        simulated("1 object, Deep Archive Standard (12 h), keys", 1, RestoreTier.STANDARD, false);
    Simulated b = simulated("1 object, Deep Archive Bulk (48 h), keys", 1, RestoreTier.BULK, false);
    Simulated c =
        simulated("1,000 objects, Deep Archive Standard, prefix", 1000, RestoreTier.STANDARD, true);
    Simulated d =
        simulated("1,000 objects, Deep Archive Bulk, prefix", 1000, RestoreTier.BULK, true);
    simulated("1,000 objects, Deep Archive Standard, keys", 1000, RestoreTier.STANDARD, false);
    System.out.println();
    // The wait itself writes a constant handful of events (the poll activity's start and
    // completion and one workflow task); the marginal cost of one more waiting day is the slope.
    double slope1 = (b.events - a.events) / (b.waitDays - a.waitDays);
    double slope1000 = (d.events - c.events) / (d.waitDays - c.waitDays);
    System.out.printf(
        "events added per extra waiting day (12 h -> 48 h): 1 object %.2f, 1,000 objects %.2f%n",
        slope1, slope1000);
    check(
        "events per waiting day <= 10 over a 48 h wait (1 object: "
            + fmt(b.eventsPerWaitDay())
            + ", 1,000 objects: "
            + fmt(d.eventsPerWaitDay())
            + ")",
        b.eventsPerWaitDay() <= 10 && d.eventsPerWaitDay() <= 10);
    check(
        "history flat in wait length (12 h vs 48 h: "
            + a.events
            + " vs "
            + b.events
            + ", "
            + c.events
            + " vs "
            + d.events
            + " events)",
        slope1 == 0 && slope1000 == 0);
    System.out.println();

    System.out.println("-- Part 2: " + large + " objects, real time on the sandbox --");
    Large r = large(large);
    System.out.printf(
        "objects=%d delivered=%d wall=%.1fs historyEvents=%d peakHeap=%dMB (JVM -Xmx%dMB; "
            + "server, sandbox and worker share this JVM, so this is an upper bound for the worker)%n",
        large,
        r.delivered,
        r.wallSeconds,
        r.events,
        r.peakHeapMb,
        Runtime.getRuntime().maxMemory() / (1024 * 1024));
    check("history events <= 2,000", r.events <= 2000);
    check("peak heap <= 512 MB", r.peakHeapMb <= 512);
    check("every object delivered", r.delivered == large);
  }

  private static String fmt(double v) {
    return String.format("%.2f", v);
  }

  private static void check(String what, boolean ok) {
    System.out.println((ok ? "PASS " : "FAIL ") + what);
  }

  record Simulated(int events, int waitEvents, double waitDays, double s3PerObjectPerWaitHour) {
    double eventsPerWaitDay() {
      return waitEvents / waitDays;
    }
  }

  static Simulated simulated(String name, int n, RestoreTier tier, boolean byPrefix)
      throws Exception {
    TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance();
    SandboxConfig config =
        SandboxConfig.defaults()
            .withRestoreDuration("DEEP_ARCHIVE", "Standard", Duration.ofHours(12))
            .withRestoreDuration("DEEP_ARCHIVE", "Bulk", Duration.ofHours(48));
    try (AwsSandbox sandbox = AwsSandbox.start(config, new TestServerClock(env))) {
      S3Client s3 = startWorker(env, sandbox);
      List<String> keys = seed(sandbox, "sim/", n, "DEEP_ARCHIVE", 1024);
      GlacierRestoreRequest.Builder req =
          (byPrefix
                  ? GlacierRestoreRequest.Builder.of(BUCKET, "sim/")
                  : GlacierRestoreRequest.Builder.of(BUCKET, null).keys(keys))
              .tier(tier)
              .delivery(Delivery.none())
              .requestedBy("bench")
              .maxWait(Duration.ofDays(7));
      String id = "bench/" + n + "/" + tier + "/" + byPrefix;
      run(env.getWorkflowClient(), id, req.build());
      History history = env.getWorkflowClient().fetchHistory(id).getHistory();

      Window w = waitWindow(history);
      long afterLastRestore =
          sandbox.calls().all().stream()
              .filter(call -> "RestoreObject".equals(call.operation()))
              .mapToLong(CallLog.Call::seq)
              .max()
              .orElseThrow();
      long checks =
          sandbox.calls().all().stream()
              .filter(call -> call.seq() > afterLastRestore)
              .filter(call -> Set.of("HeadObject", "ListObjectsV2").contains(call.operation()))
              .count();
      double waitHours = (w.end - w.start) / 3_600_000.0;
      Simulated s =
          new Simulated(
              history.getEventsCount(), w.events, waitHours / 24, checks / (double) n / waitHours);
      System.out.printf(
          "%-44s %8.2f %8d %10d %12.2f %14.4f%n",
          name, s.waitDays, s.events, s.waitEvents, s.eventsPerWaitDay(), s.s3PerObjectPerWaitHour);
      s3.close();
      return s;
    } finally {
      env.close();
    }
  }

  record Window(long start, long end, int events) {}

  /**
   * The wait is from scheduling the first readiness check to the completion of the last one; counts
   * every history event written inside it.
   */
  static Window waitWindow(History history) {
    Set<Long> checkScheduled = new HashSet<>();
    long start = Long.MAX_VALUE;
    long end = 0;
    for (HistoryEvent e : history.getEventsList()) {
      if (e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED
          && "CheckRestored"
              .equals(e.getActivityTaskScheduledEventAttributes().getActivityType().getName())) {
        checkScheduled.add(e.getEventId());
        start = Math.min(start, millis(e));
      }
      if (e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED
          && checkScheduled.contains(
              e.getActivityTaskCompletedEventAttributes().getScheduledEventId())) {
        end = Math.max(end, millis(e));
      }
    }
    long s = start;
    long t = end;
    int inside =
        (int) history.getEventsList().stream().filter(e -> millis(e) > s && millis(e) <= t).count();
    return new Window(start, end, inside);
  }

  private static long millis(HistoryEvent e) {
    return e.getEventTime().getSeconds() * 1000 + e.getEventTime().getNanos() / 1_000_000;
  }

  record Large(int delivered, double wallSeconds, int events, long peakHeapMb) {}

  static Large large(int n) throws IOException {
    TestWorkflowEnvironment env =
        TestWorkflowEnvironment.newInstance(
            TestEnvironmentOptions.newBuilder().setUseTimeskipping(false).build());
    SandboxConfig config =
        SandboxConfig.defaults().withRestoreDuration("GLACIER", "Expedited", Duration.ofSeconds(2));
    Path dir = Files.createTempDirectory("dbops-bench-");
    try (AwsSandbox sandbox = AwsSandbox.start(config)) {
      S3Client s3 = startWorker(env, sandbox);
      seed(sandbox, "big/", n, "GLACIER", 512);
      HeapSampler heap = HeapSampler.start();
      long t0 = System.nanoTime();
      GlacierRestoreResult result =
          run(
              env.getWorkflowClient(),
              "bench/large",
              GlacierRestoreRequest.Builder.of(BUCKET, "big/")
                  .tier(RestoreTier.EXPEDITED)
                  .delivery(new Delivery(DeliveryMode.DOWNLOAD, dir.toString(), null, null))
                  .pollInterval(Duration.ofSeconds(1))
                  .maxConcurrentBatches(4)
                  .concurrencyPerBatch(16)
                  .requestedBy("bench")
                  .build());
      double wall = (System.nanoTime() - t0) / 1e9;
      int events =
          env.getWorkflowClient().fetchHistory("bench/large").getHistory().getEventsCount();
      s3.close();
      return new Large(result.counts().getOrDefault("DELIVERED", 0), wall, events, heap.stopMb());
    } finally {
      env.close();
      try (var files = Files.walk(dir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /** A worker with the real S3 activities against the sandbox; the caller closes the client. */
  private static S3Client startWorker(TestWorkflowEnvironment env, AwsSandbox sandbox) {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    S3Client s3 = AwsClients.s3(AwsSettings.sandbox(sandbox.endpoint()), registry);
    Worker worker = env.newWorker(QUEUE);
    worker.registerWorkflowImplementationTypes(GlacierRestoreWorkflowImpl.class);
    worker.registerActivitiesImplementations(
        new S3RestoreActivitiesImpl(s3, registry),
        dev.dbops.activities.hooks.CommandHookActivities.none(),
        new LogNotifyActivities());
    env.start();
    return s3;
  }

  private static GlacierRestoreResult run(
      WorkflowClient client, String id, GlacierRestoreRequest req) {
    return client
        .newWorkflowStub(
            GlacierRestoreWorkflow.class,
            WorkflowOptions.newBuilder().setTaskQueue(QUEUE).setWorkflowId(id).build())
        .run(req);
  }

  private static List<String> seed(
      AwsSandbox sandbox, String prefix, int n, String storageClass, int size) {
    sandbox.s3().createBucket(BUCKET);
    byte[] data = new byte[size];
    List<String> keys =
        IntStream.range(0, n).mapToObj(i -> String.format("%s%06d.bin", prefix, i)).toList();
    for (String k : keys) {
      data[0] = (byte) k.hashCode();
      sandbox.s3().putObject(BUCKET, k, data.clone(), storageClass);
    }
    return keys;
  }
}
