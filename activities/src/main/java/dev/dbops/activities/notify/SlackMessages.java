package dev.dbops.activities.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dbops.workflows.common.RunNotice;
import dev.dbops.workflows.common.WaitNotice;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Notices as Slack-compatible incoming-webhook JSON: {@code text} (the one line a phone shows, and
 * all that Mattermost-style receivers read) plus Block Kit {@code blocks} for the channel. Pure: no
 * I/O, so every field can be checked without a receiver.
 */
public final class SlackMessages {
  /** Slack cuts a header's plain text at 150 characters and a section's text at 3,000. */
  static final int HEADER_MAX = 150;

  static final int TEXT_MAX = 3000;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI temporalUi;
  private final String namespace;

  /**
   * @param temporalUi base URL of the Temporal UI (e.g. {@code http://localhost:8080}); null leaves
   *     the link out
   * @param namespace the Temporal namespace the worker polls, for the link
   */
  public SlackMessages(URI temporalUi, String namespace) {
    this.temporalUi = temporalUi;
    this.namespace = namespace;
  }

  /** A run waits for a person: who may act and the exact command to run. */
  public ObjectNode waiting(WaitNotice n) {
    String command = LogNotifyActivities.command(n);
    String nudge = n.nudge() == null ? "" : " (" + n.nudge() + ")";
    ObjectNode message =
        message(
            n.workflowId()
                + " ("
                + n.procedure()
                + ") waits for "
                + n.waitingFor()
                + " at step '"
                + n.step()
                + "'"
                + nudge
                + "; may approve: "
                + approvers(n)
                + "; run: "
                + command,
            (n.escalatedTo() != null ? ":rotating_light: Escalated: " : "")
                + (n.reminder() != null ? ":bell: Reminder: " : "")
                + ":raising_hand: Waiting for a person: "
                + n.workflowId()
                + nudge);
    ArrayNode blocks = (ArrayNode) message.get("blocks");
    blocks.add(
        fields(
            "Procedure",
            n.procedure(),
            "Step",
            n.step(),
            "Waiting for",
            n.waitingFor(),
            "May approve",
            approvers(n)));
    blocks.add(section("Run:\n```" + escape(command) + "```"));
    link(n.workflowId(), blocks);
    return message;
  }

  /** The wait ended (approved, rejected, decided, timed out or cancelled). */
  public ObjectNode responded(WaitNotice n) {
    ObjectNode message =
        message(
            n.workflowId()
                + " ("
                + n.procedure()
                + ") no longer waits at step '"
                + n.step()
                + "' ("
                + n.waitingFor()
                + ")",
            ":white_check_mark: No longer waiting: " + n.workflowId());
    ArrayNode blocks = (ArrayNode) message.get("blocks");
    blocks.add(
        fields("Procedure", n.procedure(), "Step", n.step(), "Was waiting for", n.waitingFor()));
    link(n.workflowId(), blocks);
    return message;
  }

  /** The run completed or failed. */
  public ObjectNode ended(RunNotice n) {
    boolean failed = RunNotice.FAILED.equals(n.outcome());
    String type = n.failureType() == null ? "" : " [" + n.failureType() + "]";
    ObjectNode message =
        message(
            n.workflowId() + " (" + n.procedure() + ") " + n.outcome() + ": " + n.summary() + type,
            (failed ? ":x: Failed: " : ":tada: Completed: ") + n.workflowId());
    ArrayNode blocks = (ArrayNode) message.get("blocks");
    blocks.add(
        n.failureType() == null
            ? fields("Procedure", n.procedure(), "Outcome", n.outcome())
            : fields(
                "Procedure",
                n.procedure(),
                "Outcome",
                n.outcome(),
                "Failure type",
                n.failureType()));
    if (n.summary() != null && !n.summary().isBlank()) blocks.add(section(escape(n.summary())));
    link(n.workflowId(), blocks);
    return message;
  }

  /** {@code <ui>/namespaces/<ns>/workflows/<id>}, the id as one path segment; null without a UI. */
  public URI workflowLink(String workflowId) {
    if (temporalUi == null) return null;
    String base = temporalUi.toString().replaceAll("/+$", "");
    return URI.create(
        base + "/namespaces/" + segment(namespace) + "/workflows/" + segment(workflowId));
  }

  static String toJson(ObjectNode message) {
    return message.toString();
  }

  private ObjectNode message(String text, String header) {
    ObjectNode m = JSON.createObjectNode();
    m.put("text", cut(text, TEXT_MAX));
    ArrayNode blocks = m.putArray("blocks");
    ObjectNode h = blocks.addObject().put("type", "header");
    h.putObject("text")
        .put("type", "plain_text")
        .put("text", cut(header, HEADER_MAX))
        .put("emoji", true);
    return m;
  }

  private void link(String workflowId, ArrayNode blocks) {
    URI link = workflowLink(workflowId);
    if (link != null) blocks.add(section("<" + link + "|Open in Temporal UI>"));
  }

  /** A section of labelled fields; pairs of label, value. */
  private static ObjectNode fields(String... labelsAndValues) {
    ObjectNode s = JSON.createObjectNode().put("type", "section");
    ArrayNode fields = s.putArray("fields");
    for (int i = 0; i < labelsAndValues.length; i += 2) {
      String value = labelsAndValues[i + 1] == null ? "-" : labelsAndValues[i + 1];
      fields
          .addObject()
          .put("type", "mrkdwn")
          .put("text", cut("*" + labelsAndValues[i] + "*\n" + escape(value), 2000));
    }
    return s;
  }

  private static ObjectNode section(String mrkdwn) {
    ObjectNode s = JSON.createObjectNode().put("type", "section");
    s.putObject("text").put("type", "mrkdwn").put("text", cut(mrkdwn, TEXT_MAX));
    return s;
  }

  private static String approvers(WaitNotice n) {
    return n.approvers() == null || n.approvers().isEmpty()
        ? "anyone allowed by the approval policy"
        : String.join(", ", n.approvers());
  }

  /** Slack's mrkdwn treats these three as control characters. */
  static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  private static String segment(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static String cut(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 1) + "…";
  }
}
