package dev.dbops.workflows.common;

/**
 * Signal payload: a person refuses the step the run is waiting on; the run fails.
 *
 * @param step, at, signature what the rejecter signed (see {@link SignedSignal}); null unsigned
 * @param check the worker's verdict on the signature, set by the worker
 */
public record Rejection(
    String by, String reason, String step, String at, String signature, ApproverCheck check)
    implements SignedSignal {
  public static final String DECISION = "reject";

  public Rejection(String by, String reason) {
    this(by, reason, null, null, null, null);
  }

  @Override
  public String text() {
    return reason;
  }

  @Override
  public String decision() {
    return DECISION;
  }

  @Override
  public Rejection withCheck(ApproverCheck c) {
    return new Rejection(by, reason, step, at, signature, c);
  }
}
