package dev.dbops.activities.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BoundedParallelTest {
  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void givenItems_whenMapped_thenResultsInInputOrderAndNeverMoreThanTheBoundInFlight() {
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger peak = new AtomicInteger();
    List<Integer> items = IntStream.range(0, 30).boxed().toList();
    List<Integer> doneOnCaller = new ArrayList<>();
    Thread caller = Thread.currentThread();

    List<Integer> out =
        BoundedParallel.map(
            "t",
            items,
            4,
            i -> {
              peak.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
              sleep(5 + (i % 3) * 5);
              inFlight.decrementAndGet();
              return i * 2;
            },
            (i, r) -> {
              assertSame(caller, Thread.currentThread());
              doneOnCaller.add(i);
            },
            null,
            () -> {});

    assertEquals(items.stream().map(i -> i * 2).toList(), out);
    assertTrue(peak.get() <= 4, "peak " + peak.get());
    assertEquals(30, doneOnCaller.size());
  }

  @Test
  void givenOneTaskFails_whenMapped_thenInFlightTasksFinishAndTheFirstFailureIsRethrown() {
    RuntimeException boom = new IllegalStateException("boom");
    AtomicInteger started = new AtomicInteger();
    List<Integer> done = new ArrayList<>();

    RuntimeException thrown =
        assertThrows(
            RuntimeException.class,
            () ->
                BoundedParallel.map(
                    "t",
                    IntStream.range(0, 50).boxed().toList(),
                    2,
                    i -> {
                      started.incrementAndGet();
                      if (i == 1) throw boom;
                      sleep(20);
                      return i;
                    },
                    (i, r) -> done.add(i),
                    null,
                    () -> {}));

    assertSame(boom, thrown);
    assertTrue(started.get() < 50, "no new task after the failure: " + started.get());
    assertTrue(done.contains(0), "the task in flight beside the failure still reported");
  }

  @Test
  void givenSlowTask_whenMapped_thenTheTickRunsWhileWaiting() {
    AtomicInteger ticks = new AtomicInteger();

    BoundedParallel.map(
        "t",
        List.of(1),
        1,
        i -> {
          sleep(200);
          return i;
        },
        (i, r) -> {},
        Duration.ofMillis(20),
        ticks::incrementAndGet);

    assertTrue(ticks.get() >= 3, "ticks " + ticks.get());
  }
}
