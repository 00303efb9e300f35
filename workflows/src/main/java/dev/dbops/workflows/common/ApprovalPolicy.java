package dev.dbops.workflows.common;

import io.temporal.workflow.Workflow;
import io.temporal.workflow.unsafe.WorkflowUnsafe;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Who may approve, how many must, and how long the run waits. A wait that elapses fails the run; it
 * never proceeds.
 *
 * <p>Names of people are compared trimmed and case-insensitively wherever the comparison keeps
 * someone out (the requester may not approve, one person counts once): {@code Bob} cannot approve a
 * run {@code bob} requested. Whether a name is on the allow-list stays an exact match, so a case
 * variant of a listed name is refused. A name holding a control character (a newline that would
 * forge a line in the status, a notice or a log) is refused.
 *
 * @param approvers allow-list of names; required whenever an approval can be asked for
 * @param required M of the N approvers (default 1)
 * @param timeout how long to wait for the approvals (default 24 h)
 * @param remindEvery while a run waits for a person (an approval or a decision), a reminder notice
 *     this often (default {@link Reminders#DEFAULT_REMIND_EVERY}); see {@link Reminders}
 * @param escalateTo who is told once when nobody answered within {@code escalateAfter} (default:
 *     nobody, no escalation)
 * @param escalateAfter when the wait is escalated to {@code escalateTo} (default {@link
 *     Reminders#DEFAULT_ESCALATE_AFTER})
 */
public record ApprovalPolicy(
    List<String> approvers,
    Integer required,
    Duration timeout,
    Duration remindEvery,
    List<String> escalateTo,
    Duration escalateAfter) {
  public static final Duration DEFAULT_TIMEOUT = Duration.ofHours(24);

  /** Who approves, how many, how long; reminders and escalation as {@link Reminders} defaults. */
  public ApprovalPolicy(List<String> approvers, Integer required, Duration timeout) {
    this(approvers, required, timeout, null, null, null);
  }

  /**
   * {@code Workflow.getVersion} change id of the folded name comparison and the control-character
   * refusal. Runs started before it compare names exactly and accept any character; asked only
   * where the two rules disagree, so a run that never meets such a name records no marker.
   */
  public static final String NAMES_CHANGE = "approver-names-folded";

  public int requiredOrDefault() {
    return required == null ? 1 : required;
  }

  public Duration timeoutOrDefault() {
    return timeout == null ? DEFAULT_TIMEOUT : timeout;
  }

  public List<String> approversOrEmpty() {
    return approvers == null ? List.of() : approvers;
  }

  public Duration remindEveryOrDefault() {
    return remindEvery == null ? Reminders.DEFAULT_REMIND_EVERY : remindEvery;
  }

  public List<String> escalateToOrEmpty() {
    return escalateTo == null ? List.of() : escalateTo;
  }

  public Duration escalateAfterOrDefault() {
    return escalateAfter == null ? Reminders.DEFAULT_ESCALATE_AFTER : escalateAfter;
  }

  /** Problems with the policy itself; {@code field} prefixes each message. */
  public List<String> problems(String field, String requestedBy) {
    List<String> out = new ArrayList<>();
    List<String> stricter = new ArrayList<>();
    List<String> names = approversOrEmpty();
    if (names.isEmpty()) {
      out.add(field + ".approvers: an approval may be needed, so name who may give it");
    }
    for (String n : names) {
      if (n == null || n.isBlank()) {
        out.add(field + ".approvers: blank name");
      } else if (hasControlCharacter(n)) {
        stricter.add(field + ".approvers: '" + printable(n) + "' contains a control character");
      }
    }
    if (requestedBy != null && hasControlCharacter(requestedBy)) {
      stricter.add("requestedBy: '" + printable(requestedBy) + "' contains a control character");
    }
    int m = requiredOrDefault();
    if (m < 1) out.add(field + ".required: must be at least 1, was " + m);
    long exact = names.stream().filter(n -> n != null && !n.equals(requestedBy)).distinct().count();
    long folded =
        names.stream()
            .filter(n -> n != null && !samePerson(n, requestedBy))
            .map(ApprovalPolicy::folded)
            .distinct()
            .count();
    if (!names.isEmpty() && m > exact) {
      out.add(tooFew(field, m, exact, requestedBy));
    } else if (!names.isEmpty() && m > folded) {
      stricter.add(
          tooFew(field, m, folded, requestedBy)
              + " (names compare trimmed and case-insensitively)");
    }
    Duration t = timeoutOrDefault();
    if (t.isNegative() || t.isZero()) out.add(field + ".timeout: must be positive, was " + t);
    out.addAll(Reminders.problems(this, field));
    if (!stricter.isEmpty() && namesFolded()) out.addAll(stricter);
    return out;
  }

  private static String tooFew(String field, int m, long eligible, String requestedBy) {
    return field
        + ".required: "
        + m
        + " approvals needed but only "
        + eligible
        + " approver(s) other than the requester '"
        + printable(requestedBy)
        + "'";
  }

  /** The form in which two names are compared: trimmed, lower case (root locale). */
  public static String folded(String name) {
    return name == null ? null : name.strip().toLowerCase(Locale.ROOT);
  }

  /** Whether {@code a} and {@code b} name the same person (trimmed, case-insensitive). */
  public static boolean samePerson(String a, String b) {
    return a != null && b != null && folded(a).equals(folded(b));
  }

  /**
   * Whether {@code name} holds a control character (newline, tab, escape, …) or a format one (bidi
   * override).
   */
  public static boolean hasControlCharacter(String name) {
    return name != null
        && name.codePoints()
            .anyMatch(c -> Character.isISOControl(c) || Character.getType(c) == Character.FORMAT);
  }

  /**
   * {@code name} with control and format characters written as {@code \n} / {@code \u001B}, safe to
   * show.
   */
  public static String printable(String name) {
    return Printable.escape(name);
  }

  /**
   * Whether the folded comparison and the control-character refusal apply: always outside a
   * workflow (the CLI's check), inside one only for runs that started after {@link #NAMES_CHANGE}
   * (an older run replays as it ran). Called only where the old and new rules disagree.
   */
  public static boolean namesFolded() {
    return !WorkflowUnsafe.isWorkflowThread()
        || DecisionUpdates.validating()
        || Workflow.getVersion(NAMES_CHANGE, Workflow.DEFAULT_VERSION, 1) == 1;
  }
}
