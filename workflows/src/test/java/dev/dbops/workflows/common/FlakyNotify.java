package dev.dbops.workflows.common;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** Records each notice delivered; fails the first attempt at the notices it is told to. */
public final class FlakyNotify implements NotifyActivities {
  public final List<WaitNotice> delivered = new CopyOnWriteArrayList<>();
  public final AtomicInteger failedAttempts = new AtomicInteger();
  private final List<String> failOnceKeys = new CopyOnWriteArrayList<>();

  public FlakyNotify failingOnceAt(String keySuffix) {
    failOnceKeys.add(keySuffix);
    return this;
  }

  @Override
  public void waitingForPerson(WaitNotice n) {
    for (String suffix : failOnceKeys) {
      if (n.key() != null && n.key().endsWith(suffix)) {
        failOnceKeys.remove(suffix);
        failedAttempts.incrementAndGet();
        throw new IllegalStateException("chat webhook answered 503");
      }
    }
    delivered.add(n);
  }

  @Override
  public void personResponded(WaitNotice n) {
    delivered.add(n);
  }

  @Override
  public void runEnded(RunNotice n) {}

  public List<Integer> reminders() {
    return delivered.stream().filter(n -> n.reminder() != null).map(WaitNotice::reminder).toList();
  }

  public List<WaitNotice> escalations() {
    return delivered.stream().filter(n -> n.escalatedTo() != null).toList();
  }
}
