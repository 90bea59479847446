package dev.presize.model;

import java.util.Arrays;

/** Order statistics on samples. Nearest-rank percentiles: the answer is always an observed value. */
public final class Percentiles {

    // p × n computed in binary floating point can land a hair above a whole rank (0.29 × 100 =
    // 29.000000000000004); without this tolerance the rank would round up one sample too far.
    private static final double RANK_TOLERANCE = 1e-9;

    private Percentiles() {
    }

    /** The values that are not NaN, sorted ascending (a new array). */
    public static double[] sortedKnown(double[] values) {
        double[] known = new double[values.length];
        int n = 0;
        for (double v : values) {
            if (!Double.isNaN(v)) {
                known[n++] = v;
            }
        }
        double[] result = Arrays.copyOf(known, n);
        Arrays.sort(result);
        return result;
    }

    /** The nearest-rank {@code p}-quantile (0 < p ≤ 1) of ascending {@code sorted}: the ⌈p·n⌉-th smallest. */
    public static double of(double[] sorted, double p) {
        if (sorted.length == 0) {
            throw new IllegalArgumentException("no samples");
        }
        if (!(p > 0 && p <= 1)) {
            throw new IllegalArgumentException("quantile must be in (0, 1]: " + p);
        }
        int rank = (int) Math.ceil(p * sorted.length - RANK_TOLERANCE);
        return sorted[Math.max(rank, 1) - 1];
    }

    /** The median gap between consecutive timestamps, i.e. the usual sample interval (0 if under two samples). */
    public static long medianInterval(long[] timestamps) {
        if (timestamps.length < 2) {
            return 0;
        }
        long[] gaps = new long[timestamps.length - 1];
        for (int i = 1; i < timestamps.length; i++) {
            gaps[i - 1] = timestamps[i] - timestamps[i - 1];
        }
        Arrays.sort(gaps);
        return gaps[gaps.length / 2];
    }
}
