package io.streamify.generator.model;

/**
 * Walker's alias method: draws index i with probability weight[i] / sum in O(1), whatever the
 * number of items (song catalogs have hundreds of thousands).
 */
public final class AliasTable {
  private final double[] prob;
  private final int[] alias;

  public AliasTable(double[] weights) {
    int n = weights.length;
    if (n == 0) {
      throw new IllegalArgumentException("no items to sample from");
    }
    double sum = 0;
    for (double w : weights) {
      if (!(w >= 0) || Double.isInfinite(w)) {
        throw new IllegalArgumentException("weights must be finite and >= 0, got " + w);
      }
      sum += w;
    }
    if (!(sum > 0)) {
      throw new IllegalArgumentException("weights sum to 0");
    }
    prob = new double[n];
    alias = new int[n];
    double[] scaled = new double[n];
    int[] small = new int[n];
    int[] large = new int[n];
    int ns = 0;
    int nl = 0;
    for (int i = 0; i < n; i++) {
      scaled[i] = weights[i] * n / sum;
      if (scaled[i] < 1.0) {
        small[ns++] = i;
      } else {
        large[nl++] = i;
      }
    }
    while (ns > 0 && nl > 0) {
      int s = small[--ns];
      int l = large[--nl];
      prob[s] = scaled[s];
      alias[s] = l;
      scaled[l] = (scaled[l] + scaled[s]) - 1.0;
      if (scaled[l] < 1.0) {
        small[ns++] = l;
      } else {
        large[nl++] = l;
      }
    }
    while (nl > 0) {
      prob[large[--nl]] = 1.0;
    }
    while (ns > 0) {
      prob[small[--ns]] = 1.0; // only reached through rounding
    }
  }

  public int size() {
    return prob.length;
  }

  /** Draws an index from one uniform double in [0, 1). */
  public int sample(double u) {
    double x = u * prob.length;
    int i = (int) x;
    if (i >= prob.length) {
      i = prob.length - 1;
    }
    return (x - i) < prob[i] ? i : alias[i];
  }
}
