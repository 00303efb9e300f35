package dev.dbops.workflows.common;

/**
 * A person's signal that may carry an SSHSIG signature ({@link Approval}, {@link Rejection}, {@link
 * Abort}, the binlog error decision): the fields the signature covers, and the worker's {@link
 * ApproverCheck} that {@link ApproverCheckInterceptor} puts on it before the handler runs.
 */
public interface SignedSignal {
  String by();

  /** The comment or reason. */
  String text();

  /** {@code approve}, {@code reject}, {@code decide <action>} or {@code abort}. */
  String decision();

  /** The step the signer meant (the approval gate's step, {@code decide} or {@code abort}). */
  String step();

  /** When it was signed (ISO-8601), or null. */
  String at();

  /** The armored SSHSIG signature, or null. */
  String signature();

  /**
   * Set by the worker, never trusted from the sender; null for signals from before the check
   * existed.
   */
  ApproverCheck check();

  SignedSignal withCheck(ApproverCheck check);

  /**
   * Why a handler must record {@code s} as refused, or null: the worker refused its signature, or
   * it was signed for another step than the one waiting. The one refusal rule every handler asks.
   */
  static String refusal(SignedSignal s, String waitingStep) {
    if (s == null || s.check() == null) return null;
    if (s.check().refuses()) return "approver not verified: " + s.check().detail();
    if (s.check().verifies() && waitingStep != null && !waitingStep.equals(s.step())) {
      return "signed for step '" + s.step() + "' but the run waits on '" + waitingStep + "'";
    }
    return null;
  }
}
