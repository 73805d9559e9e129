package io.streamify.bench;

/** Samples this JVM's heap in use every 50 ms, for a benchmark's "peak heap used" figure. */
final class HeapSampler extends Thread {
  private volatile long peak;

  HeapSampler() {
    setDaemon(true);
  }

  @Override
  public void run() {
    Runtime rt = Runtime.getRuntime();
    while (!isInterrupted()) {
      peak = Math.max(peak, rt.totalMemory() - rt.freeMemory());
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** The most heap in use seen, in MiB. */
  long peakMiB() {
    return peak >> 20;
  }
}
