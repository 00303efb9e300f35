package dev.dbops.starter.campaign;

import java.util.Locale;

/** When a campaign run's worker gets SIGKILL. */
public enum KillPoint {
  /**
   * During an activity: a mutating AWS call the sandbox holds (an injected latency) has reached it
   * and not been answered — the call takes effect, the worker never hears back; for the binlog
   * catch-up, the replication monitor while it journals and skips conflicts.
   */
  ACTIVITY,
  /**
   * During a wait: for the approval, or between two attempts of the poll activity waiting on AWS.
   */
  WAIT,
  /**
   * Right after an approval signal was sent (raw, not confirmed), before or while the worker
   * handles it.
   */
  SIGNAL,
  /** No kill: the fault matrix runs procedures through injected faults only. */
  NONE;

  public static KillPoint parse(String name) {
    try {
      return valueOf(name.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "unknown kill point '" + name + "' (activity, wait, signal, none)");
    }
  }
}
