package dev.dbops.workflows.common;

import io.temporal.activity.ActivityInterface;

/** Telling people a run needs them (or no longer does). */
@ActivityInterface
public interface NotifyActivities {
  void waitingForPerson(WaitNotice notice);

  void personResponded(WaitNotice notice);

  /** The run completed or failed; best effort, never fails the run. */
  void runEnded(RunNotice notice);
}
