package dev.dbops.workflows.binlog;

import dev.dbops.workflows.binlog.BinlogPhase.Phase;
import dev.dbops.workflows.common.PlanStep;
import dev.dbops.workflows.common.Runbook;
import dev.dbops.workflows.common.Step;
import java.util.ArrayList;
import java.util.List;

/**
 * The steps of a binlog catch-up, declared once: {@link BinlogCatchUpWorkflowImpl} runs them and
 * the dry run renders them, each with the exact SQL and RDS calls it makes (passwords by reference
 * only), from the request and what the read-only source check found.
 */
final class BinlogSteps {
  private BinlogSteps() {}

  /** What the plan is rendered from: the request, the source check, the start position. */
  record Facts(BinlogCatchUpRequest request, SourceReport source, BinlogPosition start) {}

  static final Step<Phase, Facts> CHECK_SOURCE =
      Step.lines("check source", Phase.CHECKING_SOURCE, BinlogSteps::sourceLines);

  static final Step<Phase, Facts> START_POSITION =
      Step.<Phase, Facts>of(
              "read start position",
              Phase.CHECKING_SOURCE,
              f ->
                  "DescribeEvents SourceType=db-cluster SourceIdentifier="
                      + f.request().replicaClusterId()
                      + " Duration=20160",
              f -> "\"Binlog position from crash recovery is <file> <position>\": " + f.start())
          .when(f -> f.request().startPosition() == null);

  static final Step<Phase, Facts> SET_UP =
      Step.<Phase, Facts>of(
              "set up replication",
              Phase.SETTING_UP,
              f ->
                  "CALL mysql.rds_set_external_master('"
                      + f.request().source().host()
                      + "', "
                      + f.request().source().port()
                      + ", '"
                      + f.request().replicationUser().user()
                      + "', <password from "
                      + f.request().replicationUser().passwordRef()
                      + ">, '"
                      + f.start().file()
                      + "', "
                      + f.start().position()
                      + ", "
                      + (Boolean.TRUE.equals(f.request().ssl()) ? 1 : 0)
                      + "); CALL mysql.rds_start_replication",
              f ->
                  "on replica "
                      + f.request().replica().address()
                      + "; adopted as is when it already replicates from "
                      + f.request().source().address()
                      + "; a GTID source: mysql.rds_set_external_master_with_auto_position")
          .hookBefore("before-replication")
          .changes();

  static final Step<Phase, Facts> CATCH_UP =
      Step.of(
          "catch up",
          Phase.CATCHING_UP,
          f ->
              "SHOW SLAVE STATUS every "
                  + f.request().pollIntervalOrDefault()
                  + (f.request().policyOrDefault().allowedOrEmpty().isEmpty()
                      ? ""
                      : "; errno "
                          + f.request().policyOrDefault().allowedOrEmpty()
                          + " skipped ("
                          + f.request().policyOrDefault().modeOrDefault()
                          + " mode, CALL mysql.rds_skip_repl_error), journaled first in"
                          + " dbops_journal.skipped_events"),
          f ->
              "on replica "
                  + f.request().replica().address()
                  + ": budget "
                  + f.request().policyOrDefault().budgetOrDefault()
                  + " skips, a monitor slice every "
                  + f.request().monitorSliceOrDefault()
                  + ", continue as new after "
                  + f.request().continueAfterEventsOrDefault()
                  + " events");

  static final Step<Phase, Facts> DECIDE =
      Step.of(
          "decide",
          Phase.AWAITING_DECISION,
          f -> "wait for signal decide (skip | retry | abort)",
          f ->
              "on an error the policy does not cover: one of "
                  + f.request().approval().approversOrEmpty()
                  + " within "
                  + f.request().decisionTimeoutOrDefault());

  static final Step<Phase, Facts> APPROVE =
      Step.approval("approve cut-over", Phase.AWAITING_CUTOVER, f -> f.request().approval());

  static final Step<Phase, Facts> CUT_OVER =
      Step.<Phase, Facts>lines("cut over", Phase.CUTTING_OVER, BinlogSteps::cutOverLines)
          .hookBefore("before-cutover")
          .hookAfter("after-cutover")
          .changes();

  static final Runbook<Phase, Facts> STEPS =
      Runbook.of(CHECK_SOURCE, START_POSITION, SET_UP, CATCH_UP, DECIDE, APPROVE, CUT_OVER);

  private static List<PlanStep> sourceLines(Facts f) {
    BinlogCatchUpRequest r = f.request();
    String on = "on source " + r.source().address();
    ReplicationUser u = r.replicationUser();
    List<PlanStep> out = new ArrayList<>();
    out.add(
        new PlanStep(
            "check source",
            "SELECT @@global.log_bin, @@global.binlog_format; CALL mysql.rds_show_configuration;"
                + " SELECT Host FROM mysql.user WHERE User = '"
                + u.user()
                + "'; SHOW GRANTS FOR '"
                + u.user()
                + "'@<host>; SHOW MASTER STATUS",
            on + found(f.source(), u)));
    if (r.setRetentionHours() != null) {
      out.add(
          new PlanStep(
              "set binlog retention",
              "CALL mysql.rds_set_configuration('binlog retention hours', "
                  + r.setRetentionHours()
                  + ")",
              on + " (after SELECT @@global.version bounds it by the engine)"));
    }
    if (u.createOrDefault() && (f.source() == null || !f.source().replicationUserReady())) {
      out.add(
          new PlanStep(
              "create replication user",
              "CREATE USER '"
                  + u.user()
                  + "'@'%' IDENTIFIED BY <password from "
                  + u.passwordRef()
                  + ">; GRANT REPLICATION SLAVE ON *.* TO '"
                  + u.user()
                  + "'@'%'",
              on + " (an existing account is only granted REPLICATION SLAVE)"));
    }
    return out;
  }

  /** The read-only source check's results, as the plan shows them. */
  private static String found(SourceReport s, ReplicationUser u) {
    if (s == null) return "";
    return ": log_bin "
        + (s.logBin() ? "ON" : "OFF")
        + ", binlog_format "
        + s.binlogFormat()
        + ", retention "
        + (s.retentionHours() == null ? "unknown" : s.retentionHours() + " h")
        + ", replication user '"
        + u.user()
        + "' "
        + (s.replicationUserReady() ? "ready" : "not ready")
        + ", at "
        + s.current();
  }

  private static List<PlanStep> cutOverLines(Facts f) {
    BinlogCatchUpRequest r = f.request();
    String source = "on source " + r.source().address();
    String replica = "on replica " + r.replica().address();
    return List.of(
        new PlanStep(
            "writes stopped",
            (r.writesStoppedOrDefault() == WritesStopped.READ_ONLY
                    ? "SHOW GLOBAL VARIABLES WHERE Variable_name IN ('read_only', 'super_read_only')"
                        + " every "
                        + BinlogCatchUpWorkflowImpl.FINAL_POSITION_POLL
                        + " until ON; "
                    : "")
                + "SHOW MASTER STATUS (the final position)",
            source + ", within " + r.decisionTimeoutOrDefault()),
        new PlanStep(
            "drain",
            "SHOW SLAVE STATUS until executed = the final position",
            replica + "; errors handled as while catching up"),
        new PlanStep(
            "cut over",
            "CALL mysql.rds_stop_replication; CALL mysql.rds_reset_external_master",
            replica + ", only at exactly the final position"));
  }
}
