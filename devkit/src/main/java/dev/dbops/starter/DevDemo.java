package dev.dbops.starter;

import dev.dbops.sandbox.S3Sandbox;
import dev.dbops.workflows.catalog.Procedures;
import dev.dbops.workflows.restore.Delivery;
import dev.dbops.workflows.restore.DeliveryMode;
import dev.dbops.workflows.restore.GlacierRestoreRequest;
import dev.dbops.workflows.restore.RestoreTier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** Dev mode's demo: a seeded bucket and one restore that shows every phase. */
final class DevDemo {
  private DevDemo() {}

  static final String BUCKET = "dbops-demo";
  static final String PREFIX = "demo/";
  static final Path DOWNLOAD_DIR = Path.of(".dbops", "demo-download");
  static final Duration POLL_INTERVAL = Duration.ofSeconds(2);

  /** key → storage class, in the order they are seeded. */
  static final Map<String, String> OBJECTS = objects();

  private static Map<String, String> objects() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put(PREFIX + "README.txt", "STANDARD");
    m.put(PREFIX + "orders/2023-01.csv", "GLACIER");
    m.put(PREFIX + "orders/2023-02.csv", "GLACIER");
    m.put(PREFIX + "archive/2019-full-backup.sql", "DEEP_ARCHIVE");
    return m;
  }

  /** Creates the demo bucket with STANDARD, GLACIER and DEEP_ARCHIVE objects. */
  static void seed(S3Sandbox s3) {
    s3.createBucket(BUCKET);
    OBJECTS.forEach((key, storageClass) -> s3.putObject(BUCKET, key, content(key), storageClass));
  }

  static byte[] content(String key) {
    StringBuilder sb = new StringBuilder("# " + key + " — dbops demo object (sandbox data)\n");
    for (int i = 1; i <= 200; i++) {
      sb.append(i).append(",").append(key.hashCode() ^ (i * 7919)).append(",row ").append(i).append('\n');
    }
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  static String workflowId() {
    return "restore/" + BUCKET + "/" + PREFIX;
  }

  /**
   * EXPEDITED with fallback: the GLACIER objects come back in seconds; Deep Archive has no
   * Expedited tier, so the run falls back to STANDARD and says so in a warning.
   */
  static GlacierRestoreRequest request(String requestedBy) {
    return GlacierRestoreRequest.Builder.of(BUCKET, PREFIX)
        .tier(RestoreTier.EXPEDITED)
        .days(1)
        .delivery(new Delivery(DeliveryMode.DOWNLOAD,
            DOWNLOAD_DIR.toAbsolutePath().normalize().toString(), null, null))
        .requestedBy(requestedBy == null ? "dbops-dev" : requestedBy)
        .pollInterval(POLL_INTERVAL)
        .build();
  }

  /** Starts the demo restore and narrates it to the end; returns its exit code. */
  static int run(java.io.PrintWriter out, Session session) throws InterruptedException {
    GlacierRestoreRequest request = request(ProcedureCommand.currentUser());
    Runs runs = session.runs();
    String id = workflowId();
    runs.start(Procedures.GLACIER_RESTORE, id, request);
    out.println();
    out.println("demo: restoring s3://" + BUCKET + "/" + PREFIX + " (EXPEDITED, falls back to"
        + " STANDARD for Deep Archive) into " + DOWNLOAD_DIR + "/");
    out.println("  same as: ./dbops start glacier-restore --bucket " + BUCKET + " --prefix " + PREFIX
        + " --tier EXPEDITED --days 1 --download-dir " + DOWNLOAD_DIR + " --poll-interval 2s --wait");
    out.flush();
    return WatchCommand.follow(out, runs, session.config().taskQueue(), id, Duration.ofSeconds(1));
  }
}
