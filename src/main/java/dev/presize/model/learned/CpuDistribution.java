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
        return exceedFraction(hours(u, from, to), request);
    }

    /** {@link #exceedFraction} over hours already read ({@link #hours}). */
    static double exceedFraction(Hour[] hours, double request) {
        double above = 0;
        double total = 0;
        for (Hour h : hours) {
            if (h != null) {
                above += h.samples * (1 - h.cdf(request));
                total += h.samples;
            }
        }
        return total == 0 ? Double.NaN : above / total;
    }

    /**
     * The CPU volume above {@code request} in slots {@code [from, to)}, in core-samples: Σ (u − R)⁺
     * over the samples, each hour's part read off its sketch as n · ∫_R^∞ (1 − F(x)) dx with the
     * same piecewise-linear F as {@link #exceedFraction}; 0 when there are none. Divided by
     * {@link #usage} it is the {@code cpu_unmet_ratio} the backtest counts on raw samples.
     */
    public static double unmet(HourlyUsage u, int from, int to, double request) {
        return unmet(hours(u, from, to), request);
    }

    /** {@link #unmet} over hours already read ({@link #hours}). */
    static double unmet(Hour[] hours, double request) {
        double total = 0;
        for (Hour h : hours) {
            if (h != null) {
                total += h.samples * h.unmetPerSample(request);
            }
        }
        return total;
    }

    /**
     * {@link #exceedFraction} and {@link #unmet} over the same hours at each of {@code requests} at
     * once, into {@code exceedFraction} and {@code unmet}: each hour's knots walked once for all the
     * requests ({@link Reader}) rather than once per request, each request's sums taken over the
     * hours in the same order, so the figures are the same to the last bit.
     */
    static void read(Hour[] hours, double[] requests, double[] exceedFraction, double[] unmet) {
        double total = 0;
        java.util.Arrays.fill(exceedFraction, 0);
        java.util.Arrays.fill(unmet, 0);
        for (Hour h : hours) {
            if (h == null) {
                continue;
            }
            Reader read = h.reader();
            for (int j = 0; j < requests.length; j++) {
                read.at(requests[j]);
                exceedFraction[j] += h.samples * (1 - read.cdf());
                unmet[j] += h.samples * read.unmetPerSample();
            }
            total += h.samples;
        }
        for (int j = 0; j < requests.length; j++) {
            exceedFraction[j] = total == 0 ? Double.NaN : exceedFraction[j] / total;
        }
    }

    /**
     * The hours of slots {@code [from, to)}, each read once, in order (null for an hour without CPU
     * samples): reading many candidates off the same hours then costs a walk over their knots each.
     */
    static Hour[] hours(HourlyUsage u, int from, int to) {
        int lo = Math.max(0, from);
        Hour[] hours = new Hour[Math.max(0, Math.min(to, u.hours()) - lo)];
        for (int i = 0; i < hours.length; i++) {
            hours[i] = u.hasCpu(lo + i) ? new Hour(u, lo + i) : null;
        }
        return hours;
    }

    /** Σ u over the samples of slots {@code [from, to)} (the hourly means times the sample counts). */
    public static double usage(HourlyUsage u, int from, int to) {
        double total = 0;
        for (int i = Math.max(0, from); i < Math.min(to, u.hours()); i++) {
            if (u.hasCpu(i)) {
                total += u.samples()[i] * (double) u.cpuMean()[i];
            }
        }
        return total;
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
        Hour[] hours = hours(u, from, to);
        if (exceedFraction(hours, 0) <= target) {
            return 0;
        }
        double lo = 0;
        for (int step = 0; step < BISECTION_STEPS && hi - lo > 1e-9 * Math.max(hi, 1e-6); step++) {
            double mid = (lo + hi) / 2;
            if (exceedFraction(hours, mid) <= target) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        return hi;
    }


    /**
     * One hour's knots as {@link Hour#cdf} and {@link Hour#unmetPerSample} read them (the share
     * under and at each, given its rank), derived once: a ladder reads an hour at dozens of candidates, and
     * re-deriving ranks and shares from the sketch per candidate was most of a backtest's time in
     * the ladders and the calibration cases.
     */
    static final class Hour {

        /** The hour's CPU samples (its weight in a range of hours). */
        final int samples;
        private final double[] value = new double[HourlyUsage.CPU_LEVELS.length];
        /** The CDF just below knot k: the share of samples under it, given its rank. */
        private final double[] under = new double[value.length];
        /** The share under and at the knot before k (0 before the first). */
        private final double[] before = new double[value.length];
        /** The knot before k (0 before the first), and the largest knot before k (the volume's segments). */
        private final double[] previous = new double[value.length];
        private final double[] highest = new double[value.length];
        /**
         * The volume above the segment below knot k when the request lies under it: (v − h)·(1 −
         * (under_before + under)/2) for the largest knot h before k, 0 when the segment is empty.
         */
        private final double[] tail = new double[value.length];

        Hour(HourlyUsage u, int slot) {
            double[] levels = HourlyUsage.CPU_LEVELS;
            float[][] q = u.cpuQuantiles();
            samples = u.samples()[slot];
            int n = Math.max(1, samples);
            double prevValue = 0;
            double maxValue = 0;
            double prevShare = 0;
            for (int k = 0; k < levels.length; k++) {
                double v = q[k][slot];
                double rank = levels[k] * (n - 1);
                value[k] = v;
                under[k] = Math.max(prevShare, Math.ceil(rank - RANK_TOLERANCE) / n);
                before[k] = prevShare;
                previous[k] = prevValue;
                highest[k] = maxValue;
                // At a = h the share at a is before[k] exactly, so this is the term unmetPerSample
                // adds for the segment (the same operations, in the same order).
                tail[k] = v > maxValue ? (v - maxValue) * (1 - (prevShare + under[k]) / 2) : 0;
                prevValue = v;
                maxValue = Math.max(maxValue, v);
                prevShare = Math.max(prevShare, Math.min(1, (Math.floor(rank + RANK_TOLERANCE) + 1) / n));
            }
        }

        /**
         * The hour's CDF at {@code x}, read off its quantile knots with the hour's sample count n in
         * mind. Prometheus' {@code quantile_over_time} (promql/quantile.go) puts level φ at rank
         * φ·(n − 1) of the sorted samples, interpolating between neighbours, so with 12 samples an hour
         * the 0.95 and 0.99 knots both fall between the two largest samples: one sample in twelve (8 %)
         * lies above any value there, not the 1–5 % a line through the levels would say, which made the
         * CPU risk look smaller than the samples show. So each knot maps to the share of samples under and
         * at it, given its rank; between knots of the same gap between neighbouring samples the CDF is
         * flat, across gaps it is linear (where the samples in between lie is unknown), and below the
         * first knot it is linear from (0, 0). With many samples this is the line through the levels.
         */
        double cdf(double x) {
            return x <= 0 ? 0 : cdf(x, segment(x));
        }

        /** ∫_R^∞ (1 − F(x)) dx for the hour's F of {@link #cdf}: linear on each segment between knots. */
        double unmetPerSample(double request) {
            double r = Math.max(0, request);
            return unmetPerSample(r, segment(r));
        }

        /** The first knot above {@code x}: x lies on the segment below it (the number of knots: above them all). */
        private int segment(double x) {
            return segment(x, 0);
        }

        /**
         * {@link #segment(double)} searched from knot {@code from} on, which must be at most the
         * segment of {@code x}: the segment of any value no larger than {@code x} is, since every
         * knot before it is at most that value ({@code !(v < knot)}), so at most {@code x}, even
         * where the knots are not in order.
         */
        private int segment(double x, int from) {
            int k = from;
            while (k < value.length && !(x < value[k])) {
                k++;
            }
            return k;
        }

        /** A {@link Reader} of this hour. */
        Reader reader() {
            return new Reader(this);
        }

        private double cdf(double x, int k) {
            if (k == value.length) {
                return 1;
            }
            if (value[k] <= previous[k]) {
                return before[k];
            }
            return before[k] + (under[k] - before[k]) * (x - previous[k]) / (value[k] - previous[k]);
        }

        /**
         * The volume above r on r's segment, then on each whole segment above it ({@link #tail}, the
         * same products, taken once per hour): the knots below r have nothing above r.
         */
        private double unmetPerSample(double r, int k) {
            double total = 0;
            if (k < value.length) {
                double v = value[k];
                double a = Math.max(r, highest[k]);
                if (v > highest[k] && a < v) {
                    double fa = before[k] + (under[k] - before[k]) * (a - highest[k]) / (v - highest[k]);
                    total += (v - a) * (1 - (fa + under[k]) / 2);
                }
            }
            for (int j = k + 1; j < value.length; j++) {
                total += tail[j];
            }
            return total;
        }
    }

    /**
     * Reads one hour at ascending values ({@link #at}, then {@link #cdf} and {@link #unmetPerSample}
     * there), each value's segment searched from the last one's: the same figures as
     * {@link Hour#cdf} and {@link Hour#unmetPerSample}, the same operations on the same segment, for
     * a walk over the knots per hour instead of per candidate. A ladder reads every hour at
     * dozens of ascending candidates, and scanning the knots from the first for each was a tenth
     * of a backtest. A value below the last one starts from the first knot again.
     */
    static final class Reader {

        private final Hour hour;
        private int k;
        private double last = Double.NEGATIVE_INFINITY;
        private double x;

        private Reader(Hour hour) {
            this.hour = hour;
        }

        /** Moves to {@code x}. */
        void at(double x) {
            double r = Math.max(0, x);
            if (!(r >= last)) { // lower, or NaN: the last segment is no bound
                k = 0;
            }
            k = hour.segment(r, k);
            last = r;
            this.x = x;
        }

        /** {@link Hour#cdf} at the value of {@link #at}. */
        double cdf() {
            return x <= 0 ? 0 : hour.cdf(x, k);
        }

        /** {@link Hour#unmetPerSample} at the value of {@link #at}. */
        double unmetPerSample() {
            return hour.unmetPerSample(Math.max(0, x), k);
        }
    }

    // Levels times (n - 1) that should be whole numbers (0.5 x 11 is not, 0.5 x 13 is) come out of
    // floating point a hair off.
    private static final double RANK_TOLERANCE = 1e-9;
}
