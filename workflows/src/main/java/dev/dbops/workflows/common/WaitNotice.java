package dev.dbops.workflows.common;

import java.util.List;

/**
 * What a run tells people when it starts or stops waiting for them.
 *
 * @param key the same for every attempt and replay of one notice (run id, step, the how-many-th
 *     wait of the run) and different for the next wait: a notifier sends each key once, however
 *     often the workflow task that sends it is retried. Null in notices of runs recorded before it.
 */
public record WaitNotice(
    String workflowId,
    String procedure,
    String step,
    String waitingFor,
    List<String> approvers,
    String command,
    boolean waiting,
    String key) {

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
        key);
  }
}
