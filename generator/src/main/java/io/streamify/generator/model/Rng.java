package io.streamify.generator.model;

/**
 * Stateless, seedable hashing (SplitMix64's finalizer) for values that must not depend on the order
 * in which the simulation asks for them: a user's profile is a pure function of (seed, userId).
 */
public final class Rng {
  private Rng() {}

  public static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  /** A well-mixed 64-bit value for (seed, id, salt). */
  public static long hash(long seed, long id, long salt) {
    return mix(mix(seed * 0x9e3779b97f4a7c15L + salt) ^ (id * 0xd1b54a32d192ed03L));
  }

  /** A uniform double in [0, 1) for (seed, id, salt). */
  public static double uniform(long seed, long id, long salt) {
    return (hash(seed, id, salt) >>> 11) * 0x1.0p-53;
  }

  /** Exponentially distributed with the given mean, from a uniform u in [0, 1). */
  public static double exponential(double mean, double u) {
    return -mean * Math.log(1.0 - u);
  }
}
