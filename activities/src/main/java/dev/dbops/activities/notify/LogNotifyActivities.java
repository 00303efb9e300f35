package dev.dbops.activities.notify;

import dev.dbops.workflows.common.NotifyActivities;
import dev.dbops.workflows.common.RunNotice;
import dev.dbops.workflows.common.WaitNotice;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells people through the worker's log: one line saying what waits, who may approve and the exact
 * command. Keeps {@value #WAITING} (distinct workflows currently waiting for a person) for
 * Prometheus. The count lives in this worker's memory: a restarted worker starts from zero until
 * the waiting runs call again. {@link WebhookNotifyActivities} adds a chat webhook on top. Every
 * text is escaped ({@code printable()}) before it reaches a line: a notice cannot forge a log line.
 */
public final class LogNotifyActivities implements NotifyActivities {
  private static final Logger log = LoggerFactory.getLogger(LogNotifyActivities.class);

  public static final String WAITING = "dbops_approvals_waiting";

  private final Set<String> waiting = ConcurrentHashMap.newKeySet();

  public LogNotifyActivities(MeterRegistry registry) {
    Gauge.builder(WAITING, waiting, Set::size)
        .description("Workflows currently waiting for a person (approval or decision)")
        .register(registry);
  }

  @Override
  public void waitingForPerson(WaitNotice raw) {
    waiting.add(raw.workflowId());
    WaitNotice notice = raw.printable();
    String approvers =
        notice.approvers() == null || notice.approvers().isEmpty()
            ? "anyone allowed by the approval policy"
            : String.join(", ", notice.approvers());
    log.info(
        "{} ({}) is waiting at step '{}' for {}; may approve: {}; run: {}",
        notice.workflowId(),
        notice.procedure(),
        notice.step(),
        notice.waitingFor(),
        approvers,
        command(notice));
  }

  @Override
  public void personResponded(WaitNotice raw) {
    waiting.remove(raw.workflowId());
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
    waiting.remove(raw.workflowId());
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
