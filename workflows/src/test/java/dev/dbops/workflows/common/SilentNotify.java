package dev.dbops.workflows.common;

/** Notices to nobody: for workflow tests that assert on other things than who was told. */
public final class SilentNotify implements NotifyActivities {
  @Override
  public void waitingForPerson(WaitNotice n) {}

  @Override
  public void personResponded(WaitNotice n) {}

  @Override
  public void runEnded(RunNotice n) {}
}
