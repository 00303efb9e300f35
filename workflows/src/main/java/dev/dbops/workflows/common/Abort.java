package dev.dbops.workflows.common;

/**
 * Signal payload: a person stops a run that is waiting (e.g. an upgrade past its threshold).
 *
 * @param step, at, signature what the person signed (see {@link SignedSignal}; step is {@code
 *     abort})
 * @param check the worker's verdict on the signature, set by the worker
 */
public record Abort(
    String by, String reason, String step, String at, String signature, ApproverCheck check)
    implements SignedSignal {
  public static final String DECISION = "abort";

  /** The step an abort is signed for: it is not tied to a gate. */
  public static final String STEP = "abort";

  public Abort(String by, String reason) {
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
  public Abort withCheck(ApproverCheck c) {
    return new Abort(by, reason, step, at, signature, c);
  }
}
