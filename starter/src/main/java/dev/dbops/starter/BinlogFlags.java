package dev.dbops.starter;

import dev.dbops.workflows.binlog.BinlogCatchUpRequest;
import dev.dbops.workflows.binlog.BinlogPosition;
import dev.dbops.workflows.binlog.DbTarget;
import dev.dbops.workflows.binlog.DuplicateKeyResolution;
import dev.dbops.workflows.binlog.ForeignKeyMode;
import dev.dbops.workflows.binlog.MissingRowResolution;
import dev.dbops.workflows.binlog.ReplicationUser;
import dev.dbops.workflows.binlog.SkipMode;
import dev.dbops.workflows.binlog.SkipPolicy;
import dev.dbops.workflows.binlog.WritesStopped;
import dev.dbops.workflows.catalog.Procedure;
import dev.dbops.workflows.catalog.Procedures;
import dev.dbops.workflows.common.DbLogin;
import dev.dbops.workflows.common.MysqlErrno;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code binlog-catch-up} as flags; every one maps to a {@link BinlogCatchUpRequest} field. */
final class BinlogFlags implements ProcedureFlags<BinlogCatchUpRequest> {
  @Mixin ApprovalFlags approval;

  /** Errno names {@code --skip-errno} accepts besides numbers. */
  static final Map<String, Integer> ERRNO_NAMES =
      Map.of(
          "duplicate-key",
          MysqlErrno.ER_DUP_ENTRY.code(),
          "row-not-found",
          MysqlErrno.ER_KEY_NOT_FOUND.code(),
          "fk-parent",
          MysqlErrno.ER_ROW_IS_REFERENCED_2.code(),
          "fk-child",
          MysqlErrno.ER_NO_REFERENCED_ROW_2.code());

  @RequestField("source")
  @Option(
      names = "--source",
      paramLabel = "HOST:PORT",
      description = "the MySQL server replicated from")
  String source;

  @RequestField("source.login.user")
  @Option(
      names = "--source-user",
      paramLabel = "USER",
      description = "admin user on the source (checks, retention, replication user)")
  String sourceUser;

  @RequestField("source.login.passwordRef")
  @Option(
      names = "--source-password-ref",
      paramLabel = "REF",
      description = "env:NAME, file:/path or secretsmanager:ID — never the password itself")
  String sourcePasswordRef;

  @RequestField("replica")
  @Option(
      names = "--replica",
      paramLabel = "HOST:PORT",
      description = "the replica (RDS-style mysql.rds_* procedures)")
  String replica;

  @RequestField("replica.login.user")
  @Option(names = "--replica-user", paramLabel = "USER", description = "admin user on the replica")
  String replicaUser;

  @RequestField("replica.login.passwordRef")
  @Option(
      names = "--replica-password-ref",
      paramLabel = "REF",
      description = "env:NAME, file:/path or secretsmanager:ID — never the password itself")
  String replicaPasswordRef;

  @RequestField("replicaClusterId")
  @Option(
      names = "--replica-cluster",
      paramLabel = "ID",
      description =
          "restored cluster whose RDS event gives the start position (when --start-file is not given)")
  String replicaCluster;

  @RequestField("startPosition.file")
  @Option(
      names = "--start-file",
      paramLabel = "FILE",
      description = "source binlog file to start at, e.g. mysql-bin-changelog.000002")
  String startFile;

  @RequestField("startPosition.position")
  @Option(names = "--start-pos", paramLabel = "N", description = "position in --start-file")
  Long startPos;

  @RequestField("replicationUser.user")
  @Option(
      names = "--repl-user",
      paramLabel = "USER",
      description = "user the replica connects to the source as")
  String replUser;

  @RequestField("replicationUser.passwordRef")
  @Option(
      names = "--repl-password-ref",
      paramLabel = "REF",
      description = "env:NAME, file:/path or secretsmanager:ID — never the password itself")
  String replPasswordRef;

  @RequestField("replicationUser.create")
  @Option(
      names = "--create-repl-user",
      description = "create it on the source (REPLICATION SLAVE) if missing")
  boolean createReplUser;

  @RequestField("setRetentionHours")
  @Option(
      names = "--retention-hours",
      paramLabel = "N",
      description =
          "set the source's binlog retention hours (RDS for MySQL, Aurora MySQL < 2.11: 1..168;"
              + " Aurora MySQL 2.11+ and 3: 1..2160)")
  Integer retentionHours;

  @RequestField("ssl")
  @Option(names = "--ssl", description = "replicate over TLS")
  boolean ssl;

  @RequestField("skipPolicy.allowedErrnos")
  @Option(
      names = "--skip-errno",
      paramLabel = "ERRNO",
      description =
          "an error the run may skip without asking (repeatable): a number or duplicate-key (1062),"
              + " row-not-found (1032), fk-parent (1451), fk-child (1452)")
  List<String> skipErrnos;

  @RequestField("skipPolicy.errorPattern")
  @Option(
      names = "--error-pattern",
      paramLabel = "REGEX",
      description = "the error text must also match this")
  String errorPattern;

  @RequestField("skipPolicy.budget")
  @Option(
      names = "--skip-budget",
      paramLabel = "N",
      description = "at most N skips by policy, then a person decides (default 100)")
  Integer skipBudget;

  @RequestField("skipPolicy.foreignKeyMode")
  @Option(
      names = "--fk-mode",
      paramLabel = "stop|disable-checks",
      description =
          "foreign-key errors 1451/1452: stop and ask (default), or apply with FOREIGN_KEY_CHECKS=0")
  String fkMode;

  @RequestField("skipPolicy.mode")
  @Option(
      names = "--skip-mode",
      paramLabel = "statement|transaction",
      description =
          "statement (default): re-apply a conflicting transaction minus only the conflicting statement"
              + " or row (1062, 1032, 1452); transaction: a skip skips the whole transaction (and says how many rows"
              + " went with it)")
  String skipMode;

  @RequestField("skipPolicy.onDuplicateKey")
  @Option(
      names = "--on-duplicate-key",
      paramLabel = "keep-replica|take-source",
      description =
          "--skip-mode statement, 1062: keep the replica's row (default) or take the source's")
  String onDuplicateKey;

  @RequestField("skipPolicy.onMissingRow")
  @Option(
      names = "--on-missing-row",
      paramLabel = "skip|reinsert",
      description =
          "--skip-mode statement, 1032: leave the change out (default) or insert an update's after image")
  String onMissingRow;

  @RequestField("heartbeatTable")
  @Option(
      names = "--heartbeat-table",
      paramLabel = "SCHEMA.TABLE",
      description = "pt-heartbeat row on the source, for lag")
  String heartbeatTable;

  @RequestField("caughtUpWindow")
  @Option(
      names = "--caught-up-window",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description =
          "lag 0 for this long counts as caught up (default 0s: the first poll that confirms the"
              + " source's position)")
  Duration caughtUpWindow;

  @RequestField("writesStopped")
  @Option(
      names = "--writes-stopped",
      paramLabel = "read-only|hook",
      description =
          "cut-over: read-only (default) waits for read_only ON on the source before reading its final"
              + " position; hook trusts the before-cutover hook to stop the writers")
  String writesStopped;

  @RequestField("pollInterval")
  @Option(
      names = "--poll-interval",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "SHOW SLAVE STATUS every (default 1s)")
  Duration pollInterval;

  @RequestField("monitorSlice")
  @Option(
      names = "--monitor-slice",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "one monitoring activity runs this long (default 30m)")
  Duration monitorSlice;

  @RequestField("decisionTimeout")
  @Option(
      names = "--decision-timeout",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "fail when no one decides on an error within this (default 24h)")
  Duration decisionTimeout;

  @RequestField("requestedBy")
  @Option(
      names = "--requested-by",
      paramLabel = "NAME",
      defaultValue = "${env:USER:-${sys:user.name}}",
      description = "who asks for this run; may not decide or approve (default: $USER)")
  String requestedBy;

  @Override
  public Procedure<BinlogCatchUpRequest> procedure() {
    return Procedures.BINLOG_CATCH_UP;
  }

  @Override
  public BinlogCatchUpRequest toRequest() {
    if ((startFile == null) != (startPos == null)) {
      throw CliException.invalid("--start-file / --start-pos: give both or neither");
    }
    SkipPolicy policy =
        skipErrnos != null
                || errorPattern != null
                || skipBudget != null
                || fkMode != null
                || skipMode != null
                || onDuplicateKey != null
                || onMissingRow != null
            ? new SkipPolicy(
                errnos(),
                errorPattern,
                skipBudget,
                foreignKeyMode(),
                skipModeValue(),
                duplicateKey(),
                missingRow())
            : null;
    ReplicationUser repl =
        replUser == null && replPasswordRef == null && !createReplUser
            ? null
            : new ReplicationUser(replUser, replPasswordRef, createReplUser ? Boolean.TRUE : null);
    return new BinlogCatchUpRequest(
        target("--source", source, sourceUser, sourcePasswordRef),
        target("--replica", replica, replicaUser, replicaPasswordRef),
        replicaCluster,
        startFile == null ? null : new BinlogPosition(startFile, startPos),
        repl,
        retentionHours,
        ssl ? Boolean.TRUE : null,
        policy,
        heartbeatTable,
        caughtUpWindow,
        pollInterval,
        monitorSlice,
        decisionTimeout,
        approval.policy(),
        requestedBy,
        null,
        null,
        writesStoppedValue());
  }

  private WritesStopped writesStoppedValue() {
    if (writesStopped == null) return null;
    return switch (writesStopped.trim().toLowerCase(Locale.ROOT)) {
      case "read-only" -> WritesStopped.READ_ONLY;
      case "hook" -> WritesStopped.HOOK;
      default ->
          throw CliException.invalid(
              "--writes-stopped: '" + writesStopped + "' is not read-only or hook");
    };
  }

  private List<Integer> errnos() {
    if (skipErrnos == null) return null;
    List<Integer> out = new ArrayList<>();
    for (String e : skipErrnos) {
      String name = e.trim().toLowerCase(Locale.ROOT);
      Integer known = ERRNO_NAMES.get(name);
      if (known != null) {
        out.add(known);
      } else if (name.matches("[0-9]{1,5}")) {
        out.add(Integer.parseInt(name));
      } else {
        throw CliException.invalid(
            "--skip-errno: '"
                + e
                + "' is neither a number nor one of "
                + ERRNO_NAMES.keySet().stream().sorted().toList());
      }
    }
    return out;
  }

  private ForeignKeyMode foreignKeyMode() {
    if (fkMode == null) return null;
    return switch (fkMode.trim().toLowerCase(Locale.ROOT)) {
      case "stop" -> ForeignKeyMode.STOP_AND_ASK;
      case "disable-checks" -> ForeignKeyMode.DISABLE_CHECKS;
      default ->
          throw CliException.invalid("--fk-mode: '" + fkMode + "' is not stop or disable-checks");
    };
  }

  private SkipMode skipModeValue() {
    if (skipMode == null) return null;
    return switch (skipMode.trim().toLowerCase(Locale.ROOT)) {
      case "transaction" -> SkipMode.TRANSACTION;
      case "statement" -> SkipMode.STATEMENT;
      default ->
          throw CliException.invalid(
              "--skip-mode: '" + skipMode + "' is not transaction or statement");
    };
  }

  private DuplicateKeyResolution duplicateKey() {
    if (onDuplicateKey == null) return null;
    return switch (onDuplicateKey.trim().toLowerCase(Locale.ROOT)) {
      case "keep-replica" -> DuplicateKeyResolution.KEEP_REPLICA_ROW;
      case "take-source" -> DuplicateKeyResolution.TAKE_SOURCE_ROW;
      default ->
          throw CliException.invalid(
              "--on-duplicate-key: '" + onDuplicateKey + "' is not keep-replica or take-source");
    };
  }

  private MissingRowResolution missingRow() {
    if (onMissingRow == null) return null;
    return switch (onMissingRow.trim().toLowerCase(Locale.ROOT)) {
      case "skip" -> MissingRowResolution.SKIP_CHANGE;
      case "reinsert" -> MissingRowResolution.REINSERT;
      default ->
          throw CliException.invalid(
              "--on-missing-row: '" + onMissingRow + "' is not skip or reinsert");
    };
  }

  /**
   * HOST:PORT plus login, or null when none of it is given (the request then names what is
   * missing).
   */
  private static DbTarget target(String flag, String address, String user, String passwordRef) {
    if (address == null && user == null && passwordRef == null) return null;
    if (address == null) throw CliException.invalid(flag + ": required (HOST:PORT)");
    int colon = address.lastIndexOf(':');
    if (colon <= 0 || colon == address.length() - 1) {
      throw CliException.invalid(flag + ": '" + address + "' is not HOST:PORT");
    }
    int port;
    try {
      port = Integer.parseInt(address.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw CliException.invalid(
          flag + ": '" + address + "' is not HOST:PORT (port is not a number)");
    }
    return new DbTarget(
        address.substring(0, colon),
        port,
        user == null && passwordRef == null ? null : new DbLogin(user, passwordRef));
  }
}
