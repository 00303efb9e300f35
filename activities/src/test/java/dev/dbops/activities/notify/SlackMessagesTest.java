package dev.dbops.activities.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dbops.workflows.common.RunNotice;
import dev.dbops.workflows.common.WaitNotice;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class SlackMessagesTest {
  static final URI UI = URI.create("http://localhost:8080/");
  static final String LINK =
      "http://localhost:8080/namespaces/default/workflows/upgrade%2Fprod-orders";

  private final SlackMessages messages = new SlackMessages(UI, "default");

  static WaitNotice waiting(String command) {
    return new WaitNotice(
        "upgrade/prod-orders",
        "upgrade",
        "approve-upgrade",
        "approval by [alice, carol]",
        List.of("alice", "carol"),
        command,
        true);
  }

  /** Every text a person sees in the message: the fallback line and all block texts. */
  static String allText(JsonNode message) {
    StringBuilder sb = new StringBuilder(message.get("text").asText()).append('\n');
    for (JsonNode block : message.get("blocks")) {
      if (block.has("text")) sb.append(block.get("text").get("text").asText()).append('\n');
      if (block.has("fields")) {
        for (JsonNode f : block.get("fields")) sb.append(f.get("text").asText()).append('\n');
      }
    }
    return sb.toString();
  }

  static JsonNode header(JsonNode message) {
    JsonNode first = message.get("blocks").get(0);
    assertEquals("header", first.get("type").asText());
    return first.get("text");
  }

  @Test
  void
      givenARunWaitingForApproval_whenFormatted_thenTheMessageNamesTheStepApproversCommandAndUiLink() {
    ObjectNode m = messages.waiting(waiting("./dbops approve upgrade/prod-orders --by <name>"));

    String text = m.get("text").asText();
    assertTrue(
        text.contains("upgrade/prod-orders")
            && text.contains("(upgrade)")
            && text.contains("approve-upgrade")
            && text.contains("approval by [alice, carol]")
            && text.contains("alice, carol")
            && text.contains("./dbops approve upgrade/prod-orders --by <name>"),
        text);
    assertEquals("plain_text", header(m).get("type").asText());
    assertTrue(
        header(m).get("text").asText().contains("Waiting for a person: upgrade/prod-orders"));
    String all = allText(m);
    assertTrue(all.contains("*Procedure*\nupgrade"), all);
    assertTrue(all.contains("*Step*\napprove-upgrade"), all);
    assertTrue(all.contains("*Waiting for*\napproval by [alice, carol]"), all);
    assertTrue(all.contains("*May approve*\nalice, carol"), all);
    // mrkdwn: the command in a code block, its angle brackets escaped so Slack shows them.
    assertTrue(all.contains("```./dbops approve upgrade/prod-orders --by &lt;name&gt;```"), all);
    assertTrue(all.contains("<" + LINK + "|Open in Temporal UI>"), all);
  }

  @Test
  void givenNoCommandInTheNotice_whenFormatted_thenTheDefaultApproveCommandIsShown() {
    String all =
        allText(
            messages.waiting(
                new WaitNotice(
                    "restore/b/p",
                    "glacier-restore",
                    "approve-cost",
                    "approval of $12.40",
                    List.of(),
                    null,
                    true)));
    assertTrue(all.contains("```./dbops approve restore/b/p --by NAME```"), all);
    assertTrue(all.contains("*May approve*\nanyone allowed by the approval policy"), all);
  }

  @Test
  void givenTheWaitEnded_whenFormatted_thenTheMessageSaysItNoLongerWaits() {
    ObjectNode m = messages.responded(waiting(null));
    assertTrue(
        m.get("text")
            .asText()
            .contains("upgrade/prod-orders (upgrade) no longer waits at step 'approve-upgrade'"),
        m.get("text").asText());
    assertTrue(header(m).get("text").asText().contains("No longer waiting: upgrade/prod-orders"));
    String all = allText(m);
    assertTrue(all.contains("*Was waiting for*\napproval by [alice, carol]"), all);
    assertFalse(all.contains("./dbops approve"), "no command once the wait is over: " + all);
    assertTrue(all.contains(LINK), all);
  }

  @Test
  void givenARunFailed_whenFormatted_thenOutcomeFailureTypeSummaryAndLinkAreShown() {
    ObjectNode m =
        messages.ended(
            new RunNotice(
                "upgrade/prod-orders",
                "upgrade",
                RunNotice.FAILED,
                "pre-check blocked: 2 XA transactions; snapshot dbops-pre-upgrade-1 kept",
                "PrecheckBlocked"));
    assertEquals(
        "upgrade/prod-orders (upgrade) FAILED: pre-check blocked: 2 XA transactions; "
            + "snapshot dbops-pre-upgrade-1 kept [PrecheckBlocked]",
        m.get("text").asText());
    assertTrue(header(m).get("text").asText().contains("Failed: upgrade/prod-orders"));
    String all = allText(m);
    assertTrue(
        all.contains("*Outcome*\nFAILED") && all.contains("*Failure type*\nPrecheckBlocked"), all);
    assertTrue(all.contains(LINK), all);
  }

  @Test
  void givenARunCompleted_whenFormatted_thenNoFailureTypeIsShown() {
    ObjectNode m =
        messages.ended(
            new RunNotice(
                "restore/b/p",
                "glacier-restore",
                RunNotice.COMPLETED,
                "2 objects delivered",
                null));
    assertEquals(
        "restore/b/p (glacier-restore) COMPLETED: 2 objects delivered", m.get("text").asText());
    assertTrue(header(m).get("text").asText().contains("Completed: restore/b/p"));
    assertFalse(allText(m).contains("Failure type"));
  }

  @Test
  void givenIdsWithSlashesAndSpaces_whenLinked_thenTheIdIsOnePathSegment() {
    assertEquals(
        URI.create(
            "https://temporal.example.com/namespaces/ops%20team/workflows/restore%2Fb%2Fa%20b%2F"),
        new SlackMessages(URI.create("https://temporal.example.com"), "ops team")
            .workflowLink("restore/b/a b/"));
  }

  @Test
  void givenNoTemporalUi_whenFormatted_thenNoLinkBlock() {
    SlackMessages noUi = new SlackMessages(null, "default");
    assertNull(noUi.workflowLink("x"));
    assertFalse(allText(noUi.waiting(waiting(null))).contains("Temporal UI"));
  }

  @Test
  void givenMarkupInValues_whenFormatted_thenItIsEscapedForMrkdwn() {
    String all =
        allText(messages.ended(new RunNotice("w", "p", RunNotice.FAILED, "a <b> & c", "X")));
    assertTrue(all.contains("a &lt;b&gt; &amp; c"), all);
  }

  @Test
  void givenAReminderAndAnEscalation_whenFormatted_thenEachSaysSoInItsHeaderAndText() {
    WaitNotice first = waiting("./dbops approve upgrade/prod-orders --by <name>");
    ObjectNode reminder = messages.waiting(first.asReminder(2, "8h").printable());
    ObjectNode escalation =
        messages.waiting(first.asEscalation(List.of("dave\nroot"), "8h").printable());

    assertTrue(
        reminder.get("text").asText().contains("(reminder 2: still waiting after 8h)"),
        reminder.toString());
    assertTrue(header(reminder).get("text").asText().contains("Reminder"), reminder.toString());
    String all = allText(escalation);
    assertTrue(all.contains("escalated to dave\\nroot: no answer after 8h"), all);
    assertFalse(all.contains("dave\nroot"), "a name cannot forge a line: " + all);
    assertTrue(
        all.contains("./dbops approve upgrade/prod-orders --by <name>"),
        "the escalation carries the command that answers the wait: " + all);
    assertNull(first.nudge());
  }
}
