package dev.dbops.sandbox;

import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * One S3 object, immutable: changes (restore, copy in place) replace it. Restore state is a pure
 * function of {@link Restore} and "now", so nothing runs in the background.
 */
record StoredObject(
    String key,
    byte[] data,
    String etag,
    Instant lastModified,
    String storageClass,
    String contentType,
    Map<String, String> metadata,
    Restore restore) {

  /** Storage classes whose objects must be restored before they can be read. */
  static final Set<String> ARCHIVED_CLASSES = Set.of("GLACIER", "DEEP_ARCHIVE");

  /**
   * A restore request: the temporary copy exists from {@code completesAt} until {@code expiresAt}.
   */
  record Restore(String tier, int days, Instant completesAt, Instant expiresAt) {}

  StoredObject {
    metadata = Map.copyOf(metadata);
  }

  long size() {
    return data.length;
  }

  boolean archived() {
    return ARCHIVED_CLASSES.contains(storageClass);
  }

  RestoreState restoreState(Instant now) {
    if (!archived()) {
      return RestoreState.NOT_ARCHIVED;
    }
    if (restore == null || !now.isBefore(restore.expiresAt())) {
      return RestoreState.NONE;
    }
    return now.isBefore(restore.completesAt()) ? RestoreState.IN_PROGRESS : RestoreState.RESTORED;
  }

  /** The live restore (in progress or restored), or null once none or expired. */
  Restore activeRestore(Instant now) {
    RestoreState state = restoreState(now);
    return state == RestoreState.IN_PROGRESS || state == RestoreState.RESTORED ? restore : null;
  }

  /** GetObject / CopyObject may read it: not archived, or archived with a restored copy. */
  boolean readable(Instant now) {
    RestoreState state = restoreState(now);
    return state == RestoreState.NOT_ARCHIVED || state == RestoreState.RESTORED;
  }

  StoredObject withRestore(Restore r) {
    return new StoredObject(key, data, etag, lastModified, storageClass, contentType, metadata, r);
  }
}
