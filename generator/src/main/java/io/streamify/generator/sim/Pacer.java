package io.streamify.generator.sim;

import io.streamify.generator.sink.EventSink;
import java.io.IOException;

/**
 * Holds records back until their simulated time comes: speed 1 is real time (continuous mode),
 * speed N runs the simulated clock N times faster (accelerated), speed 0 does not wait.
 */
final class Pacer {
  private final long simulatedStart;
  private final double speed;
  private long wallStartNanos = -1;

  Pacer(long simulatedStart, double speed) {
    this.simulatedStart = simulatedStart;
    this.speed = speed;
  }

  void awaitSimulatedTime(long ts, EventSink sink) throws IOException, InterruptedException {
    if (speed <= 0) {
      return;
    }
    if (wallStartNanos < 0) {
      wallStartNanos = System.nanoTime();
    }
    long dueNanos = wallStartNanos + (long) ((ts - simulatedStart) * 1_000_000L / speed);
    long wait = dueNanos - System.nanoTime();
    if (wait > 2_000_000L) {
      sink.flush(); // let what is due reach its readers before we sleep
      Thread.sleep(wait / 1_000_000L, (int) (wait % 1_000_000L));
    }
  }
}
