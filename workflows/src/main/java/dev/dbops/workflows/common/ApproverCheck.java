package dev.dbops.workflows.common;

/**
 * What the worker made of who sent an approve / reject / decide / abort: {@link #VERIFIED}
 * (signature checked against the allowed signers), {@link #REFUSED} (the run records the signal as
 * refused, with {@code detail} as the reason) or {@link #UNVERIFIED} (the worker has no
 * allowed-signers file: the name is taken as given).
 */
public record ApproverCheck(String outcome, String detail) {
  public static final String VERIFIED = "verified";
  public static final String REFUSED = "refused";
  public static final String UNVERIFIED = "unverified";

  public static ApproverCheck verified(String detail) {
    return new ApproverCheck(VERIFIED, detail);
  }

  public static ApproverCheck refused(String reason) {
    return new ApproverCheck(REFUSED, reason);
  }

  public static ApproverCheck unverified(String detail) {
    return new ApproverCheck(UNVERIFIED, detail);
  }

  public boolean refuses() {
    return REFUSED.equals(outcome);
  }

  public boolean verifies() {
    return VERIFIED.equals(outcome);
  }
}
