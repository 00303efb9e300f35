package dev.dbops.workflows.common;

/**
 * An approval, rejection or refused signal as recorded in status and result.
 *
 * @param signer who the worker verified signed it (principal, key, allowed-signers line), or null
 *     when it was not checked (no allowed-signers file, a refusal, or a run from before the check)
 */
public record ApprovalRecord(
    String step, String by, String comment, String at, String outcome, String signer) {
  public static final String APPROVED = "approved";
  public static final String REJECTED = "rejected";
  public static final String REFUSED = "refused";

  public ApprovalRecord(String step, String by, String comment, String at, String outcome) {
    this(step, by, comment, at, outcome, null);
  }

  /** The verified signer of {@code s}, for {@link #signer}. */
  public static String signerOf(SignedSignal s) {
    return s != null && s.check() != null && s.check().verifies() ? s.check().detail() : null;
  }
}
