package dev.dbops.starter;

import dev.dbops.sandbox.DemoResources;
import dev.dbops.sandbox.S3Sandbox;
import dev.dbops.workflows.catalog.Procedures;
import dev.dbops.workflows.restore.Delivery;
import dev.dbops.workflows.restore.DeliveryMode;
import dev.dbops.workflows.restore.GlacierRestoreRequest;
import dev.dbops.workflows.restore.RestoreTier;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** Dev mode's demo: a seeded bucket and one restore that shows every phase. */
final class DevDemo {
  private DevDemo() {}

  static final String BUCKET = DemoResources.BUCKET;
  static final String PREFIX = DemoResources.PREFIX;
  static final Path DOWNLOAD_DIR = Path.of(".dbops", "demo-download");
  static final Duration POLL_INTERVAL = Duration.ofSeconds(2);

  /** key → storage class, in the order they are seeded: the sandbox's demo bucket. */
  static final Map<String, String> OBJECTS = DemoResources.OBJECTS;

  /** Creates the demo bucket with STANDARD, GLACIER and DEEP_ARCHIVE objects. */
  static void seed(S3Sandbox s3) {
    DemoResources.seedBucket(s3);
  }

  static byte[] content(String key) {
    return DemoResources.content(key);
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
        .delivery(
            new Delivery(
                DeliveryMode.DOWNLOAD,
                DOWNLOAD_DIR.toAbsolutePath().normalize().toString(),
                null,
                null))
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
    out.println(
        "demo: restoring s3://"
            + BUCKET
            + "/"
            + PREFIX
            + " (EXPEDITED, falls back to"
            + " STANDARD for Deep Archive) into "
            + DOWNLOAD_DIR
            + "/");
    out.println(
        "  same as: ./dbops start glacier-restore --bucket "
            + BUCKET
            + " --prefix "
            + PREFIX
            + " --tier EXPEDITED --days 1 --download-dir "
            + DOWNLOAD_DIR
            + " --poll-interval 2s --wait");
    out.flush();
    return WatchCommand.follow(out, runs, session.config().taskQueue(), id, Duration.ofSeconds(1));
  }
}
