package dev.dbops.workflows.restore;

/**
 * What RestoreObject did for one object.
 *
 * @param action STARTED, ADOPTED (already in progress), ALREADY_RESTORED
 * @param tierUsed the tier actually requested (differs from the request after a fallback)
 */
public record RestoreRequestOutcome(
    String key, String action, RestoreTier tierUsed, String detail) {
  public static final String STARTED = "STARTED";
  public static final String ADOPTED = "ADOPTED";
  public static final String ALREADY_RESTORED = "ALREADY_RESTORED";
}
