package dev.dbops.sandbox;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * S3 state of the sandbox: buckets, objects with storage classes, archive restores on the
 * compressed clock. The public methods are the in-process admin used by tests; the package-private
 * ones are the operations {@link S3Handler} serves. All state changes are serialized on this
 * object; restore progress and expiry are computed from the clock on read.
 */
public final class S3Sandbox {

  static final Set<String> STORAGE_CLASSES =
      Set.of(
          "STANDARD",
          "REDUCED_REDUNDANCY",
          "STANDARD_IA",
          "ONEZONE_IA",
          "INTELLIGENT_TIERING",
          "GLACIER",
          "DEEP_ARCHIVE",
          "GLACIER_IR",
          "OUTPOSTS",
          "EXPRESS_ONEZONE",
          "SNOW");
  static final Set<String> TIERS = Set.of("Expedited", "Standard", "Bulk");

  /** Outcome of a RestoreObject call that did not fail. */
  enum RestoreOutcome {
    /** A restore started (202). */
    STARTED,
    /** The object was already restored; its expiry moved (200). */
    EXTENDED
  }

  /** One page of ListObjectsV2. */
  record ListPage(
      List<StoredObject> contents,
      List<String> commonPrefixes,
      boolean truncated,
      String nextMarker) {}

  private final SandboxConfig config;
  private final Clock clock;
  private final Map<String, NavigableMap<String, StoredObject>> buckets = new TreeMap<>();
  private final Set<String> deniedBuckets = ConcurrentHashMap.newKeySet();

  S3Sandbox(SandboxConfig config, Clock clock) {
    this.config = config;
    this.clock = clock;
  }

  // ---- in-process admin -------------------------------------------------------------------

  /** Creates the bucket if absent. */
  public synchronized void createBucket(String bucket) {
    if (!validBucketName(bucket)) {
      throw new IllegalArgumentException("invalid bucket name: " + bucket);
    }
    buckets.computeIfAbsent(bucket, b -> new TreeMap<>());
  }

  /** Stores an object (creating the bucket if needed) in the given storage class, no restore. */
  public void putObject(String bucket, String key, byte[] data, String storageClass) {
    if (storageClass != null && !STORAGE_CLASSES.contains(storageClass)) {
      throw new IllegalArgumentException("unknown storage class: " + storageClass);
    }
    createBucket(bucket);
    put(bucket, key, data, storageClass, "application/octet-stream", Map.of());
  }

  /** From now on, every call on {@code bucket} answers 403 AccessDenied. */
  public void denyAccess(String bucket) {
    deniedBuckets.add(bucket);
  }

  /** Undoes {@link #denyAccess}. */
  public void allowAccess(String bucket) {
    deniedBuckets.remove(bucket);
  }

  public synchronized boolean exists(String bucket, String key) {
    NavigableMap<String, StoredObject> objects = buckets.get(bucket);
    return objects != null && objects.containsKey(key);
  }

  /**
   * @throws IllegalArgumentException when the object does not exist
   */
  public synchronized String storageClass(String bucket, String key) {
    return existing(bucket, key).storageClass();
  }

  /**
   * {@code NONE} (archived, not restored), {@code IN_PROGRESS}, {@code RESTORED} or {@code
   * NOT_ARCHIVED}, as of the sandbox clock.
   *
   * @throws IllegalArgumentException when the object does not exist
   */
  public synchronized String restoreState(String bucket, String key) {
    return existing(bucket, key).restoreState(clock.instant()).name();
  }

  /** When the restored copy expires (or null when there is no live restore). */
  public synchronized Instant restoreExpiry(String bucket, String key) {
    StoredObject.Restore r = existing(bucket, key).activeRestore(clock.instant());
    return r == null ? null : r.expiresAt();
  }

  public synchronized List<String> buckets() {
    return List.copyOf(buckets.keySet());
  }

  /** Object keys of {@code bucket} in order; empty when the bucket does not exist. */
  public synchronized List<String> keys(String bucket) {
    NavigableMap<String, StoredObject> objects = buckets.get(bucket);
    return objects == null ? List.of() : List.copyOf(objects.keySet());
  }

  /** A copy of the object's bytes. */
  public synchronized byte[] data(String bucket, String key) {
    return existing(bucket, key).data().clone();
  }

  private StoredObject existing(String bucket, String key) {
    NavigableMap<String, StoredObject> objects = buckets.get(bucket);
    StoredObject o = objects == null ? null : objects.get(key);
    if (o == null) {
      throw new IllegalArgumentException(
          "no object s3://" + bucket + "/" + key + " in the sandbox");
    }
    return o;
  }

  // ---- operations served over HTTP ----------------------------------------------------------

  Instant now() {
    return clock.instant();
  }

  void checkAccess(String bucket) {
    if (bucket != null && deniedBuckets.contains(bucket)) {
      throw S3Errors.accessDenied().exception();
    }
  }

  /** CreateBucket; false when it already existed. */
  synchronized boolean create(String bucket) {
    if (!validBucketName(bucket)) {
      throw S3Errors.invalidBucketName(bucket).exception();
    }
    return buckets.putIfAbsent(bucket, new TreeMap<>()) == null;
  }

  synchronized void deleteBucket(String bucket) {
    if (!bucket(bucket).isEmpty()) {
      throw new ServiceError(409, "BucketNotEmpty", "The bucket you tried to delete is not empty")
          .with("BucketName", bucket)
          .exception();
    }
    buckets.remove(bucket);
  }

  synchronized void headBucket(String bucket) {
    bucket(bucket);
  }

  synchronized StoredObject put(
      String bucket,
      String key,
      byte[] data,
      String storageClass,
      String contentType,
      Map<String, String> metadata) {
    String sc = storageClass == null || storageClass.isEmpty() ? "STANDARD" : storageClass;
    if (!STORAGE_CLASSES.contains(sc)) {
      throw S3Errors.invalidStorageClass(sc).exception();
    }
    StoredObject o =
        new StoredObject(
            key,
            data.clone(),
            etag(data),
            now().truncatedTo(ChronoUnit.MILLIS),
            sc,
            contentType == null ? "application/octet-stream" : contentType,
            metadata,
            null);
    bucket(bucket).put(key, o);
    return o;
  }

  synchronized StoredObject get(String bucket, String key) {
    StoredObject o = bucket(bucket).get(key);
    if (o == null) {
      throw S3Errors.noSuchKey(key).exception();
    }
    return o;
  }

  /** The object, if it can be read now; 403 InvalidObjectState when archived and not restored. */
  synchronized StoredObject readable(String bucket, String key) {
    StoredObject o = get(bucket, key);
    if (!o.readable(now())) {
      throw S3Errors.invalidObjectState(
              "The operation is not valid for the object's storage class", o.storageClass())
          .exception();
    }
    return o;
  }

  synchronized boolean delete(String bucket, String key) {
    return bucket(bucket).remove(key) != null;
  }

  synchronized RestoreOutcome restore(String bucket, String key, int days, String tier) {
    StoredObject o = get(bucket, key);
    if ("INTELLIGENT_TIERING".equals(o.storageClass())) {
      throw S3Errors.objectAlreadyInActiveTier()
          .exception(); // sandbox tiering objects stay in Frequent Access
    }
    if (!o.archived()) {
      throw S3Errors.invalidObjectState(
              "Restore is not allowed for the object's current storage class", o.storageClass())
          .exception();
    }
    if ("DEEP_ARCHIVE".equals(o.storageClass()) && "Expedited".equals(tier)) {
      throw S3Errors.deepArchiveExpedited().exception();
    }
    Instant now = now();
    Duration lifetime = config.dayLength().multipliedBy(days);
    switch (o.restoreState(now)) {
      case IN_PROGRESS -> throw S3Errors.restoreAlreadyInProgress().exception();
      case RESTORED -> {
        StoredObject.Restore r = o.restore();
        bucket(bucket)
            .put(
                key,
                o.withRestore(
                    new StoredObject.Restore(
                        r.tier(), days, r.completesAt(), wholeSecondAfter(now.plus(lifetime)))));
        return RestoreOutcome.EXTENDED;
      }
      default -> {
        Instant completes = now.plus(config.restoreDuration(o.storageClass(), tier));
        bucket(bucket)
            .put(
                key,
                o.withRestore(
                    new StoredObject.Restore(
                        tier, days, completes, wholeSecondAfter(completes.plus(lifetime)))));
        return RestoreOutcome.STARTED;
      }
    }
  }

  /**
   * CopyObject. {@code metadata}/{@code contentType} null means "copy from the source" (directive
   * COPY). Copying onto itself needs a change (storage class or REPLACE).
   */
  synchronized StoredObject copy(
      String srcBucket,
      String srcKey,
      String dstBucket,
      String dstKey,
      String storageClass,
      String contentType,
      Map<String, String> metadata) {
    StoredObject src = get(srcBucket, srcKey);
    bucket(dstBucket);
    boolean inPlace = srcBucket.equals(dstBucket) && srcKey.equals(dstKey);
    String sc = storageClass == null ? "STANDARD" : storageClass;
    if (inPlace && metadata == null && sc.equals(src.storageClass())) {
      throw S3Errors.invalidRequest(
              "This copy request is illegal because it is trying to copy an object to"
                  + " itself without changing the object's metadata, storage class, website redirect location"
                  + " or encryption attributes.")
          .exception();
    }
    if (!src.readable(now())) {
      throw S3Errors.invalidObjectState(
              "The source object of the COPY action is not in the active tier and"
                  + " is only stored in Amazon S3 Glacier.",
              src.storageClass())
          .exception();
    }
    return put(
        dstBucket,
        dstKey,
        src.data(),
        sc,
        contentType != null ? contentType : src.contentType(),
        metadata != null ? metadata : src.metadata());
  }

  synchronized ListPage list(
      String bucket, String prefix, String delimiter, String after, int maxKeys) {
    NavigableMap<String, StoredObject> objects = bucket(bucket);
    if (maxKeys <= 0) {
      return new ListPage(List.of(), List.of(), false, null);
    }
    String p = prefix == null ? "" : prefix;
    String d = delimiter == null || delimiter.isEmpty() ? null : delimiter;
    List<StoredObject> contents = new ArrayList<>();
    List<String> prefixes = new ArrayList<>();
    String last = null;
    NavigableMap<String, StoredObject> tail =
        after == null ? objects : objects.tailMap(after, false);
    for (StoredObject o : tail.values()) {
      String key = o.key();
      if (!key.startsWith(p)) {
        if (key.compareTo(p) > 0) {
          break;
        }
        continue;
      }
      String commonPrefix = null;
      if (d != null) {
        int at = key.indexOf(d, p.length());
        commonPrefix = at < 0 ? null : key.substring(0, at + d.length());
      }
      if (commonPrefix != null && commonPrefix.equals(last)) {
        continue; // still inside the common prefix just emitted
      }
      if (after != null && commonPrefix != null && commonPrefix.equals(after)) {
        continue; // resuming right after this common prefix
      }
      if (contents.size() + prefixes.size() == maxKeys) {
        return new ListPage(contents, prefixes, true, last);
      }
      if (commonPrefix != null) {
        prefixes.add(commonPrefix);
        last = commonPrefix;
      } else {
        contents.add(o);
        last = key;
      }
    }
    return new ListPage(contents, prefixes, false, null);
  }

  private NavigableMap<String, StoredObject> bucket(String bucket) {
    NavigableMap<String, StoredObject> objects = buckets.get(bucket);
    if (objects == null) {
      throw S3Errors.noSuchBucket(bucket).exception();
    }
    return objects;
  }

  /**
   * Expiry dates are shown with whole seconds (HTTP date in x-amz-restore); rounding up keeps the
   * header, the listing and the state in agreement. (S3 itself rounds up to the next midnight UTC.)
   */
  private static Instant wholeSecondAfter(Instant t) {
    Instant seconds = t.truncatedTo(ChronoUnit.SECONDS);
    return seconds.equals(t) ? t : seconds.plusSeconds(1);
  }

  /**
   * S3's rules, roughly: 3-63 of [a-z0-9.-], starting and ending alphanumeric (so never
   * "_sandbox").
   */
  static boolean validBucketName(String bucket) {
    return bucket != null
        && bucket.length() >= 3
        && bucket.length() <= 63
        && bucket.matches("[a-z0-9][a-z0-9.-]*[a-z0-9]");
  }

  static String etag(byte[] data) {
    try {
      return "\"" + HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data)) + "\"";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("MD5 is required of every JDK", e);
    }
  }
}
