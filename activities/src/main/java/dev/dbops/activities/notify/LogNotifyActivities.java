package dev.dbops.activities.notify;

import dev.dbops.workflows.common.NotifyActivities;
import dev.dbops.workflows.common.RunNotice;
import dev.dbops.workflows.common.WaitNotice;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells people through the worker's log: one line saying what waits, who may approve and the exact
 * command. It counts nothing: how many runs wait for a person comes from Temporal ({@code
 * dbops_procedures_waiting}, the worker's {@code OpenProcedures}), not from one worker's memory,
 * which a restart empties. {@link WebhookNotifyActivities} adds a chat webhook on top. Every text
 * is escaped ({@code printable()}) before it reaches a line: a notice cannot forge a log line.
 */
public final class LogNotifyActivities implements NotifyActivities {
  private static final Logger log = LoggerFactory.getLogger(LogNotifyActivities.class);

  public LogNotifyActivities() {}

  @Override
  public void waitingForPerson(WaitNotice raw) {
    WaitNotice notice = raw.printable();
    String approvers =
        notice.approvers() == null || notice.approvers().isEmpty()
            ? "anyone allowed by the approval policy"
            : String.join(", ", notice.approvers());
    log.info(
        "{}{} ({}) is waiting at step '{}' for {}; may approve: {}; run: {}",
        notice.nudge() == null ? "" : notice.nudge().toUpperCase(java.util.Locale.ROOT) + ": ",
        notice.workflowId(),
        notice.procedure(),
        notice.step(),
        notice.waitingFor(),
        approvers,
        command(notice));
  }

  @Override
  public void personResponded(WaitNotice raw) {
    WaitNotice notice = raw.printable();
    log.info(
        "{} ({}) no longer waits at step '{}' ({})",
        notice.workflowId(),
        notice.procedure(),
        notice.step(),
        notice.waitingFor());
  }

  @Override
  public void runEnded(RunNotice raw) {
    RunNotice notice = raw.printable();
    log.info(
        "{} ({}) {}: {}{}",
        notice.workflowId(),
        notice.procedure(),
        notice.outcome(),
        notice.summary(),
        notice.failureType() == null ? "" : " [" + notice.failureType() + "]");
  }

  static String command(WaitNotice notice) {
    return notice.command() != null && !notice.command().isBlank()
        ? notice.command()
        : "./dbops approve " + notice.workflowId() + " --by NAME";
  }
}
