package dev.dbops.workflows.restore;

public enum DeliveryMode {
  /** Leave the temporary restored copy in place; report its expiry. */
  NONE,
  /** Download each object to a local directory, verify its checksum, resume on retry. */
  DOWNLOAD,
  /** CopyObject into a STANDARD object (same key in place, or another bucket/prefix). */
  COPY
}
