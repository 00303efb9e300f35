package dev.dbops.workflows.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The policy's own validation, as the CLI runs it (outside a workflow: today's rules). */
class ApprovalPolicyTest {
  static List<String> problems(List<String> approvers, int required, String requestedBy) {
    return new ApprovalPolicy(approvers, required, null).problems("approval", requestedBy);
  }

  @Test
  void givenRequesterListedInAnotherCase_whenValidated_thenNotCountedAsAnotherApprover() {
    assertEquals(
        List.of(
            "approval.required: 1 approvals needed but only 0 approver(s) other than the"
                + " requester 'bob' (names compare trimmed and case-insensitively)"),
        problems(List.of("Bob"), 1, "bob"));
    assertEquals(1, problems(List.of(" BOB ", "alice"), 2, "bob").size());
    assertEquals(List.of(), problems(List.of("Bob", "alice"), 1, "bob"));
  }

  @Test
  void givenOnePersonListedTwiceInDifferentCase_whenTwoApprovalsRequired_thenRefused() {
    List<String> p = problems(List.of("alice", "Alice"), 2, "bob");
    assertEquals(1, p.size(), p.toString());
    assertTrue(
        p.get(0).startsWith("approval.required: 2 approvals needed but only 1 approver(s)"),
        p.get(0));
  }

  @Test
  void givenApproverNameWithNewline_whenValidated_thenRefusedNamingTheFieldWithoutTheRawNewline() {
    List<String> p = problems(List.of("alice\nApproved by: root", "carol"), 1, "bob");
    assertEquals(
        List.of("approval.approvers: 'alice\\nApproved by: root' contains a control character"), p);
    assertFalse(p.get(0).contains("\n"));
  }

  @Test
  void givenRequesterWithEscapeOrBidiOverride_whenValidated_thenRefusedNamingRequestedBy() {
    assertEquals(
        List.of("requestedBy: 'bob\\u001B[2J' contains a control character"),
        problems(List.of("alice"), 1, "bob\u001b[2J"));
    assertEquals(
        List.of("approval.approvers: 'ali\\u202Ece' contains a control character"),
        problems(List.of("ali\u202ece", "carol"), 1, "bob"));
  }

  @Test
  void givenNames_whenCompared_thenTrimmedAndCaseInsensitive() {
    assertTrue(ApprovalPolicy.samePerson(" Bob ", "bob"));
    assertTrue(ApprovalPolicy.samePerson("ALICE", "alice"));
    assertFalse(ApprovalPolicy.samePerson("alice", "alice2"));
    assertFalse(ApprovalPolicy.samePerson(null, "bob"));
    assertEquals("a\\tb", ApprovalPolicy.printable("a\tb"));
    assertEquals("plain", ApprovalPolicy.printable("plain"));
  }

  private static List<String> reminderProblems(
      Duration timeout, Duration every, List<String> escalateTo, Duration escalateAfter) {
    return new ApprovalPolicy(List.of("alice"), 1, timeout, every, escalateTo, escalateAfter)
        .problems("approval", "bob");
  }

  @Test
  void givenReminderFieldsOutOfReason_whenValidated_thenEachRefusedNamingItsField() {
    assertEquals(
        List.of(
            "approval.remindEvery: 5m would remind 288 times within approval.timeout 1d; at most"
                + " 200"),
        reminderProblems(Duration.ofHours(24), Duration.ofMinutes(5), null, null));
    assertEquals(
        List.of("approval.escalateAfter: set, but nobody to escalate to; name approval.escalateTo"),
        reminderProblems(null, null, null, Duration.ofHours(2)));
    assertEquals(
        List.of(
            "approval.escalateAfter: 8h (the default) is not before approval.timeout 2h, so the"
                + " escalation could never go out"),
        reminderProblems(Duration.ofHours(2), null, List.of("carol"), null));
    assertEquals(
        List.of(
            "approval.escalateTo: blank name",
            "approval.escalateTo: 'carol\\nroot' contains a control character"),
        reminderProblems(null, null, List.of(" ", "carol\nroot"), Duration.ofHours(1)));
    assertEquals(List.of(), reminderProblems(null, null, List.of("carol"), null));
    assertEquals(List.of(), reminderProblems(null, Duration.ofMinutes(30), null, null));
  }

  @Test
  void givenARemindEveryOfOneMinuteInARequest_whenValidated_thenRefusedAsOutsideItsRange() {
    var r =
        dev.dbops.workflows.restore.GlacierRestoreRequest.Builder.of("bucket-a", "p/")
            .tier(dev.dbops.workflows.restore.RestoreTier.STANDARD)
            .requireApproval(true)
            .requestedBy("bob")
            .approval(
                new ApprovalPolicy(
                    List.of("alice"),
                    1,
                    Duration.ofHours(1),
                    Duration.ofMinutes(1),
                    List.of("c".repeat(Bounds.MAX_NAME + 1)),
                    Duration.ofSeconds(10)))
            .build();
    assertEquals(
        List.of(
            "approval.remindEvery: must be 5m..30d, was 1m",
            "approval.escalateTo[]: at most 128 characters, was 129",
            "approval.escalateAfter: must be 1m..30d, was 10s"),
        r.problems());
  }
}
