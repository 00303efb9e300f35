package dev.dbops.workflows.common;

import java.time.Duration;
import java.util.List;

/**
 * One procedure's run brought to its wait for people, for the cross-procedure safety rules ({@link
 * SafetyRulesTest}). Each run is requested by {@link #REQUESTER}; {@link #APPROVER} is the only
 * name on its approver list. Implementations live next to each procedure's test fakes.
 */
public interface GatedRun extends AutoCloseable {
  String REQUESTER = "bob";
  String APPROVER = "alice";

  /** Someone who is neither the requester nor on the list. */
  String OUTSIDER = "mallory";

  String procedure();

  /** Starts the run on a fresh test environment and lets it reach the step people must approve. */
  void startAndAwaitPeople();

  /** The phase the run waits in for people (e.g. {@code AWAITING_APPROVAL}). */
  String waitingPhase();

  String phase();

  void approve(Approval a);

  void reject(Rejection r);

  /** Every approval, rejection, decision and refusal the run recorded, in order. */
  List<ApprovalRecord> records();

  /**
   * Changes the approved step has made so far (restore requests, snapshots, deletes, cut-overs).
   */
  int gatedChanges();

  /** Lets test time pass, so signals sent so far are handled before the next query. */
  void sleep(Duration d);

  /** Waits for the run to end after the approval (the test clock skips ahead). */
  void awaitEnd();

  @Override
  void close();
}
