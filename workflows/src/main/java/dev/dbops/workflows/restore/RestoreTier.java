package dev.dbops.workflows.restore;

/**
 * S3 retrieval tiers, and the one rule of which tier a storage class offers: Deep Archive has no
 * EXPEDITED. The planner (validation, cost, the dry run) and the restore activity both ask here.
 */
public enum RestoreTier {
  EXPEDITED,
  STANDARD,
  BULK;

  /** The storage class S3 restores with STANDARD or BULK only. */
  public static final String DEEP_ARCHIVE = "DEEP_ARCHIVE";

  /** The S3 API spelling ("Expedited", "Standard", "Bulk"). */
  public String apiName() {
    return name().charAt(0) + name().substring(1).toLowerCase();
  }

  /** Whether S3 restores objects of {@code storageClass} with this tier. */
  public boolean availableFor(String storageClass) {
    return this != EXPEDITED || !DEEP_ARCHIVE.equals(storageClass);
  }

  /**
   * The tier asked for instead when this one is impossible for a storage class or out of capacity,
   * and the request allows tier fallback: STANDARD (what Deep Archive offers fastest).
   */
  public RestoreTier fallback() {
    return this == EXPEDITED ? STANDARD : this;
  }

  /** This tier where S3 offers it for {@code storageClass}, else {@link #fallback()}. */
  public RestoreTier forStorageClass(String storageClass) {
    return availableFor(storageClass) ? this : fallback();
  }
}
