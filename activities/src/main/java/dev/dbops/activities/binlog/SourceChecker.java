package dev.dbops.activities.binlog;

import dev.dbops.activities.common.SecretResolver;
import dev.dbops.activities.mysql.MySqlConnector;
import dev.dbops.activities.mysql.SqlFailures;
import dev.dbops.activities.sql.ReplicationSql;
import dev.dbops.workflows.binlog.BinlogPosition;
import dev.dbops.workflows.binlog.ReplicationUser;
import dev.dbops.workflows.binlog.SourceCheck;
import dev.dbops.workflows.binlog.SourceReport;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The source pre-flight (docs/procedures.md, binlog step 1) on one connection as the source's
 * master user: binary log on, MIXED or ROW, binlog retention hours (set first when asked), the
 * replication user and its privileges (created when asked), and the current position.
 * Misconfiguration is a problem in the report, not an exception: the workflow shows them all at
 * once. A read-only check ({@link SourceCheck#isReadOnly}, a dry run) changes nothing: what it
 * would set, create or grant is no problem, and the report says how things are now.
 */
final class SourceChecker {
  private static final Logger log = LoggerFactory.getLogger(SourceChecker.class);

  /** ER_SP_DOES_NOT_EXIST: not an RDS / Aurora server (no mysql.rds_* procedures). */
  private static final int NO_SUCH_PROCEDURE = 1305;

  /** ER_NONEXISTING_GRANT: SHOW GRANTS for an account that does not exist. */
  private static final int NO_SUCH_GRANT = 1141;

  private final SqlSession src;
  private final SecretResolver secrets;
  private final MySqlConnector connector;
  private final SourceCheck check;
  private final List<String> problems = new ArrayList<>();
  private final List<String> warnings = new ArrayList<>();

  SourceChecker(
      SqlSession src, SecretResolver secrets, MySqlConnector connector, SourceCheck check) {
    this.src = src;
    this.secrets = secrets;
    this.connector = connector;
    this.check = check;
  }

  SourceReport check() {
    retentionBound();
    boolean[] logBin = new boolean[1];
    String[] format = new String[1];
    src.query(
        ReplicationSql.LOG_BIN_AND_FORMAT,
        rs -> {
          if (rs.next()) {
            logBin[0] = rs.getInt(1) == 1;
            format[0] = rs.getString(2);
          }
          return null;
        });
    if (!logBin[0]) {
      problems.add(
          "log_bin is OFF on "
              + src.where()
              + ": there is no binary log to replicate"
              + " (on Aurora, set binlog_format in the cluster parameter group and reboot)");
    }
    String formatProblem = SourceRules.formatProblem(format[0]);
    if (formatProblem != null) problems.add(formatProblem);
    Integer retention = retention();
    boolean userReady = replicationUser();
    BinlogPosition current = ReplicaReads.masterStatus(src).orElse(null);
    SourceReport report =
        new SourceReport(
            logBin[0],
            format[0],
            retention,
            userReady,
            current,
            List.copyOf(problems),
            List.copyOf(warnings));
    log.info(
        "source {}: log_bin {}, binlog_format {}, retention {} h, replication user {} {}, at {}; {} problems, "
            + "{} warnings",
        src.where(),
        logBin[0],
        format[0],
        retention,
        check.replicationUser().user(),
        userReady ? "ready" : "not ready",
        current,
        problems.size(),
        warnings.size());
    return report;
  }

  /**
   * Sets the retention first when asked, then reads it back. Read-only (a dry run): reads what it
   * is now, which the run would set when asked.
   */
  private Integer retention() {
    Integer wanted = check.setRetentionHours();
    if (wanted != null && !check.isReadOnly()) {
      try {
        src.updateRaw(ReplicationSql.SET_RETENTION_HOURS, wanted);
        log.info("source {}: binlog retention hours set to {}", src.where(), wanted);
      } catch (SQLException e) {
        if (SqlFailures.retryable(e))
          throw SqlFailures.failure(ReplicationSql.SET_RETENTION_HOURS + " on " + src.where(), e);
        problems.add(
            "could not set binlog retention hours to " + wanted + ": " + SqlFailures.describe(e));
      }
    }
    String[] value = new String[1];
    boolean[] found = new boolean[1];
    try {
      src.queryRaw(
          ReplicationSql.SHOW_CONFIGURATION,
          rs -> {
            while (rs.next()) {
              if (ReplicationSql.RETENTION_HOURS_NAME.equalsIgnoreCase(rs.getString("name"))) {
                found[0] = true;
                value[0] = rs.getString("value");
              }
            }
            return null;
          });
    } catch (SQLException e) {
      if (SqlFailures.retryable(e))
        throw SqlFailures.failure(ReplicationSql.SHOW_CONFIGURATION + " on " + src.where(), e);
      if (e.getErrorCode() == NO_SUCH_PROCEDURE) {
        warnings.add(
            "no mysql.rds_show_configuration on "
                + src.where()
                + " (not RDS or Aurora?): binlog retention"
                + " unknown; make sure the binary logs are kept until the replica has read them");
      } else {
        warnings.add(
            "binlog retention unknown: "
                + ReplicationSql.SHOW_CONFIGURATION
                + " failed: "
                + SqlFailures.describe(e));
      }
      return null;
    }
    Integer hours = SourceRules.retentionHours(value[0]);
    if (wanted != null && check.isReadOnly()) return hours;
    if (found[0] && hours == null) {
      problems.add(
          "binlog retention hours is NULL on "
              + src.where()
              + ": RDS purges binary logs as soon as it can,"
              + " before a replica can read them; set setRetentionHours (e.g. 168)");
    } else if (hours != null && hours < SourceRules.RETENTION_WARN_BELOW_HOURS) {
      warnings.add(
          "binlog retention is only "
              + hours
              + " h: a catch-up that pauses for a decision longer than that"
              + " loses its binary logs");
    }
    return hours;
  }

  /**
   * True when the user exists with REPLICATION SLAVE on *.* — directly or through a granted role —
   * after creating / granting when asked. REPLICATION CLIENT is not needed: the replica's
   * connection only reads the binary log.
   */
  private boolean replicationUser() {
    ReplicationUser u = check.replicationUser();
    List<String> hosts =
        src.query(
            ReplicationSql.USER_HOSTS,
            rs -> {
              List<String> out = new ArrayList<>();
              while (rs.next()) out.add(rs.getString(1));
              return out;
            },
            u.user());
    if (hosts.isEmpty()) {
      if (!u.createOrDefault()) {
        problems.add(
            "replication user '"
                + u.user()
                + "' does not exist on "
                + src.where()
                + " (set replicationUser.create to create it with REPLICATION SLAVE)");
        return false;
      }
      if (check.isReadOnly()) return false; // would be created
      String password = secrets.resolve(u.passwordRef());
      src.update(
          "CREATE USER '"
              + u.user()
              + "'@'%' IDENTIFIED BY <password from "
              + u.passwordRef()
              + ">",
          ReplicationSql.CREATE_USER,
          u.user(),
          ReplicationSql.NEW_USER_HOST,
          password);
      src.update(
          ReplicationSql.GRANT_REPLICATION,
          ReplicationSql.GRANT_REPLICATION,
          u.user(),
          ReplicationSql.NEW_USER_HOST);
      warnings.add("created replication user '" + u.user() + "'@'%' with REPLICATION SLAVE");
      log.info("source {}: created replication user '{}'@'%'", src.where(), u.user());
      return loginWorks(u, password);
    }
    List<String> lacking = new ArrayList<>();
    for (String host : hosts) {
      List<String> lines = grants(u.user(), host);
      List<String> missing = SourceRules.missingPrivileges(lines);
      if (missing.isEmpty()) return loginWorks(u, secrets.resolve(u.passwordRef()));
      SourceRules.Role role = replicationRole(lines);
      if (role != null) {
        warnings.add(
            "replication user '"
                + u.user()
                + "'@'"
                + host
                + "' holds REPLICATION SLAVE only through role "
                + role
                + ": replication works only while that role is active at login (SET DEFAULT ROLE)");
        return loginWorks(u, secrets.resolve(u.passwordRef()));
      }
      lacking.add(
          "'" + u.user() + "'@'" + host + "' lacks " + String.join(", ", missing) + " on *.*");
    }
    if (!u.createOrDefault()) {
      problems.add(
          "replication user: "
              + String.join("; ", lacking)
              + " (set replicationUser.create to grant REPLICATION SLAVE)");
      return false;
    }
    if (check.isReadOnly()) return false; // would be granted
    for (String host : hosts) {
      src.update(
          ReplicationSql.GRANT_REPLICATION, ReplicationSql.GRANT_REPLICATION, u.user(), host);
    }
    warnings.add(
        "granted REPLICATION SLAVE to existing replication user '"
            + u.user()
            + "' ("
            + String.join("; ", lacking)
            + ")");
    return loginWorks(u, secrets.resolve(u.passwordRef()));
  }

  /**
   * Before any change: the retention asked for against what the source's engine and version
   * (VERSION(), aurora_version) take. Past it, the input is refused (the run fails as invalid
   * input) and nothing is set, created or granted.
   */
  private void retentionBound() {
    Integer wanted = check.setRetentionHours();
    if (wanted == null) return;
    String version = src.query(ReplicationSql.VERSION, rs -> rs.next() ? rs.getString(1) : null);
    String aurora =
        src.query(ReplicationSql.AURORA_VERSION, rs -> rs.next() ? rs.getString(2) : null);
    SourceRules.RetentionLimit limit = SourceRules.retentionLimit(version, aurora);
    if (wanted <= limit.maxHours()) return;
    throw ReplicationActivitiesImpl.invalid(
        "setRetentionHours: "
            + wanted
            + " is more than "
            + src.where()
            + " takes: "
            + limit.engine()
            + " keeps binary logs at most "
            + limit.maxHours()
            + " hours (Aurora MySQL"
            + " 2.11 and later and 3: "
            + SourceRules.RETENTION_MAX_HOURS_AURORA
            + "; RDS for MySQL and older Aurora: "
            + SourceRules.RETENTION_MAX_HOURS_RDS
            + "); nothing was changed");
  }

  /**
   * The role through which the lines' account holds REPLICATION SLAVE (roles granted to roles
   * followed too, each once), or null.
   */
  private SourceRules.Role replicationRole(List<String> accountGrants) {
    ArrayDeque<SourceRules.Role> todo = new ArrayDeque<>(SourceRules.grantedRoles(accountGrants));
    Set<SourceRules.Role> seen = new HashSet<>();
    while (!todo.isEmpty()) {
      SourceRules.Role role = todo.poll();
      if (!seen.add(role)) continue;
      List<String> lines =
          role.host() == null ? roleGrants(role.name()) : grants(role.name(), role.host());
      if (SourceRules.missingPrivileges(lines).isEmpty()) return role;
      todo.addAll(SourceRules.grantedRoles(lines));
    }
    return null;
  }

  /** A MariaDB role's SHOW GRANTS lines. */
  private List<String> roleGrants(String role) {
    try {
      return src.queryRaw(
          ReplicationSql.SHOW_GRANTS_FOR_ROLE,
          rs -> {
            List<String> out = new ArrayList<>();
            while (rs.next()) out.add(rs.getString(1));
            return out;
          },
          role);
    } catch (SQLException e) {
      if (e.getErrorCode() == NO_SUCH_GRANT) return List.of();
      throw SqlFailures.failure("SHOW GRANTS FOR '" + role + "' on " + src.where(), e);
    }
  }

  /** The account's SHOW GRANTS lines (they hold the password hash: never logged). */
  private List<String> grants(String user, String host) {
    try {
      return src.queryRaw(
          ReplicationSql.SHOW_GRANTS_FOR,
          rs -> {
            List<String> out = new ArrayList<>();
            while (rs.next()) out.add(rs.getString(1));
            return out;
          },
          user,
          host);
    } catch (SQLException e) {
      if (e.getErrorCode() == NO_SUCH_GRANT) return List.of();
      throw SqlFailures.failure(
          "SHOW GRANTS FOR '" + user + "'@'" + host + "' on " + src.where(), e);
    }
  }

  /**
   * Logs in as the replication user with the password its reference resolves to, so a wrong
   * reference shows now rather than as IO error 1045 on the replica. From the worker, not the
   * replica: an account limited to the replica's address refuses it, which is only a warning.
   */
  private boolean loginWorks(ReplicationUser u, String password) {
    try (Connection c =
        connector.open(check.source().host(), check.source().port(), u.user(), password)) {
      return true;
    } catch (SQLException e) {
      if (SqlFailures.retryable(e))
        throw SqlFailures.failure("connect to " + src.where() + " as " + u.user(), e);
      warnings.add(
          "could not log in to "
              + src.where()
              + " as replication user '"
              + u.user()
              + "' with the password"
              + " from "
              + u.passwordRef()
              + " ("
              + SqlFailures.describe(e)
              + "); expected only if the account is"
              + " limited to the replica's address");
      return true;
    }
  }
}
