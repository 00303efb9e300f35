package dev.dbops.workflows.common;

import java.util.List;

/**
 * What a run tells people when it starts or stops waiting for them, and (while it waits) each
 * reminder and the escalation ({@link Reminders}).
 *
 * @param key the same for every attempt and replay of one notice (run id, step, the how-many-th
 *     wait of the run) and different for the next wait: a notifier sends each key once, however
 *     often the workflow task that sends it is retried. Null in notices of runs recorded before it.
 *     A reminder's key is the wait's key and {@code /reminder/<n>}, the escalation's the wait's key
 *     and {@code /escalation}.
 * @param reminder the how-many-th reminder of this wait, or null (the first notice, an escalation)
 * @param escalatedTo who the wait is escalated to, or null (not an escalation)
 * @param waited how long the run has waited when a reminder or the escalation goes out ({@code
 *     8h}), or null
 */
public record WaitNotice(
    String workflowId,
    String procedure,
    String step,
    String waitingFor,
    List<String> approvers,
    String command,
    boolean waiting,
    String key,
    Integer reminder,
    List<String> escalatedTo,
    String waited) {

  public WaitNotice(
      String workflowId,
      String procedure,
      String step,
      String waitingFor,
      List<String> approvers,
      String command,
      boolean waiting,
      String key) {
    this(
        workflowId,
        procedure,
        step,
        waitingFor,
        approvers,
        command,
        waiting,
        key,
        null,
        null,
        null);
  }

  public WaitNotice(
      String workflowId,
      String procedure,
      String step,
      String waitingFor,
      List<String> approvers,
      String command,
      boolean waiting) {
    this(workflowId, procedure, step, waitingFor, approvers, command, waiting, null);
  }

  /** The {@code number}-th reminder of this wait, after {@code waited}. */
  public WaitNotice asReminder(int number, String waited) {
    return new WaitNotice(
        workflowId,
        procedure,
        step,
        waitingFor,
        approvers,
        command,
        true,
        key == null ? null : key + "/reminder/" + number,
        number,
        null,
        waited);
  }

  /** This wait escalated to {@code people} after {@code waited}. */
  public WaitNotice asEscalation(List<String> people, String waited) {
    return new WaitNotice(
        workflowId,
        procedure,
        step,
        waitingFor,
        approvers,
        command,
        true,
        key == null ? null : key + "/escalation",
        null,
        List.copyOf(people),
        waited);
  }

  /**
   * What makes this notice a reminder or an escalation, for a person ({@code reminder 2: still
   * waiting after 8h}, {@code escalated to carol: no answer after 8h}); null for the first notice.
   */
  public String nudge() {
    if (escalatedTo != null) {
      return "escalated to " + String.join(", ", escalatedTo) + ": no answer after " + waited;
    }
    if (reminder != null) return "reminder " + reminder + ": still waiting after " + waited;
    return null;
  }

  /** This notice with every text escaped by {@link Printable#escape}, ready to show a person. */
  public WaitNotice printable() {
    return new WaitNotice(
        Printable.escape(workflowId),
        Printable.escape(procedure),
        Printable.escape(step),
        Printable.escape(waitingFor),
        approvers == null ? null : approvers.stream().map(Printable::escape).toList(),
        Printable.escape(command),
        waiting,
        key,
        reminder,
        escalatedTo == null ? null : escalatedTo.stream().map(Printable::escape).toList(),
        Printable.escape(waited));
  }
}
