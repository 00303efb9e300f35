package dev.dbops.workflows.restore;

import dev.dbops.workflows.common.NotifyActivities;
import dev.dbops.workflows.common.RunNotice;
import dev.dbops.workflows.common.WaitNotice;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

class RecordingNotify implements NotifyActivities {
  final List<WaitNotice> notices = new CopyOnWriteArrayList<>();
  final List<RunNotice> ended = new CopyOnWriteArrayList<>();

  @Override
  public void waitingForPerson(WaitNotice notice) {
    notices.add(notice);
  }

  @Override
  public void personResponded(WaitNotice notice) {
    notices.add(notice);
  }

  @Override
  public void runEnded(RunNotice notice) {
    ended.add(notice);
  }
}
