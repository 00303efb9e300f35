package dev.dbops.worker;

/**
 * What {@code /healthz} and {@code /readyz} answer, in one place. A worker is <em>live</em> from
 * the moment its endpoint serves until its shutdown begins, and <em>ready</em> only while its
 * worker factory polls the task queue: not before {@link #polling()}, not after {@link
 * #stopping()}. A shutting-down worker is neither, so an orchestrator neither routes to it nor
 * restarts it for being slow to drain.
 */
public final class WorkerHealth {
  /** The endpoints' paths, served next to {@code /metrics}. */
  public static final String LIVE_PATH = "/healthz";

  public static final String READY_PATH = "/readyz";

  enum State {
    STARTING,
    POLLING,
    STOPPING
  }

  private volatile State state = State.STARTING;

  /** The factory started its pollers. A worker that began stopping stays stopping. */
  synchronized void polling() {
    if (state == State.STARTING) state = State.POLLING;
  }

  /** Shutdown began: from now on neither live nor ready. */
  synchronized void stopping() {
    state = State.STOPPING;
  }

  public boolean live() {
    return state != State.STOPPING;
  }

  public boolean ready() {
    return state == State.POLLING;
  }

  State state() {
    return state;
  }
}
