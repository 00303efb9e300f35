package dev.dbops.workflows.restore;

import dev.dbops.workflows.common.ErrorTypes;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * S3 as the workflow sees it, on the test server's clock: a restore is ready a fixed time after it
 * was requested. Counts every call so tests can assert what did (not) happen.
 */
class FakeS3Restore implements S3RestoreActivities {
  final TreeMap<String, ObjectInfo> objects = new TreeMap<>();
  final Map<String, Long> requestedAt = new ConcurrentHashMap<>();
  final Map<String, Duration> restoreTime = new ConcurrentHashMap<>();
  final AtomicInteger listCalls = new AtomicInteger();
  final AtomicInteger restoreCalls = new AtomicInteger();
  final AtomicInteger checkCalls = new AtomicInteger();
  final AtomicInteger deliverCalls = new AtomicInteger();
  final List<RestoreTier> tiersRequested = new ArrayList<>();
  private final TestWorkflowEnvironment env;
  volatile String listFailureType;
  volatile String checkFailureType;

  /** checkDirectory's refusal (INVALID_INPUT) when set. */
  volatile String directoryRefusal;

  volatile boolean caseInsensitive;

  /** deliver's non-retryable PathRefused failure when set (the directory went bad mid-run). */
  volatile String deliveryRefusal;

  /** Subdirectories checkDirectory reports as links. */
  final java.util.Set<String> linkedSubdirectories =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  final List<DirectoryCheck> directoryChecks = new java.util.concurrent.CopyOnWriteArrayList<>();
  final List<RestoreBatch> restoreBatches = new java.util.concurrent.CopyOnWriteArrayList<>();

  FakeS3Restore(TestWorkflowEnvironment env) {
    this.env = env;
    restoreTime.put("GLACIER/EXPEDITED", Duration.ofMinutes(5));
    restoreTime.put("GLACIER/STANDARD", Duration.ofHours(4));
    restoreTime.put("GLACIER/BULK", Duration.ofHours(10));
    restoreTime.put("DEEP_ARCHIVE/STANDARD", Duration.ofHours(12));
    restoreTime.put("DEEP_ARCHIVE/BULK", Duration.ofHours(48));
  }

  FakeS3Restore put(String key, long size, String storageClass) {
    boolean archived = "GLACIER".equals(storageClass) || "DEEP_ARCHIVE".equals(storageClass);
    objects.put(
        key,
        new ObjectInfo(
            key,
            size,
            storageClass,
            archived ? RestoreState.NONE : RestoreState.NOT_ARCHIVED,
            null,
            "\"etag-" + key + "\""));
    return this;
  }

  @Override
  public ListPage listObjects(ListQuery q) {
    listCalls.incrementAndGet();
    if (listFailureType != null) {
      throw ApplicationFailure.newNonRetryableFailure(
          "NoSuchBucket: " + q.bucket(), listFailureType);
    }
    List<ObjectInfo> matching =
        q.keys() != null
            ? q.keys().stream().map(objects::get).filter(o -> o != null).toList()
            : objects.values().stream().filter(o -> o.key().startsWith(q.prefix())).toList();
    int from = q.pageToken() == null ? 0 : Integer.parseInt(q.pageToken());
    int to = Math.min(matching.size(), from + q.pageSize());
    return new ListPage(
        matching.subList(from, to), to < matching.size() ? String.valueOf(to) : null);
  }

  @Override
  public List<RestoreRequestOutcome> requestRestores(RestoreBatch batch) {
    restoreCalls.incrementAndGet();
    restoreBatches.add(batch);
    synchronized (tiersRequested) {
      tiersRequested.add(batch.tier());
    }
    List<RestoreRequestOutcome> out = new ArrayList<>();
    for (ObjectInfo o : batch.objects()) {
      boolean adopted =
          requestedAt.putIfAbsent(
                  o.key() + "|" + o.storageClass() + "/" + batch.tier(), env.currentTimeMillis())
              != null;
      out.add(
          new RestoreRequestOutcome(
              o.key(),
              adopted ? RestoreRequestOutcome.ADOPTED : RestoreRequestOutcome.STARTED,
              batch.tier(),
              ""));
    }
    return out;
  }

  @Override
  public List<ReadyObject> checkRestored(ReadinessCheck check) {
    checkCalls.incrementAndGet();
    if (checkFailureType != null) {
      throw ApplicationFailure.newNonRetryableFailure(
          "no restore for " + check.keys(), checkFailureType);
    }
    long now = env.currentTimeMillis();
    List<ReadyObject> ready = new ArrayList<>();
    for (String key : check.keys()) {
      ObjectInfo o = objects.get(key);
      Map.Entry<String, Long> req =
          requestedAt.entrySet().stream()
              .filter(e -> e.getKey().startsWith(key + "|"))
              .findFirst()
              .orElseThrow();
      String classTier = req.getKey().substring(key.length() + 1);
      if (now - req.getValue() >= restoreTime.get(classTier).toMillis()) {
        ready.add(
            new ReadyObject(key, Instant.ofEpochMilli(now).plus(Duration.ofDays(7)).toString()));
      }
    }
    if (ready.size() < check.keys().size()) {
      throw ErrorTypes.notReady(ready.size() + " of " + check.keys().size() + " restored");
    }
    return ready;
  }

  @Override
  public DirectoryFacts checkDirectory(DirectoryCheck check) {
    directoryChecks.add(check);
    if (directoryRefusal != null) {
      throw ApplicationFailure.newNonRetryableFailure(directoryRefusal, ErrorTypes.INVALID_INPUT);
    }
    Map<String, String> refused = new java.util.LinkedHashMap<>();
    for (String sub : check.subdirectories()) {
      if (linkedSubdirectories.contains(sub))
        refused.put(sub, "/restore/" + sub + " is a symbolic link");
    }
    return new DirectoryFacts(check.directory(), true, caseInsensitive, Long.MAX_VALUE, refused);
  }

  @Override
  public List<ObjectOutcome> deliver(DeliveryBatch batch) {
    deliverCalls.incrementAndGet();
    if (deliveryRefusal != null) {
      throw ApplicationFailure.newNonRetryableFailure(deliveryRefusal, ErrorTypes.PATH_REFUSED);
    }
    return batch.objects().stream()
        .map(
            o ->
                new ObjectOutcome(
                    o.key(),
                    o.storageClass(),
                    o.size(),
                    ObjectOutcome.DELIVERED,
                    batch.delivery().directory() + "/" + o.key()))
        .toList();
  }
}
