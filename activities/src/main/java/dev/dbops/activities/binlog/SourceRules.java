package dev.dbops.activities.binlog;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** How the source checks judge what the source says. Pure. */
final class SourceRules {
  private SourceRules() {}

  static final String REPLICATION_SLAVE = "REPLICATION SLAVE";
  static final String REPLICATION_CLIENT = "REPLICATION CLIENT";
  /** Below this, a retention still works but a long catch-up or a pause may outlive the binlogs. */
  static final int RETENTION_WARN_BELOW_HOURS = 24;

  private static final Set<String> ROW_CAPABLE = Set.of("ROW", "MIXED");
  private static final Pattern GLOBAL_GRANT =
      Pattern.compile("^GRANT (.+?) ON \\*\\.\\* TO ", Pattern.CASE_INSENSITIVE);

  /** A problem for STATEMENT (and unknown) formats: row events replay what a statement may not. */
  static String formatProblem(String binlogFormat) {
    if (binlogFormat != null && ROW_CAPABLE.contains(binlogFormat.toUpperCase(Locale.ROOT))) return null;
    return "binlog_format is " + binlogFormat + "; it must be MIXED or ROW (set it in the cluster parameter group)";
  }

  /** The retention hours in a rds_show_configuration value: null when NULL (RDS then purges binlogs soon). */
  static Integer retentionHours(String value) {
    if (value == null || value.isBlank() || "NULL".equalsIgnoreCase(value.strip())) return null;
    try {
      return Integer.valueOf(value.strip());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /**
   * Which of REPLICATION SLAVE / REPLICATION CLIENT the SHOW GRANTS lines lack. Global grants
   * only; {@code ALL PRIVILEGES} has both; MariaDB 10.5+ shows REPLICATION CLIENT as
   * {@code BINLOG MONITOR} and accepts {@code REPLICATION REPLICA} for REPLICATION SLAVE. The
   * lines hold the password hash: callers must not log them.
   */
  static List<String> missingPrivileges(List<String> grantLines) {
    boolean slave = false;
    boolean client = false;
    for (String line : grantLines) {
      Matcher m = GLOBAL_GRANT.matcher(line.strip());
      if (!m.find()) continue;
      for (String p : m.group(1).split(",")) {
        String priv = p.strip().toUpperCase(Locale.ROOT).replaceAll("\\s+", " ");
        switch (priv) {
          case "ALL", "ALL PRIVILEGES" -> {
            slave = true;
            client = true;
          }
          case REPLICATION_SLAVE, "REPLICATION REPLICA" -> slave = true;
          case REPLICATION_CLIENT, "BINLOG MONITOR" -> client = true;
          default -> { }
        }
      }
    }
    List<String> missing = new ArrayList<>();
    if (!slave) missing.add(REPLICATION_SLAVE);
    if (!client) missing.add(REPLICATION_CLIENT);
    return missing;
  }
}
