package dev.presize.model.learned;

import dev.presize.history.HourlyUsage;
import java.util.Arrays;

/**
 * The model's view of one container at one origin: scale-free features computed from the hours
 * strictly before the origin. Every CPU quantity is divided by the container's CPU scale (the past
 * week's p95 sample) and every memory quantity by its memory scale (the past week's peak), then
 * log-transformed, so that one global model serves a 10-millicore sidecar and a 16-core database
 * alike: it learns how the next day relates to the past, not what sizes containers have.
 */
public final class Features {

    /** Horizons, in hours, for the multi-horizon statistics: a day, three days, a week, two weeks. */
    static final int[] HORIZONS = {24, 72, 168, 336};
    static final int WEEK = 168;
    /** The window of {@link Row#memoryPeak}: two weeks, KRR's and Presize's default history. */
    static final int PEAK_WINDOW = 336;
    static final int DAY = 24;
    static final double DECAY_HALF_LIFE_HOURS = 24;
    // Floors keep logs finite for idle containers: 1 millicore, 1 MiB.
    static final double CPU_EPSILON = 0.001;
    static final double MEMORY_EPSILON = 1024 * 1024;

    public static final String[] NAMES = names();

    private Features() {
    }

    /**
     * One container's features at an origin.
     *
     * @param values         in {@link #NAMES} order
     * @param cpuScale       cores the CPU target is relative to
     * @param memoryScale    bytes the memory target is relative to; NaN without memory history
     * @param historyHours   hours with CPU data before the origin
     * @param memoryPeak     the largest memory sample in the two weeks before the origin (for the
     *                       OOM bump); NaN if none
     * @param oomKilled      whether an OOM kill was seen before the origin
     */
    public record Row(double[] values, double cpuScale, double memoryScale, int historyHours, double memoryPeak,
                      boolean oomKilled) {
    }

    private static String[] names() {
        String[] perHorizon = {"cpu_p95_of_hourly_p95", "cpu_max", "cpu_mean", "mem_max", "mem_median_hourly_max"};
        String[] single = {
            "cpu_same_day_last_week_p95", "cpu_same_day_last_week_max", "cpu_decayed_hourly_p95",
            "cpu_trend_day_vs_week", "cpu_cv_hourly_mean_week", "cpu_last_hour_p95", "cpu_log_scale",
            "cpu_request_ratio", "mem_same_day_last_week_max", "mem_decayed_hourly_max", "mem_trend_day_vs_week",
            "mem_last_hour", "mem_log_scale", "mem_request_ratio", "history_days", "coverage_week",
            "oom_killed"};
        String[] names = new String[perHorizon.length * HORIZONS.length + single.length];
        int n = 0;
        for (int h : HORIZONS) {
            for (String p : perHorizon) {
                names[n++] = p + "_" + h + "h";
            }
        }
        for (String s : single) {
            names[n++] = s;
        }
        return names;
    }

    /**
     * Features of {@code u} at slot {@code origin} (the hours {@code [0, origin)} are the past), or
     * null when the past has no CPU data.
     *
     * @param cpuRequest    the CPU request in force, cores; NaN when unknown
     * @param memoryRequest the memory request in force, bytes; NaN when unknown
     */
    public static Row compute(HourlyUsage u, int origin, double cpuRequest, double memoryRequest) {
        int weekFrom = Math.max(0, origin - WEEK);
        double cpuScale = CpuDistribution.quantile(u, weekFrom, origin, 0.95);
        if (Double.isNaN(cpuScale)) {
            cpuScale = CpuDistribution.quantile(u, 0, origin, 0.95);
        }
        if (Double.isNaN(cpuScale)) {
            return null;
        }
        cpuScale = Math.max(cpuScale, CPU_EPSILON);
        double memoryScale = maxMemory(u, weekFrom, origin);
        if (Double.isNaN(memoryScale)) {
            memoryScale = maxMemory(u, 0, origin);
        }
        memoryScale = Double.isNaN(memoryScale) ? Double.NaN : Math.max(memoryScale, MEMORY_EPSILON);

        double[] v = new double[NAMES.length];
        int n = 0;
        float[] p95 = u.cpuQuantiles()[2];
        for (int h : HORIZONS) {
            int from = Math.max(0, origin - h);
            v[n++] = cpuLog(quantileOf(p95, u, from, origin, 0.95), cpuScale);
            v[n++] = cpuLog(maxOf(u.cpuQuantiles()[u.cpuQuantiles().length - 1], from, origin), cpuScale);
            v[n++] = cpuLog(meanOf(u.cpuMean(), from, origin), cpuScale);
            v[n++] = memLog(maxOf(u.memoryMax(), from, origin), memoryScale);
            v[n++] = memLog(quantileOf(u.memoryMax(), null, from, origin, 0.5), memoryScale);
        }
        int lastWeekFrom = origin - WEEK;
        v[n++] = cpuLog(quantileOf(p95, u, Math.max(0, lastWeekFrom), Math.max(0, lastWeekFrom + DAY), 0.95), cpuScale);
        v[n++] = cpuLog(maxOf(u.cpuQuantiles()[u.cpuQuantiles().length - 1], Math.max(0, lastWeekFrom),
                Math.max(0, lastWeekFrom + DAY)), cpuScale);
        v[n++] = cpuLog(decayed(p95, origin), cpuScale);
        v[n++] = logRatio(meanOf(u.cpuMean(), Math.max(0, origin - DAY), origin),
                meanOf(u.cpuMean(), weekFrom, origin), CPU_EPSILON);
        v[n++] = coefficientOfVariation(u.cpuMean(), weekFrom, origin);
        v[n++] = cpuLog(lastKnown(p95, origin), cpuScale);
        v[n++] = Math.log(cpuScale);
        v[n++] = Double.isNaN(cpuRequest) ? Double.NaN : cpuLog(cpuRequest, cpuScale);
        v[n++] = memLog(maxOf(u.memoryMax(), Math.max(0, lastWeekFrom), Math.max(0, lastWeekFrom + DAY)), memoryScale);
        v[n++] = memLog(decayed(u.memoryMax(), origin), memoryScale);
        v[n++] = logRatio(maxOf(u.memoryMax(), Math.max(0, origin - DAY), origin),
                maxOf(u.memoryMax(), weekFrom, origin), MEMORY_EPSILON);
        v[n++] = memLog(lastKnown(u.memoryMax(), origin), memoryScale);
        v[n++] = Double.isNaN(memoryScale) ? Double.NaN : Math.log(memoryScale);
        v[n++] = Double.isNaN(memoryRequest) ? Double.NaN : memLog(memoryRequest, memoryScale);
        int historyHours = hoursWithCpu(u, 0, origin);
        v[n++] = historyHours / 24.0;
        v[n++] = hoursWithCpu(u, weekFrom, origin) / (double) Math.max(1, origin - weekFrom);
        boolean oom = false;
        for (int i = 0; i < origin && i < u.hours(); i++) {
            oom |= u.oomKilled()[i];
        }
        v[n++] = oom ? 1 : 0;
        // Missing statistics (no memory data, no week ago yet) become 0 = "like the scale":
        // tree learners would cope with NaN, the linear one would not, and one code path serves all.
        for (int i = 0; i < v.length; i++) {
            if (Double.isNaN(v[i]) || Double.isInfinite(v[i])) {
                v[i] = 0;
            }
        }
        return new Row(v, cpuScale, memoryScale, historyHours, maxMemory(u, Math.max(0, origin - PEAK_WINDOW), origin),
                oom);
    }

    static double maxMemory(HourlyUsage u, int from, int to) {
        return maxOf(u.memoryMax(), from, to);
    }

    private static double cpuLog(double x, double scale) {
        return Double.isNaN(x) ? Double.NaN : Math.log(Math.max(x, CPU_EPSILON) / scale);
    }

    private static double memLog(double x, double scale) {
        return Double.isNaN(x) || Double.isNaN(scale) ? Double.NaN : Math.log(Math.max(x, MEMORY_EPSILON) / scale);
    }

    private static double logRatio(double a, double b, double epsilon) {
        return Double.isNaN(a) || Double.isNaN(b) ? Double.NaN : Math.log(Math.max(a, epsilon) / Math.max(b, epsilon));
    }

    static double maxOf(float[] a, int from, int to) {
        double max = Double.NaN;
        for (int i = Math.max(0, from); i < Math.min(to, a.length); i++) {
            if (!Float.isNaN(a[i]) && !(a[i] <= max)) {
                max = a[i];
            }
        }
        return max;
    }

    private static double meanOf(float[] a, int from, int to) {
        double sum = 0;
        int n = 0;
        for (int i = Math.max(0, from); i < Math.min(to, a.length); i++) {
            if (!Float.isNaN(a[i])) {
                sum += a[i];
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    private static double coefficientOfVariation(float[] a, int from, int to) {
        double mean = meanOf(a, from, to);
        if (Double.isNaN(mean) || mean <= 0) {
            return Double.NaN;
        }
        double ss = 0;
        int n = 0;
        for (int i = Math.max(0, from); i < Math.min(to, a.length); i++) {
            if (!Float.isNaN(a[i])) {
                ss += (a[i] - mean) * (a[i] - mean);
                n++;
            }
        }
        return Math.sqrt(ss / n) / mean;
    }

    /** Nearest-rank quantile of the known values of {@code a[from, to)}; with {@code u}, only hours with CPU. */
    private static double quantileOf(float[] a, HourlyUsage u, int from, int to, double q) {
        int lo = Math.max(0, from);
        int hi = Math.min(to, a.length);
        if (hi <= lo) {
            return Double.NaN;
        }
        float[] known = new float[hi - lo];
        int n = 0;
        for (int i = lo; i < hi; i++) {
            if (!Float.isNaN(a[i]) && (u == null || u.hasCpu(i))) {
                known[n++] = a[i];
            }
        }
        if (n == 0) {
            return Double.NaN;
        }
        Arrays.sort(known, 0, n);
        int rank = (int) Math.ceil(q * n);
        return known[Math.max(rank, 1) - 1];
    }

    /** Exponentially decayed average (half-life a day) of the known values before {@code origin}. */
    private static double decayed(float[] a, int origin) {
        double sum = 0;
        double weights = 0;
        for (int i = Math.min(origin, a.length) - 1; i >= 0; i--) {
            if (!Float.isNaN(a[i])) {
                double w = Math.pow(0.5, (origin - 1 - i) / DECAY_HALF_LIFE_HOURS);
                sum += w * a[i];
                weights += w;
            }
        }
        return weights == 0 ? Double.NaN : sum / weights;
    }

    private static double lastKnown(float[] a, int origin) {
        for (int i = Math.min(origin, a.length) - 1; i >= 0; i--) {
            if (!Float.isNaN(a[i])) {
                return a[i];
            }
        }
        return Double.NaN;
    }

    static int hoursWithCpu(HourlyUsage u, int from, int to) {
        return hoursWith(u::hasCpu, from, Math.min(to, u.hours()));
    }

    static int hoursWithMemory(HourlyUsage u, int from, int to) {
        return hoursWith(u::hasMemory, from, Math.min(to, u.hours()));
    }

    private static int hoursWith(java.util.function.IntPredicate has, int from, int to) {
        int n = 0;
        for (int i = Math.max(0, from); i < to; i++) {
            if (has.test(i)) {
                n++;
            }
        }
        return n;
    }
}
