package dev.dbops.activities.common;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * One task per item, at most {@code concurrency} in flight, inside one activity attempt.
 *
 * <p>Callbacks ({@code onDone}, {@code tick}) run on the calling thread, the activity's own, so
 * they may heartbeat. When a task (or a callback) fails, no new task starts, the ones in flight
 * finish (their results still reach {@code onDone}, so progress is kept), then the first failure is
 * rethrown as is. Nothing is left running behind the caller's back, so a retry never races a
 * previous attempt on the same file.
 */
public final class BoundedParallel {
  private BoundedParallel() {}

  /** Results in input order, no callbacks. */
  public static <T, R> List<R> map(
      String name, List<T> items, int concurrency, Function<? super T, ? extends R> task) {
    return map(name, items, concurrency, task, (item, result) -> {}, null, () -> {});
  }

  /**
   * Results in input order.
   *
   * @param onDone called as each task succeeds, in completion order
   * @param tickEvery when not null, {@code tick} runs whenever this long passes with no completion
   *     (a long download still heartbeats)
   */
  public static <T, R> List<R> map(
      String name,
      List<T> items,
      int concurrency,
      Function<? super T, ? extends R> task,
      BiConsumer<? super T, ? super R> onDone,
      Duration tickEvery,
      Runnable tick) {
    int n = items.size();
    if (n == 0) return List.of();
    ExecutorService pool =
        Executors.newFixedThreadPool(Math.max(1, Math.min(concurrency, n)), threads(name));
    AtomicBoolean stop = new AtomicBoolean();
    CompletionService<Result<R>> done = new ExecutorCompletionService<>(pool);
    for (int i = 0; i < n; i++) {
      int index = i;
      done.submit(
          () ->
              stop.get()
                  ? new Result<>(index, null, true)
                  : new Result<>(index, task.apply(items.get(index)), false));
    }
    Object[] results = new Object[n];
    RuntimeException first = null;
    boolean callbacks = true;
    try {
      for (int remaining = n; remaining > 0; ) {
        Future<Result<R>> next =
            tickEvery == null
                ? done.take()
                : done.poll(tickEvery.toMillis(), TimeUnit.MILLISECONDS);
        try {
          if (next == null) {
            if (callbacks) tick.run();
            continue;
          }
          remaining--;
          Result<R> r = next.get();
          if (r.skipped()) continue;
          results[r.index()] = r.value();
          if (callbacks) onDone.accept(items.get(r.index()), r.value());
        } catch (ExecutionException e) {
          if (first == null) first = unchecked(e.getCause());
          stop.set(true);
        } catch (RuntimeException e) {
          // A callback failed (e.g. heartbeat reports cancellation): stop calling them.
          if (first == null) first = e;
          callbacks = false;
          stop.set(true);
        }
      }
    } catch (InterruptedException e) {
      stop.set(true);
      pool.shutdownNow();
      Thread.currentThread().interrupt();
      throw new IllegalStateException(name + " interrupted", e);
    } finally {
      pool.shutdown();
    }
    if (first != null) throw first;
    @SuppressWarnings("unchecked")
    List<R> out = (List<R>) new ArrayList<>(Arrays.asList(results));
    return out;
  }

  private record Result<R>(int index, R value, boolean skipped) {}

  private static RuntimeException unchecked(Throwable t) {
    if (t instanceof RuntimeException r) return r;
    if (t instanceof Error e) throw e;
    return new IllegalStateException(t);
  }

  private static ThreadFactory threads(String name) {
    AtomicInteger count = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, "dbops-" + name + "-" + count.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
