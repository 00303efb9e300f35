package dev.dbops.workflows.upgrade;

/**
 * @param action STARTED (ModifyDBCluster called), ALREADY_UPGRADING or ALREADY_AT_TARGET (a resumed
 *     run: nothing called)
 */
public record ModifyOutcome(String action, String clusterStatus, String engineVersion) {
  public static final String STARTED = "STARTED";
  public static final String ALREADY_UPGRADING = "ALREADY_UPGRADING";
  public static final String ALREADY_AT_TARGET = "ALREADY_AT_TARGET";
}
