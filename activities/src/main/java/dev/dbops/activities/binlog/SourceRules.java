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

  /** Privileges on *.* that include REPLICATION SLAVE. */
  private static final Set<String> GRANTS_REPLICATION =
      Set.of("ALL", "ALL PRIVILEGES", REPLICATION_SLAVE, "REPLICATION REPLICA");

  /** Below this, a retention still works but a long catch-up or a pause may outlive the binlogs. */
  static final int RETENTION_WARN_BELOW_HOURS = 24;

  private static final Set<String> ROW_CAPABLE = Set.of("ROW", "MIXED");

  /**
   * GRANT privileges ON scope TO …: group 1 the privileges, group 2 the scope (db.table, *.*, …).
   */
  private static final Pattern PRIVILEGE_GRANT =
      Pattern.compile(
          "^GRANT\\s+(.+?)\\s+ON\\s+(?:(?:TABLE|FUNCTION|PROCEDURE)\\s+)?(\\S+)\\s+TO\\s",
          Pattern.CASE_INSENSITIVE);

  /** GRANT roles TO …: no ON. */
  private static final Pattern ROLE_GRANT =
      Pattern.compile("^GRANT\\s+(.+?)\\s+TO\\s", Pattern.CASE_INSENSITIVE);

  private static final Pattern ROLE_NAME =
      Pattern.compile(
          "^(`[^`]+`|'[^']+'|[A-Za-z0-9_$]+)(?:@(`[^`]*`|'[^']*'|[A-Za-z0-9_.%$-]+))?$");

  /**
   * mysql.rds_set_configuration's most 'binlog retention hours' on RDS for MySQL and Aurora MySQL
   * before 2.11.
   */
  static final int RETENTION_MAX_HOURS_RDS = 168;

  /** … on Aurora MySQL 2.11.0 and later and on Aurora MySQL 3 (90 days). */
  static final int RETENTION_MAX_HOURS_AURORA = 2160;

  private static final Pattern AURORA_VERSION = Pattern.compile("^(\\d+)\\.(\\d+)");

  /** The engine a source runs and the most binlog retention hours it takes. */
  record RetentionLimit(String engine, int maxHours) {}

  /**
   * The retention bound of the source's engine: Aurora MySQL (an {@code aurora_version} variable,
   * e.g. {@code 2.11.2} or {@code 3.04.0}) from 2.11 on takes 2,160 hours, older Aurora and
   * everything else (RDS for MySQL, MariaDB) 168.
   */
  static RetentionLimit retentionLimit(String version, String auroraVersion) {
    if (auroraVersion != null && !auroraVersion.isBlank()) {
      String engine =
          "Aurora MySQL "
              + auroraVersion.strip()
              + (version == null ? "" : " (MySQL " + version + ")");
      Matcher m = AURORA_VERSION.matcher(auroraVersion.strip());
      if (m.find()) {
        int major = Integer.parseInt(m.group(1));
        int minor = Integer.parseInt(m.group(2));
        if (major > 2 || major == 2 && minor >= 11)
          return new RetentionLimit(engine, RETENTION_MAX_HOURS_AURORA);
      }
      return new RetentionLimit(engine, RETENTION_MAX_HOURS_RDS);
    }
    return new RetentionLimit("MySQL " + version, RETENTION_MAX_HOURS_RDS);
  }

  /** A problem for STATEMENT (and unknown) formats: row events replay what a statement may not. */
  static String formatProblem(String binlogFormat) {
    if (binlogFormat != null && ROW_CAPABLE.contains(binlogFormat.toUpperCase(Locale.ROOT)))
      return null;
    return "binlog_format is "
        + binlogFormat
        + "; it must be MIXED or ROW (set it in the cluster parameter group)";
  }

  /**
   * The retention hours in a rds_show_configuration value: null when NULL (RDS then purges binlogs
   * soon).
   */
  static Integer retentionHours(String value) {
    if (value == null || value.isBlank() || "NULL".equalsIgnoreCase(value.strip())) return null;
    try {
      return Integer.valueOf(value.strip());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /**
   * What the SHOW GRANTS lines lack for replication: REPLICATION SLAVE on {@code *.*} (the only
   * privilege a replica's connection needs to read the binary log; REPLICATION CLIENT only lets it
   * run SHOW MASTER STATUS, which dbops does as the source's admin user). {@code ALL [PRIVILEGES]}
   * on {@code *.*} holds it; MariaDB 10.5+ also spells it {@code REPLICATION REPLICA}. Grants on a
   * schema or table do not count (the privilege is global). Empty when nothing is missing. The
   * lines hold the password hash: callers must not log them.
   */
  static List<String> missingPrivileges(List<String> grantLines) {
    for (String line : grantLines) {
      Matcher m = PRIVILEGE_GRANT.matcher(line.strip());
      if (!m.find() || !"*.*".equals(m.group(2))) continue;
      for (String p : topLevelItems(m.group(1))) {
        String priv = p.strip().toUpperCase(Locale.ROOT).replaceAll("\\s+", " ");
        if (GRANTS_REPLICATION.contains(priv)) return List.of();
      }
    }
    return List.of(REPLICATION_SLAVE);
  }

  /**
   * The roles the SHOW GRANTS lines grant the account ({@code GRANT `r` TO …} on MariaDB, {@code
   * GRANT `r`@`%` TO …} on MySQL 8), as name and host (null host: a MariaDB role).
   */
  static List<Role> grantedRoles(List<String> grantLines) {
    List<Role> out = new ArrayList<>();
    for (String line : grantLines) {
      String l = line.strip();
      if (PRIVILEGE_GRANT.matcher(l).find()) continue;
      Matcher m = ROLE_GRANT.matcher(l);
      if (!m.find()) continue;
      for (String item : topLevelItems(m.group(1))) {
        Matcher r = ROLE_NAME.matcher(item.strip());
        if (r.matches())
          out.add(new Role(unquote(r.group(1)), r.group(2) == null ? null : unquote(r.group(2))));
      }
    }
    return out;
  }

  /** A role granted to the replication user; {@code host} is null for MariaDB roles. */
  record Role(String name, String host) {
    @Override
    public String toString() {
      return host == null ? "'" + name + "'" : "'" + name + "'@'" + host + "'";
    }
  }

  /** Splits a comma list, leaving commas inside parentheses (column lists) or quotes alone. */
  private static List<String> topLevelItems(String list) {
    List<String> out = new ArrayList<>();
    int depth = 0;
    char quote = 0;
    int from = 0;
    for (int i = 0; i < list.length(); i++) {
      char ch = list.charAt(i);
      if (quote != 0) {
        if (ch == quote) quote = 0;
      } else if (ch == '`' || ch == '\'' || ch == '"') {
        quote = ch;
      } else if (ch == '(') {
        depth++;
      } else if (ch == ')') {
        depth--;
      } else if (ch == ',' && depth == 0) {
        out.add(list.substring(from, i));
        from = i + 1;
      }
    }
    out.add(list.substring(from));
    return out;
  }

  private static String unquote(String s) {
    String t = s.strip();
    if (t.length() >= 2
        && (t.charAt(0) == '`' || t.charAt(0) == '\'' || t.charAt(0) == '"')
        && t.charAt(t.length() - 1) == t.charAt(0)) {
      return t.substring(1, t.length() - 1);
    }
    return t;
  }
}
