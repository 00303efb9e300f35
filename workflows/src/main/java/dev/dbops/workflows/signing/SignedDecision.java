package dev.dbops.workflows.signing;

import java.nio.charset.StandardCharsets;

/**
 * What an approver signs: the run (workflow id and run id), the step, the decision, who, the
 * comment and when. {@link #message()} is the one text both the CLI signs and the worker checks, so
 * a signature made for one run, step or decision never verifies for another.
 *
 * @param decision {@code approve}, {@code reject}, {@code decide SKIP|RETRY|ABORT} or {@code abort}
 * @param at ISO-8601 instant the approver signed at (the worker refuses it outside a window)
 */
public record SignedDecision(
    String workflowId,
    String runId,
    String step,
    String decision,
    String by,
    String comment,
    String at) {
  /** The SSHSIG namespace, as {@code ssh-keygen -Y sign -n dbops-approval}. */
  public static final String NAMESPACE = "dbops-approval";

  /**
   * One field a line after a version line; backslash, line breaks and other control characters
   * escaped and a missing field written {@code \N}, so no field's text can pass for another's.
   */
  public byte[] message() {
    String text =
        "dbops-approval v1\n"
            + "workflow-id: "
            + esc(workflowId)
            + "\n"
            + "run-id: "
            + esc(runId)
            + "\n"
            + "step: "
            + esc(step)
            + "\n"
            + "decision: "
            + esc(decision)
            + "\n"
            + "by: "
            + esc(by)
            + "\n"
            + "comment: "
            + esc(comment)
            + "\n"
            + "time: "
            + esc(at)
            + "\n";
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static String esc(String s) {
    if (s == null) return "\\N";
    StringBuilder sb = new StringBuilder();
    s.codePoints()
        .forEach(
            c -> {
              if (c == '\\') sb.append("\\\\");
              else if (c == '\n') sb.append("\\n");
              else if (c == '\r') sb.append("\\r");
              else if (Character.isISOControl(c)) sb.append(String.format("\\u%04X", c));
              else sb.appendCodePoint(c);
            });
    return sb.toString();
  }
}
