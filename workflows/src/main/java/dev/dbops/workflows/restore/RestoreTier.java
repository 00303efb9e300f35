package dev.dbops.workflows.restore;

/** S3 retrieval tiers. Deep Archive has no EXPEDITED. */
public enum RestoreTier {
  EXPEDITED, STANDARD, BULK;

  /** The S3 API spelling ("Expedited", "Standard", "Bulk"). */
  public String apiName() {
    return name().charAt(0) + name().substring(1).toLowerCase();
  }
}
