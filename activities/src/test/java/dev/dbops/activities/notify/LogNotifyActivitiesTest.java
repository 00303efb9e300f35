package dev.dbops.activities.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.dbops.workflows.common.WaitNotice;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import org.junit.jupiter.api.Test;

class LogNotifyActivitiesTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final LogNotifyActivities notify = new LogNotifyActivities(registry);

  private static WaitNotice notice(String workflowId, boolean waiting) {
    return new WaitNotice(
        workflowId,
        "glacier-restore",
        "approve-cost",
        "approval of $12.40",
        List.of("alice", "bob"),
        null,
        waiting);
  }

  private double waiting() {
    return registry.get(LogNotifyActivities.WAITING).gauge().value();
  }

  @Test
  void
      givenTwoWorkflowsWaiting_whenOneIsNotifiedTwiceAndOneAnswered_thenTheGaugeCountsDistinctWaiters() {
    notify.waitingForPerson(notice("restore/b/db/", true));
    notify.waitingForPerson(notice("restore/b/db/", true));
    notify.waitingForPerson(notice("restore/c/x", true));
    double both = waiting();
    notify.personResponded(notice("restore/b/db/", false));

    assertEquals(2, both);
    assertEquals(1, waiting());
  }

  @Test
  void givenNoCommandInTheNotice_whenLogged_thenTheApproveCommandIsSpelledOut() {
    assertEquals(
        "./dbops approve restore/b/db/ --by NAME",
        LogNotifyActivities.command(notice("restore/b/db/", true)));
    assertEquals(
        "./dbops approve w --by NAME --comment ok",
        LogNotifyActivities.command(
            new WaitNotice(
                "w", "p", "s", "x", List.of(), "./dbops approve w --by NAME --comment ok", true)));
  }
}
