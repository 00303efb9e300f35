package dev.dbops.activities.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.dbops.workflows.common.WaitNotice;
import java.util.List;
import org.junit.jupiter.api.Test;

class LogNotifyActivitiesTest {
  private final LogNotifyActivities notify = new LogNotifyActivities();

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
