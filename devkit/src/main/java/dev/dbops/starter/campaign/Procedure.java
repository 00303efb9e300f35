package dev.dbops.starter.campaign;

import java.util.List;
import java.util.Locale;

/**
 * The procedures a campaign runs, in rotation order, with what the campaign needs to know about
 * each: where it waits for a person, which poll activity it repeats while it waits on AWS, and
 * which mutating AWS calls a kill can be aimed at while they are in flight.
 */
public enum Procedure {
  RESTORE("glacier-restore", "AWAITING_APPROVAL", "CheckRestored", List.of("RestoreObject")),
  UPGRADE(
      "upgrade",
      "AWAITING_APPROVAL",
      "CheckUpgrade",
      List.of("CreateDBClusterSnapshot", "ModifyDBCluster")),
  /** Its only activity worth aiming at is the replication monitor while it journals and skips. */
  BINLOG("binlog-catch-up", "AWAITING_CUTOVER", null, List.of(RunPlan.MONITOR)),
  STAGING(
      "staging-rebuild",
      "GRACE",
      "StagingCheckRestoredClusterReady",
      List.of(
          "CreateDBClusterSnapshot",
          "CopyDBClusterSnapshot",
          "RestoreDBClusterFromSnapshot",
          "CreateDBInstance",
          "ChangeResourceRecordSets"));

  private final String cliName;
  private final String approvalPhase;
  private final String pollActivity;
  private final List<String> activityTargets;

  Procedure(
      String cliName, String approvalPhase, String pollActivity, List<String> activityTargets) {
    this.cliName = cliName;
    this.approvalPhase = approvalPhase;
    this.pollActivity = pollActivity;
    this.activityTargets = activityTargets;
  }

  /** The name {@code dbops start} takes. */
  public String cliName() {
    return cliName;
  }

  /** The phase {@code status()} reports while the run waits for the campaign's approval. */
  public String approvalPhase() {
    return approvalPhase;
  }

  /**
   * The activity type of the poll that waits on AWS (as Temporal names it: staging activities carry
   * the prefix {@code Staging}), or null when the procedure has none to aim at.
   */
  public String pollActivity() {
    return pollActivity;
  }

  /**
   * What an ACTIVITY kill can be aimed at: AWS operations held in flight, or {@link
   * RunPlan#MONITOR}.
   */
  public List<String> activityTargets() {
    return activityTargets;
  }

  /** WAIT kills: the approval wait, and the poll wait where the procedure has one. */
  public List<String> waitTargets() {
    return pollActivity == null
        ? List.of(RunPlan.APPROVAL_WAIT)
        : List.of(RunPlan.APPROVAL_WAIT, RunPlan.POLL_WAIT);
  }

  /**
   * {@code restore} or {@code glacier-restore}, {@code binlog} or {@code binlog-catch-up}, … (any
   * case).
   */
  public static Procedure parse(String name) {
    String n = name.strip().toLowerCase(Locale.ROOT);
    for (Procedure p : values()) {
      if (p.cliName.equals(n) || p.name().toLowerCase(Locale.ROOT).equals(n)) return p;
    }
    throw new IllegalArgumentException(
        "unknown procedure '" + name + "' (restore, upgrade, binlog, staging)");
  }
}
