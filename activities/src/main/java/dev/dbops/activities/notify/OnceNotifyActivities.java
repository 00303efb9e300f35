package dev.dbops.activities.notify;

import dev.dbops.workflows.common.NotifyActivities;
import dev.dbops.workflows.common.RunNotice;
import dev.dbops.workflows.common.WaitNotice;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Sends each wait notice once. A notice is a local activity: when the workflow task that sent it
 * fails before its result is recorded, the next attempt runs it again, and a run whose task keeps
 * failing would tell the approvers again on every attempt. A notice carries a key that every
 * attempt and replay of it shares ({@link WaitNotice#key}); a key already sent by this worker is
 * not sent again. The memo is this worker's memory, bounded to the last {@value #REMEMBERED} keys:
 * another worker (or this one restarted) may send a key once more. Notices without a key (runs
 * recorded before it) and run-ended notices pass through.
 */
public final class OnceNotifyActivities implements NotifyActivities {
  static final int REMEMBERED = 10_000;

  private final NotifyActivities delegate;
  private final Map<String, Boolean> sent =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
          return size() > REMEMBERED;
        }
      };

  public OnceNotifyActivities(NotifyActivities delegate) {
    this.delegate = delegate;
  }

  /** The notifier that sends. */
  public NotifyActivities delegate() {
    return delegate;
  }

  @Override
  public void waitingForPerson(WaitNotice notice) {
    if (first(notice, "waiting")) {
      try {
        delegate.waitingForPerson(notice);
      } catch (RuntimeException e) {
        forget(notice, "waiting");
        throw e;
      }
    }
  }

  @Override
  public void personResponded(WaitNotice notice) {
    if (first(notice, "responded")) {
      try {
        delegate.personResponded(notice);
      } catch (RuntimeException e) {
        forget(notice, "responded");
        throw e;
      }
    }
  }

  @Override
  public void runEnded(RunNotice notice) {
    delegate.runEnded(notice);
  }

  private synchronized boolean first(WaitNotice n, String kind) {
    return n.key() == null || sent.put(n.key() + "/" + kind, Boolean.TRUE) == null;
  }

  private synchronized void forget(WaitNotice n, String kind) {
    if (n.key() != null) sent.remove(n.key() + "/" + kind);
  }
}
