package dev.dbops.bench;

/** Samples used heap every 20 ms on a daemon thread; the peak is what the run needed at most. */
final class HeapSampler {
  private volatile boolean running = true;
  private volatile long peak;
  private final Thread thread;

  private HeapSampler() {
    thread =
        new Thread(
            () -> {
              Runtime rt = Runtime.getRuntime();
              while (running) {
                peak = Math.max(peak, rt.totalMemory() - rt.freeMemory());
                try {
                  Thread.sleep(20);
                } catch (InterruptedException e) {
                  return;
                }
              }
            },
            "heap-sampler");
    thread.setDaemon(true);
  }

  static HeapSampler start() {
    System.gc();
    HeapSampler s = new HeapSampler();
    s.thread.start();
    return s;
  }

  long stopMb() {
    running = false;
    return peak / (1024 * 1024);
  }
}
