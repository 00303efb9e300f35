package dev.dbops.activities.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.dbops.workflows.common.NotifyActivities;
import dev.dbops.workflows.common.RunNotice;
import dev.dbops.workflows.common.WaitNotice;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A wait notice whose workflow task is retried reaches people once: every attempt carries the same
 * key (WorkflowCodeFailuresTest shows it), and a key is sent once.
 */
class OnceNotifyActivitiesTest {
  final List<String> sent = new ArrayList<>();
  int failuresLeft;

  final NotifyActivities counting =
      new NotifyActivities() {
        @Override
        public void waitingForPerson(WaitNotice n) {
          if (failuresLeft-- > 0) throw new IllegalStateException("webhook down");
          sent.add("waiting " + n.key());
        }

        @Override
        public void personResponded(WaitNotice n) {
          sent.add("responded " + n.key());
        }

        @Override
        public void runEnded(RunNotice n) {
          sent.add("ended");
        }
      };

  static WaitNotice notice(String key, boolean waiting) {
    return new WaitNotice(
        "restore/b/p",
        "glacier-restore",
        "approve",
        "approval",
        List.of("alice"),
        "./dbops approve restore/b/p --by <name>",
        waiting,
        key);
  }

  @Test
  void givenTheSameNoticeOnEveryTaskAttempt_whenSent140Times_thenPeopleGetItOnce() {
    OnceNotifyActivities once = new OnceNotifyActivities(counting);
    for (int attempt = 0; attempt < 140; attempt++)
      once.waitingForPerson(notice("run-1/1/approve", true));
    once.personResponded(notice("run-1/1/approve", false));
    once.personResponded(notice("run-1/1/approve", false));
    once.waitingForPerson(notice("run-1/2/approve", true));
    assertEquals(
        List.of("waiting run-1/1/approve", "responded run-1/1/approve", "waiting run-1/2/approve"),
        sent);
  }

  @Test
  void givenAFailedSend_whenRetried_thenItIsSentThen() {
    OnceNotifyActivities once = new OnceNotifyActivities(counting);
    failuresLeft = 1;
    assertThrows(
        IllegalStateException.class, () -> once.waitingForPerson(notice("run-1/1/approve", true)));
    once.waitingForPerson(notice("run-1/1/approve", true));
    assertEquals(List.of("waiting run-1/1/approve"), sent);
  }

  @Test
  void givenNoticesWithoutKey_whenSent_thenEachPassesThrough() {
    OnceNotifyActivities once = new OnceNotifyActivities(counting);
    once.waitingForPerson(notice(null, true));
    once.waitingForPerson(notice(null, true));
    assertEquals(2, sent.size());
  }
}
