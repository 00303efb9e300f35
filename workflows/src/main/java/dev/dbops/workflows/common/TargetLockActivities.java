package dev.dbops.workflows.common;

import io.temporal.activity.ActivityInterface;

/** What a lock needs to know about its holder, read from Temporal by the worker. */
@ActivityInterface
public interface TargetLockActivities {
  /**
   * Returns once the holder's chain is closed (or gone); throws a retryable {@link
   * ErrorTypes#NOT_READY} while it is open, so the retry policy is the poll.
   */
  void awaitHolderClosed(LockHolder holder);

  /** The open run holding the lock {@code lockId}; null when it is free or its holder has ended. */
  LockHolder holderOf(String lockId);
}
