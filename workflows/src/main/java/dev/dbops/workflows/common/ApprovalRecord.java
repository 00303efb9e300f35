package dev.dbops.workflows.common;

/** An approval, rejection or refused signal as recorded in status and result. */
public record ApprovalRecord(String step, String by, String comment, String at, String outcome) {
  public static final String APPROVED = "approved";
  public static final String REJECTED = "rejected";
  public static final String REFUSED = "refused";
}
