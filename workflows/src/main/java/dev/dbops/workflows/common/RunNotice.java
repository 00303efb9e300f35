package dev.dbops.workflows.common;

/**
 * What a run tells people when it ends. {@code outcome} is {@code COMPLETED} or {@code FAILED};
 * {@code failureType} is an {@link ErrorTypes} type when failed, else null.
 */
public record RunNotice(
    String workflowId, String procedure, String outcome, String summary, String failureType) {
  public static final String COMPLETED = "COMPLETED";
  public static final String FAILED = "FAILED";

  /** This notice with every text escaped by {@link Printable#escape}, ready to show a person. */
  public RunNotice printable() {
    return new RunNotice(
        Printable.escape(workflowId),
        Printable.escape(procedure),
        Printable.escape(outcome),
        Printable.escape(summary),
        Printable.escape(failureType));
  }
}
