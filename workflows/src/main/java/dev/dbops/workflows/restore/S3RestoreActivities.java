package dev.dbops.workflows.restore;

import io.temporal.activity.ActivityInterface;
import java.util.List;

/**
 * The S3 side of a Glacier restore. Every method is idempotent and classifies failures through
 * {@link dev.dbops.workflows.common.ErrorTypes}: NoSuchBucket / NoSuchKey → NOT_FOUND, AccessDenied
 * → ACCESS_DENIED (non-retryable); throttling / 5xx / dropped connections retry.
 */
@ActivityInterface
public interface S3RestoreActivities {
  /** One page of the inventory with storage class and restore state per object. */
  ListPage listObjects(ListQuery query);

  /**
   * RestoreObject for each object. 409 RestoreAlreadyInProgress → ADOPTED; 200 → ALREADY_RESTORED;
   * Expedited unavailable (503) → STANDARD when fallback is allowed, else retryable.
   */
  List<RestoreRequestOutcome> requestRestores(RestoreBatch batch);

  /**
   * One check: returns every object with its expiry when all are restored; otherwise throws a
   * retryable NOT_READY failure ("k of n restored"). An object with no restore at all (never
   * requested, or expired) fails non-retryably with INVALID_STATE naming the keys.
   */
  List<ReadyObject> checkRestored(ReadinessCheck check);

  /**
   * Read-only look at DOWNLOAD's directory on the worker: absolute, not a symbolic link, a writable
   * directory (or creatable under a writable one), with free space for the objects. Anything else
   * fails non-retryably with INVALID_INPUT naming {@code delivery.directory}.
   */
  DirectoryFacts checkDirectory(DirectoryCheck check);

  /** Download (checksum-verified, resumable) or copy to STANDARD; one outcome per object. */
  List<ObjectOutcome> deliver(DeliveryBatch batch);
}
