package dev.presize.bench;

import java.util.Arrays;

/**
 * One series' samples of one resource per day (days counted from {@code start}, as the backtest
 * aligns them), ascending, with their running sums, so that the slack under a request, the volume
 * above it and the samples above it over a day are one binary search each.
 */
record DaySamples(double[][] sorted, double[][] prefix) {

    static final long DAY = 86_400;

    /** The measured (non-NaN) {@code values} at {@code timestamps}, per day from {@code start}. */
    static DaySamples of(long[] timestamps, double[] values, long start) {
        int days = timestamps.length == 0 ? 0 : (int) ((timestamps[timestamps.length - 1] - start) / DAY) + 1;
        double[][] sorted = new double[days][];
        double[][] prefix = new double[days][];
        int i = 0;
        for (int d = 0; d < days; d++) {
            double[] day = new double[0];
            int n = 0;
            while (i < timestamps.length && (timestamps[i] - start) / DAY == d) {
                if (!Double.isNaN(values[i])) {
                    if (n == day.length) {
                        day = Arrays.copyOf(day, Math.max(8, 2 * n));
                    }
                    day[n++] = values[i];
                }
                i++;
            }
            if (n > 0) {
                day = Arrays.copyOf(day, n);
                Arrays.sort(day);
                sorted[d] = day;
                double[] p = new double[n + 1];
                for (int k = 0; k < n; k++) {
                    p[k + 1] = p[k] + day[k];
                }
                prefix[d] = p;
            }
        }
        return new DaySamples(sorted, prefix);
    }

    int days() {
        return sorted.length;
    }

    boolean measured(int d) {
        return d >= 0 && d < sorted.length && sorted[d] != null;
    }

    int count(int d) {
        return sorted[d].length;
    }

    double peak(int d) {
        return sorted[d][sorted[d].length - 1];
    }

    double sum(int d) {
        return prefix[d][sorted[d].length];
    }

    /** How many of day d's samples are at or under {@code request}. */
    int atOrUnder(int d, double request) {
        double[] day = sorted[d];
        int lo = 0;
        int hi = day.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (day[mid] <= request) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Σ(R − x)⁺ over day d's samples. */
    double slack(int d, double request) {
        int k = atOrUnder(d, request);
        return request * k - prefix[d][k];
    }

    /** Σ(x − R)⁺ over day d's samples. */
    double unmet(int d, double request) {
        int k = atOrUnder(d, request);
        return (sum(d) - prefix[d][k]) - request * (count(d) - k);
    }

    /** The highest daily peak of the {@code w} days before d, NaN when none is measured. */
    double pastMax(int d, int w) {
        double max = Double.NaN;
        for (int b = Math.max(0, d - w); b < d; b++) {
            if (measured(b) && !(peak(b) <= max)) {
                max = peak(b);
            }
        }
        return max;
    }

    /** The nearest-rank {@code q} quantile of the samples of the {@code w} days before d, NaN when none. */
    double pastQuantile(int d, int w, double q) {
        int n = 0;
        for (int b = Math.max(0, d - w); b < d; b++) {
            n += measured(b) ? count(b) : 0;
        }
        if (n == 0) {
            return Double.NaN;
        }
        double[] all = new double[n];
        int at = 0;
        for (int b = Math.max(0, d - w); b < d; b++) {
            if (measured(b)) {
                System.arraycopy(sorted[b], 0, all, at, count(b));
                at += count(b);
            }
        }
        Arrays.sort(all);
        return all[Math.max(0, (int) Math.ceil(q * n) - 1)];
    }
}
