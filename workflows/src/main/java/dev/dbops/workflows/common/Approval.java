package dev.dbops.workflows.common;

/**
 * Signal payload: a person approves the step the run is waiting on.
 *
 * @param step, at, signature what the approver signed (see {@link SignedSignal}); null unsigned
 * @param check the worker's verdict on the signature, set by the worker
 */
public record Approval(
    String by, String comment, String step, String at, String signature, ApproverCheck check)
    implements SignedSignal {
  public static final String DECISION = "approve";

  public Approval(String by, String comment) {
    this(by, comment, null, null, null, null);
  }

  @Override
  public String text() {
    return comment;
  }

  @Override
  public String decision() {
    return DECISION;
  }

  @Override
  public Approval withCheck(ApproverCheck c) {
    return new Approval(by, comment, step, at, signature, c);
  }
}
