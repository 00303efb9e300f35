package dev.dbops.workflows.binlog;

import dev.dbops.workflows.common.ApprovalPolicy;
import dev.dbops.workflows.common.Bounds;
import dev.dbops.workflows.common.DbLogin;
import dev.dbops.workflows.common.RdsIds;
import dev.dbops.workflows.common.TargetLocks;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Binlog catch-up from a source cluster to a replica (docs/procedures.md, binlog). JSON-friendly.
 *
 * @param replicaClusterId optional: read the start position from this restored cluster's RDS event
 *     when {@code startPosition} is not given
 * @param setRetentionHours call mysql.rds_set_configuration('binlog retention hours', N) on the
 *     source: 1..2160 here; the source check bounds it by the source's engine and version before
 *     any change (RDS for MySQL and Aurora MySQL before 2.11: 168; Aurora MySQL 2.11+ and 3: 2160)
 * @param heartbeatTable schema.table of a pt-heartbeat row on the source, for lag
 * @param approval who may decide errors and approve the cut-over
 * @param continueAfterEvents continue as new once a run's history passes this many events (default
 *     2,000; the journal, counters and decisions carry over)
 * @param carryOver set only by continue-as-new
 * @param writesStopped what proves the source's writes stopped before cut-over reads its final
 *     position (default {@link WritesStopped#READ_ONLY})
 * @param dryRun plan only: the source checks run read-only, nothing is set up, skipped or cut over
 */
public record BinlogCatchUpRequest(
    DbTarget source,
    DbTarget replica,
    String replicaClusterId,
    BinlogPosition startPosition,
    ReplicationUser replicationUser,
    Integer setRetentionHours,
    Boolean ssl,
    SkipPolicy skipPolicy,
    String heartbeatTable,
    Duration caughtUpWindow,
    Duration pollInterval,
    Duration monitorSlice,
    Duration decisionTimeout,
    ApprovalPolicy approval,
    String requestedBy,
    Integer continueAfterEvents,
    CarryOver carryOver,
    WritesStopped writesStopped,
    Boolean dryRun) {
  /**
   * The most any engine takes (Aurora MySQL 2.11+ and 3); the source check applies the engine's
   * own.
   */
  public static final int MAX_RETENTION_HOURS = 2160;

  /** A request without the fields added since (they take their defaults). */
  public BinlogCatchUpRequest(
      DbTarget source,
      DbTarget replica,
      String replicaClusterId,
      BinlogPosition startPosition,
      ReplicationUser replicationUser,
      Integer setRetentionHours,
      Boolean ssl,
      SkipPolicy skipPolicy,
      String heartbeatTable,
      Duration caughtUpWindow,
      Duration pollInterval,
      Duration monitorSlice,
      Duration decisionTimeout,
      ApprovalPolicy approval,
      String requestedBy,
      Integer continueAfterEvents,
      CarryOver carryOver) {
    this(
        source,
        replica,
        replicaClusterId,
        startPosition,
        replicationUser,
        setRetentionHours,
        ssl,
        skipPolicy,
        heartbeatTable,
        caughtUpWindow,
        pollInterval,
        monitorSlice,
        decisionTimeout,
        approval,
        requestedBy,
        continueAfterEvents,
        carryOver,
        null,
        null);
  }

  /** A request without the fields added since {@code writesStopped} (not a dry run). */
  public BinlogCatchUpRequest(
      DbTarget source,
      DbTarget replica,
      String replicaClusterId,
      BinlogPosition startPosition,
      ReplicationUser replicationUser,
      Integer setRetentionHours,
      Boolean ssl,
      SkipPolicy skipPolicy,
      String heartbeatTable,
      Duration caughtUpWindow,
      Duration pollInterval,
      Duration monitorSlice,
      Duration decisionTimeout,
      ApprovalPolicy approval,
      String requestedBy,
      Integer continueAfterEvents,
      CarryOver carryOver,
      WritesStopped writesStopped) {
    this(
        source,
        replica,
        replicaClusterId,
        startPosition,
        replicationUser,
        setRetentionHours,
        ssl,
        skipPolicy,
        heartbeatTable,
        caughtUpWindow,
        pollInterval,
        monitorSlice,
        decisionTimeout,
        approval,
        requestedBy,
        continueAfterEvents,
        carryOver,
        writesStopped,
        null);
  }

  public boolean isDryRun() {
    return Boolean.TRUE.equals(dryRun);
  }

  /** This request, marked to plan only and change nothing. */
  public BinlogCatchUpRequest asDryRun() {
    return new BinlogCatchUpRequest(
        source,
        replica,
        replicaClusterId,
        startPosition,
        replicationUser,
        setRetentionHours,
        ssl,
        skipPolicy,
        heartbeatTable,
        caughtUpWindow,
        pollInterval,
        monitorSlice,
        decisionTimeout,
        approval,
        requestedBy,
        continueAfterEvents,
        carryOver,
        writesStopped,
        Boolean.TRUE);
  }

  public WritesStopped writesStoppedOrDefault() {
    return writesStopped == null ? WritesStopped.READ_ONLY : writesStopped;
  }

  public SkipPolicy policyOrDefault() {
    return skipPolicy == null ? SkipPolicy.none() : skipPolicy;
  }

  /**
   * Zero by default: caught up is reported at the first poll that confirms the source's position
   * (SHOW SLAVE STATUS after the position wait). A window no longer guards the cut-over — the
   * monitor keeps watching until approval and the cut-over drains to the source's final position —
   * so waiting it out only delays the notice; it stays an option.
   */
  public Duration caughtUpWindowOrDefault() {
    return caughtUpWindow == null ? Duration.ZERO : caughtUpWindow;
  }

  public Duration pollIntervalOrDefault() {
    return pollInterval == null ? Duration.ofSeconds(1) : pollInterval;
  }

  public Duration monitorSliceOrDefault() {
    // status() sees lag, positions and new journal entries when a slice returns: 5 minutes keeps
    // it fresh at ~72 history events an hour (continue-as-new about daily at 2,000 events).
    return monitorSlice == null ? Duration.ofMinutes(5) : monitorSlice;
  }

  public Duration decisionTimeoutOrDefault() {
    return decisionTimeout == null ? Duration.ofHours(24) : decisionTimeout;
  }

  public int continueAfterEventsOrDefault() {
    return continueAfterEvents == null ? 2000 : continueAfterEvents;
  }

  public String defaultWorkflowId() {
    return "binlog/"
        + (replicaClusterId != null ? replicaClusterId : replica == null ? "" : replica.address());
  }

  /** What one open run at a time may act on: the replica server (and its cluster, when named). */
  public List<String> targets() {
    List<String> t = new ArrayList<>();
    if (isDryRun()) return t;
    if (replica != null) t.add(replica.lockTarget());
    if (replicaClusterId != null) t.add(TargetLocks.cluster(replicaClusterId));
    return t;
  }

  public BinlogCatchUpRequest continued(CarryOver next) {
    return new BinlogCatchUpRequest(
        source,
        replica,
        replicaClusterId,
        startPosition,
        replicationUser,
        setRetentionHours,
        ssl,
        skipPolicy,
        heartbeatTable,
        caughtUpWindow,
        pollInterval,
        monitorSlice,
        decisionTimeout,
        approval,
        requestedBy,
        continueAfterEvents,
        next,
        writesStopped,
        dryRun);
  }

  /**
   * This request with the skip mode a new run records ({@link SkipPolicy#DEFAULT_MODE}) when it
   * names none — a request without a policy gets the no-skip policy in that mode.
   */
  public BinlogCatchUpRequest withSkipModeDefault() {
    SkipPolicy resolved = policyOrDefault().withModeDefault();
    if (resolved.equals(skipPolicy)) return this;
    return new BinlogCatchUpRequest(
        source,
        replica,
        replicaClusterId,
        startPosition,
        replicationUser,
        setRetentionHours,
        ssl,
        resolved,
        heartbeatTable,
        caughtUpWindow,
        pollInterval,
        monitorSlice,
        decisionTimeout,
        approval,
        requestedBy,
        continueAfterEvents,
        carryOver,
        writesStopped,
        dryRun);
  }

  /** The problems of the request as a new run takes it (its skip mode default resolved first). */
  public List<String> problems() {
    return withSkipModeDefault().problems(true);
  }

  /**
   * The problems as runs recorded before the skip mode default and the never-applies rule judged
   * them: the request as given, without those rules (for replaying such runs).
   */
  List<String> problemsAsRecordedBeforeSkipModeDefault() {
    return problems(false);
  }

  private List<String> problems(boolean skipPolicyRules) {
    List<String> out = new ArrayList<>();
    if (source == null) out.add("source: required");
    else if (source.problem("source") != null) out.add(source.problem("source"));
    if (replica == null) out.add("replica: required");
    else if (replica.problem("replica") != null) out.add(replica.problem("replica"));
    if (source != null && replica != null && source.sameServerAs(replica)) {
      out.add(
          "replica: must not be the source ("
              + replica.address()
              + " names "
              + source.address()
              + ")");
    }
    if (replicaClusterId != null
        && !replicaClusterId.isBlank()
        && !RdsIds.valid(replicaClusterId)) {
      out.add(
          "replicaClusterId: '"
              + replicaClusterId
              + "' is not an RDS cluster identifier"
              + " (a letter, then letters, digits and single hyphens, at most 63)");
    }
    if (startPosition == null && (replicaClusterId == null || replicaClusterId.isBlank())) {
      out.add(
          "startPosition: required unless replicaClusterId names a restored cluster whose RDS event gives it");
    }
    if (startPosition != null
        && (startPosition.file() == null
            || !startPosition.file().matches("^[A-Za-z0-9._-]+\\.[0-9]{6}$")
            || startPosition.position() < 4)) {
      out.add(
          "startPosition: '" + startPosition + "' is not a binlog file.NNNNNN and position >= 4");
    }
    if (replicationUser == null
        || replicationUser.user() == null
        || replicationUser.user().isBlank()) {
      out.add("replicationUser.user: required");
    } else {
      String p =
          new DbLogin(replicationUser.user(), replicationUser.passwordRef())
              .problem("replicationUser");
      if (p != null) out.add(p);
    }
    if (setRetentionHours != null
        && (setRetentionHours < 1 || setRetentionHours > MAX_RETENTION_HOURS)) {
      out.add(
          "setRetentionHours: must be 1.."
              + MAX_RETENTION_HOURS
              + " (Aurora MySQL 2.11+ and 3; the source check"
              + " holds RDS for MySQL and older Aurora to 168), was "
              + setRetentionHours);
    }
    out.addAll(policyOrDefault().problems("skipPolicy", skipPolicyRules));
    if (heartbeatTable != null
        && !heartbeatTable.matches("^[A-Za-z0-9_$]{1,64}\\.[A-Za-z0-9_$]{1,64}$")) {
      out.add("heartbeatTable: '" + heartbeatTable + "' is not schema.table");
    }
    if (caughtUpWindow != null && caughtUpWindow.isNegative()) {
      out.add("caughtUpWindow: must not be negative, was " + caughtUpWindow);
    }
    positive(out, "pollInterval", pollInterval);
    positive(out, "monitorSlice", monitorSlice);
    positive(out, "decisionTimeout", decisionTimeout);
    if (isPositive(pollInterval)
        && isPositive(monitorSlice)
        && monitorSlice.compareTo(pollInterval) < 0) {
      out.add(
          "monitorSlice: must be at least pollInterval ("
              + pollInterval
              + "), was "
              + monitorSlice);
    }
    if (requestedBy == null || requestedBy.isBlank()) out.add("requestedBy: required");
    if (continueAfterEvents != null
        && (continueAfterEvents < 100 || continueAfterEvents > 40_000)) {
      out.add("continueAfterEvents: must be 100..40000, was " + continueAfterEvents);
    }
    ApprovalPolicy p = approval == null ? new ApprovalPolicy(List.of(), null, null) : approval;
    out.addAll(p.problems("approval", requestedBy));
    out.addAll(Bounds.problems(this, out)); // every duration, number and text within its bounds
    return out;
  }

  private static boolean isPositive(Duration d) {
    return d != null && !d.isNegative() && !d.isZero();
  }

  private static void positive(List<String> out, String field, Duration d) {
    if (d != null && (d.isNegative() || d.isZero()))
      out.add(field + ": must be positive, was " + d);
  }
}
