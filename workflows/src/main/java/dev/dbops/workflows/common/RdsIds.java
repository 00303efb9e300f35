package dev.dbops.workflows.common;

import java.util.regex.Pattern;

/**
 * The RDS identifier rule every procedure checks its cluster, instance and snapshot ids by
 * (upgrade, rollback, staging, binlog catch-up): letters, digits and hyphens, at most 63, starting
 * with a letter, with no "--" and no trailing "-".
 */
public final class RdsIds {
  private RdsIds() {}

  public static final Pattern PATTERN =
      Pattern.compile("^[A-Za-z](?!.*--)[A-Za-z0-9-]{0,61}[A-Za-z0-9]$|^[A-Za-z]$");

  /** Whether {@code id} is a valid RDS identifier (null is not). */
  public static boolean valid(String id) {
    return id != null && PATTERN.matcher(id).matches();
  }
}
