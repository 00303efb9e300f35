package dev.dbops.workflows.binlog;

import dev.dbops.workflows.common.ApproverCheck;
import dev.dbops.workflows.common.SignedSignal;

/**
 * Signal payload: a person's decision on a replication error the policy did not cover.
 *
 * @param action SKIP (journal and skip this one event group), RETRY (restart the SQL thread as is,
 *     e.g. after fixing data by hand) or ABORT (stop; replication stays stopped)
 * @param step, at, signature what the person signed (see {@link SignedSignal}; step is {@code
 *     decide})
 * @param check the worker's verdict on the signature, set by the worker
 */
public record ErrorDecision(
    String action,
    String by,
    String reason,
    String step,
    String at,
    String signature,
    ApproverCheck check)
    implements SignedSignal {
  public static final String SKIP = "SKIP";
  public static final String RETRY = "RETRY";
  public static final String ABORT = "ABORT";

  /** The step a decision is signed for. */
  public static final String STEP = "decide";

  public ErrorDecision(String action, String by, String reason) {
    this(action, by, reason, null, null, null, null);
  }

  @Override
  public String text() {
    return reason;
  }

  @Override
  public String decision() {
    return "decide " + action;
  }

  @Override
  public ErrorDecision withCheck(ApproverCheck c) {
    return new ErrorDecision(action, by, reason, step, at, signature, c);
  }
}
