package dev.dbops.activities.restore;

import static dev.dbops.workflows.restore.RestoreRequestOutcome.ADOPTED;
import static dev.dbops.workflows.restore.RestoreRequestOutcome.ALREADY_RESTORED;
import static dev.dbops.workflows.restore.RestoreRequestOutcome.STARTED;

import dev.dbops.activities.aws.AwsFailures;
import dev.dbops.activities.common.BoundedParallel;
import dev.dbops.activities.common.ConfinedDirectory;
import dev.dbops.activities.restore.RestoreMetrics.Event;
import dev.dbops.workflows.common.ErrorTypes;
import dev.dbops.workflows.restore.Delivery;
import dev.dbops.workflows.restore.DeliveryBatch;
import dev.dbops.workflows.restore.DeliveryMode;
import dev.dbops.workflows.restore.DeliveryPaths;
import dev.dbops.workflows.restore.DirectoryCheck;
import dev.dbops.workflows.restore.DirectoryFacts;
import dev.dbops.workflows.restore.ListPage;
import dev.dbops.workflows.restore.ListQuery;
import dev.dbops.workflows.restore.ObjectInfo;
import dev.dbops.workflows.restore.ObjectOutcome;
import dev.dbops.workflows.restore.ReadinessCheck;
import dev.dbops.workflows.restore.ReadyObject;
import dev.dbops.workflows.restore.RestoreBatch;
import dev.dbops.workflows.restore.RestoreRequestOutcome;
import dev.dbops.workflows.restore.RestoreState;
import dev.dbops.workflows.restore.RestoreTier;
import dev.dbops.workflows.restore.S3RestoreActivities;
import io.micrometer.core.instrument.MeterRegistry;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.OptionalObjectAttributes;
import software.amazon.awssdk.services.s3.model.RestoreObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The S3 side of a Glacier restore, against the real S3 API (or the sandbox, which speaks it).
 * Every method is idempotent; batch methods heartbeat what they finished so a retry skips it. Every
 * AWS failure is classified by {@link AwsFailures}; the few answers that mean "nothing more to do"
 * (RestoreAlreadyInProgress, ObjectAlreadyInActiveTierError, Expedited capacity unavailable with
 * fallback allowed) are handled before that.
 *
 * <p>Objects that are not archived: {@code requestRestores} makes no call for them
 * (ALREADY_RESTORED); {@code checkRestored} reports them ready with no expiry; {@code deliver}
 * downloads them like any other (DOWNLOAD), copies them only to another bucket or prefix (COPY; in
 * place they are NOT_NEEDED) and reports NOT_NEEDED for NONE.
 */
public final class S3RestoreActivitiesImpl implements S3RestoreActivities {
  private static final Logger log = LoggerFactory.getLogger(S3RestoreActivitiesImpl.class);

  /** S3's own maximum for one ListObjectsV2 page; also the default page of explicit keys. */
  static final int MAX_LIST_PAGE = 1000;

  /** How often a batch heartbeats while its objects are still in flight. */
  static final Duration HEARTBEAT_EVERY = Duration.ofSeconds(10);

  /** How many keys a failure message names before it says "…". */
  static final int KEYS_IN_MESSAGES = 10;

  /** The request field every download-directory message names. */
  static final String DIRECTORY_FIELD = "delivery.directory (--download-dir)";

  static final String RESTORE_ALREADY_IN_PROGRESS = "RestoreAlreadyInProgress";
  static final String ALREADY_IN_ACTIVE_TIER = "ObjectAlreadyInActiveTierError";
  static final String EXPEDITED_UNAVAILABLE = "GlacierExpeditedRetrievalNotAvailable";

  /** Heartbeat details of {@link #requestRestores}: outcomes so far, skipped on retry. */
  public record RequestProgress(List<RestoreRequestOutcome> done) {}

  /** Heartbeat details of {@link #deliver}: outcomes so far, skipped on retry. */
  public record DeliveryProgress(List<ObjectOutcome> done) {}

  private final S3Client s3;
  private final RestoreMetrics metrics;
  private final ObjectDownloader downloader;
  private final ObjectCopier copier;
  private final ConfinedDirectory.FreeSpace freeSpace;

  public S3RestoreActivitiesImpl(S3Client s3, MeterRegistry registry) {
    this(s3, registry, ConfinedDirectory.FreeSpace.FILE_STORE);
  }

  /** {@code freeSpace}: how the directory check reads free space (a seam for tests). */
  S3RestoreActivitiesImpl(
      S3Client s3, MeterRegistry registry, ConfinedDirectory.FreeSpace freeSpace) {
    this.freeSpace = freeSpace;
    this.s3 = s3;
    this.metrics = new RestoreMetrics(registry);
    this.downloader = new ObjectDownloader(s3);
    this.copier = new ObjectCopier(s3);
  }

  // ---------------------------------------------------------------------------------- list

  @Override
  public ListPage listObjects(ListQuery query) {
    requireBucket(query.bucket());
    int pageSize = query.pageSize() > 0 ? query.pageSize() : MAX_LIST_PAGE;
    if (query.keys() != null && !query.keys().isEmpty()) {
      List<String> keys = query.keys();
      int from = offset(query.pageToken(), keys.size());
      int to = (int) Math.min(keys.size(), (long) from + pageSize);
      List<ObjectInfo> page =
          BoundedParallel.map(
              "head",
              keys.subList(from, to),
              query.concurrency(),
              key -> head(query.bucket(), key));
      return new ListPage(page, to < keys.size() ? String.valueOf(to) : null);
    }
    String prefix = query.prefix() == null ? "" : query.prefix();
    ListObjectsV2Response r =
        AwsFailures.call(
            "ListObjectsV2",
            uri(query.bucket(), prefix),
            () ->
                s3.listObjectsV2(
                    b ->
                        b.bucket(query.bucket())
                            .prefix(prefix)
                            .maxKeys(Math.min(pageSize, MAX_LIST_PAGE))
                            .continuationToken(query.pageToken())
                            .optionalObjectAttributes(OptionalObjectAttributes.RESTORE_STATUS)));
    Instant now = Instant.now();
    List<ObjectInfo> page =
        r.contents().stream().map(o -> S3ObjectStates.fromListing(o, now)).toList();
    return new ListPage(
        page, Boolean.TRUE.equals(r.isTruncated()) ? r.nextContinuationToken() : null);
  }

  // ------------------------------------------------------------------------------- restore

  @Override
  public List<RestoreRequestOutcome> requestRestores(RestoreBatch batch) {
    requireBucket(batch.bucket());
    if (batch.tier() == null) throw invalidInput("tier: required (EXPEDITED, STANDARD or BULK)");
    if (batch.days() < 1) throw invalidInput("days: must be at least 1, was " + batch.days());
    refuseImpossibleTier(batch);

    ActivityExecutionContext ctx = Activity.getExecutionContext();
    Map<String, RestoreRequestOutcome> done = new LinkedHashMap<>();
    ctx.getHeartbeatDetails(RequestProgress.class)
        .ifPresent(p -> p.done().forEach(o -> done.put(o.key(), o)));
    List<ObjectInfo> todo = remaining(batch.objects(), done.keySet());
    if (!done.isEmpty()) {
      log.info(
          "{}: resuming restore requests in s3://{}: {} of {} done by an earlier attempt",
          workflowId(ctx),
          batch.bucket(),
          done.size(),
          batch.objects().size());
    }
    Runnable heartbeat = () -> ctx.heartbeat(new RequestProgress(List.copyOf(done.values())));
    BoundedParallel.map(
        "restore",
        todo,
        batch.concurrency(),
        o -> requestOne(batch, o),
        (o, outcome) -> {
          done.put(o.key(), outcome);
          if (STARTED.equals(outcome.action())) metrics.count(Event.REQUESTED);
          if (ADOPTED.equals(outcome.action())) metrics.count(Event.ADOPTED);
          heartbeat.run();
        },
        HEARTBEAT_EVERY,
        heartbeat);
    log.info(
        "{}: restore requested for {} objects in s3://{} ({} days, {})",
        workflowId(ctx),
        batch.objects().size(),
        batch.bucket(),
        batch.days(),
        batch.tier().apiName());
    return inInputOrder(batch.objects(), done);
  }

  /**
   * A tier S3 does not offer for an object's class ({@link RestoreTier#availableFor}); without
   * fallback that is the caller's mistake.
   */
  private static void refuseImpossibleTier(RestoreBatch batch) {
    if (batch.allowTierFallback()) return;
    List<String> deep =
        batch.objects().stream()
            .filter(o -> !batch.tier().availableFor(o.storageClass()))
            .map(ObjectInfo::key)
            .toList();
    if (!deep.isEmpty()) {
      throw ApplicationFailure.newNonRetryableFailure(
          deep.size()
              + " DEEP_ARCHIVE objects cannot "
              + "be restored with the Expedited tier and tier fallback is off: "
              + keyList(deep),
          ErrorTypes.INVALID_PARAMETER);
    }
  }

  private RestoreRequestOutcome requestOne(RestoreBatch batch, ObjectInfo o) {
    String uri = uri(batch.bucket(), o.key());
    if (!o.archived()) {
      return new RestoreRequestOutcome(
          o.key(),
          ALREADY_RESTORED,
          batch.tier(),
          o.storageClass() + " is not archived: readable as is");
    }
    RestoreTier tier = batch.tier();
    String note = null;
    if (!tier.availableFor(o.storageClass())) {
      tier = tier.forStorageClass(o.storageClass());
      note = "Deep Archive has no " + batch.tier().apiName() + " tier; requested " + tier.apiName();
      log.warn("{}: {}", uri, note);
    }
    try {
      return restoreObject(batch.bucket(), o.key(), tier, batch.days(), note);
    } catch (SdkException e) {
      if (tier == RestoreTier.EXPEDITED
          && batch.allowTierFallback()
          && EXPEDITED_UNAVAILABLE.equals(AwsFailures.errorCode(e))) {
        RestoreTier instead = tier.fallback();
        log.warn(
            "{}: Expedited retrieval capacity unavailable; falling back to {}",
            uri,
            instead.apiName());
        try {
          return restoreObject(
              batch.bucket(),
              o.key(),
              instead,
              batch.days(),
              "Expedited capacity unavailable ("
                  + EXPEDITED_UNAVAILABLE
                  + "); fell back to "
                  + instead.apiName());
        } catch (SdkException again) {
          throw AwsFailures.failure("RestoreObject", uri, again);
        }
      }
      throw AwsFailures.failure("RestoreObject", uri, e);
    }
  }

  /** One RestoreObject; the answers that mean "nothing more to do" become outcomes. */
  private RestoreRequestOutcome restoreObject(
      String bucket, String key, RestoreTier tier, int days, String note) {
    try {
      RestoreObjectResponse r =
          s3.restoreObject(
              b ->
                  b.bucket(bucket)
                      .key(key)
                      .restoreRequest(
                          rr -> rr.days(days).glacierJobParameters(g -> g.tier(tier.apiName()))));
      if (r.sdkHttpResponse().statusCode() == 200) {
        return new RestoreRequestOutcome(
            key,
            ALREADY_RESTORED,
            tier,
            join("restored copy already present; its expiry now runs " + days + " days", note));
      }
      return new RestoreRequestOutcome(
          key,
          STARTED,
          tier,
          join(tier.apiName() + " restore started for " + days + " days", note));
    } catch (AwsServiceException e) {
      String code = AwsFailures.errorCode(e);
      if (RESTORE_ALREADY_IN_PROGRESS.equals(code)) {
        return new RestoreRequestOutcome(
            key,
            ADOPTED,
            tier,
            join("a restore was already in progress (" + code + "); adopted it", note));
      }
      if (ALREADY_IN_ACTIVE_TIER.equals(code)) {
        return new RestoreRequestOutcome(
            key,
            ALREADY_RESTORED,
            tier,
            "object is in an active tier (" + code + "): nothing to restore");
      }
      throw e;
    }
  }

  // --------------------------------------------------------------------------------- check

  @Override
  public List<ReadyObject> checkRestored(ReadinessCheck check) {
    requireBucket(check.bucket());
    if (check.keys() == null || check.keys().isEmpty()) return List.of();
    Map<String, ObjectInfo> seen =
        check.prefix() != null
            ? listForCheck(check)
            : index(
                BoundedParallel.map(
                    "head", check.keys(), check.concurrency(), key -> head(check.bucket(), key)));

    List<String> missing = new ArrayList<>();
    List<String> notRequested = new ArrayList<>();
    List<String> inProgress = new ArrayList<>();
    List<ReadyObject> ready = new ArrayList<>();
    long restored = 0;
    for (String key : check.keys()) {
      ObjectInfo o = seen.get(key);
      if (o == null) {
        missing.add(key);
        continue;
      }
      switch (o.restore()) {
        case NOT_ARCHIVED -> ready.add(new ReadyObject(key, null));
        case RESTORED -> {
          ready.add(new ReadyObject(key, o.restoreExpiry()));
          restored++;
        }
        case IN_PROGRESS -> inProgress.add(key);
        case NONE -> notRequested.add(key);
      }
    }
    int n = check.keys().size();
    if (!missing.isEmpty()) {
      throw ApplicationFailure.newNonRetryableFailure(
          missing.size()
              + " of "
              + n
              + " objects no "
              + "longer exist in s3://"
              + check.bucket()
              + ": "
              + keyList(missing),
          ErrorTypes.NOT_FOUND);
    }
    if (!notRequested.isEmpty()) {
      throw ApplicationFailure.newNonRetryableFailure(
          notRequested.size()
              + " of "
              + n
              + " objects "
              + "are archived with no restore in progress and no restored copy (never requested, or "
              + "the copy expired): "
              + keyList(notRequested),
          ErrorTypes.INVALID_STATE);
    }
    if (!inProgress.isEmpty()) {
      throw ErrorTypes.notReady(
          ready.size() + " of " + n + " restored; waiting for " + keyList(inProgress));
    }
    metrics.count(Event.RESTORED, restored);
    return ready;
  }

  /**
   * ListObjectsV2 with restore status from {@code startAfter}, paging until every batch key was
   * seen or the listing passed the greatest of them.
   */
  private Map<String, ObjectInfo> listForCheck(ReadinessCheck check) {
    Set<String> wanted = new HashSet<>(check.keys());
    String last = check.keys().stream().max(S3ObjectStates.S3_KEY_ORDER).orElseThrow();
    Map<String, ObjectInfo> seen = new HashMap<>();
    Instant now = Instant.now();
    String token = null;
    boolean past;
    do {
      String continuation = token;
      ListObjectsV2Response r =
          AwsFailures.call(
              "ListObjectsV2",
              uri(check.bucket(), check.prefix()),
              () ->
                  s3.listObjectsV2(
                      b ->
                          b.bucket(check.bucket())
                              .prefix(check.prefix())
                              .startAfter(continuation == null ? check.startAfter() : null)
                              .continuationToken(continuation)
                              .optionalObjectAttributes(OptionalObjectAttributes.RESTORE_STATUS)));
      for (S3Object o : r.contents()) {
        if (wanted.contains(o.key())) seen.put(o.key(), S3ObjectStates.fromListing(o, now));
      }
      past =
          !r.contents().isEmpty()
              && S3ObjectStates.S3_KEY_ORDER.compare(
                      r.contents().get(r.contents().size() - 1).key(), last)
                  >= 0;
      token = Boolean.TRUE.equals(r.isTruncated()) ? r.nextContinuationToken() : null;
    } while (token != null && !past && seen.size() < wanted.size());
    return seen;
  }

  // ------------------------------------------------------------------------------- deliver

  @Override
  public DirectoryFacts checkDirectory(DirectoryCheck check) {
    DirectoryFacts facts =
        ConfinedDirectory.inspect(
            DIRECTORY_FIELD,
            check.directory(),
            check.bytesNeeded(),
            check.objects(),
            check.subdirectories(),
            freeSpace);
    log.info(
        "download directory {}: {}, {} bytes free for {} bytes{}; {} of {} subdirectories refused",
        facts.directory(),
        facts.exists() ? "exists" : "to be created",
        facts.usableBytes(),
        check.bytesNeeded(),
        facts.caseInsensitive() ? ", names differing in case are one file there" : "",
        facts.refusedSubdirectories().size(),
        check.subdirectories() == null ? 0 : check.subdirectories().size());
    return facts;
  }

  @Override
  public List<ObjectOutcome> deliver(DeliveryBatch batch) {
    requireBucket(batch.bucket());
    Delivery delivery =
        batch.delivery() == null || batch.delivery().mode() == null
            ? Delivery.none()
            : batch.delivery();
    ConfinedDirectory dir = null;
    Map<String, String> undeliverable = Map.of();
    if (delivery.mode() == DeliveryMode.DOWNLOAD) {
      dir = ConfinedDirectory.open(DIRECTORY_FIELD, delivery.directory());
      undeliverable =
          DeliveryPaths.undeliverable(
              batch.objects().stream().map(ObjectInfo::key).toList(),
              ConfinedDirectory.ignoresCase(dir.root()));
    }
    ConfinedDirectory confined = dir;
    Map<String, String> refusedKeys = undeliverable;

    ActivityExecutionContext ctx = Activity.getExecutionContext();
    Map<String, ObjectOutcome> done = new LinkedHashMap<>();
    ctx.getHeartbeatDetails(DeliveryProgress.class)
        .ifPresent(p -> p.done().forEach(o -> done.put(o.key(), o)));
    List<ObjectInfo> todo = remaining(batch.objects(), done.keySet());
    if (!done.isEmpty()) {
      log.info(
          "{}: resuming delivery from s3://{}: {} of {} done by an earlier attempt",
          workflowId(ctx),
          batch.bucket(),
          done.size(),
          batch.objects().size());
    }
    Runnable heartbeat = () -> ctx.heartbeat(new DeliveryProgress(List.copyOf(done.values())));
    BoundedParallel.map(
        "deliver",
        todo,
        batch.concurrency(),
        o ->
            refusedKeys.containsKey(o.key())
                ? refusedPath(batch.bucket(), o, refusedKeys.get(o.key()))
                : deliverOne(batch.bucket(), o, delivery, confined),
        (o, outcome) -> {
          done.put(o.key(), outcome);
          if (outcome.failed()) metrics.count(Event.FAILED);
          if (ObjectOutcome.DELIVERED.equals(outcome.outcome())) metrics.count(Event.DELIVERED);
          heartbeat.run();
        },
        HEARTBEAT_EVERY,
        heartbeat);
    List<ObjectOutcome> outcomes = inInputOrder(batch.objects(), done);
    log.info(
        "{}: delivery ({}) from s3://{}: {} objects, {} failed",
        workflowId(ctx),
        delivery.mode(),
        batch.bucket(),
        outcomes.size(),
        outcomes.stream().filter(ObjectOutcome::failed).count());
    return outcomes;
  }

  /**
   * One object's delivery. A non-retryable failure that concerns this object only (its restored
   * copy expired, it was deleted, its key cannot be a file) becomes its FAILED outcome; access
   * denied and every retryable failure fail the attempt.
   */
  private ObjectOutcome deliverOne(
      String bucket, ObjectInfo o, Delivery delivery, ConfinedDirectory dir) {
    try {
      return switch (delivery.mode()) {
        case NONE -> reportRestored(bucket, o);
        case DOWNLOAD -> downloader.download(bucket, o, dir);
        case COPY -> copier.copy(bucket, o, delivery);
      };
    } catch (ApplicationFailure f) {
      if (!f.isNonRetryable() || ErrorTypes.ACCESS_DENIED.equals(f.getType())) throw f;
      String reason =
          o.archived() && ErrorTypes.INVALID_STATE.equals(f.getType())
              ? ErrorTypes.RESTORE_EXPIRED
                  + ": no restored copy to read (it expired or was never "
                  + "made); request the restore again. "
                  + f.getOriginalMessage()
              : f.getType() + ": " + f.getOriginalMessage();
      log.warn("{}: delivery failed: {}", uri(bucket, o.key()), reason);
      return new ObjectOutcome(o.key(), o.storageClass(), o.size(), ObjectOutcome.FAILED, reason);
    }
  }

  /** A key that cannot get a path of its own ({@link DeliveryPaths}): failed, nothing written. */
  private static ObjectOutcome refusedPath(String bucket, ObjectInfo o, String why) {
    String reason = ErrorTypes.PATH_REFUSED + ": key '" + o.key() + "': " + why;
    log.warn("{}: delivery refused: {}", uri(bucket, o.key()), reason);
    return new ObjectOutcome(o.key(), o.storageClass(), o.size(), ObjectOutcome.FAILED, reason);
  }

  /** NONE: the restored copy stays where it is; report until when. */
  private ObjectOutcome reportRestored(String bucket, ObjectInfo o) {
    String uri = uri(bucket, o.key());
    if (!o.archived()) {
      return new ObjectOutcome(
          o.key(),
          o.storageClass(),
          o.size(),
          ObjectOutcome.NOT_NEEDED,
          uri + " is " + o.storageClass() + ": readable as is");
    }
    ObjectInfo now =
        o.restore() == RestoreState.RESTORED && o.restoreExpiry() != null
            ? o
            : head(bucket, o.key());
    return switch (now.restore()) {
      case RESTORED, NOT_ARCHIVED ->
          new ObjectOutcome(
              o.key(),
              o.storageClass(),
              o.size(),
              ObjectOutcome.RESTORED,
              uri + " expiry=" + now.restoreExpiry());
      case IN_PROGRESS -> throw ErrorTypes.notReady(uri + ": restore still in progress");
      case NONE ->
          throw ApplicationFailure.newNonRetryableFailure(
              uri + " has no restored copy", ErrorTypes.INVALID_STATE);
    };
  }

  // ------------------------------------------------------------------------------- helpers

  private ObjectInfo head(String bucket, String key) {
    return S3ObjectStates.fromHead(
        key,
        AwsFailures.call(
            "HeadObject", uri(bucket, key), () -> s3.headObject(r -> r.bucket(bucket).key(key))),
        Instant.now());
  }

  private static List<ObjectInfo> remaining(List<ObjectInfo> objects, Set<String> done) {
    return objects.stream().filter(o -> !done.contains(o.key())).toList();
  }

  private static <R> List<R> inInputOrder(List<ObjectInfo> objects, Map<String, R> byKey) {
    return objects.stream().map(o -> byKey.get(o.key())).toList();
  }

  private static Map<String, ObjectInfo> index(List<ObjectInfo> infos) {
    Map<String, ObjectInfo> out = new HashMap<>();
    infos.forEach(i -> out.put(i.key(), i));
    return out;
  }

  private static int offset(String pageToken, int size) {
    if (pageToken == null) return 0;
    try {
      int offset = Integer.parseInt(pageToken);
      if (offset >= 0 && offset <= size) return offset;
    } catch (NumberFormatException e) {
      // fall through
    }
    throw invalidInput(
        "pageToken: '" + pageToken + "' is not an offset into the " + size + " keys");
  }

  private static void requireBucket(String bucket) {
    if (bucket == null || bucket.isBlank()) throw invalidInput("bucket: required");
  }

  private static ApplicationFailure invalidInput(String message) {
    return ApplicationFailure.newNonRetryableFailure(message, ErrorTypes.INVALID_INPUT);
  }

  static String keyList(List<String> keys) {
    List<String> shown = keys.size() <= KEYS_IN_MESSAGES ? keys : keys.subList(0, KEYS_IN_MESSAGES);
    return String.join(", ", shown)
        + (keys.size() > shown.size() ? ", … (" + (keys.size() - shown.size()) + " more)" : "");
  }

  private static String join(String detail, String note) {
    return note == null ? detail : detail + "; " + note;
  }

  private static String uri(String bucket, String key) {
    return "s3://" + bucket + "/" + key;
  }

  private static String workflowId(ActivityExecutionContext ctx) {
    return ctx.getInfo().getWorkflowId();
  }
}
