package dev.presize.model.learned;

import dev.presize.history.HourlyUsage;

/**
 * Reads the share of CPU samples above a candidate request off hourly sketches. Each hour's
 * distribution is the piecewise-linear CDF through its {@link HourlyUsage#CPU_LEVELS} quantiles
 * (and through 0 at 0 cores, below the median, which no request of interest falls under); a range of
 * hours is the mixture of its hours weighted by their sample counts. This is how the CPU risk
 * ("share of samples where usage exceeds the request") is measured on the data the model has, in
 * training, in calibration and in the server alike.
 */
public final class CpuDistribution {

    private static final int BISECTION_STEPS = 50;

    private CpuDistribution() {
    }

    /** Share of the samples of slots {@code [from, to)} above {@code request}; NaN when there are none. */
    public static double exceedFraction(HourlyUsage u, int from, int to, double request) {
        double above = 0;
        double total = 0;
        for (int i = Math.max(0, from); i < Math.min(to, u.hours()); i++) {
            if (u.hasCpu(i)) {
                int n = u.samples()[i];
                above += n * (1 - cdf(u, i, request));
                total += n;
            }
        }
        return total == 0 ? Double.NaN : above / total;
    }

    /** Number of CPU samples in slots {@code [from, to)}. */
    public static int samples(HourlyUsage u, int from, int to) {
        int total = 0;
        for (int i = Math.max(0, from); i < Math.min(to, u.hours()); i++) {
            if (u.hasCpu(i)) {
                total += u.samples()[i];
            }
        }
        return total;
    }

    /**
     * The smallest request whose exceed fraction over {@code [from, to)} is at most {@code 1 - level}:
     * the mixture quantile. NaN when there are no samples.
     */
    public static double quantile(HourlyUsage u, int from, int to, double level) {
        double hi = 0;
        for (int i = Math.max(0, from); i < Math.min(to, u.hours()); i++) {
            if (u.hasCpu(i)) {
                hi = Math.max(hi, u.cpuMax(i));
            }
        }
        if (samples(u, from, to) == 0) {
            return Double.NaN;
        }
        double target = 1 - level;
        if (exceedFraction(u, from, to, 0) <= target) {
            return 0;
        }
        double lo = 0;
        for (int step = 0; step < BISECTION_STEPS && hi - lo > 1e-9 * Math.max(hi, 1e-6); step++) {
            double mid = (lo + hi) / 2;
            if (exceedFraction(u, from, to, mid) <= target) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        return hi;
    }

    /** The hour's CDF at {@code x}: linear between (0, 0), the quantile knots, and 1 from the maximum on. */
    static double cdf(HourlyUsage u, int slot, double x) {
        double[] levels = HourlyUsage.CPU_LEVELS;
        float[][] q = u.cpuQuantiles();
        if (x <= 0) {
            return 0;
        }
        double prevValue = 0;
        double prevLevel = 0;
        for (int k = 0; k < levels.length; k++) {
            double v = q[k][slot];
            if (x < v) {
                if (v <= prevValue) {
                    return prevLevel;
                }
                return prevLevel + (levels[k] - prevLevel) * (x - prevValue) / (v - prevValue);
            }
            prevValue = v;
            prevLevel = levels[k];
        }
        return 1;
    }
}
